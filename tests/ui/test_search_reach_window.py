"""Issue #19, problem 8, in the real window: staff type a query into the counter's search field and the person
who is in the book shows in the list, with their name and the phone's last digits on the row.

The people come in through the real importer from an export written the way phones write them (Android 2.1
quoted-printable, iPhone 3.0 with Apple's phonetic fields, Evolution 3.0). The list reads its rows from
`list_rows` (migration m0160, kept by triggers): a person found by another spelling of the name or by the
tail of a phone must still have a row there, or the list would show a blank or a shifted row.
"""

from __future__ import annotations

import pytest

from boutique_book.core import demo, search
from boutique_book.interchange.importer import apply_plan, build_plan
from boutique_book.interchange.vcard_read import read_vcard_bytes

EXPORT = (
    # Android 2.1 (VCardComposer): quoted-printable UTF-8 names, TEL;CELL, a Berlin address in German words.
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\nTEL;CELL:+49 (0)151 23456789\r\n"
    "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;Unter den Linden 5;Berlin;;10117;Deutschland\r\n"
    "END:VCARD\r\n"
    # iPhone 3.0: a Cyrillic name, itemN groups.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\nN:Петров;Дмитрий;;;\r\n"
    "FN:Дмитрий Петров\r\nitem1.TEL;type=CELL;type=VOICE;type=pref:+7 916 123-45-67\r\n"
    "item2.EMAIL;type=INTERNET;type=HOME:dmitri@example.ru\r\nEND:VCARD\r\n"
    # iPhone 3.0: a Greek name.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\nN:Παπαδοπούλου;Ελένη;;;\r\n"
    "FN:Ελένη Παπαδοπούλου\r\nitem1.TEL;type=CELL:+30 691 234 5678\r\nEND:VCARD\r\n"
    # iPhone 3.0 in Japan: kanji name with Apple's phonetic (reading) fields.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\nN:山田;太郎;;;\r\nFN:山田 太郎\r\n"
    "X-PHONETIC-FIRST-NAME:タロウ\r\nX-PHONETIC-LAST-NAME:ヤマダ\r\nitem1.TEL;type=CELL:+81 90-1234-5678\r\n"
    "END:VCARD\r\n"
    # Evolution 3.0: a national number no country reads (kept as written, found by its digits).
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Ximian//NONSGML Evolution//EN\r\nN:Tremblay;Luc;;;\r\n"
    "FN:Luc Tremblay\r\nTEL;TYPE=WORK:555 555 1111\r\nEND:VCARD\r\n"
)

# query typed -> (display name of the person it must find, what the row shows as the phone's last digits)
TYPED = [
    ("mueller", "Jürgen Müller", "6789"), ("juergen", "Jürgen Müller", "6789"),
    ("petrov", "Дмитрий Петров", "4567"), ("dmitri", "Дмитрий Петров", "4567"),
    ("papadopoulou", "Ελένη Παπαδοπούλου", "5678"),
    ("yamada", "山田太郎", "5678"), ("やまだ", "山田太郎", "5678"), ("taro", "山田太郎", "5678"),
    ("56789", "Jürgen Müller", "6789"), ("0049 151 2345", "Jürgen Müller", "6789"),
    ("+49 (0)151 2345", "Jürgen Müller", "6789"), ("1111", "Luc Tremblay", "1111"),
]


@pytest.fixture
def imported_book(vault, vault_path):
    demo.generate(vault, 60, seed=3)  # other people around them, as in a real book
    plan = build_plan(vault, read_vcard_bytes(EXPORT.encode("utf-8"), "phone.vcf"), region="")
    report = apply_plan(vault, plan)
    assert len(report.created) == 5
    imported = {name: cid for cid, name in vault.query(
        "SELECT id, display_name FROM contacts ORDER BY id DESC LIMIT 5")}
    vault.close()
    return vault_path, imported


@pytest.fixture
def window(qtbot, imported_book, passphrase):
    path, imported = imported_book
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow

    make_application()
    win = CounterWindow(path)
    qtbot.addWidget(win)
    win.show()
    win.unlock_with(Vault.open(path, passphrase), "")
    win.imported = imported
    yield win
    win.lock()


def _keystrokes(qtbot, field, text):
    """Type as a keyboard does: QTest's key clicks for ASCII; a key press carrying the letter for a Cyrillic
    or Greek layout (QTest only maps ASCII); an input method's commit for kana (what a Japanese IME sends)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QInputMethodEvent, QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(field, ch)
        elif "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff":
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(field, event)
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def _type(qtbot, win, text):
    win.search.clear()
    win.list.run()
    win.search.setFocus()
    _keystrokes(qtbot, win.search, text)
    assert win.search.text() == text
    # the 40 ms debounce timer runs the query; wait for the model to have it
    qtbot.waitUntil(lambda: not win.list.timer.isActive() and win.model.query == text.strip(), timeout=5000)


@pytest.mark.parametrize("typed, name, tail", TYPED)
def test_typed_query_shows_the_person_in_the_list(qtbot, window, typed, name, tail):
    win = window
    _type(qtbot, win, typed)
    ids = [win.model.contact_id(r) for r in range(win.model.rowCount())]
    expected = [i for i in search.search_ids(win.vault.conn, typed, 200) if i is not None]
    assert ids == expected, typed  # the window shows what the core finds, in the same order
    rows = {win.model.contact_id(r): win.model.row_texts(r) for r in range(win.model.rowCount())}
    who = win.imported[name]
    assert who in rows, f"{typed!r}: {name} is not in the window's list (rows: {[t[0] for t in rows.values()]})"
    texts = rows[who]
    assert texts[0].split("\n")[0] == name, texts
    assert texts[-2].endswith(tail), texts  # the row is this person's own (its phone's last four digits)
    # no row of the page is blank or belongs to someone else (list_rows has a row for every id found)
    for contact_id, texts in rows.items():
        assert texts[0].split("\n")[0] == win.vault.scalar("SELECT display_name FROM contacts WHERE id=?",
                                                             (contact_id,)), (typed, contact_id)


def test_the_name_as_written_comes_first_in_the_window(qtbot, window):
    # "Петров" is the written name of the imported Dmitri (and of anyone else so named): written names before
    # other spellings, so the first rows are people whose name is written "Петров".
    _type(qtbot, window, "Петров")
    first = window.model.row_texts(0)[0].split("\n")[0]
    assert "Петров" in first
    _type(qtbot, window, "Müller")
    assert window.model.contact_id(0) == window.imported["Jürgen Müller"]
