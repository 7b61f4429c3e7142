"""Erasure removes a person from the vault for real; consent withdrawal; retention review."""

from __future__ import annotations

import datetime as dt

import pytest

from boutique_book.core import changelog, contacts, links, moments, privacy, search
from boutique_book.core.errors import NotFound
from boutique_book.core.model import Contact, Moment
from hq_fixtures import KEPT, PLANTED
from pages import decrypted_pages, vault_key

# Whole values as stored in the tables, and the tails of their words as the FTS5 index may store them
# (terms are prefix-compressed inside index segments, so a word's first letters may be shared).
def _needles(who):
    whole = [who["given"], who["family"], who["email"], who["note"]]
    words = [w for w in " ".join(whole).replace("@", " ").replace(".", " ").replace("-", " ").split() if len(w) >= 9]
    tails = [w.lower()[4:] for w in words]
    return [s.lower().encode() for s in whole], [t.encode() for t in tails]


def _sql_dump(vault) -> bytes:
    """Every value of every table (including FTS shadow tables' blobs) through a second connection."""
    conn = vault.connect()
    try:
        out = []
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert "contact_fts_data" in tables and "moment_fts_data" in tables
        for table in tables:
            if table in ("contact_fts", "moment_fts"):
                continue  # virtual tables: their content lives in the *_data / *_content shadow tables
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    out.append(value if isinstance(value, bytes) else str(value).encode())
        return b"\n".join(out).lower()
    finally:
        conn.close()


def _found(blob: bytes, needles) -> list[bytes]:
    return [n for n in needles if n in blob]


@pytest.mark.parametrize("vacuum", [True, False], ids=["vacuum", "secure-delete-only"])
def test_erasure_leaves_no_trace_in_tables_index_pages_or_file(planted, session, passphrase, vacuum):
    vault, planted_id, kept_id = planted
    whole, tails = _needles(PLANTED)
    kept_whole, kept_tails = _needles(KEPT)
    vault.checkpoint()
    key = vault_key(vault.path, passphrase)
    # The detectors work: before erasure the planted person is found by each of them.
    before_sql = _sql_dump(vault)
    assert _found(before_sql, whole) == whole and _found(before_sql, tails) == tails
    before_pages = b"".join(decrypted_pages(vault.path, key)).lower()
    assert _found(before_pages, whole) == whole
    assert search.search_ids(vault.conn, "Xylophorides") == [planted_id]

    preview = privacy.erasure_preview(vault, planted_id)
    assert preview["moments"] == 1 and preview["links"] == 2 and "backup" in preview["backup_note"]
    free_before = vault.scalar("PRAGMA freelist_count")
    result = privacy.erase_contact(vault, session, planted_id, vacuum=vacuum)
    assert result["scrubbed"] is True and result["links"] == 2 and result["moments"] == 1

    if vacuum:
        assert vault.scalar("PRAGMA freelist_count") == 0
    else:
        assert vault.scalar("PRAGMA freelist_count") > free_before  # freed pages stay, zeroed
    after_sql = _sql_dump(vault)
    assert _found(after_sql, whole + tails) == []
    pages = decrypted_pages(vault.path, key)
    after_pages = b"".join(pages).lower()
    assert _found(after_pages, whole + tails) == []
    raw = vault.path.read_bytes().lower()
    for side in ("-wal", "-journal"):
        extra = vault.path.with_name(vault.path.name + side)
        if extra.exists():
            raw += extra.read_bytes().lower()
    assert _found(raw, whole + tails) == []
    # ... while the other person is still there, in the tables, the index and the pages.
    assert _found(after_sql, kept_whole + kept_tails) == kept_whole + kept_tails
    assert _found(after_pages, kept_whole) == kept_whole
    assert search.search_ids(vault.conn, "Xylophorides") == []
    assert search.search_ids(vault.conn, "Jovkarsson") == [kept_id]
    assert search.search_ids(vault.conn, "Vexillographic") == []


