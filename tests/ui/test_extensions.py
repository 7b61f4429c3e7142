"""Every feature screen is reachable from the counter window, opens on the right people, and locking
closes it with its data."""

from PySide6.QtWidgets import QMessageBox

PLANTED = "Wilhelmina Quast"


def _actions(window):
    found = {}
    for menu_action in window.menuBar().actions():
        for act in menu_action.menu().actions():
            if act.text():
                found[act.text()] = act
    return found


def test_feature_screens_are_in_the_menus(open_window):
    names = set(_actions(open_window))
    for expected in ("Agenda", "Print…", "Import contacts…", "Settings…", "Backups…", "Connectors and circles…",
                     "Manager tools (export to HQ, erasure, audit)…", "Export contacts (vCard / CSV)…"):
        assert expected in names


def test_print_opens_on_the_current_person_and_lock_closes_it(qtbot, open_window, book):
    win = open_window
    win.open_contact(book["planted_id"])
    _actions(win)["Print…"].trigger()
    view = win.open_views[-1]
    assert type(view).__name__ == "PrintView" and view.isVisible()
    win.lock()
    assert win.open_views == []


def test_agenda_opens(qtbot, open_window):
    _actions(open_window)["Agenda"].trigger()
    assert type(open_window.open_views[-1]).__name__ == "AgendaView"


def test_export_needs_the_manager(qtbot, open_window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    _actions(open_window)["Export contacts (vCard / CSV)…"].trigger()
    assert shown and "manager" in shown[0].lower()
