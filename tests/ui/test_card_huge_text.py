"""Issue #17 problem 12 in the real window: a 50 MB note from an old import used to block show_card for
minutes (setHtml of the whole text). The CardView itself must lay out a few kB, also after "show more"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QUrl

from boutique_book.core import card as core_card
from boutique_book.core import contacts, moments
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Moment
from boutique_book.core.vault import Vault
from boutique_book.ui.card_view import CARD_TEXT_CHARS, CardView

HUGE = "Lorem ipsum dolor sit amet. " * 1_800_000  # ~50 MB, the imported NOTE of the issue


def test_a_50_mb_note_shows_clipped_in_the_real_card_view(qtbot, vault_path, passphrase):
    vault = Vault.create(vault_path, passphrase, KdfParams.fast())
    cid = contacts.add(vault, Contact(given_name="Big", family_name="Note"))
    for n in range(12):  # more moments than the card shows at first, so "show more" renders them all
        moments.add(vault, Moment(cid, f"visit {n}", dt.date(2024, 1, 1) + dt.timedelta(days=n)))
    mid = moments.add(vault, Moment(cid, "short", dt.date(2025, 1, 1)))
    # What an import before the limits left behind (a vault of that time: before migration 0140).
    vault.execute("UPDATE moments SET text=? WHERE id=?", (HUGE, mid))
    vault.execute("DROP TABLE IF EXISTS moment_overflow")
    vault.execute("PRAGMA user_version = 80")
    vault.execute("DELETE FROM schema_migrations WHERE version >= 140")
    vault.close()
    view = CardView()
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    with Vault.open(vault_path, passphrase) as vault:
        view.show_card(core_card.load(vault, cid))
    shown = view.toPlainText()
    assert "Lorem ipsum" in shown and "more characters" in shown
    assert len(shown) < 10 * CARD_TEXT_CHARS, len(shown)  # not 50 MB handed to the layout
    view._on_anchor(QUrl("more:all"))  # the card's "show more" link
    everything = view.toPlainText()
    assert "visit 0" in everything and len(everything) < 20 * CARD_TEXT_CHARS, len(everything)
