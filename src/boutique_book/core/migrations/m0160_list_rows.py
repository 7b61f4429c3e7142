"""The people list's rows, ready to read (issue 21): one narrow row per contact in list order.

A row of the list shows the name, tier and kind, the first city, the last visit, the first phone (its last
four digits) and the first email, and how many others carry the same name. Read with five correlated
subqueries per contact (four child tables and a same-name count through the wide contacts table), a page of
200 rows cost 10 ms of CPU with a warm cache and 30-60 ms cold at 100,000 people: every keystroke, every
card opened from far down the list and every scrolled page paid it.

`list_rows` keeps exactly what those subqueries returned, ordered by the list's own key (sort_key, id) in a
WITHOUT ROWID table: a browsed page is one range of a few adjacent pages, a searched page one lookup per id
through `list_rows_id`. `list_names` counts the contacts per (sort_key, display_name): the demo book has
groups of 400 people with the same name, so counting them per row walked 400 rows each. Triggers keep both
exact in the same transaction as every write to contacts, their addresses, phones and emails and their
moments (any module, imports and merges included). The copy goes when the contact goes (a delete trigger,
secure_delete); a name count with nobody left is deleted. No foreign key on purpose: merges (which repoint every
column that references contacts) and a person's data export (which lists every such table) leave this cache of
data they already handle alone. Applied again on a vault that has the tables (a
record of applied migrations restored from before this one), it refills them from the contacts.
"""

