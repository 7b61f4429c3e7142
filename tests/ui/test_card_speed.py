"""Issue #21: a card shows at once even for an institution linked to thousands of people.

The demo book links each club to ~7% of the book (7,000 links at 100,000 people); the card laid out every link
(413 KB of HTML, 1.5 s in setHtml) whenever the club became the list's first row while typing.
"""

from __future__ import annotations

from boutique_book.core import card as card_lib
from boutique_book.core import contacts, links
from boutique_book.core.model import Contact
from boutique_book.ui.card_view import LINKS_SHOWN

HUB_LINKS = LINKS_SHOWN + 25


def _hub(vault) -> tuple[int, list[int]]:
    hub = contacts.add(vault, Contact(organisation="Yacht Club Zéphyr", kind="institution"))
    members = [contacts.add(vault, Contact(given_name=f"Member{n:03d}", family_name="Voile"))
               for n in range(HUB_LINKS)]
    for n, member in enumerate(members):
        if n % 2:
            links.add(vault, hub, member, "colleague")
        else:
            links.add(vault, member, hub, "referred_by")
    return hub, members


def test_links_for_contact_with_a_limit_gives_the_newest_and_the_count(vault):
    hub, members = _hub(vault)
    everyone = links.for_contact(vault, hub)
    assert len(everyone) == HUB_LINKS == links.count_for_contact(vault, hub)
    newest = links.for_contact(vault, hub, limit=LINKS_SHOWN)
    assert len(newest) == LINKS_SHOWN
    assert {l["other_id"] for l in newest} == set(members[-LINKS_SHOWN:])
    assert newest == sorted(newest, key=lambda l: (l["type"], contacts.get(vault, l["other_id"]).sort_key))
    small = links.for_contact(vault, members[0], limit=LINKS_SHOWN)   # under the limit: the same as before
    assert small == links.for_contact(vault, members[0]) and len(small) == 1
    card = card_lib.load(vault, hub, links_limit=LINKS_SHOWN)
    assert len(card.links) == LINKS_SHOWN and card.link_count == HUB_LINKS


def test_the_card_of_a_hub_shows_the_newest_links_and_the_rest_on_request(qtbot, vault, passphrase):
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow

    from boutique_book.core import staff

    hub, members = _hub(vault)
    staff.add(vault, "Camille Laurent")
    path = vault.path
    vault.close()
    from boutique_book.core.vault import Vault

    make_application()
    win = CounterWindow(path)
    qtbot.addWidget(win)
    win.show()
    try:
        win.unlock_with(Vault.open(path, passphrase), "Camille Laurent")
        win.open_contact(hub)
        text = win.card.toPlainText()
        shown = [n for n in range(HUB_LINKS) if f"Member{n:03d} Voile" in text]
        assert shown == list(range(HUB_LINKS - LINKS_SHOWN, HUB_LINKS))       # the newest ones
        assert f"… and {HUB_LINKS - LINKS_SHOWN} more" in text
        from PySide6.QtCore import QUrl

        win.card.anchorClicked.emit(QUrl("more:links"))                       # the person asks for the rest
        text = win.card.toPlainText()
        assert all(f"Member{n:03d} Voile" in text for n in range(HUB_LINKS))
        assert f"… and {HUB_LINKS - LINKS_SHOWN} more" not in text
    finally:
        win.lock()
