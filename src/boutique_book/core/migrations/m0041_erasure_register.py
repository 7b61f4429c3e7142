"""The erasure register (issue #18, core.erasure_register): who was erased, as keyed hashes, no names."""

SQL = """
CREATE TABLE erasure_register (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL,
    name_hash TEXT NOT NULL,
    identity_hash TEXT NOT NULL,
    erased_at TEXT NOT NULL
);
CREATE TRIGGER erasure_register_no_delete BEFORE DELETE ON erasure_register
BEGIN SELECT RAISE(ABORT, 'the erasure register is append-only'); END;
"""
