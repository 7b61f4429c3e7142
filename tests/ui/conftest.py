import datetime as dt

import pytest

from boutique_book.core import contacts, demo, moments, staff
from boutique_book.core.model import Contact, Email, Moment, Phone

PLANTED = "Wilhelmina Quast"


@pytest.fixture
def book(vault, vault_path):
    """A closed vault on disk with 200 demo people, a planted one and two staff members."""
    demo.generate(vault, 200, seed=5)
    staff.add(vault, "Camille Laurent")
    cid = contacts.add(vault, Contact(given_name="Wilhelmina", family_name="Quast", country="FR", tier="friends",
                                      emails=[Email("wilhelmina@example.fr")], phones=[Phone("06 99 88 77 66")]))
    moments.add(vault, Moment(cid, "Prefers ivory silk, size 36", dt.date(2026, 3, 1), kind="preference"))
    vault.close()
    return {"path": vault_path, "planted_id": cid}


@pytest.fixture
def window(qtbot, book):
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow

    make_application()
    win = CounterWindow(book["path"])
    qtbot.addWidget(win)
    win.show()
    yield win
    win.lock()


@pytest.fixture
def open_window(qtbot, window, book, passphrase):
    from PySide6.QtWidgets import QApplication

    from boutique_book.core.vault import Vault

    window.unlock_with(Vault.open(book["path"], passphrase), "Camille Laurent")
    window.activateWindow()  # window shortcuts (Ctrl+M...) go to the active window; a loaded machine is slow
    try:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    except Exception:  # noqa: BLE001  a slow machine: the test itself will say if a shortcut was missed
        pass
    return window