def test_erasure_removes_links_history_and_audits_without_a_name(planted, session):
    vault, planted_id, kept_id = planted
    referrer_links_before = len(links.for_contact(vault, 12))
    privacy.erase_contact(vault, session, planted_id)
    assert not contacts.exists(vault, planted_id)
    assert all(link["other_id"] != planted_id for link in links.for_contact(vault, kept_id))
    assert len(links.for_contact(vault, 12)) == referrer_links_before - 1
    for table, column in (("moments", "contact_id"), ("followups", "contact_id"), ("consents", "contact_id"),
                          ("tier_history", "contact_id"), ("contact_emails", "contact_id"),
                          ("moment_people", "contact_id"), ("links", "from_id"), ("links", "to_id")):
        assert vault.scalar(f"SELECT count(*) FROM {table} WHERE {column}=?", (planted_id,)) == 0, table
    assert vault.scalar("SELECT count(*) FROM change_log WHERE entity='contact' AND entity_id=?", (planted_id,)) == 0
    assert vault.scalar("SELECT count(*) FROM change_log WHERE detail LIKE ?", (f"%{planted_id}->%",)) == 0
    assert vault.scalar("SELECT count(*) FROM change_log WHERE detail=?", (f"contact={planted_id}",)) == 0
    erasures = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "erasure"]
    assert len(erasures) == 1 and erasures[0]["detail"]["contact"] == planted_id
    assert PLANTED["family"] not in str(erasures[0]) and PLANTED["given"] not in str(erasures[0])
    with pytest.raises(NotFound):
        privacy.erase_contact(vault, session, planted_id)


def test_erasure_requires_the_manager(planted):
    from boutique_book.core.manager import ManagerError

    vault, planted_id, _ = planted
    with pytest.raises(ManagerError):
        privacy.erase_contact(vault, None, planted_id)
    assert contacts.exists(vault, planted_id)


def test_withdrawal_is_one_action_and_keeps_history(vault, staff_id):
    cid = contacts.add(vault, Contact(given_name="Anne", family_name="Moreau"))
    privacy.give_consent(vault, cid, "email", by=staff_id, wording_version="2")
    assert contacts.has_consent(vault, cid, "email")
    privacy.withdraw_consent(vault, cid, "email", by=staff_id, wording_version="2")
    current = contacts.consents(vault, cid)["email"]
    assert current.granted is False and current.recorded_by_name == "Camille Laurent"
    assert current.wording_version == "2" and current.recorded_at
    assert vault.scalar("SELECT count(*) FROM consents WHERE contact_id=?", (cid,)) == 2
    with pytest.raises(privacy.ValidationError):
        privacy.withdraw_consent(vault, cid, "telepathy")


def test_retention_lists_silent_prospects(vault, session):
    today = dt.date(2025, 6, 1)
    quiet = contacts.add(vault, Contact(given_name="Quiet", family_name="Prospect", kind="prospect"))
    recent = contacts.add(vault, Contact(given_name="Recent", family_name="Prospect", kind="prospect"))
    never = contacts.add(vault, Contact(given_name="Never", family_name="Seen", kind="prospect"))
    customer = contacts.add(vault, Contact(given_name="Old", family_name="Customer", kind="customer"))
    moments.add(vault, Moment(quiet, "Asked about shoes", dt.date(2020, 1, 10)))
    moments.add(vault, Moment(recent, "Came back", dt.date(2024, 12, 1)))
    moments.add(vault, Moment(customer, "Bought a coat", dt.date(2019, 1, 1)))
    vault.execute("UPDATE contacts SET created_at='2019-03-01T10:00:00+00:00' WHERE id IN (?,?,?,?)",
                  (quiet, recent, never, customer))
    listed = privacy.retention_review(vault, years=3, today=today)
    assert [r["id"] for r in listed] == [never, quiet]
    assert listed[1]["last_moment"] == "2020-01-10"
    assert [r["id"] for r in privacy.retention_review(vault, years=7, today=today)] == []
    privacy.set_retention_years(vault, session, 5)
    assert privacy.retention_years(vault) == 5
    assert [r["id"] for r in privacy.retention_review(vault, today=today)] == [never, quiet]
    assert changelog.audit_entries(vault.conn)[-1]["detail"] == {"key": "retention_years"}
