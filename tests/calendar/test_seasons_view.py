"""The card seasons screen and the tier rhythms dialog, offscreen: a season list built by tier, tag and
hand; last year's recipients missing from this year's list and "add them"; card history; printing the
list; manager-only controls (disabled without a session, audited with one); rhythm changes saved and
audited."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")

from boutique_book.core import calendar, calendar_seasons, changelog, contacts, manager, moments  # noqa: E402
from boutique_book.core.kdf import KdfParams  # noqa: E402
from boutique_book.core.model import Moment  # noqa: E402
from boutique_book.ui.context import AppContext  # noqa: E402

MANAGER_PASSPHRASE = "manager-secret-42"
YEAR = 2030


@pytest.fixture
def people(vault, make_person):
    ids = {"anne": make_person("Anne", "Martin", tier="family"),
           "bruno": make_person("Bruno", "Petit", tier="family"),
           "chloe": make_person("Chloé", "Roux", tier="friends"),
           "david": make_person("David", "Leroy", tier="acquaintances")}
    contacts.bulk_tag(vault, [ids["david"]], "art collector")
    return ids


@pytest.fixture
def opened():
    return []


@pytest.fixture
def context(vault, staff_id, opened):
    return AppContext(vault=vault, staff_id=staff_id, staff_name="Camille Laurent", open_contact=opened.append)


@pytest.fixture
def view(qtbot, context, people):
    from boutique_book.ui.seasons_view import SeasonsView

    v = SeasonsView(context, current_contact_id=people["chloe"])
    qtbot.addWidget(v)
    v.set_season("christmas", YEAR)
    return v


def _session(vault):
    return manager.unlock(vault, MANAGER_PASSPHRASE, "Camille Laurent", params=KdfParams.fast())


def _names(model):
    return [r["display_name"] for r in model.rows()]


def test_default_is_the_next_season_to_come(vault):
    from boutique_book.core.calendar_seasons import next_season  # season logic lives in core (no Qt)

    assert next_season(vault, dt.date(2030, 12, 1)) == ("christmas", 2030)
    assert next_season(vault, dt.date(2030, 12, 26)) == ("new_year", 2031)
    assert next_season(vault, dt.date(2030, 12, 25)) == ("christmas", 2030)  # the day itself counts


def test_the_view_shows_the_computed_date(view):
    assert view.season_name() == "christmas" and view.year() == YEAR
    assert "2030" in view.date_label.text() and "25" in view.date_label.text()
    view.set_season("easter", 2030)  # moving feast: 21 April 2030
    assert "21" in view.date_label.text() and "April" in view.date_label.text()
    view.set_season("diwali", 2040)  # outside the table of published dates
    assert "No date known for 2040" in view.date_label.text()


def test_building_a_season_list_by_tier_tag_and_hand(view, vault, people, opened):
    assert view.recipients.rowCount() == 0 and not view.print_button.isEnabled()
    view.tier_combo.setCurrentIndex(view.tier_combo.findData("family"))
    view.add_tier_button.click()
    assert _names(view.recipients) == ["Anne Martin", "Bruno Petit"]
    assert view.recipients.index(0, 2).data() == "Planned" and view.recipients.index(0, 1).data() == "Family"
    assert view.tag_combo.currentText() == "art collector"
    view.add_tag_button.click()
    view.add_current_button.click()  # the open person: Chloé
    assert sorted(view.recipients.contact_ids()) == sorted(people.values())
    assert calendar_seasons.recipient_ids(vault, "christmas", YEAR) == view.recipients.contact_ids()
    assert "4" in view.count_label.text()

    assert _names(view.recipients) == ["David Leroy", "Anne Martin", "Bruno Petit", "Chloé Roux"]  # family name
    view.recipient_view.selectRow(1)  # Anne
    assert view.remove_button.isEnabled()
    view.remove_button.click()
    assert "Anne Martin" not in _names(view.recipients)
    assert people["anne"] not in calendar_seasons.recipient_ids(vault, "christmas", YEAR)

    view.recipient_view.doubleClicked.emit(view.recipients.index(0, 0))
    assert opened == [view.recipients.contact_id(0)]


def test_missing_from_last_year_and_add_them(view, vault, people, staff_id):
    for who in ("anne", "david"):
        moments.add(vault, Moment(people[who], "Christmas card", dt.date(YEAR - 1, 12, 10), kind="card_sent",
                                  season="christmas", season_year=YEAR - 1), by=staff_id)
    moments.add(vault, Moment(people["anne"], "Card back", dt.date(YEAR, 1, 4), kind="card_received",
                              season="christmas", season_year=YEAR - 1), by=staff_id)
    moments.add(vault, Moment(people["chloe"], "Card from Chloé", dt.date(YEAR - 1, 12, 20), kind="card_received",
                              season="christmas", season_year=YEAR - 1), by=staff_id)
    calendar_seasons.set_recipients(vault, "christmas", YEAR, contact_ids=[people["bruno"], people["david"]])
    view.reload()
    assert _names(view.missing) == ["Anne Martin"]
    assert "1 person got a Christmas card in 2029 and is not on" in view.missing_label.text()  # not "1 people"
    assert view.add_missing_button.isEnabled()

    # card history of the previous year
    history = {key: _names(model) for key, model in view.history_models.items()}
    assert history == {"sent": ["David Leroy", "Anne Martin"], "received": ["Anne Martin", "Chloé Roux"],
                       "sent_and_answered": ["Anne Martin"], "received_not_sent": ["Chloé Roux"]}
    assert view.history_tabs.tabText(0) == "Sent (2)" and view.history_tabs.tabText(2) == "Answered (1)"
    assert "2029" in view.history_box.title()
    # "Sent on" in the same list style as every other list (issue #22: it showed 12/13/25)
    from boutique_book.core.formatting import list_date

    sent = view.history_models["sent"]
    shown = {sent.index(row, 1).data() for row in range(sent.rowCount())}
    assert list_date(dt.date(YEAR - 1, 12, 10)) in shown
    assert not any("/" in text for text in shown)

    view.add_missing_button.click()
    assert view.missing.rowCount() == 0 and not view.add_missing_button.isEnabled()
    assert sorted(calendar_seasons.recipient_ids(vault, "christmas", YEAR)) == sorted(
        [people["anne"], people["bruno"], people["david"]])
    assert "Everyone who got a card in 2029" in view.missing_label.text()


def test_print_labels_opens_the_print_screen_on_this_list(view, vault):
    view.add_tier("family")
    printing = view.print_labels()
    assert printing is not None and printing.isWindow()
    assert printing.who.currentData() == "season" and printing.what.currentData() == "labels"
    assert printing.selected_ids() == view.recipients.contact_ids()
    assert not printing.mark_printed.isChecked()
    view.clear_personal_data()
    assert view.print_view is None and view.recipients.rowCount() == 0 and view.missing.rowCount() == 0


def test_manager_controls_are_disabled_without_a_session(view, vault):
    assert not view.new_button.isEnabled() and not view.edit_button.isEnabled()
    assert view.unlock_button.isVisibleTo(view)
    assert view.edit_season(new=True, run=False) is None  # even called directly, nothing happens
    view.context.manager_unlocked = True  # the flag alone is not enough: a session must be there
    view.update_manager_state()
    assert not view.new_button.isEnabled()


def test_manager_adds_and_dates_a_season_audited(view, vault, context):
    from boutique_book.ui.seasons_view import SeasonRuleDialog

    session = _session(vault)
    context.manager_unlocked = True
    context.extra["manager_session"] = session
    view.update_manager_state()
    assert view.new_button.isEnabled() and view.edit_button.isEnabled()
    assert not view.unlock_button.isVisibleTo(view)

    dialog = SeasonRuleDialog(vault, None, YEAR, view)
    dialog.name_edit.setText("Pentecost")
    dialog.kind.setCurrentIndex(dialog.kind.findData("easter"))
    dialog.easter_offset.setValue(49)
    dialog.lead.setValue(10)
    assert "June 9, 2030" in dialog.preview.text()  # Easter 21 April 2030 + 49 days
    assert view.edit_season(new=True, dialog=dialog, run=False) == "Pentecost"
    season = calendar_seasons.get_season(vault, "Pentecost")
    assert season["rule"] == {"type": "easter", "offset": 49, "calendar": "western"} and season["lead_days"] == 10
    assert view.season_name() == "Pentecost" and "June 9, 2030" in view.date_label.text()

    # change Christmas' lead time through the dialog loaded with the season
    view.set_season("christmas", YEAR)
    dialog = SeasonRuleDialog(vault, calendar_seasons.get_season(vault, "christmas"), YEAR, view)
    assert dialog.kind.currentData() == "fixed" and dialog.fixed_day.value() == 25
    assert dialog.fixed_month.currentData() == 12
    dialog.lead.setValue(30)
    view.edit_season(dialog=dialog, run=False)
    assert calendar_seasons.get_season(vault, "christmas")["lead_days"] == 30
    audit = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "season"]
    assert [(e["actor"], e["detail"]["name"]) for e in audit] == [
        (session.actor, "Pentecost"), (session.actor, "christmas")]


def test_rhythms_dialog_needs_the_manager_then_saves_audited(qtbot, vault, context, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from boutique_book.ui.seasons_view import RhythmsDialog

    monkeypatch.setattr(manager.KdfParams, "default", classmethod(lambda cls: KdfParams.fast()))
    _session(vault)  # a manager passphrase exists; this context has no session yet
    dialog = RhythmsDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.stack.currentIndex() == 0 and not dialog.buttons.button(QDialogButtonBox.Save).isEnabled()
    assert not dialog.save()
    dialog.unlock_panel.pass_edit.setText("wrong passphrase")
    dialog.unlock_panel.unlock_button.click()
    assert dialog.stack.currentIndex() == 0 and "not right" in dialog.unlock_panel.error.text()
    dialog.show()
    dialog.unlock_panel.pass_edit.setText(MANAGER_PASSPHRASE)
    qtbot.keyClick(dialog.unlock_panel.pass_edit, Qt.Key_Return)  # Return unlocks, and does not save at once
    assert dialog.stack.currentIndex() == 1 and context.manager_unlocked and dialog.isVisible()
    session = context.extra["manager_session"]
    assert dialog.unlock_panel.pass_edit.text() == ""

    n, unit, key_dates = dialog.rows["family"]
    assert (n.value(), unit.currentData(), key_dates.isChecked()) == (6, "weeks", True)
    dialog.set_rhythm("family", 8, "weeks", False)
    dialog.set_rhythm("acquaintances", 0, "months", True)  # off
    assert dialog.rows["acquaintances"][0].text() == "off"
    assert dialog.save()
    rhythms = calendar.tier_rhythms(vault)
    assert (rhythms["family"]["n"], rhythms["family"]["unit"], rhythms["family"]["key_dates"]) == (8, "weeks", False)
    assert rhythms["acquaintances"]["n"] == 0 and rhythms["friends"]["n"] == 3
    audit = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "settings"]
    assert [(e["actor"], e["detail"]["key"]) for e in audit] == [(session.actor, "tier_rhythms")] * 2


def test_rhythms_dialog_opens_on_the_form_with_a_session(qtbot, vault, context):
    from boutique_book.ui.seasons_view import RhythmsDialog

    context.manager_unlocked = True
    context.extra["manager_session"] = _session(vault)
    dialog = RhythmsDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.stack.currentIndex() == 1
    assert dialog.save()  # nothing changed: nothing written
    assert not [e for e in changelog.audit_entries(vault.conn) if e["action"] == "settings"]
    dialog.clear_personal_data()
    assert dialog.unlock_panel.pass_edit.text() == ""


def test_unlock_dialog_sets_the_first_manager_passphrase(qtbot, vault, context, monkeypatch):
    from boutique_book.ui.seasons_view import ManagerUnlockDialog, manager_session

    monkeypatch.setattr(manager.KdfParams, "default", classmethod(lambda cls: KdfParams.fast()))
    dialog = ManagerUnlockDialog(context, "why")
    qtbot.addWidget(dialog)
    panel = dialog.panel
    assert panel.confirm_edit.isVisibleTo(dialog) and "No manager passphrase" in panel.title.text()
    panel.pass_edit.setText(MANAGER_PASSPHRASE)
    panel.confirm_edit.setText("something else")
    panel.unlock_button.click()
    assert "differ" in panel.error.text() and manager_session(context) is None
    panel.pass_edit.setText(MANAGER_PASSPHRASE)
    panel.confirm_edit.setText(MANAGER_PASSPHRASE)
    panel.unlock_button.click()
    assert dialog.session is not None and manager_session(context) is dialog.session
    assert manager.verify(vault, MANAGER_PASSPHRASE)


def test_menu_entries_open_the_screens(qtbot, vault, context, people, monkeypatch):
    """ui.extensions wires View ▸ Card seasons… (Ctrl+Shift+S, on the open person) and Manager ▸ Tier rhythms…"""
    from PySide6.QtWidgets import QMenu, QWidget

    from boutique_book.ui import extensions, seasons_view

    window = QWidget()
    qtbot.addWidget(window)
    window.context, window.current_id = context, people["anne"]
    window.extension_menu_book, window.view_menu, window.manager_menu = QMenu(window), QMenu(window), QMenu(window)
    window.selected_ids = lambda: []
    entries = {}
    extensions.install_extensions(window, lambda menu, text, slot, shortcut=None: entries.update(
        {text: (menu, slot, shortcut)}))
    menu, slot, shortcut = entries["Card seasons…"]
    assert menu is window.view_menu and shortcut == "Ctrl+Shift+S"
    slot()
    view = window.open_views[-1]
    assert isinstance(view, seasons_view.SeasonsView) and view.current_contact_id == people["anne"]
    assert view.add_current_button.isEnabled()

    opened = []
    monkeypatch.setattr(seasons_view.RhythmsDialog, "exec", lambda self: opened.append(self) or 0)
    menu, slot, _shortcut = entries["Tier rhythms…"]
    assert menu is window.manager_menu
    slot()
    assert len(opened) == 1 and isinstance(opened[0], seasons_view.RhythmsDialog)
