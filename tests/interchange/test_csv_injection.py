"""CSV exports are inert in a spreadsheet (issue #18, problem 3; OWASP "CSV injection"). On c6c2aae a name
such as =HYPERLINK("http://x","y") was written verbatim, so opening the export in Excel or LibreOffice ran it.
Now no cell starts with =, +, -, @, tab or CR, and the importer undoes its own escaping, so a round trip
gives back every value exactly (phone numbers starting with + included)."""

from __future__ import annotations

import csv

import pytest

from boutique_book.core import contacts
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Address, Contact, Email, Phone
from boutique_book.core.vault import Vault
from boutique_book.interchange import exporter
from boutique_book.interchange.csv_io import FORMULA_STARTS, escape_cell, unescape_cell
from boutique_book.interchange.importer import import_files

HOSTILE = [
    ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"),
    ("'=already quoted", "''double", "'Tis", "Plain"),
]


def _book(vault):
    ids = []
    for n, (given, family, organisation, title) in enumerate(HOSTILE):
        ids.append(contacts.add(vault, Contact(
            given_name=given, family_name=family, organisation=organisation, title=title,
            phones=[Phone(f"+33 6 12 34 56 7{n}", "mobile"), Phone(f"+44 20 7946 095{n}", "=label")],
            emails=[Email(f"a{n}@example.org", "@home")],
            addresses=[Address("=1+1 rue du Bac", "+Paris", "75007", "FR", "-region", "", "work")],
            tags=["=tag", "normal"])))
    return ids


def test_no_cell_of_a_csv_export_can_start_a_formula(vault, manager_session, tmp_path):
    _book(vault)
    out = tmp_path / "all.csv"
    exporter.export_contacts(vault, out, "csv", session=manager_session)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert cells and not [c for c in cells if c[:1] in FORMULA_STARTS]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'+33 6 12 34 56 70" in cells


def test_a_round_trip_gives_back_every_value_exactly(vault, manager_session, tmp_path):
    _book(vault)
    out = tmp_path / "all.csv"
    exporter.export_contacts(vault, out, "csv", session=manager_session)
    with Vault.create(tmp_path / "other.vault", "pw", KdfParams.fast()) as target:
        plan, report = import_files(target, [out], region="FR")
        assert len(report.created) == len(HOSTILE)
        back = sorted((contacts.get(target, cid) for cid in report.created), key=lambda c: c.title)
    mine = sorted((contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts")), key=lambda c: c.title)
    for original, imported in zip(mine, back):
        assert (imported.given_name, imported.family_name, imported.organisation, imported.title) == (
            original.given_name, original.family_name, original.organisation, original.title)
        assert [(p.raw, p.label) for p in imported.phones] == [(p.raw, p.label) for p in original.phones]
        assert imported.phones[0].raw.startswith("+33 6") and imported.phones[0].e164.startswith("+336")
        assert [(e.address, e.label) for e in imported.emails] == [(e.address, "@home") for e in original.emails]
        assert imported.addresses[0].street == "=1+1 rue du Bac" and imported.addresses[0].city == "+Paris"
        assert imported.addresses[0].region == "-region"
        assert sorted(imported.tags) == ["=tag", "normal"]


@pytest.mark.parametrize("value", ["", "'", "''", "'''", "'x", "''x", "'=", "=", "+", "-", "@", "\t1", "\r1",
                                   "a=b", "'Tis", "'+33", "==", "'@'"])
def test_escape_and_unescape_are_inverse(value):
    escaped = escape_cell(value)
    assert escaped[:1] not in FORMULA_STARTS
    assert unescape_cell(escaped) == value


def test_the_audit_csv_and_hq_csvs_are_inert_too(vault, manager_session, tmp_path):
    """A staff name is typed by people (it goes into the audit log's actor); HQ opens bundles' CSVs in a
    spreadsheet. hq-open's JSON still gives the exact values."""
    import json

    from boutique_book.core import changelog, manager
    from boutique_book.hq import bundle, profiles

    ids = _book(vault)
    for cid in ids:
        contacts.record_consent(vault, cid, "share_hq", True)
    with vault.transaction() as conn:  # e.g. `import --staff '=HYPERLINK(...)'` records that actor
        changelog.audit(conn, '=HYPERLINK("http://x","y")', "import", files=1, created=0)
    out = tmp_path / "audit.csv"
    manager.export_audit(vault, manager_session, out)
    cells = [cell for row in csv.reader(open(out, encoding="utf-8", newline="")) for cell in row]
    assert any("HYPERLINK" in c for c in cells) and not [c for c in cells if c[:1] in FORMULA_STARTS]

    conn = vault.connect()
    try:
        files, _counts = profiles.consenting(conn, False)
    finally:
        conn.close()
    text = files["contacts.csv"]
    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert not [c for c in cells if c[:1] in FORMULA_STARTS]
    rows = json.loads(bundle.csv_to_json(text.encode("utf-8")))
    assert {r["given_name"] for r in rows} >= {'=HYPERLINK("http://x","y")', "'=already quoted"}
