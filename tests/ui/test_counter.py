"""The counter window driven like staff drive it: keyboard first, real widgets, offscreen."""

import time

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QGraphicsSimpleTextItem, QMessageBox, QLabel, QLineEdit, QPlainTextEdit, QTextBrowser, QWidget

from boutique_book.core import contacts, moments

PLANTED = "Wilhelmina Quast"


def test_unlock_wrong_then_right(qtbot, window, passphrase):
    assert window.is_locked and "Boutique Book" in window.windowTitle()
    panel = window.unlock_panel
    qtbot.keyClicks(panel.passphrase, "not the passphrase")
    qtbot.keyClick(panel.passphrase, Qt.Key_Return)
    assert "does not open" in panel.message.text()
    assert window.is_locked and not panel.passphrase.isEnabled()  # waits before the next try
    qtbot.waitUntil(panel.passphrase.isEnabled, timeout=3000)
    panel.passphrase.setText(passphrase)  # QTest cannot type non-ASCII keys; the field takes any text
    qtbot.keyClick(panel.passphrase, Qt.Key_Return)
    assert window.pages.currentWidget() is window.staff_panel
    staff_list = window.staff_panel.list
    item = staff_list.findItems("Camille Laurent", Qt.MatchExactly)[0]
    staff_list.setCurrentItem(item)
    qtbot.keyClick(staff_list, Qt.Key_Return)
    assert not window.is_locked
    assert window.context.staff_name == "Camille Laurent"
    # The search field is where the cursor waits: the window's own focus widget (whether the offscreen platform
    # counts this window as the active one depends on windows earlier tests on this worker left behind).
    assert window.search.hasFocus() or window.focusWidget() is window.search, window.focusWidget()


def test_caps_lock_warning(qtbot, window):
    panel = window.unlock_panel
    qtbot.keyClick(panel.passphrase, "A")  # capital without Shift: Caps Lock is on
    assert panel.caps.isVisibleTo(panel)


def test_search_as_you_type_and_open_with_keyboard(qtbot, open_window, book):
    win = open_window
    qtbot.keyClicks(win.search, "wilh")
    qtbot.waitUntil(lambda: win.model.rowCount() >= 1 and win.model.query == "wilh", timeout=5000)
    assert win.model.contact_id(0) == book["planted_id"]
    qtbot.keyClick(win.search, Qt.Key_Down)
    qtbot.keyClick(win.results, Qt.Key_Return)
    assert win.current_id == book["planted_id"]
    assert PLANTED in win.card.toPlainText()
    assert "ivory silk" in win.card.toPlainText()


def test_search_by_phone_with_spaces(qtbot, open_window, book):
    qtbot.keyClicks(open_window.search, "06 99 88")
    qtbot.waitUntil(lambda: open_window.model.query == "06 99 88", timeout=5000)
    assert open_window.model.contact_id(0) == book["planted_id"]


def test_add_contact_with_bad_email_keeps_input(qtbot, open_window):
    from boutique_book.ui.contact_form import ContactForm

    form = ContactForm(open_window.context, parent=open_window)
    qtbot.addWidget(form)
    form.fields["given_name"].setText("Aurélie")  # QTest types ASCII only
    qtbot.keyClicks(form.fields["name"], "Vasseur")
    qtbot.keyClicks(form.fields["email"], "aurelie-at-example")
    form.save()
    assert form.result() != QDialog.Accepted
    assert "not an email" in form.errors["email"].text() and form.errors["email"].isVisibleTo(form)
    assert form.fields["given_name"].text() == "Aurélie"  # nothing lost
    assert form.fields["email"].text() == "aurelie-at-example"
    form.fields["email"].setText("aurelie@example.fr")
    form.save()
    assert form.result() == QDialog.Accepted
    found = [r.display_name for r in __import__("boutique_book.core.search", fromlist=["x"]).search(
        open_window.vault.conn, "aurelie")]
    assert "Aurélie Vasseur" in found


def test_note_a_moment_with_the_keyboard(qtbot, open_window, book):
    win = open_window
    win.open_contact(book["planted_id"])
    qtbot.keyClick(win, Qt.Key_M, Qt.ControlModifier)
    assert win.editor.isVisible() and win.editor.text.hasFocus()
    qtbot.keyClicks(win.editor.text, "Daughter graduates from the conservatoire in June")
    qtbot.keyClick(win.editor.text, Qt.Key_Return, Qt.ControlModifier)
    assert not win.editor.isVisible()
    latest = moments.for_contact(win.vault, book["planted_id"])[0]
    assert latest.text == "Daughter graduates from the conservatoire in June"
    assert latest.staff_name == "Camille Laurent"
    assert "conservatoire" in win.card.toPlainText()


