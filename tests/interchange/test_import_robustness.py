"""Malformed input never escapes as an unhandled error, and a refused or cancelled import leaves the
vault exactly as it was (property-based, hypothesis)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boutique_book.core import contacts
from boutique_book.core.jobs import Cancelled
from boutique_book.interchange import csv_io
from boutique_book.interchange.importer import apply_plan, build_plan
from boutique_book.interchange.vcard_read import read_vcard_bytes

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_PROPS = ["FN", "N", "TEL", "EMAIL", "ADR", "BDAY", "PHOTO", "ORG", "NOTE", "CATEGORIES", "item1.TEL",
          "item1.X-ABLabel", "X-BOUTIQUE-TIER", "X-BOUTIQUE-DATE", "ANNIVERSARY", "KIND", "X-WHATEVER"]
_PARAMS = ["", ";TYPE=cell", ";ENCODING=QUOTED-PRINTABLE", ";CHARSET=ISO-8859-1", ";ENCODING=b", ";VALUE=uri",
           ";CHARSET=nonsense;ENCODING=QUOTED-PRINTABLE", ";X-BOUTIQUE-LEAD=abc", ";TYPE=\"a,b\"", ";;;", ";=",
           ";X-APPLE-OMIT-YEAR=1604"]
_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["Zoë;Martin;;;", "=C3=A9=", "data:image/png;base64\\,iVBO", "--0230", "20231301",
                     "+33 6 12 34 56 78", "not@an@email", ";;;;;;;;;", "\\", "=\r\n", "tel:", "1604-02-29",
                     "a,b,,c", "x" * 300, "friends", "royalty", "--02-29"]),
)
_LINE = st.one_of(
    st.builds(lambda p, q, v: f"{p}{q}:{v}", st.sampled_from(_PROPS), st.sampled_from(_PARAMS), _VALUES),
    st.sampled_from(["BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:4.0", " folded", "\t", "",
                     "BEGIN:VCALENDAR", "garbage without colon", ":", "BEGIN:VCARD\x00"]),
    st.text(max_size=30),
)
_CARD_TEXT = st.lists(_LINE, max_size=25).map(lambda lines: "\r\n".join(["BEGIN:VCARD"] + lines))
_ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig"])


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@pytest.fixture
def small_vault(vault):
    """40 demo contacts with moments, links and follow-ups: cheap to fingerprint for every example."""
    from boutique_book.core import demo

    demo.generate(vault, 40, seed=11)
    return vault


def vault_digest(vault) -> str:
    """A fingerprint of every row of every ordinary table."""
    h = hashlib.sha256()
    for (name,) in vault.query("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' "
                               "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        h.update(name.encode())
        for row in vault.query(f'SELECT * FROM "{name}" ORDER BY 1'):
            h.update(repr(row).encode())
    for (row,) in vault.query("SELECT count(*) FROM contact_fts"):
        h.update(str(row).encode())
    return h.hexdigest()


def _cancel_after(k: int):
    """A cancel flag that turns true after k polls. Small imports poll twice: before the first write and
    after the last one, just before the commit; k=0 and k=1 cancel at those two points."""
    calls = {"n": 0}

    def cancelled():
        calls["n"] += 1
        return calls["n"] > k

    return cancelled


def _cancelled_import_changes_nothing(vault, plan, k):
    before = vault_digest(vault)
    if plan.counts()["create"] + plan.counts()["merge"] == 0:
        report = apply_plan(vault, plan, cancelled=_cancel_after(k))  # refused: nothing to import
        assert report.created == [] and report.merged == []
    else:
        with pytest.raises(Cancelled):
            apply_plan(vault, plan, cancelled=_cancel_after(k))
    assert vault_digest(vault) == before


@SETTINGS
@given(cards=st.lists(_CARD_TEXT, min_size=1, max_size=4), encoding=_ENCODINGS, tail=st.booleans(),
       cancel_at=st.integers(0, 1))
def test_malformed_vcards_never_raise(small_vault, cards, encoding, tail, cancel_at):
    text = "\r\n".join(c + ("\r\nEND:VCARD" if tail else "") for c in cards)
    result = read_vcard_bytes(_encode(text, encoding), "fuzz.vcf")
    for problem in result.problems:
        assert problem.source == "fuzz.vcf" and problem.reason
    plan = build_plan(small_vault, result, region="FR")
    counts = plan.counts()
    assert counts["create"] + counts["merge"] + counts["skip"] == len(plan.items)
    _cancelled_import_changes_nothing(small_vault, plan, cancel_at)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_as_vcard_and_csv(vault, data):
    for reader in (lambda: read_vcard_bytes(b"BEGIN:VCARD\r\n" + data, "x.vcf"),
                   lambda: csv_io.read_csv_bytes(data, "x.csv")):
        result = reader()
        build_plan(vault, result, region="FR")


_CELL = st.one_of(st.text(max_size=20), st.sampled_from(["Zoë", "+33 6 12 34 56 78", "a@b.co", "bad@", "1/2/3",
                                                        "0/0/00", "31.02.", "France", "\"", ";", ",", "\n", ":::"]))
_HEADERS = st.lists(st.sampled_from(["First Name", "Last Name", "E-mail 1 - Value", "Phone 1 - Value",
                                     "Birthday", "Labels", "Mobile Phone", "E-mail Address", "Home Street",
                                     "Name", "Notes", "Tier", "Country", "whatever", "Address 1 - Country"]),
                    min_size=1, max_size=8)


@SETTINGS
@given(headers=_HEADERS, rows=st.lists(st.lists(_CELL, max_size=10), max_size=6),
       sep=st.sampled_from([",", ";"]), encoding=_ENCODINGS, cancel_at=st.integers(0, 1))
def test_malformed_csv_never_raises_and_cancel_leaves_vault_unchanged(small_vault, headers, rows, sep,
                                                                       encoding, cancel_at):
    def quote(cell):
        return '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',;"\n') else cell

    text = "\n".join(sep.join(quote(c) for c in line) for line in [headers, *rows])
    result = csv_io.read_csv_bytes(_encode(text, encoding), "fuzz.csv")
    plan = build_plan(small_vault, result, region="FR")
    _cancelled_import_changes_nothing(small_vault, plan, cancel_at)


def test_cancel_in_the_middle_of_a_large_import_rolls_everything_back(demo_vault):
    cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n"
                    for n in range(1200))
    plan = build_plan(demo_vault, read_vcard_bytes(cards.encode(), "big.vcf"))
    assert plan.counts()["create"] == 1200
    before = vault_digest(demo_vault)
    calls = {"n": 0}

    def cancelled():
        calls["n"] += 1
        return calls["n"] > 15  # after ~700 contacts were written inside the transaction

    with pytest.raises(Cancelled):
        apply_plan(demo_vault, plan, cancelled=cancelled)
    assert vault_digest(demo_vault) == before and contacts.count(demo_vault) == 300


def test_an_error_in_the_middle_rolls_everything_back(demo_vault, monkeypatch):
    cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nNOTE:n{n}\r\nEND:VCARD\r\n" for n in range(30))
    plan = build_plan(demo_vault, read_vcard_bytes(cards.encode(), "crash.vcf"))
    before = vault_digest(demo_vault)
    from boutique_book.interchange import importer

    real = importer._note_moment
    seen = []

    def crash(vault, cid, notes, by, source):
        seen.append(cid)
        if len(seen) == 20:
            raise OSError("disk full")
        return real(vault, cid, notes, by, source)

    monkeypatch.setattr(importer, "_note_moment", crash)
    with pytest.raises(OSError):
        apply_plan(demo_vault, plan)
    assert vault_digest(demo_vault) == before
