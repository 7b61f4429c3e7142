"""Screenshots of the manager dialog (offscreen): HQ export tab and audit log tab.
Run: QT_QPA_PLATFORM=offscreen python docs/screenshots/make_hq.py"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from boutique_book.core import demo, manager, privacy
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.hq import bundle, export
    from boutique_book.ui.context import AppContext
    from boutique_book.ui.manager_view import ManagerDialog

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        vault = Vault.create(tmp / "shot.vault", "shot", KdfParams.fast())
        demo.generate(vault, 300, seed=7)
        session = manager.unlock(vault, "manager passphrase", "Léonie Marchand", params=KdfParams.fast())
        pub, _key = bundle.keygen(tmp / "hq")
        export.import_public_key(vault, session, pub)
        usb = tmp / "HQ STICK"
        usb.mkdir()
        export.export_bundle(vault, session, "figures", usb)
        export.export_bundle(vault, session, "pseudonymised", usb)
        privacy.erase_contact(vault, session, 42)
        context = AppContext(vault=vault, staff_name="Léonie Marchand", extra={"manager_session": session})
        dialog = ManagerDialog(context)
        dialog.set_destination("/media/leonie/HQ STICK")
        dialog.profile_buttons.button(1).setChecked(True)
        dialog.resize(860, 600)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(HERE / "hq_export.png"))
        dialog.tabs.setCurrentIndex(1)
        app.processEvents()
        dialog.grab().save(str(HERE / "hq_audit.png"))
        dialog.close()
        vault.close()


if __name__ == "__main__":
    main()