def _answer_next_dialog(qtbot, handle):
    def run():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        handle(dialog)
    QTimer.singleShot(0, run)


def test_change_tier_shows_history(qtbot, open_window, book):
    win = open_window
    win.open_contact(book["planted_id"])

    def choose_family(dialog):
        dialog.combo.setCurrentIndex(dialog.combo.findData("family"))
        dialog.reason.setText("came to every private sale")
        dialog.accept()

    _answer_next_dialog(qtbot, choose_family)
    win.change_tier()
    assert contacts.get(win.vault, book["planted_id"]).tier == "family"
    text = win.card.toPlainText()
    assert "Friends → Family" in text and "came to every private sale" in text


def test_bulk_tag_on_selection(qtbot, open_window):
    win = open_window
    flags = QItemSelectionModel.SelectionFlag  # explicit flags: selectRow honours modifiers left by other tests
    win.results.selectionModel().select(win.model.index(0, 0), flags.ClearAndSelect | flags.Rows)
    win.results.selectionModel().select(win.model.index(1, 0), flags.Select | flags.Rows)
    ids = win.selected_ids()
    assert len(ids) == 2

    def answer(dialog):
        dialog.setTextValue("spring gala")
        dialog.accept()
        _answer_next_dialog(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    _answer_next_dialog(qtbot, answer)
    win.bulk_tag(True)
    assert all("spring gala" in contacts.tags_of(win.vault, cid) for cid in ids)


def _visible_text(win) -> str:
    parts = [win.windowTitle()]
    for widget in win.findChildren(QWidget):
        parts.append(widget.toolTip())
        if isinstance(widget, (QLineEdit, QLabel)):
            parts.append(widget.text())
        elif isinstance(widget, (QTextBrowser, QPlainTextEdit)):
            parts.append(widget.toPlainText())
    return "\n".join(parts)


def test_auto_lock_hides_personal_data(qtbot, open_window, book):
    win = open_window
    win.open_contact(book["planted_id"])
    win.note_moment()
    qtbot.keyClicks(win.editor.text, "an unsaved secret draft")
    assert PLANTED in _visible_text(win)
    win.idle_minutes = 1
    win.idle.last = time.time() - 61
    win._check_idle()
    assert win.is_locked and win.vault is None
    text = _visible_text(win)
    for secret in (PLANTED, "Wilhelmina", "ivory silk", "unsaved secret draft", "wilhelmina@example.fr"):
        assert secret not in text
    assert win.model.rowCount() == 0
    assert "locked" in win.windowTitle()


def test_ctrl_l_locks(qtbot, open_window):
    qtbot.keyClick(open_window, Qt.Key_L, Qt.ControlModifier)
    assert open_window.is_locked


def test_link_from_the_card(qtbot, open_window, book):
    from boutique_book.core import links
    from boutique_book.ui.link_dialog import LinkDialog

    win = open_window
    other = win.model.contact_id(0)
    other_name = contacts.get(win.vault, other).display_name
    win.open_contact(book["planted_id"])
    dialog = LinkDialog(win.context, book["planted_id"], PLANTED, win)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("friend"))
    dialog.query.setText(other_name)
    dialog.results.setCurrentRow(next(i for i in range(dialog.results.count())
                                      if dialog.results.item(i).data(Qt.UserRole) == other))
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    assert [l["other_id"] for l in links.for_contact(win.vault, book["planted_id"])] == [other]
    assert book["planted_id"] in [l["other_id"] for l in links.for_contact(win.vault, other)]
    win.refresh_card()
    assert other_name in win.card.toPlainText()


def test_plan_a_follow_up_from_the_card(qtbot, open_window, book):
    from boutique_book.core import followups
    from boutique_book.ui.followup_dialog import FollowupDialog

    win = open_window
    win.open_contact(book["planted_id"])
    dialog = FollowupDialog(win.context, book["planted_id"], PLANTED, win)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.result() != QDialog.Accepted and "reason" in dialog.error.text()
    qtbot.keyClicks(dialog.reason, "Call back after the alteration")
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("months"))
    dialog.every.setValue(3)
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    planned = followups.for_contact(win.vault, book["planted_id"])
    assert planned[0]["reason"] == "Call back after the alteration"
    assert planned[0]["rule"] == {"type": "every", "n": 3, "unit": "months"}
    win.refresh_card()
    assert "Call back after the alteration" in win.card.toPlainText()


