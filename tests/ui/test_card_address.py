"""The card shows an address in its country's order, as the envelope prints it (the card read
"51 Michigan Avenue / 10022 New York / United States": a French order for a New York address)."""

from __future__ import annotations

from boutique_book import i18n
from boutique_book.core import card as core_card
from boutique_book.core import contacts, demo
from boutique_book.core.model import Address, Contact
from boutique_book.ui.card_view import render


def _lines(html: str) -> str:
    return html.replace("<br>", "\n")


def test_a_us_address_reads_city_state_zip(vault):
    i18n.set_language("en")
    cid = contacts.add(vault, Contact(given_name="Emily", family_name="Brown", country="US", addresses=[
        Address("51 Madison Avenue", "New York", "10022", "US", region="NY")]))
    html = _lines(render(core_card.load(vault, cid, language="en")))
    assert "51 Madison Avenue\nNew York, NY 10022\nUnited States" in html
    assert "10022 New York" not in html and "NEW YORK" not in html      # the screen is not an envelope


def test_french_and_japanese_addresses_keep_their_own_order(vault):
    i18n.set_language("en")
    anne = contacts.add(vault, Contact(given_name="Anne", family_name="Dupont", country="FR", addresses=[
        Address("12 avenue Montaigne", "Paris", "75008", "FR")]))
    taro = contacts.add(vault, Contact(given_name="太郎", family_name="山田", country="JP", addresses=[
        Address("銀座4-6-16", "中央区", "104-0061", "JP", region="東京都")]))
    assert "12 avenue Montaigne\n75008 Paris\nFrance" in _lines(render(core_card.load(vault, anne, language="en")))
    japanese = _lines(render(core_card.load(vault, taro, language="en")))
    assert "〒104-0061\n東京都" in japanese and "Japan" in japanese


def test_the_demo_books_streets_are_in_their_own_towns(vault):
    demo.generate(vault, 300, seed=7)
    rows = vault.conn.execute("SELECT street, city, region FROM contact_addresses WHERE country_code = 'US'").fetchall()
    assert rows
    for street, city, region in rows:
        assert ("Michigan Avenue" in street) == (city == "Chicago"), (street, city)
        assert region == {"Chicago": "IL", "New York": "NY"}[city]
