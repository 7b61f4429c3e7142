"""Erasure reaches every table, as an attacker holding the counter passphrase would look (issue #18,
problem 4, audited again in session 4): after `erase`, the decrypted vault -- every table through SQL
(the audit log, FTS shadow tables, list_rows/list_names of m0160, moment_overflow of m0140, the interest
tables of m0080, the change log) and every page of the file and its -wal, live or free -- holds neither the
person's name, its transliteration, e-mail, phone number, nor their moment texts.

The person is given everything the book can hold about someone since session 2: a Cyrillic name (its
Latin spelling goes into the search index), interests and a dismissed suggestion, a moment moved to
moment_overflow, a follow-up, links both ways, a referral, consents and a withdrawal, edits (change log),
an import from a file named after them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from boutique_book.core import (contacts, followups, interest_suggestions, interests, links, moments, privacy,
                                search)
from boutique_book.core.model import Contact, Email, Moment, Phone
from hq_fixtures import session  # noqa: F401  (fixture)
from pages import decrypted_pages, vault_key

GIVEN, FAMILY = "Фёкла", "Зябликова"
EMAIL = "fyokla.zyab@erase-me.example"
PHONE = "+33 6 41 52 63 74"
MOMENT = "Gnomonique zebrulette for her sister"
OVERFLOW = "Pterodactylous overflowing letter"
# What must be gone, lower-cased bytes: names (and their search spellings), e-mail, the phone in every
# form it is stored or indexed in (raw, E.164, national digits), moment words.
NEEDLES = [GIVEN, FAMILY, "fyokla", "zyablikova", EMAIL, "erase-me", PHONE, "641526374", "41 52 63 74",
           "gnomonique", "zebrulette", "pterodactylous"]


def _needles():
    return [n.lower().encode() for n in NEEDLES]


def _tables_dump(vault) -> tuple[bytes, list[str]]:
    conn = vault.connect()
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = []
        for table in tables:
            if table.endswith("_fts"):
                continue  # virtual tables: their content is in the shadow tables dumped here
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                out.extend(v if isinstance(v, bytes) else str(v).encode() for v in row)
        return b"\n".join(out).lower(), tables
    finally:
        conn.close()


def _found(blob: bytes) -> list[bytes]:
    return [n for n in _needles() if n in blob]


@pytest.fixture
def everything(vault, staff_id, tmp_path):
    from boutique_book.core import demo
    from boutique_book.interchange.importer import import_files

    demo.generate(vault, 30, seed=11, moments_per_contact=1)
    card = tmp_path / f"{GIVEN} {FAMILY}.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{FAMILY};{GIVEN};;;\r\nFN:{GIVEN} {FAMILY}\r\n"
                    f"EMAIL:{EMAIL}\r\nTEL:{PHONE}\r\nEND:VCARD\r\n", encoding="utf-8")
    _plan, report = import_files(vault, [card], by=staff_id)
    [cid] = report.created
    person = contacts.get(vault, cid)
    person.language, person.country = "ru", "FR"
    contacts.update(vault, person, by=staff_id)                       # change log
    contacts.set_tier(vault, cid, "friends", by=staff_id, reason="Loyal")
    contacts.record_consent(vault, cid, "share_hq", True, by=staff_id)
    privacy.withdraw_consent(vault, cid, "share_hq", by=staff_id)
    moment_id = moments.add(vault, Moment(cid, MOMENT + ", she loves sailing", dt.date(2024, 3, 2)), by=staff_id)
    with vault.transaction() as conn:  # a text moved out of the row by m0140 (an old import's long note)
        conn.execute("INSERT INTO moment_overflow(moment_id, contact_id, text, moved_at) VALUES (?,?,?,?)",
                     (moment_id, cid, OVERFLOW + " " + MOMENT, "2024-03-02T10:00:00Z"))
    interests.add_to_contact(vault, cid, ["opera"], by=staff_id)
    suggested = interest_suggestions.suggest(vault, cid)  # "sailing" in the moment
    assert suggested
    interests.dismiss_suggestion(vault, cid, suggested[0].interest_id, by=staff_id)
    followups.add(vault, cid, dt.date.today(), reason="Call back", by=staff_id)
    links.add(vault, cid, 3, "friend", by=staff_id)
    links.add(vault, 4, cid, "referred_by", by=staff_id)
    other = contacts.get(vault, 5)
    other.first_met_contact_id = cid
    contacts.update(vault, other, by=staff_id)
    return vault, cid


def test_erasure_leaves_nothing_in_any_table_page_or_wal(everything, session, passphrase):  # noqa: F811
    vault, cid = everything
    vault.checkpoint()
    before, tables = _tables_dump(vault)
    # The detectors see the person everywhere first (positive control), and the new tables are there.
    assert _found(before) == _needles()
    for table in ("audit_log", "change_log", "list_rows", "list_names", "moment_overflow", "contact_interests",
                  "contact_fts_data", "moment_fts_data", "erasure_register"):
        assert table in tables
    assert search.search_ids(vault.conn, "Zyablikova") == [cid]
    key = vault_key(vault.path, passphrase)
    assert _found(b"".join(decrypted_pages(vault.path, key)).lower()) == _needles()

    result = privacy.erase_contact(vault, session, cid, vacuum=False)
    assert result["scrubbed"] is True

    after, _tables = _tables_dump(vault)
    assert _found(after) == [], "left in the tables"
    assert vault.scalar("SELECT count(*) FROM list_names WHERE display_name LIKE ?", (f"%{FAMILY}%",)) == 0
    for table in ("list_rows", "moment_overflow", "contact_interests", "contact_interest_dismissed"):
        assert vault.scalar(f"SELECT count(*) FROM {table} WHERE {'id' if table == 'list_rows' else 'contact_id'}=?",
                            (cid,)) == 0, table
    pages = b"".join(decrypted_pages(vault.path, key)).lower()  # live and free pages, and -wal frames
    assert _found(pages) == [], "left in the file's pages"
    # The audit log says what happened with numbers only.
    audit = " ".join(str(v) for v in vault.conn.execute("SELECT * FROM audit_log")).lower()
    assert "erasure" in audit and not re.search(r"\.vcf", audit)
    assert search.search_ids(vault.conn, "Zyablikova") == [] and search.search_ids(vault.conn, "641526374") == []
