"""A hand-made book whose connectors and circles are known.

    Golf Club (institution) <- member_of - a1..a5 (all friends with each other)
    b1..b5 (all colleagues with each other, all tagged "opera")
    Xavier: friend of a1, colleague of b1 - the only bridge between the two groups
    c1..c3: customers, each referred_by Xavier
    Xavier first met us through Rosa (first_met_contact_id)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from boutique_book.core import contacts, links
from boutique_book.core.model import Contact


@pytest.fixture
def book(vault, staff_id):
    def person(given, family="", **kw):
        return contacts.add(vault, Contact(given_name=given, family_name=family, **kw), by=staff_id)

    club = contacts.add(vault, Contact(organisation="Golf Club", kind="institution"), by=staff_id)
    a = [person(f"Anna{n}", "Golfer", first_met_source="walk_in") for n in range(1, 6)]
    b = [person(f"Bruno{n}", "Tenor", tags=["opera"], first_met_source="event") for n in range(1, 6)]
    rosa = person("Rosa", "Root", first_met_source="walk_in")
    xavier = person("Xavier", "Bridge", first_met_source="referral", first_met_contact_id=rosa)
    c = [person(f"Carla{n}", "Client", kind="customer", first_met_source="referral") for n in range(1, 4)]
    for i, x in enumerate(a):
        links.add(vault, x, club, "member_of", by=staff_id)
        for y in a[i + 1:]:
            links.add(vault, x, y, "friend", by=staff_id)
    for i, x in enumerate(b):
        for y in b[i + 1:]:
            links.add(vault, x, y, "colleague", by=staff_id)
    links.add(vault, xavier, a[0], "friend", by=staff_id)
    links.add(vault, b[0], xavier, "colleague", by=staff_id)
    for x in c:
        links.add(vault, x, xavier, "referred_by", by=staff_id)
    return SimpleNamespace(vault=vault, club=club, a=a, b=b, rosa=rosa, xavier=xavier, c=c)