def test_complaint_resolved_from_the_card(qtbot, open_window, book):
    import datetime as dt

    from boutique_book.core.model import Moment
    from boutique_book.ui.followup_dialog import ResolveCaseDialog

    win = open_window
    moments.add(win.vault, Moment(book["planted_id"], "Zip broke after a week", dt.date.today(), kind="complaint"))
    win.open_contact(book["planted_id"])
    assert "Open complaint" in win.card.toPlainText()
    case = win.card.card.open_cases[0]
    dialog = ResolveCaseDialog(win.context, case, win)
    qtbot.addWidget(dialog)
    dialog.resolution.setText("New zip fitted the same day")
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    assert moments.open_cases(win.vault, book["planted_id"]) == []
    win.refresh_card()
    assert "Open complaint" not in win.card.toPlainText()


def test_whole_result_selection_is_dropped_by_a_new_selection(qtbot, open_window):
    win = open_window
    win.select_all_results()
    assert len(win.selected_ids()) == win.model.rowCount() > 2
    flags = QItemSelectionModel.SelectionFlag  # a plain click on row 1 (selectRow would honour held modifiers)
    win.results.selectionModel().select(win.model.index(1, 0), flags.ClearAndSelect | flags.Rows)
    assert win.selected_ids() == [win.model.contact_id(1)]


def test_network_tab_draws_the_person_and_lock_drops_it(qtbot, open_window, book):
    from boutique_book.core import links

    win = open_window
    friend = win.model.contact_id(0)
    links.add(win.vault, book["planted_id"], friend, "friend")
    win.open_contact(book["planted_id"])
    win.card_tabs.setCurrentWidget(win.network_host)
    assert win.network_view is not None
    labels = [item.text() for item in win.network_view.scene().items() if isinstance(item, QGraphicsSimpleTextItem)]
    assert any(PLANTED in text for text in labels)
    win.lock()
    assert win.network_view is None and win.card_tabs.currentIndex() == 0


def test_long_timeline_shows_the_newest_and_the_rest_on_request(qtbot, open_window, book):
    import datetime as dt

    from PySide6.QtCore import QUrl

    from boutique_book.core.model import Moment
    from boutique_book.ui.card_view import TIMELINE_SHOWN

    win = open_window
    for n in range(TIMELINE_SHOWN + 5):
        moments.add(win.vault, Moment(book["planted_id"], f"visit number {n}", dt.date(2020, 1, 1) +
                                      dt.timedelta(days=n)))
    win.open_contact(book["planted_id"])
    text = win.card.toPlainText()
    assert f"visit number {TIMELINE_SHOWN + 4}" in text and "visit number 0" not in text
    assert "Show all" in text
    win.card.anchorClicked.emit(QUrl("more:all"))
    assert "visit number 0" in win.card.toPlainText()


def test_what_the_app_copied_is_cleared_on_lock(qtbot, open_window, book):
    clipboard = QApplication.clipboard()
    win = open_window
    win.open_contact(book["planted_id"])
    win.card.setFocus()
    clipboard.setText("wilhelmina@example.fr")  # as Ctrl+C in the card does
    win.lock()
    assert clipboard.text() == ""


def test_the_clipboard_is_cleared_after_a_short_while(qtbot, open_window):
    clipboard = QApplication.clipboard()
    open_window.search.setFocus()
    clipboard.setText("06 99 88 77 66")
    open_window._clipboard_timer.setInterval(50)
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5000)


def test_demo_book_is_made_once_then_reopened(tmp_path, monkeypatch):
    from boutique_book.core import contacts as contacts_lib
    from boutique_book.core import kdf
    from boutique_book.ui import app

    monkeypatch.setattr(kdf.KdfParams, "default", classmethod(lambda cls: cls.fast()))  # keep the test quick
    path = tmp_path / "demo.vault"
    vault = app.open_or_create_demo(path, contacts=50)
    assert contacts_lib.count(vault) == 50
    vault.close()
    again = app.open_or_create_demo(path, contacts=50)  # opened, not filled a second time
    assert contacts_lib.count(again) == 50
    again.close()
