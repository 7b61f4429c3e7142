"""Import the real-world vCards in ../shared/testdata/contacts (written by other programs; read in place,
never copied here). Expected values were read off the files by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from boutique_book.core import contacts, moments
from boutique_book.interchange.importer import apply_plan, build_plan, read_files
from boutique_book.interchange.vcard_read import read_vcard_file

TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "contacts"
KHARD = TESTDATA / "khard" / "fixture"

pytestmark = pytest.mark.skipif(
    not KHARD.is_dir(), reason=f"real-world vCards not found at {KHARD} (they live beside the checkout, "
                               "in ../shared/testdata/contacts; see its SOURCES.md)")

# file -> (display name, phones e164, emails, tags, birthday iso or None, has photo)
EXPECTED = {
    "altid.vcf": ("one representation", [], [], [], None, False),
    "category.vcf": ("contact with category", [], ["foo@example.org"], ["bar"], None, False),
    "contact1.vcf": ("second contact", ["+33123456789"], ["user@example.com"], [], "2018-01-20", False),
    "contact2.vcf": ("third contact", [], [], [], None, False),
    "individual.vcf": ("Wile E. Coyote", [], [], [], None, False),
    "issue249.vcf": ("Foo Bar", [], [], [], None, False),
    "joe.vcf": ("Joe Citizen", [], ["jcitizen@foo.com"], [], None, False),
    "korean-c.vcf": ("최유림", [], [], [], None, False),
    "korean-j.vcf": ("전도훈", [], [], [], None, False),
    # FN with ORG and no N is a person (issue #19; it was the organisation "Test Inc" before)
    "labels.vcf": ("labeled guy", [], [], [], None, False),
    "minimal.vcf": ("minimal contact", [], [], [], None, False),
    "nickname.vcf": ("Michael Smith", [], ["ms@example.org"], [], None, False),
    "no-nickname.vcf": ("Mike Jones", [], ["mj@example.org"], [], None, False),
    "org.vcf": ("ACME Inc.", [], [], [], None, False),
    "photov3.vcf": ("with photo v3", [], [], [], None, True),
    "photov4.vcf": ("with photo v4", [], [], [], None, True),
    "post.vcf": ("With post address", [], [], [], None, False),
    "tel-value-uri.vcf": ("bug 195", [""], [], [], None, False),  # kept as written, no E.164
    "text-bday.vcf": ("text birthday", [], [], [], None, False),
}


def _import_all(vault, region="FR"):
    files = sorted((KHARD / "vcards").glob("*.vcf"))
    plan = build_plan(vault, read_files(files), region=region)
    report = apply_plan(vault, plan)
    return plan, report


def _by_name(vault):
    out = {}
    for cid in [r[0] for r in vault.query("SELECT id FROM contacts")]:
        contact = contacts.get(vault, cid)
        out[contact.display_name] = contact
    return out


def test_counts_and_report_lines(vault):
    plan, report = _import_all(vault)
    counts = plan.counts()
    assert counts["create"] == len(EXPECTED) == len(report.created) == contacts.count(vault)
    assert counts["not_imported"] == 1
    lines = plan.report_lines()
    broken = [line for line in lines if line.startswith("unparsable.vcf")]
    assert broken == ["unparsable.vcf: card 1 (line 1): the card ends without END:VCARD (file cut short?); "
                      "not imported"]


def test_each_file_reads_right(vault):
    _import_all(vault)
    people = _by_name(vault)
    assert set(people) == {e[0] for e in EXPECTED.values()}
    for file, (name, phones, emails, tags, birthday, photo) in EXPECTED.items():
        c = people[name]
        assert [p.e164 for p in c.phones] == phones, file
        assert [e.address for e in c.emails] == emails, file
        assert c.tags == tags, file
        assert (c.birthday().iso() if c.birthday() else None) == birthday, file
        assert (c.photo is not None) == photo, file


def test_names_split_and_organisations(vault):
    _import_all(vault)
    people = _by_name(vault)
    assert (people["Wile E. Coyote"].given_name, people["Wile E. Coyote"].family_name) == ("Wile E.", "Coyote")
    assert people["Wile E. Coyote"].organisation == "ACME Inc."
    assert people["ACME Inc."].organisation == "ACME Inc." and not people["ACME Inc."].given_name
    assert people["labeled guy"].organisation == "Test Inc"  # item1.ORG with an X-ABLabel group
    assert (people["labeled guy"].given_name, people["labeled guy"].family_name) == ("labeled", "guy")
    assert people["one representation"].family_name == "representation"  # first of the ALTID alternatives
    assert people["Joe Citizen"].emails[0].label == ""  # TYPE=pref is not a label
    assert people["second contact"].emails[0].label == "home"


def test_photos_are_real_png_in_the_vault(vault):
    _import_all(vault)
    people = _by_name(vault)
    v3, v4 = people["with photo v3"].photo, people["with photo v4"].photo
    assert v3.startswith(b"\x89PNG\r\n\x1a\n") and v3 == v4  # the same image, base64 and data: URI


def test_address_and_unknown_country(vault):
    _import_all(vault)
    post = _by_name(vault)["With post address"]
    (address,) = post.addresses
    assert (address.street, address.city, address.region, address.postal_code, address.label) == (
        "Main Street 1\nExt\nPostBox", "The City", "SomeState", "00000", "home")
    notes = [m.text for m in moments.for_contact(vault, post.id)]
    assert any("Address country: HomeCountry" in n for n in notes)


def test_what_has_no_field_is_kept_as_a_note_and_reported(vault):
    plan, _report = _import_all(vault)
    people = _by_name(vault)
    lines = "\n".join(plan.report_lines())
    assert "text-bday.vcf: card 1 (line 1): warning: birthday “circa 1800” is not a date" in lines
    assert "tel-value-uri.vcf: card 1 (line 1): warning: phone “67545678” not recognised" in lines
    assert "kept as written" in lines
    assert any("Birthday: circa 1800" in m.text for m in moments.for_contact(vault, people["text birthday"].id))
    assert any("Nickname: Mike" in m.text for m in moments.for_contact(vault, people["Michael Smith"].id))
    # An unreadable number stays a phone (issue #19), not a line in a note: kept as written, no E.164.
    assert [(p.raw, p.label, p.e164) for p in people["bug 195"].phones] == [("67545678", "mobile", "")]


def test_without_region_a_national_number_is_reported_not_guessed(vault):
    plan, _ = _import_all(vault, region="")
    assert "contact1.vcf: card 1 (line 1): warning: phone “0123456789” not recognised" in "\n".join(plan.report_lines())
    assert [(p.raw, p.e164) for p in _by_name(vault)["second contact"].phones] == [("0123456789", "")]


def test_reimport_changes_nothing(vault):
    _import_all(vault)
    before = vault.scalar("SELECT count(*) FROM moments"), contacts.count(vault)
    plan, report = _import_all(vault)
    assert plan.counts()["create"] == 0 and plan.counts()["merge"] == 0
    assert plan.counts()["skip"] == len(EXPECTED)
    assert (vault.scalar("SELECT count(*) FROM moments"), contacts.count(vault)) == before


def test_address_book_folders(vault):
    """The *.abook folders hold git symlinks to ../vcards; where the checkout kept them as symlinks they
    import as their targets, where they are plain files holding the link text, each is reported."""
    for path in sorted(KHARD.glob("*.abook/*.vcf")):
        result = read_vcard_file(path)
        if path.is_symlink() or b"BEGIN:VCARD" in path.read_bytes():
            target = read_vcard_file(path.resolve())
            assert len(result.records) == len(target.records)
        else:
            assert [p.line() for p in result.problems] == [
                f"{path.name}: file: no vCard found in this file (no BEGIN:VCARD line)"]
            assert result.records == []
