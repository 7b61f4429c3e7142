"""Interchange: pairs a person marked as "not the same person" in the duplicates list (issue #7)."""

SQL = """
CREATE TABLE duplicate_dismissals (
    a INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    dismissed_at TEXT NOT NULL,
    dismissed_by INTEGER REFERENCES staff(id),
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;
"""
