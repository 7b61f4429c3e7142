"""Export contacts (all, a selection of ids, a tier, a search) to vCard 4.0, vCard 3.0 or CSV.

Contacts are loaded in chunks of 500 with one query per child table (not six queries per contact),
and written to a temporary file that is renamed into place at the end: a cancel or an error leaves
no half-written export behind.
"""

from __future__ import annotations

from pathlib import Path

from ..core import changelog, durable, search
from ..core.manager import ManagerSession, require
from ..core.errors import ValidationError
from ..core.jobs import check
from ..core.model import Address, Contact, Email, KeyDate, PartialDate, Phone, Tier
from .csv_io import write_csv
from .vcard_write import contact_to_vcard

FORMATS = ("vcard4", "vcard3", "csv")
CHUNK = 500
EXPORT_CACHE_KIB = -131072  # page cache during an export: up to 128 MiB, used only as pages are read
_SCALARS = ("given_name", "family_name", "organisation", "transliteration", "title", "salutation", "formality",
            "kind", "tier", "language", "country", "preferred_channel", "first_met_source", "first_met_note",
            "first_met_contact_id", "photo", "display_name", "sort_key", "created_at", "updated_at")


def select_ids(vault, ids=None, tier: str | None = None, query: str | None = None) -> list[int]:
    """Contact ids in the book's order (sort key) for: the given ids, a tier, a search, or everyone."""
    if ids is not None:
        wanted = {int(i) for i in ids}
        return [i for i in _all_ids(vault) if i in wanted]
    if tier:
        if tier not in {t.value for t in Tier}:
            raise ValidationError(f"Unknown tier “{tier}”.", field="tier")
        return [r[0] for r in vault.query("SELECT id FROM contacts WHERE tier=? ORDER BY sort_key, id", (tier,))]
    if query:
        return search.search_ids(vault.conn, query, limit=1_000_000)
    return _all_ids(vault)


def _all_ids(vault) -> list[int]:
    return [r[0] for r in vault.query("SELECT id FROM contacts ORDER BY sort_key, id")]


def load_contacts(vault, ids: list[int]) -> list[Contact]:
    """Full contacts for ids (in that order), a few queries per chunk."""
    if not ids:
        return []
    conn = vault.conn
    marks = ",".join("?" * len(ids))
    by_id: dict[int, Contact] = {}
    for row in conn.execute(f"SELECT id, {', '.join(_SCALARS)} FROM contacts WHERE id IN ({marks})", ids):
        contact = Contact(**dict(zip(_SCALARS, row[1:])))
        contact.id = row[0]
        by_id[row[0]] = contact
    for cid, label, raw, e164 in conn.execute(
            f"SELECT contact_id, label, raw, e164 FROM contact_phones WHERE contact_id IN ({marks}) "
            "ORDER BY contact_id, position", ids):
        by_id[cid].phones.append(Phone(raw, label, e164))
    for cid, label, address in conn.execute(
            f"SELECT contact_id, label, address FROM contact_emails WHERE contact_id IN ({marks}) "
            "ORDER BY contact_id, position", ids):
        by_id[cid].emails.append(Email(address, label))
    for r in conn.execute(
            f"SELECT contact_id, label, street, city, city_area, region, postal_code, country_code "
            f"FROM contact_addresses WHERE contact_id IN ({marks}) ORDER BY contact_id, position", ids):
        by_id[r[0]].addresses.append(Address(street=r[2], city=r[3], postal_code=r[6], country_code=r[7],
                                             region=r[5], city_area=r[4], label=r[1]))
    for cid, kind, label, value, lead in conn.execute(
            f"SELECT contact_id, kind, label, value, lead_days FROM contact_dates WHERE contact_id IN ({marks}) "
            "ORDER BY contact_id, id", ids):
        try:
            by_id[cid].dates.append(KeyDate(kind, PartialDate.parse(value), label, lead))
        except ValueError:
            continue
    for cid, name in conn.execute(
            f"SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id=ct.tag_id "
            f"WHERE ct.contact_id IN ({marks}) ORDER BY t.name COLLATE NOCASE", ids):
        by_id[cid].tags.append(name)
    return [by_id[i] for i in ids if i in by_id]


def iter_contacts(vault, ids: list[int], progress=None, cancelled=None):
    total = len(ids)
    for start in range(0, total, CHUNK):
        check(cancelled)
        yield from load_contacts(vault, ids[start:start + CHUNK])
        if progress:
            progress(min(start + CHUNK, total), total)


def _store_id(vault) -> str:
    return vault.scalar("SELECT value FROM meta WHERE key='store_id'") or "store"


def export_contacts(vault, path, fmt: str = "vcard4", ids=None, tier=None, query=None, progress=None,
                    cancelled=None, *, session: ManagerSession) -> int:
    """Write the selected contacts to path. Returns how many were written. A manager act: contacts leave
    the encrypted book in clear, so `session` (core.manager.unlock) is required, by the CLI and the UI alike."""
    require(session, vault)
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown export format “{fmt}” (use {', '.join(FORMATS)}).", field="format")
    path = Path(path)
    selected = select_ids(vault, ids, tier, query)
    store = _store_id(vault)
    # Contacts come in name order, so their child rows are scattered over the file: with the default
    # 8 MB page cache every chunk decrypts the same pages again (3x slower at 40k contacts).
    cache = vault.scalar("PRAGMA cache_size")
    vault.execute(f"PRAGMA cache_size = {EXPORT_CACHE_KIB}")
    try:
        if fmt == "csv":
            with durable.open_for_save(path, "w", encoding="utf-8-sig", newline="") as fh:
                counts = _max_counts(vault, selected)
                written = write_csv(iter_contacts(vault, selected, progress, cancelled), fh, *counts)
        else:
            version = "4.0" if fmt == "vcard4" else "3.0"
            written = 0
            with durable.open_for_save(path, "w", encoding="utf-8", newline="") as fh:
                for contact in iter_contacts(vault, selected, progress, cancelled):
                    fh.write(contact_to_vcard(contact, version, uid=f"urn:boutique-book:{store}:{contact.id}"))
                    written += 1
    finally:
        vault.execute(f"PRAGMA cache_size = {int(cache)}")
    with vault.transaction() as conn:
        changelog.audit(conn, session.actor, "export", format=fmt, count=written,
                        selection="ids" if ids is not None else "tier" if tier else "query" if query else "all")
    return written


def _max_counts(vault, ids: list[int]) -> tuple[int, int, int]:
    """Columns needed for the most phones / emails / addresses any selected contact has (at least 1)."""
    def most(table):
        value = vault.scalar(f"SELECT max(n) FROM (SELECT count(*) AS n FROM {table} GROUP BY contact_id)")
        return max(1, min(int(value or 1), 20))

    return most("contact_phones"), most("contact_emails"), most("contact_addresses")
