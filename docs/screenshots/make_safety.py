"""Render the Backups dialog offscreen to docs/screenshots/backups.png (python docs/screenshots/make_safety.py)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from boutique_book.core import backup, demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.ui.backup_view import BackupDialog
    from boutique_book.ui.context import AppContext
    from boutique_book.ui.style import STYLE

    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyleSheet(STYLE)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "boutique.vault", "demo", KdfParams.fast())
        demo.generate(vault, 200, seed=2)
        now = dt.datetime(2026, 11, 25, 18, 30, tzinfo=dt.timezone.utc)
        for days in (0, 1, 2, 3, 9, 16, 40):
            backup.create_backup(vault, now=now - dt.timedelta(days=days, hours=days % 5), rotate_after=False)
        dialog = BackupDialog(AppContext(vault=vault, manager_unlocked=True))
        dialog.resize(720, 460)
        dialog.table.selectRow(1)
        dialog.status.setText("Backup written and verified: …/backups/boutique-backup-20261125-183000.vault (1.2 MB)")
        dialog.show()
        app.processEvents()
        out = Path(__file__).resolve().parent / "backups.png"
        dialog.grab().save(str(out))
        dialog.close()
        vault.close()
        print(out)


if __name__ == "__main__":
    main()
