"""Duplicates finder, merge (nothing of either side is lost), a person's own data export."""

from __future__ import annotations

import datetime as dt
import json

from boutique_book.core import contacts, followups, links, moments, search
from boutique_book.core.model import Contact, Email, Moment, Phone
from boutique_book.interchange import duplicates, merge, person_export


def _pair(vault, staff_id):
    a = contacts.add(vault, Contact(given_name="Zoë", family_name="Martin", tier="friends", country="FR",
                                    phones=[Phone("06 12 34 56 78", "mobile")], tags=["VIP"]), by=staff_id)
    b = contacts.add(vault, Contact(given_name="MARTIN", family_name="Zoe", organisation="Maison Martin",
                                    country="JP", phones=[Phone("090-1234-5678", "Tokyo")],
                                    emails=[Email("zoe@example.fr")], tags=["tea"], photo=b"\x89PNGphoto"),
                    by=staff_id)
    return a, b


def test_duplicates_by_phone_email_and_swapped_accent_free_names(vault):
    a = contacts.add(vault, Contact(given_name="Zoë", family_name="Martin"))
    b = contacts.add(vault, Contact(given_name="MARTIN", family_name="Zoe"))
    c = contacts.add(vault, Contact(given_name="Paul", family_name="Roux", phones=[Phone("+33 6 11 11 11 11")]))
    d = contacts.add(vault, Contact(given_name="Jacqueline", family_name="Bisset",
                                    phones=[Phone("+33611111111")]))
    e = contacts.add(vault, Contact(given_name="Ana", family_name="Silva", emails=[Email("ana@ex.pt")]))
    f = contacts.add(vault, Contact(given_name="Anna", family_name="Sylva", emails=[Email("ANA@ex.pt")]))
    g = contacts.add(vault, Contact(given_name="Jonathan", family_name="Delacroix-Martin"))
    h = contacts.add(vault, Contact(given_name="Jonathon", family_name="Delacroix Martin"))  # typo + hyphen
    contacts.add(vault, Contact(given_name="Marie", family_name="Curie"))
    pairs = {(p.a, p.b): p for p in duplicates.find_duplicates(vault)}
    assert set(pairs) == {(a, b), (c, d), (e, f), (g, h)}
    assert pairs[(c, d)].reasons == ["same phone +33611111111"] and pairs[(c, d)].score == 100
    assert pairs[(e, f)].reasons[0] == "same email ana@ex.pt"
    assert pairs[(a, b)].names == ("Zoë Martin", "MARTIN Zoe")
    duplicates.dismiss(vault, b, a)
    assert (a, b) not in {(p.a, p.b) for p in duplicates.find_duplicates(vault)}


def test_duplicates_blocking_does_not_compare_everyone(demo_vault, monkeypatch):
    calls = []
    real = duplicates.process.extract

    def spy(query, choices, **kw):
        calls.append(len(choices))
        return real(query, choices, **kw)

    monkeypatch.setattr(duplicates.process, "extract", spy)
    duplicates.find_duplicates(demo_vault)
    assert calls and max(calls) < 100  # blocks, not 300 x 300
    assert sum(calls) < 300 * 299 / 2 / 2  # names compared: well under half of all pairs


