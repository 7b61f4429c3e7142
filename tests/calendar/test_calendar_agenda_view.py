"""pytest-qt: the agenda lists a due birthday; marking it done writes a moment on the card and clears it."""

import datetime as dt

import pytest

from boutique_book.core import calendar, moments
from boutique_book.ui.context import AppContext


@pytest.fixture
def view(qtbot, vault, staff_id, make_person):
    from boutique_book.ui.agenda_view import AgendaView

    opened = []
    today = dt.date.today()
    anne = make_person("Anne", tier="family", birthday=f"--{today:%m-%d}" if f"{today:%m-%d}" != "02-29" else "--02-28",
                       channel="card", by=staff_id)
    context = AppContext(vault=vault, staff_id=staff_id, staff_name="Camille Laurent",
                         open_contact=opened.append)
    widget = AgendaView(context)
    qtbot.addWidget(widget)
    widget.show()
    return widget, anne, opened


def _rows(widget):
    rows = []
    for index in range(widget.tree.topLevelItemCount()):
        node = widget.tree.topLevelItem(index)
        rows.extend((node.text(0), node.child(n)) for n in range(node.childCount()))
    return rows


def test_agenda_lists_the_due_birthday_and_done_writes_a_moment(view, qtbot, vault, staff_id):
    widget, anne, opened = view
    birthday_rows = [row for _group, row in _rows(widget) if row.text(0) == "Anne Test" and "Birthday" in row.text(1)]
    assert len(birthday_rows) == 1 and birthday_rows[0].text(3) == "Due"
    widget.tree.setCurrentItem(birthday_rows[0])
    assert "Anne Test" in widget.context_view.toPlainText()
    assert widget.done_button.isEnabled()

    qtbot.keyClick(widget.tree, "d", modifier=pytest.importorskip("PySide6.QtCore").Qt.ControlModifier)
    [card] = moments.for_contact(vault, anne, kinds=("card_sent",))
    assert (card.staff_id, card.staff_name) == (staff_id, "Camille Laurent")
    assert "Birthday" in card.text
    statuses = [row.text(3) for _g, row in _rows(widget) if row.text(0) == "Anne Test" and "Birthday" in row.text(1)]
    assert statuses == ["Done"]
    assert not widget.done_button.isEnabled()
    open_items = [i for i in widget.agenda.items() if not i.handled and i.contact_id == anne]
    assert not [i for i in open_items if i.reason_kind == "birthday"]

    widget.open_selected()
    assert opened == [anne]


def test_periods_filters_snooze_skip_and_locking(view, qtbot, vault, staff_id, other_staff_id, make_person,
                                                monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    widget, anne, _opened = view
    today = dt.date.today()
    bruno = make_person("Bruno", channel="call", by=other_staff_id)
    calendar.add_followup(vault, bruno, today, reason="Call about the coat", channel="call", owner=other_staff_id)
    widget._fill_staff()
    widget.set_period("today")
    start, end = widget.bounds()
    assert start == end == today
    widget.set_period("month")
    assert widget.bounds() == calendar.month_bounds(today)
    widget.set_period("week")
    start, end = widget.bounds()
    assert (end - start).days == 6 and start.weekday() == widget.first_weekday()
    assert widget.title.text()

    widget.staff_combo.setCurrentIndex(widget.staff_combo.findData(staff_id))
    names = {row.text(0) for _g, row in _rows(widget)}
    assert "Anne Test" in names and "Bruno Test" not in names
    widget.staff_combo.setCurrentIndex(0)
    widget.channel_combo.setCurrentIndex(widget.channel_combo.findData("call"))
    names = {row.text(0) for _g, row in _rows(widget)}
    assert "Bruno Test" in names and "Anne Test" not in names
    widget.channel_combo.setCurrentIndex(0)

    [call] = [row for _g, row in _rows(widget) if row.text(0) == "Bruno Test"]
    widget.tree.setCurrentItem(call)
    assert widget.snooze_selected(today + dt.timedelta(days=3))
    snoozed = [row.text(3) for _g, row in _rows(widget) if row.text(0) == "Bruno Test"]
    assert snoozed in ([], ["Snoozed"])  # shown again on its new day if that is still this week
    widget.step(1)
    widget.step(-1)
    widget.go_today()
    [birthday] = [row for _g, row in _rows(widget) if row.text(0) == "Anne Test" and "Birthday" in row.text(1)]
    widget.tree.setCurrentItem(birthday)
    assert not widget.skip_selected("   ")   # a reason is required
    assert warnings == ["Say why this is skipped."]
    assert widget.skip_selected("Travelling")
    assert [row.text(3) for _g, row in _rows(widget) if row.text(0) == "Anne Test" and "Birthday" in row.text(1)] \
        == ["Skipped"]

    widget.clear_personal_data()
    assert widget.tree.topLevelItemCount() == 0 and not widget.context_view.toPlainText()


def test_opens_on_this_week_with_overdue_folded_into_one_line_that_opens(qtbot, vault, staff_id, make_person):
    """#22: the agenda opened as a wall of red; it opens on today and this week, overdue in one folded line."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from boutique_book.ui.agenda_view import AgendaView

    today = dt.date.today()
    late = make_person("Late", by=staff_id)
    calendar.add_followup(vault, late, today - dt.timedelta(days=9), {"type": "once"}, reason="Missed call",
                          owner=staff_id)
    soon = make_person("Soon", by=staff_id)
    calendar.add_followup(vault, soon, today, {"type": "once"}, reason="Call today", owner=staff_id)
    widget = AgendaView(AppContext(vault=vault, staff_id=staff_id, staff_name="Camille Laurent"))
    qtbot.addWidget(widget)
    widget.show()
    assert widget.period == "week"
    start, end = widget.bounds()
    assert start <= today <= end
    nodes = [widget.tree.topLevelItem(n) for n in range(widget.tree.topLevelItemCount())]
    overdue = [n for n in nodes if n.text(0).startswith("Overdue")]
    assert len(overdue) == 1 and overdue[0].text(0) == "Overdue (1)" and not overdue[0].isExpanded()
    assert all(n.isExpanded() for n in nodes if n is not overdue[0])
    current = widget.tree.currentItem()
    assert current is not None and current.parent() is not overdue[0] and current.text(1) == "Call today"
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5000)  # shortcuts need it
    widget.tree.setCurrentItem(overdue[0])
    widget.tree.setFocus()
    qtbot.keyClick(widget.tree, Qt.Key_Return)
    assert overdue[0].isExpanded() and overdue[0].child(0).text(1).endswith("Missed call")
    qtbot.keyClick(widget.tree, Qt.Key_Return)
    assert not overdue[0].isExpanded()  # and folds again
    rect = widget.tree.visualItemRect(overdue[0])
    qtbot.mouseClick(widget.tree.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(widget.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert overdue[0].isExpanded()  # a double-click on the line unfolds it
