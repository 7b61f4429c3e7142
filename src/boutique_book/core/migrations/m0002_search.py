"""Full-text search inside the vault (FTS5), kept in sync by core.search in the same transaction
as each change (no triggers: the indexed text is folded and expanded in Python, e.g. phone digits)."""

SQL = """
CREATE VIRTUAL TABLE contact_fts USING fts5(
    names, details, tags,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3'
);
CREATE VIRTUAL TABLE moment_fts USING fts5(
    text, contact_id UNINDEXED,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
"""


def upgrade(conn):
    """Index what the vault already holds, in this version's three columns. Frozen (issue #19): it used to
    call core.search.rebuild_index, which now writes the columns of a later version (m0060)."""
    for cid, *names in conn.execute(
            "SELECT id, given_name, family_name, organisation, transliteration, display_name FROM contacts").fetchall():
        details = [r[0] for r in conn.execute("SELECT address FROM contact_emails WHERE contact_id=?", (cid,))]
        for e164, raw in conn.execute("SELECT e164, raw FROM contact_phones WHERE contact_id=?", (cid,)):
            details.extend({"".join(ch for ch in text if ch.isdigit()) for text in (e164, raw)})
        for city, postal in conn.execute("SELECT city, postal_code FROM contact_addresses WHERE contact_id=?", (cid,)):
            details.extend((city, postal))
        tags = [r[0] for r in conn.execute(
            "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id=t.id WHERE ct.contact_id=?", (cid,))]
        conn.execute("INSERT INTO contact_fts(rowid, names, details, tags) VALUES (?,?,?,?)",
                     (cid, " ".join(n for n in names if n), " ".join(d for d in details if d), " ".join(tags)))
    conn.execute("INSERT INTO moment_fts(rowid, text, contact_id) "
                 "SELECT id, trim(text || ' ' || item), contact_id FROM moments")
