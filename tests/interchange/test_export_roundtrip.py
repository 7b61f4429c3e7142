"""Export -> import into an empty vault gives the same contacts, field by field for what the format carries."""

from __future__ import annotations

import base64

import pytest

from boutique_book.core import contacts
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Address, Contact, Email, KeyDate, PartialDate, Phone
from boutique_book.core.vault import Vault
from boutique_book.interchange import exporter
from boutique_book.interchange.importer import import_files

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _tricky(vault):
    """Contacts that exercise escaping, labels, partial dates, photos and scripts."""
    return [
        contacts.add(vault, Contact(
            given_name="Zoë", family_name="d'Ornano; Ltd", title="Mme", organisation="Maison, Fils & Cie",
            salutation="Chère Zoë", formality="informal", kind="partner", tier="family", language="fr",
            country="FR", transliteration="", preferred_channel="letter",
            phones=[Phone("06 12 34 56 78", "mobile"), Phone("+81 3 1234 5678", "Ginza boutique")],
            emails=[Email("zoe@example.fr", "home"), Email("z@maison.fr", "")],
            addresses=[Address("12 rue X\nBât. B, 3e", "Paris", "75001", "FR", "", "", "home"),
                       Address("1-2-3 Ginza", "Chūō-ku", "104-0061", "JP", "Tōkyō", "", "work")],
            dates=[KeyDate("birthday", PartialDate(2, 29)), KeyDate("anniversary", PartialDate(6, 1, 2001)),
                   KeyDate("name_day", PartialDate(5, 1), "fête", 3)],
            tags=["VIP", "a,b", "Tea; ceremony"], photo=PNG)),
        contacts.add(vault, Contact(given_name="由紀", family_name="田中", transliteration="Tanaka Yuki",
                                    tier="friends", country="JP", phones=[Phone("+81 90-1234-5678")])),
        contacts.add(vault, Contact(organisation="Golf Club de Saint-Cloud", kind="institution")),
    ]


def _fields(c: Contact, fmt: str) -> dict:
    out = {
        "given": c.given_name, "family": c.family_name, "org": c.organisation,
        "phones": [(p.e164, p.label) for p in c.phones], "emails": [(e.address, e.label) for e in c.emails],
        "addresses": [(a.street, a.city, a.postal_code, a.country_code, a.region, a.label) for a in c.addresses],
        "birthday": c.birthday().iso() if c.birthday() else None,
        "tags": c.tags, "tier": c.tier, "kind": c.kind, "language": c.language, "country": c.country,
        "salutation": c.salutation, "title": c.title,
    }
    if fmt == "csv":
        out["phones"] = sorted(p.e164 for p in c.phones)  # labels ride along, ordering by slot
        out["addresses"] = out["addresses"][:2]
    else:
        out.update({"raw_phones": [p.raw for p in c.phones], "dates": [(d.kind, d.date.iso(), d.label, d.lead_days)
                                                                      for d in c.dates],
                    "photo": c.photo, "formality": c.formality, "transliteration": c.transliteration,
                    "channel": c.preferred_channel})
    return out


def _all(vault, fmt):
    people = [contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts")]
    return sorted((_fields(c, fmt) for c in people), key=lambda f: (f["family"], f["given"], f["org"]))


@pytest.mark.parametrize("fmt", ["vcard4", "vcard3", "csv"])
def test_round_trip(demo_vault, manager_session, tmp_path, fmt):
    _tricky(demo_vault)
    out = tmp_path / f"export.{fmt}"
    n = exporter.export_contacts(demo_vault, out, fmt, session=manager_session)
    assert n == contacts.count(demo_vault) == 303
    target = Vault.create(tmp_path / "empty.vault", "pw", KdfParams.fast())
    try:
        plan, report = import_files(target, [out], region="FR")
        assert plan.counts()["not_imported"] == 0
        assert len(report.created) == 303, plan.report_lines()[:5]
        assert _all(target, fmt) == _all(demo_vault, fmt)
    finally:
        target.close()


def test_exported_files_are_what_other_programs_expect(vault, manager_session, tmp_path):
    _tricky(vault)
    exporter.export_contacts(vault, tmp_path / "a.vcf", "vcard4", session=manager_session)
    exporter.export_contacts(vault, tmp_path / "b.vcf", "vcard3", session=manager_session)
    exporter.export_contacts(vault, tmp_path / "c.csv", "csv", session=manager_session)
    v4 = (tmp_path / "a.vcf").read_bytes()
    assert v4.count(b"BEGIN:VCARD\r\n") == 3 and all(len(line) <= 75 for line in v4.split(b"\r\n"))
    assert b"VERSION:4.0" in v4 and b"BDAY:--0229" in v4 and b"item1.X-ABLabel:Ginza boutique" in v4
    v3 = (tmp_path / "b.vcf").read_text("utf-8")
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29" in v3 and "PHOTO;ENCODING=b;TYPE=PNG:" in v3
    # vobject (another parser) reads every card
    import vobject

    assert [c.fn.value for c in vobject.readComponents(v3)][0] in ("Zoë d'Ornano; Ltd", "由紀 田中", "田中由紀",
                                                                    "Golf Club de Saint-Cloud")
    assert len(list(vobject.readComponents(v4.decode()))) == 3
    assert (tmp_path / "c.csv").read_bytes().startswith(b"\xef\xbb\xbfFirst Name,Last Name")


def test_export_selection(demo_vault, manager_session, tmp_path):
    friends = demo_vault.scalar("SELECT count(*) FROM contacts WHERE tier='friends'")
    assert exporter.export_contacts(demo_vault, tmp_path / "f.vcf", "vcard4", tier="friends", session=manager_session) == friends
    assert exporter.export_contacts(demo_vault, tmp_path / "i.vcf", "vcard4", ids=[3, 1, 2], session=manager_session) == 3
    name = contacts.get(demo_vault, 5).family_name
    n = exporter.export_contacts(demo_vault, tmp_path / "q.csv", "csv", query=name, session=manager_session)
    assert n >= 1 and name in (tmp_path / "q.csv").read_text("utf-8-sig")
    assert not list(tmp_path.glob("*.part"))


def test_cancelled_export_leaves_no_file(demo_vault, manager_session, tmp_path):
    from boutique_book.core.jobs import Cancelled

    with pytest.raises(Cancelled):
        exporter.export_contacts(demo_vault, tmp_path / "x.vcf", "vcard4", cancelled=lambda: True, session=manager_session)
    assert list(tmp_path.glob("x.vcf*")) == []
