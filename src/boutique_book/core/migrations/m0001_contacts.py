"""People, what they shared, who recorded it."""

SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT 'staff',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    transliteration TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    salutation TEXT NOT NULL DEFAULT '',
    formality TEXT NOT NULL DEFAULT 'formal',
    kind TEXT NOT NULL DEFAULT 'customer',
    tier TEXT NOT NULL DEFAULT 'acquaintances',
    language TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    preferred_channel TEXT NOT NULL DEFAULT '',
    first_met_source TEXT NOT NULL DEFAULT '',
    first_met_note TEXT NOT NULL DEFAULT '',
    first_met_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    photo BLOB,
    display_name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by INTEGER REFERENCES staff(id),
    updated_by INTEGER REFERENCES staff(id)
);
CREATE INDEX contacts_sort ON contacts(sort_key, id);
CREATE INDEX contacts_tier ON contacts(tier, sort_key);
CREATE INDEX contacts_kind ON contacts(kind);

CREATE TABLE contact_phones (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL,
    e164 TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_phones_contact ON contact_phones(contact_id);
CREATE INDEX contact_phones_e164 ON contact_phones(e164);

CREATE TABLE contact_emails (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_emails_contact ON contact_emails(contact_id);
CREATE INDEX contact_emails_address ON contact_emails(address COLLATE NOCASE);

CREATE TABLE contact_addresses (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    city_area TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country_code TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_addresses_contact ON contact_addresses(contact_id);

-- value is 'YYYY-MM-DD' or '--MM-DD' when the year is unknown (vCard 4 style), never a fake year.
CREATE TABLE contact_dates (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    lead_days INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_dates_contact ON contact_dates(contact_id);
CREATE INDEX contact_dates_md ON contact_dates(substr(value, -5));

CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag_id, contact_id);

-- Consent history: the current state per purpose is the newest row.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    granted INTEGER NOT NULL,
    wording_version TEXT NOT NULL DEFAULT '1',
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES staff(id)
);
CREATE INDEX consents_contact ON consents(contact_id, purpose, id);

CREATE TABLE tier_history (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    from_tier TEXT,
    to_tier TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES staff(id),
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tier_history_contact ON tier_history(contact_id, id);

CREATE TABLE moments (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    occurred_on TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'story',
    text TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    amount_minor INTEGER,
    currency TEXT NOT NULL DEFAULT '',
    season TEXT NOT NULL DEFAULT '',
    season_year INTEGER,
    staff_id INTEGER REFERENCES staff(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX moments_contact ON moments(contact_id, occurred_on DESC, id DESC);
CREATE INDEX moments_kind ON moments(kind, contact_id);

CREATE TABLE moment_people (
    moment_id INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (moment_id, contact_id)
) WITHOUT ROWID;

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    from_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    since TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES staff(id),
    CHECK (from_id <> to_id)
);
CREATE INDEX links_from ON links(from_id);
CREATE INDEX links_to ON links(to_id);

-- Append-only: who changed what (field names, never the values: the log must hold no personal data
-- that an erasure would have to chase).
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff(id),
    entity TEXT NOT NULL,
    entity_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

-- Manager actions (exports, erasures, settings). Append-only, enforced in the vault itself.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def upgrade(conn):
    import datetime
    import uuid

    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    conn.execute("INSERT INTO meta(key, value) VALUES ('store_id', ?)", (uuid.uuid4().hex,))
    conn.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", (now,))
