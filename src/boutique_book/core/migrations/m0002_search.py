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
    from boutique_book.core.search import rebuild_index

    rebuild_index(conn)
