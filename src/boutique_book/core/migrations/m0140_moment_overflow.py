"""Texts over the moment limit (core.limits.MAX_MOMENT_CHARS = 20,000, frozen here) move out of the row.

An old import could store a 50 MB note as one moment. SQLite keeps a row's later columns after its text,
so every list that read that moment (the card) walked 12,000 encrypted overflow pages: opening the card
blocked for a second, showing it for minutes. The whole text is kept, as an attachment of the moment, in
`moment_overflow` (which names the contact, so a person's data export and erasure include it); the moment
keeps its first 20,000 characters. Saved texts cannot exceed the limit since (moments.validate).
"""

SQL = """
CREATE TABLE moment_overflow (
    moment_id INTEGER PRIMARY KEY REFERENCES moments(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    moved_at TEXT NOT NULL
);
CREATE INDEX moment_overflow_contact ON moment_overflow(contact_id);
INSERT INTO moment_overflow(moment_id, contact_id, text, moved_at)
    SELECT id, contact_id, text, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM moments WHERE length(text) > 20000;
UPDATE moments SET text = substr(text, 1, 20000) WHERE id IN (SELECT moment_id FROM moment_overflow);
"""
