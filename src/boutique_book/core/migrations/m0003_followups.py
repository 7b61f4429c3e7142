"""Follow-ups (one-off and recurring reminders), their handled occurrences, card seasons, cases."""

SQL = """
-- rule is JSON: {"type": "once"} | {"type": "yearly", "month": m, "day": d}
-- | {"type": "every", "n": 6, "unit": "weeks"} | {"type": "nth_weekday", "n": 2, "weekday": 0, "every_months": 1}
CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    reason_kind TEXT NOT NULL DEFAULT 'custom',
    reason TEXT NOT NULL DEFAULT '',
    owner_staff_id INTEGER REFERENCES staff(id),
    channel TEXT NOT NULL DEFAULT '',
    rule TEXT NOT NULL DEFAULT '{"type": "once"}',
    start_date TEXT NOT NULL,
    time TEXT NOT NULL DEFAULT '',
    lead_days INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'manual',
    source_ref TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES staff(id)
);
CREATE INDEX followups_contact ON followups(contact_id);
CREATE INDEX followups_active ON followups(active, start_date);

-- One row per handled occurrence: done, skipped (with reason) or snoozed (to a date).
CREATE TABLE followup_events (
    id INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups(id) ON DELETE CASCADE,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'skipped', 'snoozed', 'printed')),
    snoozed_to TEXT,
    note TEXT NOT NULL DEFAULT '',
    handled_at TEXT NOT NULL,
    handled_by INTEGER REFERENCES staff(id),
    moment_id INTEGER REFERENCES moments(id) ON DELETE SET NULL
);
CREATE INDEX followup_events_fu ON followup_events(followup_id, due_date);

CREATE TABLE seasons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    rule TEXT NOT NULL,
    lead_days INTEGER NOT NULL DEFAULT 21,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE season_recipients (
    season_id INTEGER NOT NULL REFERENCES seasons(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'planned',
    PRIMARY KEY (season_id, year, contact_id)
) WITHOUT ROWID;

-- A complaint opens a case that stays visible until resolved.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    moment_id INTEGER REFERENCES moments(id) ON DELETE SET NULL,
    owner_staff_id INTEGER REFERENCES staff(id),
    opened_at TEXT NOT NULL,
    resolved_at TEXT,
    resolution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_open ON cases(resolved_at, contact_id);
"""
