"""Follow-up calendars (issue 5): the agenda's per-contact row, lookup indexes, built-in card seasons.

agenda_people holds, per contact, what the agenda shows and filters on (display name, tier, preferred
channel, owner = the staff member who created the contact) and the day the tier-rhythm clock last reset:
max(day the contact was created, newest moment). Triggers keep it exact in the same transaction as every
write to contacts and moments (any module, bulk imports included), so the agenda finds who is due with one
index range per tier instead of grouping a million moments, and reads names from a table of ~40-byte rows
that stays in the page cache instead of the wide contacts table (a random page read + decryption each).
The copy of the display name goes when the contact goes (ON DELETE CASCADE, secure_delete).
"""

SQL = """
CREATE TABLE agenda_people (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    tier TEXT NOT NULL,
    last_on TEXT NOT NULL,
    display_name TEXT NOT NULL,
    preferred_channel TEXT NOT NULL,
    owner_id INTEGER
);
CREATE INDEX agenda_people_due ON agenda_people(tier, last_on);
CREATE INDEX agenda_people_owner ON agenda_people(owner_id, tier, last_on);

CREATE TRIGGER agenda_contact_insert AFTER INSERT ON contacts BEGIN
    INSERT OR REPLACE INTO agenda_people(contact_id, tier, last_on, display_name, preferred_channel, owner_id)
    VALUES (new.id, new.tier,
        max(substr(new.created_at, 1, 10),
            coalesce((SELECT max(occurred_on) FROM moments WHERE contact_id = new.id), '')),
        new.display_name, new.preferred_channel, new.created_by);
END;
CREATE TRIGGER agenda_contact_update AFTER UPDATE OF tier, display_name, preferred_channel, created_by ON contacts
BEGIN
    UPDATE agenda_people SET tier = new.tier, display_name = new.display_name,
        preferred_channel = new.preferred_channel, owner_id = new.created_by WHERE contact_id = new.id;
END;
CREATE TRIGGER agenda_contact_created AFTER UPDATE OF created_at ON contacts BEGIN
    UPDATE agenda_people SET last_on = max(substr(new.created_at, 1, 10),
        coalesce((SELECT max(occurred_on) FROM moments WHERE contact_id = new.id), ''))
    WHERE contact_id = new.id;
END;
CREATE TRIGGER agenda_moment_insert AFTER INSERT ON moments BEGIN
    UPDATE agenda_people SET last_on = new.occurred_on
    WHERE contact_id = new.contact_id AND last_on < new.occurred_on;
END;
CREATE TRIGGER agenda_moment_update AFTER UPDATE OF occurred_on, contact_id ON moments BEGIN
    UPDATE agenda_people SET last_on = coalesce((
        SELECT max(substr(c.created_at, 1, 10),
                   coalesce((SELECT max(occurred_on) FROM moments WHERE contact_id = c.id), ''))
        FROM contacts c WHERE c.id = agenda_people.contact_id), last_on)
    WHERE contact_id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER agenda_moment_delete AFTER DELETE ON moments BEGIN
    UPDATE agenda_people SET last_on = coalesce((
        SELECT max(substr(c.created_at, 1, 10),
                   coalesce((SELECT max(occurred_on) FROM moments WHERE contact_id = c.id), ''))
        FROM contacts c WHERE c.id = agenda_people.contact_id), last_on)
    WHERE contact_id = old.contact_id;
END;

INSERT INTO agenda_people(contact_id, tier, last_on, display_name, preferred_channel, owner_id)
SELECT c.id, c.tier, max(substr(c.created_at, 1, 10),
                         coalesce((SELECT max(occurred_on) FROM moments m WHERE m.contact_id = c.id), '')),
       c.display_name, c.preferred_channel, c.created_by
FROM contacts c;

-- Anchor rows for key dates, rhythms and seasons are found by (source, contact, ref).
CREATE INDEX followups_source ON followups(source, contact_id, source_ref);
-- max(lead_days) in O(log n): bounds the month-day window of the key-date query.
CREATE INDEX contact_dates_lead ON contact_dates(lead_days);
CREATE INDEX followups_lead ON followups(lead_days);
-- Covering month-day index: the key-date query reads index pages in order, never the table.
CREATE INDEX contact_dates_md_cover ON contact_dates(substr(value, -5), contact_id, kind, value, lead_days, label);
"""


# Frozen copy of the built-in card seasons as they were when this migration shipped (not imported from the
# live calendar code, so a later edit there cannot change what this upgrade writes).
_BUILT_IN = (
    ("christmas", {"type": "fixed", "month": 12, "day": 25}, 21),
    ("new_year", {"type": "fixed", "month": 1, "day": 1}, 21),
    ("lunar_new_year", {"type": "table", "name": "lunar_new_year"}, 21),
    ("easter", {"type": "easter", "offset": 0, "calendar": "western"}, 14),
    ("mothers_day", {"type": "nth_weekday", "month": 5, "n": 2, "weekday": 6}, 10),
    ("eid_al_fitr", {"type": "table", "name": "eid_al_fitr"}, 14),
    ("diwali", {"type": "table", "name": "diwali"}, 14),
)


def upgrade(conn):
    import json

    conn.executemany("INSERT OR IGNORE INTO seasons(name, rule, lead_days) VALUES (?,?,?)",
                     [(name, json.dumps(rule, sort_keys=True), lead) for name, rule, lead in _BUILT_IN])
