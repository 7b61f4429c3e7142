"""Contacts: create, read, update, delete, tiers, tags, consent. Each write is one transaction that
also updates the search index and the change log."""

from __future__ import annotations

from . import changelog, search, settings
from .errors import NotFound, ValidationError
from .model import (Address, Consent, Contact, Email, KeyDate, PartialDate, Phone, Tier, TierChange,
                    utc_now)
from .text import display_name, nfc, sort_key
from .validation import validate_contact
from ..translation import _

_SCALARS = ("given_name", "family_name", "organisation", "transliteration", "title", "salutation", "formality",
            "kind", "tier", "language", "country", "preferred_channel", "first_met_source", "first_met_note",
            "first_met_contact_id", "photo")


def home_region(vault) -> str:
    """The store's country (ISO code): how a phone number written without +country code is read. The demo book
    sets `home_region`; a real store sets its country in the boutique's details (Settings ▸ Boutique details,
    `boutique-book boutique set --country`), which was never read here before (issue #19: "then the store's")."""
    region = vault.scalar("SELECT value FROM settings WHERE key='home_region'") or ""
    if region:
        return region
    details = settings.get(vault, "boutique", {})
    code = details.get("country_code", "") if isinstance(details, dict) else ""
    return str(code or "").strip().upper()


def _write_children(conn, contact_id: int, contact: Contact) -> None:
    for table in ("contact_phones", "contact_emails", "contact_addresses", "contact_dates", "contact_tags"):
        conn.execute(f"DELETE FROM {table} WHERE contact_id=?", (contact_id,))
    conn.executemany(
        "INSERT INTO contact_phones(contact_id, label, raw, e164, position) VALUES (?,?,?,?,?)",
        [(contact_id, p.label, p.raw, p.e164, n) for n, p in enumerate(contact.phones)],
    )
    conn.executemany(
        "INSERT INTO contact_emails(contact_id, label, address, position) VALUES (?,?,?,?)",
        [(contact_id, e.label, e.address, n) for n, e in enumerate(contact.emails)],
    )
    conn.executemany(
        "INSERT INTO contact_addresses(contact_id, label, street, city, city_area, region, postal_code, "
        "country_code, position) VALUES (?,?,?,?,?,?,?,?,?)",
        [(contact_id, a.label, a.street, a.city, a.city_area, a.region, a.postal_code, a.country_code, n)
         for n, a in enumerate(contact.addresses)],
    )
    conn.executemany(
        "INSERT INTO contact_dates(contact_id, kind, label, value, lead_days) VALUES (?,?,?,?,?)",
        [(contact_id, d.kind, d.label, d.date.iso(), d.lead_days) for d in contact.dates],
    )
    for tag in contact.tags:
        conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
        conn.execute(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag_id) SELECT ?, id FROM tags WHERE name=?",
            (contact_id, tag),
        )


def add(vault, contact: Contact, by: int | None = None, reason: str = "") -> int:
    validate_contact(contact, home_region(vault))
    now = utc_now()
    contact.display_name = display_name(contact.given_name, contact.family_name, contact.organisation)
    contact.sort_key = sort_key(contact.given_name, contact.family_name, contact.organisation)
    with vault.transaction() as conn:
        cols = ", ".join(_SCALARS)
        cur = conn.execute(
            f"INSERT INTO contacts({cols}, display_name, sort_key, created_at, updated_at, created_by, updated_by) "
            f"VALUES ({','.join('?' * len(_SCALARS))},?,?,?,?,?,?)",
            (*[getattr(contact, c) for c in _SCALARS], contact.display_name, contact.sort_key, now, now, by, by),
        )
        contact_id = cur.lastrowid
        _write_children(conn, contact_id, contact)
        conn.execute(
            "INSERT INTO tier_history(contact_id, from_tier, to_tier, changed_at, changed_by, reason) "
            "VALUES (?,?,?,?,?,?)",
            (contact_id, None, contact.tier, now, by, reason),
        )
        search.reindex_contact(conn, contact_id)
        changelog.record(conn, "contact", contact_id, "create", by)
    contact.id = contact_id
    return contact_id


