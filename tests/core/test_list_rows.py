"""Issue #21: the people list reads its rows from list_rows / list_names (m0160), which triggers keep exact.

Every test compares core.people_list with the ground truth read the old way (five correlated subqueries over
the contact tables), after the writes the app makes: add, edit (phones, emails, addresses replaced), tier,
moments added/moved/deleted (cards do not count as a visit), merge, delete, and an old vault migrated.
"""

from __future__ import annotations

import datetime as dt

from boutique_book.core import contacts, moments, people_list
from boutique_book.core.kdf import KdfParams, derive_key, key_pragma_value, new_salt
from boutique_book.core.migrations import MIGRATIONS, apply_migrations
from boutique_book.core.model import Address, Contact, Email, Moment, Phone
from boutique_book.core.vault import PRAGMAS, Vault, _raw_connect

TRUTH = (
    "SELECT c.id, c.display_name, c.tier, c.kind, "
    " (SELECT a.city FROM contact_addresses a WHERE a.contact_id=c.id AND a.city <> '' ORDER BY a.position LIMIT 1), "
    " (SELECT m.occurred_on FROM moments m WHERE m.contact_id=c.id AND m.kind NOT IN ('card_sent', "
    "  'card_received') ORDER BY m.occurred_on DESC LIMIT 1), "
    " (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p WHERE p.contact_id=c.id "
    "  ORDER BY p.position LIMIT 1), "
    " (SELECT e.address FROM contact_emails e WHERE e.contact_id=c.id ORDER BY e.position LIMIT 1), "
    " (SELECT count(*) FROM contacts d WHERE d.sort_key=c.sort_key AND d.display_name=c.display_name "
    "  AND d.id <> c.id) "
    "FROM contacts c ORDER BY c.sort_key, c.id")


def truth(conn) -> list[tuple]:
    out = []
    for cid, name, tier, kind, city, last, phone, email, same in conn.execute(TRUTH):
        digits = "".join(ch for ch in (phone or "") if ch.isdigit())
        out.append((cid, name, tier, kind, city or "", dt.date.fromisoformat(last[:10]) if last else None,
                    digits[-4:] if len(digits) >= 4 else "", email or "", same))
    return out


def listed(conn, ids=None) -> list[tuple]:
    if ids is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY sort_key, id")]
    return [(r.id, r.display_name, r.tier, r.kind, r.city, r.last_visit, r.phone_tail, r.email, r.same_name)
            for r in people_list.rows(conn, ids)]


def check(vault) -> list[tuple]:
    expected = truth(vault.conn)
    assert listed(vault.conn) == expected
    ids = [row[0] for row in expected]
    if ids:  # the browsing range read gives the same rows, from any first id
        for first in range(0, len(ids), 3):
            got = people_list.rows_from(vault.conn, ids[first], 4)
            assert [r.id for r in got] == ids[first:first + 4]
            assert listed(vault.conn, ids[first:first + 4]) == expected[first:first + 4]
    leftovers = vault.scalar("SELECT count(*) FROM list_rows WHERE id NOT IN (SELECT id FROM contacts)")
    assert leftovers == 0
    assert vault.scalar("SELECT count(*) FROM list_names WHERE n <= 0") == 0
    return expected


def _zoe(city, n):
    return Contact(given_name="Zoë", family_name="de la Tour", country="FR",
                   phones=[Phone(f"06 12 34 56 {10 + n}")] if n % 2 else [],
                   emails=[Email(f"zoe.{city.lower()}@example.fr")] if not n % 2 else [],
                   addresses=[Address(city=city, country_code="FR")])