def test_merge_keeps_everything_of_both(vault, staff_id):
    a, b = _pair(vault, staff_id)
    other = contacts.add(vault, Contact(given_name="Hana", family_name="Sato"))
    third = contacts.add(vault, Contact(given_name="Luc", family_name="Blanc"))
    moments.add(vault, Moment(a, "Bought the green scarf", dt.date(2024, 3, 1)), by=staff_id)
    mb = moments.add(vault, Moment(b, "Loves jasmine tea", dt.date(2024, 5, 1), people=[a, other]), by=staff_id)
    links.add(vault, a, other, "friend")
    links.add(vault, other, b, "friend")      # the same link from the other side: collapses to one
    links.add(vault, b, third, "referred_by")
    links.add(vault, a, b, "spouse")          # would become a self-link: dropped
    followups.add(vault, b, dt.date(2025, 1, 10), reason="call about the fitting", by=staff_id)
    contacts.record_consent(vault, b, "email", True, by=staff_id)
    contacts.set_tier(vault, b, "family", by=staff_id, reason="close friend of the owner")

    merge.merge(vault, a, b, merge.MergeChoice({"photo": "b", "country": "a"}), by=staff_id)

    assert not contacts.exists(vault, b)
    kept = contacts.get(vault, a)
    assert (kept.given_name, kept.family_name, kept.organisation, kept.country) == (
        "Zoë", "Martin", "Maison Martin", "FR")
    assert [p.e164 for p in kept.phones] == ["+33612345678", "+819012345678"]
    assert kept.phones[1].raw.startswith("+81")  # a Japanese national number is written internationally
    assert [e.address for e in kept.emails] == ["zoe@example.fr"] and kept.tags == ["tea", "VIP"]
    assert kept.photo == b"\x89PNGphoto"
    assert {m.text for m in moments.for_contact(vault, a)} == {"Bought the green scarf", "Loves jasmine tea"}
    assert vault.query("SELECT contact_id FROM moment_people WHERE moment_id=?", (mb,)) == [(other,)]
    relations = sorted((ln["relation"], ln["other_id"]) for ln in links.for_contact(vault, a))
    assert relations == [("friend", other), ("referred_by", third)]
    assert vault.query("SELECT reason FROM followups WHERE contact_id=?", (a,)) == [("call about the fitting",)]
    assert contacts.consents(vault, a)["email"].granted
    history = [(t.from_tier, t.to_tier) for t in contacts.tier_history(vault, a)]
    assert (None, "friends") in history and ("acquaintances", "family") in history
    actions = [(e["contact_id"], e["action"]) for e in merge.change_history(vault.conn, a)]
    assert (b, "consent") in actions and (a, "merge") in actions and (b, "merged_into") in actions
    # search finds the kept contact by the other's email and moment words
    assert search.search_ids(vault.conn, "zoe@example.fr") == [a]
    assert search.search_ids(vault.conn, "jasmine") == [a]
    assert vault.scalar("SELECT count(*) FROM contact_fts WHERE rowid=?", (b,)) == 0


def test_merge_tier_choice_goes_through_history(vault, staff_id):
    a, b = _pair(vault, staff_id)
    contacts.set_tier(vault, b, "family", by=staff_id)
    merge.merge(vault, a, b, merge.MergeChoice({"tier": "b"}), by=staff_id)
    assert contacts.get(vault, a).tier == "family"
    assert contacts.tier_history(vault, a)[-1].reason == "merge"


def test_merge_is_all_or_nothing(vault, staff_id, monkeypatch):
    a, b = _pair(vault, staff_id)
    moments.add(vault, Moment(b, "Loves jasmine tea", dt.date(2024, 5, 1)))

    def boom(*args, **kwargs):
        raise RuntimeError("crash")

    monkeypatch.setattr(merge.search, "reindex_contact", boom)
    try:
        merge.merge(vault, a, b)
    except RuntimeError:
        pass
    assert contacts.exists(vault, b) and len(moments.for_contact(vault, b)) == 1


def test_person_export_json_and_pdf(vault, staff_id, manager_session, tmp_path):
    a, b = _pair(vault, staff_id)
    moments.add(vault, Moment(b, "Loves jasmine tea", dt.date(2024, 5, 1)), by=staff_id)
    followups.add(vault, b, dt.date(2025, 1, 10), reason="call about the fitting", by=staff_id)
    links.add(vault, a, contacts.add(vault, Contact(given_name="Hana", family_name="Sato")), "friend")
    contacts.record_consent(vault, a, "mail", False, by=staff_id)
    merge.merge(vault, a, b, by=staff_id)
    json_path, pdf_path = person_export.export_person(vault, a, tmp_path / "out", session=manager_session)
    data = json.loads(json_path.read_text("utf-8"))
    assert data["contact"]["given_name"] == "Zoë" and data["contact"]["photo_base64"]
    assert [m["text"] for m in data["moments"]] == ["Loves jasmine tea"]
    assert data["followups"][0]["reason"] == "call about the fitting"
    assert data["links"][0]["other_name"] == "Hana Sato"
    assert data["consents"][0]["purpose"] == "mail" and data["consents"][0]["recorded_by"] == "Camille Laurent"
    assert data["merged_from"] == [b]
    assert {e["action"] for e in data["change_history"]} >= {"create", "merge", "merged_into", "consent"}
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    for needle in ("Zoë Martin", "Loves jasmine tea", "call about the fitting", "Hana Sato", "Consent history"):
        assert needle in text
    fonts = {str(f) for page in PdfReader(pdf_path).pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # embedded fonts present
    assert vault.query("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("person_export",)]


def test_a_very_common_name_alone_is_no_evidence(vault):
    ids = [contacts.add(vault, Contact(given_name="Jean", family_name="Martin"))
           for _ in range(duplicates.COMMON_NAME + 1)]
    same_phone = [contacts.add(vault, Contact(given_name="Jean", family_name="Martin",
                                              phones=[Phone("+33611111111")])) for _ in range(2)]
    pairs = duplicates.find_duplicates(vault)
    assert [(p.a, p.b) for p in pairs] == [tuple(same_phone)]
    assert ids  # the many namesakes are not paired with each other
