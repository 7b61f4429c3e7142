"""Screenshots of the network view on a card and of the connectors list, on the demo vault
(core.demo.generate(vault, 1000, seed=1)).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_network.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from boutique_book.core import demo  # noqa: E402
from boutique_book.core.kdf import KdfParams  # noqa: E402
from boutique_book.core.vault import Vault  # noqa: E402
from boutique_book.network import connectors  # noqa: E402
from boutique_book.ui.context import AppContext  # noqa: E402
from boutique_book.ui.network_view import ConnectorsView, NeighbourhoodView  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    path = Path(tempfile.mkdtemp()) / "demo.vault"
    vault = Vault.create(path, "screenshots", KdfParams.fast())
    demo.generate(vault, 1000, seed=1)
    context = AppContext(vault=vault, staff_name="Camille Laurent")

    top = connectors.rank(vault, top=1).connectors[0]
    card = NeighbourhoodView(context, top.contact_id)
    card.resize(1000, 760)
    card.show()
    app.processEvents()
    card.fit()
    app.processEvents()
    card.grab().save(str(HERE / "network_card.png"))

    view = ConnectorsView(context)
    view.resize(1400, 820)
    view.show()
    view.compute()
    deadline = time.monotonic() + 300
    while view._job is not None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    view.tree.topLevelItem(0).setExpanded(True)
    app.processEvents()
    view.picture.fit()
    app.processEvents()
    view.grab().save(str(HERE / "connectors.png"))
    vault.close()


if __name__ == "__main__":
    main()