def test_list_rows_follow_every_write(vault):
    zoes = [contacts.add(vault, _zoe(city, n)) for n, city in enumerate(["Lyon", "Paris", "Nice", "Metz"])]
    ana = contacts.add(vault, Contact(given_name="Ana", family_name="Silva", tier="family"))
    rows = {r[0]: r for r in check(vault)}
    assert rows[zoes[0]][4] == "Lyon" and rows[zoes[0]][8] == 3 and rows[ana][8] == 0
    assert rows[zoes[1]][6] == "5611" and rows[zoes[0]][7] == "zoe.lyon@example.fr"

    # moments: the newest that is not a card is the last visit; a card never counts
    first = moments.add(vault, Moment(ana, "bought gloves", dt.date(2026, 3, 14), kind="purchase"))
    moments.add(vault, Moment(ana, "season's card", dt.date(2026, 6, 1), kind="card_sent"))
    older = moments.add(vault, Moment(ana, "a coffee", dt.date(2025, 1, 2), kind="coffee"))
    assert {r[0]: r for r in check(vault)}[ana][5] == dt.date(2026, 3, 14)
    moments.delete(vault, first)
    assert {r[0]: r for r in check(vault)}[ana][5] == dt.date(2025, 1, 2)
    vault.execute("UPDATE moments SET contact_id=? WHERE id=?", (zoes[2], older))  # moved to someone else
    rows = {r[0]: r for r in check(vault)}
    assert rows[ana][5] is None and rows[zoes[2]][5] == dt.date(2025, 1, 2)

    # an edit replaces phones, emails and addresses; a rename leaves the same-name group
    person = contacts.get(vault, zoes[3])
    person.family_name, person.addresses = "Martin", [Address(city=""), Address(city="Dijon")]
    person.phones, person.emails = [Phone("+33 6 99 88 77 66")], [Email("new@example.fr"), Email("b@example.fr")]
    contacts.update(vault, person)
    rows = {r[0]: r for r in check(vault)}
    assert rows[zoes[3]][1] == "Zoë Martin" and rows[zoes[3]][4] == "Dijon" and rows[zoes[3]][6] == "7766"
    assert rows[zoes[0]][8] == 2 and rows[zoes[3]][8] == 0
    contacts.set_tier(vault, zoes[0], "friends", None, reason="coffee")
    assert {r[0]: r for r in check(vault)}[zoes[0]][2] == "friends"

    # merge (children repointed, the other contact deleted) and delete: no row and no name count left over
    from boutique_book.interchange import merge

    merge.merge(vault, zoes[0], zoes[1])
    rows = {r[0]: r for r in check(vault)}
    assert zoes[1] not in rows and rows[zoes[0]][8] == 1
    contacts.delete(vault, zoes[2])
    contacts.delete(vault, ana)
    rows = {r[0]: r for r in check(vault)}
    assert set(rows) == {zoes[0], zoes[3]} and rows[zoes[0]][8] == 0


def test_list_rows_of_a_demo_book(demo_vault):
    check(demo_vault)


def test_an_old_vault_gets_its_list_rows(tmp_path):
    """m0160 fills list_rows and list_names from the contacts already in the book."""
    before = max(m.version for m in MIGRATIONS if m.version < 160)
    path = tmp_path / "old.vault"
    salt = new_salt(KdfParams.fast())
    conn = _raw_connect(path, key_pragma_value(derive_key("old", salt), salt))
    for pragma in PRAGMAS:
        conn.execute(pragma)
    apply_migrations(conn, target=before)
    for n, (given, family) in enumerate((("Zoë", "Lefèvre"), ("Zoë", "Lefèvre"), ("Ana", "Silva")), start=1):
        conn.execute("INSERT INTO contacts(id, given_name, family_name, display_name, sort_key, created_at, "
                     "updated_at) VALUES (?,?,?,?,?,'2020-01-01','2020-01-01')",
                     (n, given, family, f"{given} {family}", family.lower()))
    conn.execute("INSERT INTO contact_phones(contact_id, raw, e164) VALUES (1, '+49 151 23456789', '+4915123456789')")
    conn.execute("INSERT INTO contact_addresses(contact_id, city) VALUES (3, 'Porto')")
    conn.execute("INSERT INTO moments(contact_id, occurred_on, text, created_at, updated_at) "
                 "VALUES (2, '2021-05-06', 'a visit', '2021-05-06', '2021-05-06')")
    conn.commit()
    conn.close()
    with Vault.open(path, "old") as vault:
        rows = {r[0]: r for r in check(vault)}
    assert rows[1][6] == "6789" and rows[1][8] == 1 and rows[2][5] == dt.date(2021, 5, 6)
    assert rows[3][4] == "Porto" and rows[3][8] == 0
