"""Every screen and dialog of the app, built the way the app builds it, for the checks that look at all of them
(fit, no internal words) and for the screenshots tool.

`open_counter(path, passphrase, language)` builds the counter window at 1366x768 in `language` with the book open
and a person in focus; `each_screen(window)` yields (name, widget) for every screen, shown at the size the app
gives it (feature windows 1100x720, dialogs their own size, never more than the 1366x768 screen), one at a time:
the caller looks at it before the next is built; each is closed after.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

SCREEN = (1366, 768)


def _settle():
    for _ in range(3):
        QApplication.processEvents()


def open_counter(path, passphrase: str, language: str, person: int | None = None):
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow
    from boutique_book.ui.settings_view import apply_language

    app = make_application()
    apply_language(language, app)
    window = CounterWindow(path)
    window.resize(*SCREEN)
    window.show()
    _settle()
    yield_unlock = window  # the unlock panel is the first page
    window.unlock_with(Vault.open(path, passphrase), "Camille Laurent")
    if person is not None:
        window.open_contact(person)
    _settle()
    return yield_unlock


def _shown(widget: QWidget, size=None) -> QWidget:
    if size is not None:
        widget.resize(*size)
    widget.show()
    if isinstance(widget, QDialog) or widget.isWindow():
        width = min(widget.width(), SCREEN[0])
        height = min(widget.height(), SCREEN[1])
        if (width, height) != (widget.width(), widget.height()):
            widget.resize(width, height)
    _settle()
    return widget


def each_screen(window, person: int, other: int):
    """Yield (name, widget) for every screen and dialog; closes each after the caller has looked at it."""
    from boutique_book.ui import (about, agenda_view, app, backup_view, common_ground_view, contact_form,
                                  followup_dialog, import_view, link_dialog, manager_unlock, manager_view,
                                  merge_view, network_view, person_focus, print_view, seasons_view, settings_view)
    from boutique_book.ui.unlock import StaffPanel, UnlockPanel

    context = window.context
    name = window.focus.name or "Wilhelmina Quast"

    # the counter's own pages, in the window at 1366x768
    window.pages.setCurrentWidget(window.counter)
    _settle()
    yield "counter with a person's card", window
    window.focus.note_moment()
    _settle()
    yield "counter noting a moment", window
    window.focus.editor.close_editor()
    _settle()
    window.show_today()  # nobody open: the day where the card stands
    _settle()
    yield "counter with nobody open (today)", window
    window.open_contact(person)
    _settle()

    builders = [
        ("unlock panel", lambda: UnlockPanel(window.vault_path), SCREEN),
        ("unlock panel (demo)", lambda: _demo_unlock(window.vault_path), SCREEN),
        ("who is at the counter", lambda: _staff(window), SCREEN),
        ("welcome (first start)", lambda: app.WelcomeDialog(window.vault_path), None),
        ("new contact", lambda: contact_form.ContactForm(context, parent=window), None),
        ("edit contact", lambda: _edit_form(context, person, window), None),
        ("change tier", lambda: person_focus.TierDialog("friends", 1, window, name=name), None),
        ("change tier of several", lambda: person_focus.TierDialog(None, 12, window), None),
        ("plan a follow-up", lambda: followup_dialog.FollowupDialog(context, person, name, window), None),
        ("plan a follow-up every N weeks", lambda: _followup(context, person, name, window, "weeks"), None),
        ("plan a follow-up on the Nth weekday", lambda: _followup(context, person, name, window, "nth_weekday"),
         None),
        ("link to another person", lambda: link_dialog.LinkDialog(context, person, name, window), None),
        ("interests", lambda: common_ground_view.InterestsDialog(context, person, name, window), None),
        ("my profile", lambda: common_ground_view.StaffProfileDialog(context, window), None),
        ("settings", lambda: settings_view.SettingsDialog(context, window), None),
        ("about", lambda: about.AboutDialog(window), None),
        ("agenda", lambda: agenda_view.AgendaView(context), (1100, 720)),
        ("snooze", lambda: agenda_view.SnoozeDialog(dt.date.today() + dt.timedelta(days=7), window), None),
        ("card seasons", lambda: seasons_view.SeasonsView(context, current_contact_id=person), (1100, 720)),
        ("new card season", lambda: seasons_view.SeasonRuleDialog(context.vault, parent=window), None),
        ("tier rhythms", lambda: seasons_view.RhythmsDialog(context, window), None),
        ("print", lambda: print_view.PrintView(context), (1100, 720)),
        ("card template", lambda: print_view.TemplateEditor(context.vault, parent=window), None),
        ("import", lambda: import_view.ImportDialog(context, window), None),
        ("find duplicates", lambda: merge_view.DuplicatesDialog(context, window), None),
        ("merge two people", lambda: merge_view.MergeDialog(context, person, other, window), None),
        ("connectors and circles", lambda: network_view.ConnectorsView(context), (1100, 720)),
        ("how people first met us", lambda: network_view.FirstMetView(context), (1100, 720)),
        ("manager tools", lambda: manager_view.ManagerDialog(context, window), None),
        ("manager passphrase", lambda: manager_unlock.ManagerUnlockDialog(context, "Erase a person", window), None),
        ("backups", lambda: backup_view.BackupDialog(context, window), None),
    ]
    for label, build, size in builders:
        widget = _shown(build(), size)
        try:
            yield label, widget
        finally:
            widget.close()
            widget.deleteLater()
            _settle()
            # processEvents() leaves deferred deletes alone: without this every screen of every language stayed
            # alive (92 top-level widgets per run) and each later language opened slower than the one before
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _demo_unlock(path):
    from boutique_book.ui.unlock import UnlockPanel

    panel = UnlockPanel(path)
    panel.set_demo_hint()
    return panel


def _staff(window):
    from boutique_book.ui.unlock import StaffPanel

    panel = StaffPanel()
    panel.load(window.vault, "Camille Laurent")
    return panel


def _edit_form(context, person, parent):
    from boutique_book.core import contacts
    from boutique_book.ui.contact_form import ContactForm

    return ContactForm(context, contacts.get(context.vault, person), parent=parent)


def _followup(context, person, name, parent, repeat):
    from boutique_book.ui.followup_dialog import FollowupDialog

    dialog = FollowupDialog(context, person, name, parent)
    dialog.repeat.setCurrentIndex(dialog.repeat.findData(repeat))
    return dialog
