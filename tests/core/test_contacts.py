import datetime as dt

import pytest

from boutique_book.core import changelog, contacts, links, moments, staff
from boutique_book.core.errors import ValidationError
from boutique_book.core.model import (Address, Contact, Email, KeyDate, Moment, PartialDate, Phone)
from boutique_book.core.text import display_name, sort_key


def test_roundtrip_every_field(vault, staff_id):
    contact = Contact(given_name="Hélène", family_name="de la Tour", title="Dr", salutation="Madame",
                      formality="formal", kind="customer", tier="friends", language="fr", country="FR",
                      preferred_channel="card", first_met_source="referral",
                      phones=[Phone("06 12 34 56 78", "mobile")], emails=[Email("helene@example.fr", "home")],
                      addresses=[Address("12 rue du Bac", "Paris", "75007", "FR")],
                      dates=[KeyDate("birthday", PartialDate(2, 29))], tags=["opera", "Bridal"])
    cid = contacts.add(vault, contact, by=staff_id)
    got = contacts.get(vault, cid)
    assert got.display_name == "Hélène de la Tour"
    assert got.phones[0].e164 == "+33612345678"
    assert got.addresses[0].city == "Paris"
    assert got.birthday() == PartialDate(2, 29)
    assert got.birthday().iso() == "--02-29"
    assert got.tags == ["Bridal", "opera"]
    assert changelog.history(vault.conn, "contact", cid)[0]["staff"] == "Camille Laurent"


def test_validation_names_the_fields(vault):
    contact = Contact(given_name="A", emails=[Email("not-an-email")], phones=[Phone("12")])
    problems = __import__("boutique_book.core.validation", fromlist=["x"]).contact_problems(contact, "FR")
    assert {p.field for p in problems} == {"email", "phone"}
    with pytest.raises(ValidationError):
        contacts.add(vault, Contact())
    assert contacts.count(vault) == 0


def test_tier_history(vault, staff_id):
    cid = contacts.add(vault, Contact(given_name="Ana"), by=staff_id)
    assert contacts.set_tier(vault, cid, "friends", by=staff_id, reason="third coffee together")
    assert not contacts.set_tier(vault, cid, "friends", by=staff_id)
    history = contacts.tier_history(vault, cid)
    assert [(h.from_tier, h.to_tier) for h in history] == [(None, "acquaintances"), ("acquaintances", "friends")]
    assert history[-1].reason == "third coffee together" and history[-1].changed_by_name == "Camille Laurent"


def test_bulk_tier_and_tags(vault):
    ids = [contacts.add(vault, Contact(given_name=f"P{n}")) for n in range(5)]
    assert contacts.bulk_set_tier(vault, ids[:3], "family") == 3
    assert contacts.bulk_tag(vault, ids, "gala 2026") == 5
    assert contacts.bulk_tag(vault, ids[:2], "gala 2026", add_it=False) == 2
    assert contacts.tags_of(vault, ids[4]) == ["gala 2026"]


def test_moments_timeline_newest_first(vault, staff_id):
    cid = contacts.add(vault, Contact(given_name="Ana"))
    moments.add(vault, Moment(cid, "First visit", dt.date(2024, 1, 1)), by=staff_id)
    mid = moments.add(vault, Moment(cid, "Bought a coat", dt.date(2025, 6, 1), kind="purchase", item="coat"),
                      by=staff_id)
    timeline = moments.for_contact(vault, cid)
    assert [m.text for m in timeline] == ["Bought a coat", "First visit"]
    assert timeline[0].staff_name == "Camille Laurent"
    moments.delete(vault, mid, by=staff_id)
    assert [e["action"] for e in changelog.history(vault.conn, "moment", mid)] == ["create", "delete"]


def test_complaint_opens_a_case(vault):
    cid = contacts.add(vault, Contact(given_name="Ana"))
    moments.add(vault, Moment(cid, "Hem came undone", dt.date.today(), kind="complaint"))
    assert len(moments.open_cases(vault, cid)) == 1


def test_links_show_on_both_cards_and_go_with_the_contact(vault):
    a = contacts.add(vault, Contact(given_name="Ana"))
    b = contacts.add(vault, Contact(given_name="Ben"))
    club = contacts.add(vault, Contact(organisation="Golf Club", kind="institution"))
    links.add(vault, b, a, "referred_by")
    links.add(vault, a, club, "member_of")
    assert {l["relation"] for l in links.for_contact(vault, a)} == {"referred", "member_of"}
    assert links.for_contact(vault, b)[0]["relation"] == "referred_by"
    contacts.delete(vault, a)
    assert links.for_contact(vault, b) == [] and links.for_contact(vault, club) == []


def test_change_log_is_append_only(vault):
    contacts.add(vault, Contact(given_name="Ana"))
    with pytest.raises(Exception, match="append-only"):
        vault.execute("UPDATE change_log SET action='x'")


def test_consent_history(vault, staff_id):
    cid = contacts.add(vault, Contact(given_name="Ana"))
    contacts.record_consent(vault, cid, "share_hq", True, by=staff_id)
    contacts.record_consent(vault, cid, "share_hq", False, by=staff_id)
    assert not contacts.has_consent(vault, cid, "share_hq")
    assert contacts.consents(vault, cid)["share_hq"].recorded_by_name == "Camille Laurent"


@pytest.mark.parametrize("given,family,expected_name,expected_first", [
    ("Ludwig", "van Beethoven", "Ludwig van Beethoven", "beethoven"),
    ("Charles", "de Gaulle", "Charles de Gaulle", "gaulle"),
    ("Valéry", "d'Estaing", "Valéry d'Estaing", "estaing"),
    ("太郎", "山田", "山田太郎", "山田"),
    ("Ólafur", "Ørsted", "Ólafur Ørsted", "orsted"),
])
def test_names(given, family, expected_name, expected_first):
    assert display_name(given, family) == expected_name
    assert sort_key(given, family).split("\x1f")[0] == expected_first


def test_partial_dates():
    assert PartialDate.parse("--02-29").in_year(2027) == dt.date(2027, 2, 28)
    assert PartialDate.parse("--02-29").in_year(2028) == dt.date(2028, 2, 29)
    assert PartialDate.parse("1980-05-17").year == 1980
    with pytest.raises(ValueError):
        PartialDate(2, 30)


def test_staff_names_are_unique(vault):
    assert staff.add(vault, "Ana") == staff.add(vault, "Ana")