def update(vault, contact: Contact, by: int | None = None) -> None:
    """Save every field of an existing contact. A tier change goes through set_tier (it has history)."""
    if contact.id is None:
        raise NotFound("This contact has not been saved yet.")
    validate_contact(contact, home_region(vault))
    before = get(vault, contact.id)
    changed = [c for c in _SCALARS if c != "tier" and getattr(before, c) != getattr(contact, c)]
    for attr in ("phones", "emails", "addresses", "dates", "tags"):
        if getattr(before, attr) != getattr(contact, attr):
            changed.append(attr)
    contact.display_name = display_name(contact.given_name, contact.family_name, contact.organisation)
    contact.sort_key = sort_key(contact.given_name, contact.family_name, contact.organisation)
    with vault.transaction() as conn:
        sets = ", ".join(f"{c}=?" for c in _SCALARS if c != "tier")
        conn.execute(
            f"UPDATE contacts SET {sets}, display_name=?, sort_key=?, updated_at=?, updated_by=? WHERE id=?",
            (*[getattr(contact, c) for c in _SCALARS if c != "tier"], contact.display_name, contact.sort_key,
             utc_now(), by, contact.id),
        )
        _write_children(conn, contact.id, contact)
        search.reindex_contact(conn, contact.id)
        changelog.record(conn, "contact", contact.id, "update", by, ",".join(changed))
        if before.tier != contact.tier:
            set_tier(vault, contact.id, contact.tier, by)