SQL = """
CREATE TABLE IF NOT EXISTS list_rows (
    sort_key TEXT NOT NULL,
    id INTEGER NOT NULL,
    display_name TEXT NOT NULL,
    tier TEXT NOT NULL,
    kind TEXT NOT NULL,
    city TEXT,
    last_visit TEXT,
    phone TEXT,
    email TEXT,
    PRIMARY KEY (sort_key, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS list_rows_id ON list_rows(id);
CREATE TABLE IF NOT EXISTS list_names (
    sort_key TEXT NOT NULL,
    display_name TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sort_key, display_name)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS list_rows_contact_insert AFTER INSERT ON contacts BEGIN
    INSERT OR REPLACE INTO list_rows(sort_key, id, display_name, tier, kind, city, last_visit, phone, email)
    VALUES (new.sort_key, new.id, new.display_name, new.tier, new.kind,
        (SELECT a.city FROM contact_addresses a WHERE a.contact_id = new.id AND a.city <> ''
         ORDER BY a.position LIMIT 1),
        (SELECT m.occurred_on FROM moments m WHERE m.contact_id = new.id
         AND m.kind NOT IN ('card_sent', 'card_received') ORDER BY m.occurred_on DESC LIMIT 1),
        (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p WHERE p.contact_id = new.id
         ORDER BY p.position LIMIT 1),
        (SELECT e.address FROM contact_emails e WHERE e.contact_id = new.id ORDER BY e.position LIMIT 1));
END;
CREATE TRIGGER IF NOT EXISTS list_rows_contact_update AFTER UPDATE OF id, sort_key, display_name, tier, kind ON contacts BEGIN
    UPDATE list_rows SET sort_key = new.sort_key, id = new.id, display_name = new.display_name, tier = new.tier,
        kind = new.kind WHERE id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS list_names_contact_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO list_names(sort_key, display_name, n) VALUES (new.sort_key, new.display_name, 1)
    ON CONFLICT(sort_key, display_name) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS list_names_contact_rename AFTER UPDATE OF sort_key, display_name ON contacts
WHEN old.sort_key IS NOT new.sort_key OR old.display_name IS NOT new.display_name BEGIN
    UPDATE list_names SET n = n - 1 WHERE sort_key = old.sort_key AND display_name = old.display_name;
    DELETE FROM list_names WHERE sort_key = old.sort_key AND display_name = old.display_name AND n <= 0;
    INSERT INTO list_names(sort_key, display_name, n) VALUES (new.sort_key, new.display_name, 1)
    ON CONFLICT(sort_key, display_name) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS list_rows_contact_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM list_rows WHERE id = old.id;
    UPDATE list_names SET n = n - 1 WHERE sort_key = old.sort_key AND display_name = old.display_name;
    DELETE FROM list_names WHERE sort_key = old.sort_key AND display_name = old.display_name AND n <= 0;
END;

CREATE TRIGGER IF NOT EXISTS list_rows_address_insert AFTER INSERT ON contact_addresses BEGIN
    UPDATE list_rows SET city = (SELECT a.city FROM contact_addresses a WHERE a.contact_id = list_rows.id
        AND a.city <> '' ORDER BY a.position LIMIT 1) WHERE id = new.contact_id;
END;
CREATE TRIGGER IF NOT EXISTS list_rows_address_update AFTER UPDATE ON contact_addresses BEGIN
    UPDATE list_rows SET city = (SELECT a.city FROM contact_addresses a WHERE a.contact_id = list_rows.id
        AND a.city <> '' ORDER BY a.position LIMIT 1) WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER IF NOT EXISTS list_rows_address_delete AFTER DELETE ON contact_addresses BEGIN
    UPDATE list_rows SET city = (SELECT a.city FROM contact_addresses a WHERE a.contact_id = list_rows.id
        AND a.city <> '' ORDER BY a.position LIMIT 1) WHERE id = old.contact_id;
END;

CREATE TRIGGER IF NOT EXISTS list_rows_phone_insert AFTER INSERT ON contact_phones BEGIN
    UPDATE list_rows SET phone = (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p
        WHERE p.contact_id = list_rows.id ORDER BY p.position LIMIT 1) WHERE id = new.contact_id;
END;
CREATE TRIGGER IF NOT EXISTS list_rows_phone_update AFTER UPDATE ON contact_phones BEGIN
    UPDATE list_rows SET phone = (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p
        WHERE p.contact_id = list_rows.id ORDER BY p.position LIMIT 1) WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER IF NOT EXISTS list_rows_phone_delete AFTER DELETE ON contact_phones BEGIN
    UPDATE list_rows SET phone = (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p
        WHERE p.contact_id = list_rows.id ORDER BY p.position LIMIT 1) WHERE id = old.contact_id;
END;

CREATE TRIGGER IF NOT EXISTS list_rows_email_insert AFTER INSERT ON contact_emails BEGIN
    UPDATE list_rows SET email = (SELECT e.address FROM contact_emails e WHERE e.contact_id = list_rows.id
        ORDER BY e.position LIMIT 1) WHERE id = new.contact_id;
END;
CREATE TRIGGER IF NOT EXISTS list_rows_email_update AFTER UPDATE ON contact_emails BEGIN
    UPDATE list_rows SET email = (SELECT e.address FROM contact_emails e WHERE e.contact_id = list_rows.id
        ORDER BY e.position LIMIT 1) WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER IF NOT EXISTS list_rows_email_delete AFTER DELETE ON contact_emails BEGIN
    UPDATE list_rows SET email = (SELECT e.address FROM contact_emails e WHERE e.contact_id = list_rows.id
        ORDER BY e.position LIMIT 1) WHERE id = old.contact_id;
END;

CREATE TRIGGER IF NOT EXISTS list_rows_moment_insert AFTER INSERT ON moments
WHEN new.kind NOT IN ('card_sent', 'card_received') BEGIN
    UPDATE list_rows SET last_visit = new.occurred_on
    WHERE id = new.contact_id AND (last_visit IS NULL OR last_visit < new.occurred_on);
END;
CREATE TRIGGER IF NOT EXISTS list_rows_moment_update AFTER UPDATE OF contact_id, occurred_on, kind ON moments BEGIN
    UPDATE list_rows SET last_visit = (SELECT m.occurred_on FROM moments m WHERE m.contact_id = list_rows.id
        AND m.kind NOT IN ('card_sent', 'card_received') ORDER BY m.occurred_on DESC LIMIT 1)
    WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER IF NOT EXISTS list_rows_moment_delete AFTER DELETE ON moments
WHEN old.kind NOT IN ('card_sent', 'card_received') BEGIN
    UPDATE list_rows SET last_visit = (SELECT m.occurred_on FROM moments m WHERE m.contact_id = list_rows.id
        AND m.kind NOT IN ('card_sent', 'card_received') ORDER BY m.occurred_on DESC LIMIT 1)
    WHERE id = old.contact_id AND last_visit <= old.occurred_on;
END;

DELETE FROM list_rows;
INSERT INTO list_rows(sort_key, id, display_name, tier, kind, city, last_visit, phone, email)
SELECT c.sort_key, c.id, c.display_name, c.tier, c.kind,
    (SELECT a.city FROM contact_addresses a WHERE a.contact_id = c.id AND a.city <> '' ORDER BY a.position LIMIT 1),
    (SELECT m.occurred_on FROM moments m WHERE m.contact_id = c.id AND m.kind NOT IN ('card_sent', 'card_received')
     ORDER BY m.occurred_on DESC LIMIT 1),
    (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p WHERE p.contact_id = c.id
     ORDER BY p.position LIMIT 1),
    (SELECT e.address FROM contact_emails e WHERE e.contact_id = c.id ORDER BY e.position LIMIT 1)
FROM contacts c;
DELETE FROM list_names;
INSERT INTO list_names(sort_key, display_name, n)
SELECT sort_key, display_name, count(*) FROM contacts GROUP BY sort_key, display_name;
"""