def get(vault, contact_id: int) -> Contact:
    conn = vault.conn
    row = conn.execute(
        f"SELECT {', '.join(_SCALARS)}, display_name, sort_key, created_at, updated_at FROM contacts WHERE id=?",
        (contact_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"No contact with number {contact_id}.")
    contact = Contact(**dict(zip(_SCALARS + ("display_name", "sort_key", "created_at", "updated_at"), row)))
    contact.id = contact_id
    contact.phones = [Phone(raw, label, e164, kept=not e164) for label, raw, e164 in conn.execute(
        "SELECT label, raw, e164 FROM contact_phones WHERE contact_id=? ORDER BY position", (contact_id,))]
    contact.emails = [Email(address, label) for label, address in conn.execute(
        "SELECT label, address FROM contact_emails WHERE contact_id=? ORDER BY position", (contact_id,))]
    contact.addresses = [Address(street=r[1], city=r[2], postal_code=r[5], country_code=r[6], region=r[4],
                                 city_area=r[3], label=r[0]) for r in conn.execute(
        "SELECT label, street, city, city_area, region, postal_code, country_code FROM contact_addresses "
        "WHERE contact_id=? ORDER BY position", (contact_id,))]
    contact.dates = [KeyDate(kind, PartialDate.parse(value), label, lead) for kind, label, value, lead in
                     conn.execute("SELECT kind, label, value, lead_days FROM contact_dates WHERE contact_id=? "
                                  "ORDER BY id", (contact_id,))]
    contact.tags = tags_of(vault, contact_id)
    return contact


def tags_of(vault, contact_id: int) -> list[str]:
    return [r[0] for r in vault.conn.execute(
        "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id=t.id WHERE ct.contact_id=? "
        "ORDER BY t.name COLLATE NOCASE", (contact_id,))]


def all_tags(vault) -> list[str]:
    return [r[0] for r in vault.query("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]


def exists(vault, contact_id: int) -> bool:
    return vault.scalar("SELECT 1 FROM contacts WHERE id=?", (contact_id,)) is not None


def count(vault) -> int:
    return vault.scalar("SELECT count(*) FROM contacts")


def delete(vault, contact_id: int, by: int | None = None) -> None:
    """Delete a contact and everything hanging off it (links, moments, follow-ups cascade)."""
    with vault.transaction() as conn:
        if not conn.execute("SELECT 1 FROM contacts WHERE id=?", (contact_id,)).fetchone():
            raise NotFound(f"No contact with number {contact_id}.")
        search.unindex_contact(conn, contact_id)
        conn.execute("DELETE FROM contacts WHERE id=?", (contact_id,))
        changelog.record(conn, "contact", contact_id, "delete", by)


def set_tier(vault, contact_id: int, tier: str, by: int | None = None, reason: str = "") -> bool:
    """Move a contact to another tier with history. Returns False when it already was there."""
    if tier not in {t.value for t in Tier}:
        raise ValidationError(f"Unknown tier “{tier}”.", field="tier")
    with vault.transaction() as conn:
        current = conn.execute("SELECT tier FROM contacts WHERE id=?", (contact_id,)).fetchone()
        if current is None:
            raise NotFound(f"No contact with number {contact_id}.")
        if current[0] == tier:
            return False
        now = utc_now()
        conn.execute("UPDATE contacts SET tier=?, updated_at=?, updated_by=? WHERE id=?", (tier, now, by, contact_id))
        conn.execute(
            "INSERT INTO tier_history(contact_id, from_tier, to_tier, changed_at, changed_by, reason) "
            "VALUES (?,?,?,?,?,?)", (contact_id, current[0], tier, now, by, nfc(reason)))
        changelog.record(conn, "contact", contact_id, "tier", by, f"{current[0]}->{tier}")
    return True


def tier_history(vault, contact_id: int) -> list[TierChange]:
    return [TierChange(*r) for r in vault.query(
        "SELECT h.from_tier, h.to_tier, h.changed_at, h.changed_by, coalesce(s.name, ''), h.reason "
        "FROM tier_history h LEFT JOIN staff s ON s.id=h.changed_by WHERE h.contact_id=? ORDER BY h.id",
        (contact_id,))]


def bulk_set_tier(vault, contact_ids, tier: str, by: int | None = None, reason: str = "") -> int:
    with vault.transaction():
        return sum(1 for cid in contact_ids if set_tier(vault, cid, tier, by, reason))


def bulk_tag(vault, contact_ids, tag: str, add_it: bool = True, by: int | None = None) -> int:
    tag = nfc(tag)
    if not tag:
        raise ValidationError(_("The tag is empty."), field="tag")
    changed = 0
    with vault.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (tag,))
        tag_id = conn.execute("SELECT id FROM tags WHERE name=?", (tag,)).fetchone()[0]
        for cid in contact_ids:
            if add_it:
                cur = conn.execute("INSERT OR IGNORE INTO contact_tags(contact_id, tag_id) VALUES (?,?)", (cid, tag_id))
            else:
                cur = conn.execute("DELETE FROM contact_tags WHERE contact_id=? AND tag_id=?", (cid, tag_id))
            if cur.rowcount:
                changed += 1
                search.reindex_contact(conn, cid)
                changelog.record(conn, "contact", cid, "tag" if add_it else "untag", by)
    return changed


def record_consent(vault, contact_id: int, purpose: str, granted: bool, by: int | None = None,
                   wording_version: str = "1") -> None:
    with vault.transaction() as conn:
        conn.execute(
            "INSERT INTO consents(contact_id, purpose, granted, wording_version, recorded_at, recorded_by) "
            "VALUES (?,?,?,?,?,?)", (contact_id, purpose, int(granted), wording_version, utc_now(), by))
        changelog.record(conn, "contact", contact_id, "consent", by, f"{purpose}={'yes' if granted else 'no'}")


def consents(vault, contact_id: int) -> dict[str, Consent]:
    """Current consent per purpose (the newest record wins)."""
    current: dict[str, Consent] = {}
    for purpose, granted, version, at, by, name in vault.query(
        "SELECT c.purpose, c.granted, c.wording_version, c.recorded_at, c.recorded_by, coalesce(s.name, '') "
        "FROM consents c LEFT JOIN staff s ON s.id=c.recorded_by WHERE c.contact_id=? ORDER BY c.id",
        (contact_id,)):
        current[purpose] = Consent(purpose, bool(granted), version, at, by, name)
    return current


def has_consent(vault, contact_id: int, purpose: str) -> bool:
    consent = consents(vault, contact_id).get(purpose)
    return bool(consent and consent.granted)


def save_with_consent(vault, contact: Contact, consent: dict[str, bool] | None = None,
                      by: int | None = None) -> int:
    """The contact form's Save: add or update the contact and record each consent that changed, as ONE
    transaction (a failure saves none of it, and the form can try again). Returns the contact's id."""
    from .model import ConsentPurpose

    unknown = set(consent or ()) - {p.value for p in ConsentPurpose}
    if unknown:
        raise ValidationError(f"Unknown consent purpose “{sorted(unknown)[0]}”.", field="consent")
    new = contact.id is None
    try:
        with vault.transaction():
            if new:
                add(vault, contact, by=by)
            else:
                update(vault, contact, by=by)
            for purpose, granted in sorted((consent or {}).items()):
                record_consent(vault, contact.id, purpose, granted, by=by)
    except BaseException:
        if new:
            contact.id = None  # nothing was written: a retry adds, it does not update a row that is not there
        raise
    return contact.id


def add_many(vault, new_contacts: list[Contact], by: int | None = None, reason: str = "",
             validated: bool = False) -> list[int]:
    """Add many contacts in one transaction (import): the same rows as add(), written with executemany.
    Validates every contact first (unless the caller already ran validation.contact_problems on each and
    got none); nothing is written if one is invalid. Returns the new ids in order."""
    region = home_region(vault)
    for contact in new_contacts:
        if not validated:
            validate_contact(contact, region)
        contact.display_name = display_name(contact.given_name, contact.family_name, contact.organisation)
        contact.sort_key = sort_key(contact.given_name, contact.family_name, contact.organisation)
    now = utc_now()
    ids: list[int] = []
    cols = ", ".join(_SCALARS)
    with vault.transaction() as conn:
        for contact in new_contacts:
            cur = conn.execute(
                f"INSERT INTO contacts({cols}, display_name, sort_key, created_at, updated_at, created_by, "
                f"updated_by) VALUES ({','.join('?' * len(_SCALARS))},?,?,?,?,?,?)",
                (*[getattr(contact, c) for c in _SCALARS], contact.display_name, contact.sort_key, now, now, by, by))
            contact.id = cur.lastrowid
            ids.append(cur.lastrowid)
        conn.executemany(
            "INSERT INTO contact_phones(contact_id, label, raw, e164, position) VALUES (?,?,?,?,?)",
            [(c.id, p.label, p.raw, p.e164, n) for c in new_contacts for n, p in enumerate(c.phones)])
        conn.executemany(
            "INSERT INTO contact_emails(contact_id, label, address, position) VALUES (?,?,?,?)",
            [(c.id, e.label, e.address, n) for c in new_contacts for n, e in enumerate(c.emails)])
        conn.executemany(
            "INSERT INTO contact_addresses(contact_id, label, street, city, city_area, region, postal_code, "
            "country_code, position) VALUES (?,?,?,?,?,?,?,?,?)",
            [(c.id, a.label, a.street, a.city, a.city_area, a.region, a.postal_code, a.country_code, n)
             for c in new_contacts for n, a in enumerate(c.addresses)])
        conn.executemany(
            "INSERT INTO contact_dates(contact_id, kind, label, value, lead_days) VALUES (?,?,?,?,?)",
            [(c.id, d.kind, d.label, d.date.iso(), d.lead_days) for c in new_contacts for d in c.dates])
        all_tags = sorted({t for c in new_contacts for t in c.tags})
        conn.executemany("INSERT OR IGNORE INTO tags(name) VALUES (?)", [(t,) for t in all_tags])
        conn.executemany(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag_id) SELECT ?, id FROM tags WHERE name=?",
            [(c.id, t) for c in new_contacts for t in c.tags])
        conn.executemany(
            "INSERT INTO tier_history(contact_id, from_tier, to_tier, changed_at, changed_by, reason) "
            "VALUES (?,?,?,?,?,?)", [(c.id, None, c.tier, now, by, reason) for c in new_contacts])
        for contact_id in ids:
            search.reindex_contact(conn, contact_id)
        conn.executemany(
            "INSERT INTO change_log(at, staff_id, entity, entity_id, action, detail) VALUES (?,?,?,?,?,?)",
            [(now, by, "contact", cid, "create", "") for cid in ids])
    return ids


def add_with_note(vault, contact: Contact, note: str | None = None, by: int | None = None,
                  on: "dt.date | None" = None) -> int:
    """Add a contact and (when given) a first shared moment as ONE user action: both are saved in one
    transaction, so a failure (disk full, a bad note) saves neither and a retry never duplicates."""
    import datetime as dt

    from . import moments
    from .model import Moment

    first = Moment(0, note or "", on or dt.date.today()) if note is not None else None
    if first is not None:
        moments.validate(first)  # before anything is written
    with vault.transaction():
        contact_id = add(vault, contact, by=by)
        if first is not None:
            first.contact_id = contact_id
            moments.add(vault, first, by=by)
    return contact_id
