"""Merge two contacts into one, keeping everything that hangs off both.

The person picks, per field, which side's value to keep (MergeChoice); phones, emails, addresses,
dates and tags are united. Then, in ONE transaction:
  1. the kept contact is updated with the chosen fields (core.contacts.update);
  2. every foreign key that points at the other contact is re-pointed at the kept one. The columns are
     found from the schema (PRAGMA foreign_key_list on every table), so tables added by later
     migrations (printing, HQ, calendar ...) follow without a change here. UPDATE OR IGNORE leaves a
     row behind only where it would collide (e.g. both were on the same season list, or a link
     between the two would become a self-link); those go with the deleted contact;
  3. moment search rows move too; duplicate links (A-friend-C twice) are collapsed;
  4. the other contact is deleted and the search index rebuilt for the kept one.
The change log is append-only, so the other contact's history stays under its old number; a
'merge' entry on the kept contact records it, and change_history() follows those entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import changelog, contacts, search
from ..core import phones as phones_lib
from ..core.errors import ValidationError
from ..core.model import SYMMETRIC_LINKS, Contact, LinkType
from .importer import merge_into

SCALAR_FIELDS = ("given_name", "family_name", "organisation", "transliteration", "title", "salutation",
                 "formality", "kind", "tier", "language", "country", "preferred_channel", "first_met_source",
                 "first_met_note", "photo")
# Child tables whose rows are rewritten from the merged contact (so not re-pointed).
_OWNED = {"contact_phones", "contact_emails", "contact_addresses", "contact_dates", "contact_tags"}


@dataclass
class MergeChoice:
    """For each scalar field: 'a' (the kept contact) or 'b' (the other). Missing fields keep 'a', or
    'b' when a's value is empty."""
    fields: dict[str, str] = field(default_factory=dict)


def merged_preview(a: Contact, b: Contact, choice: MergeChoice | None = None) -> Contact:
    """The contact that merge() would keep (a's id), without writing."""
    choice = choice or MergeChoice()
    result = Contact(**{k: getattr(a, k) for k in Contact.__dataclass_fields__})
    result.phones, result.emails = list(a.phones), list(a.emails)
    result.addresses, result.dates, result.tags = list(a.addresses), list(a.dates), list(a.tags)
    for name in SCALAR_FIELDS:
        side = choice.fields.get(name)
        if side not in ("a", "b"):
            side = "b" if not getattr(a, name) and getattr(b, name) else "a"
        setattr(result, name, getattr(b if side == "b" else a, name))
    merge_into(result, Contact(**{k: getattr(b, k) for k in Contact.__dataclass_fields__}))
    # merge_into fills empty scalars from b; respect an explicit choice of a's empty value
    for name in SCALAR_FIELDS:
        if choice.fields.get(name) == "a":
            setattr(result, name, getattr(a, name))
    return result


def _contact_fk_columns(conn) -> list[tuple[str, str]]:
    columns = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE "
                                         "'CREATE VIRTUAL TABLE%'")]
    for table in tables:
        if table in _OWNED:
            continue
        try:
            fks = conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        except Exception:
            continue
        for fk in fks:
            # (id, seq, table, from, to, on_update, on_delete, match)
            if fk[2] == "contacts":
                columns.append((table, fk[3]))
    return columns


def merge(vault, keep_id: int, other_id: int, choice: MergeChoice | None = None, by: int | None = None) -> int:
    """Merge other_id into keep_id. Returns keep_id."""
    if keep_id == other_id:
        raise ValidationError("Choose two different contacts to merge.", field="contact")
    a, b = contacts.get(vault, keep_id), contacts.get(vault, other_id)
    merged = merged_preview(a, b, choice)
    wanted_tier = merged.tier
    merged.tier = a.tier  # a tier change goes through set_tier (history)
    if merged.first_met_contact_id in (keep_id, other_id):
        merged.first_met_contact_id = None
    region = merged.country or contacts.home_region(vault)
    for phone in merged.phones:  # a number typed in the other person's country must still read right
        try:
            phones_lib.normalise(phone.raw, region)
        except ValidationError:
            if phone.e164:
                phone.raw = phones_lib.display(phone.e164, phone.raw)  # keeps an extension
    with vault.transaction() as conn:
        for table, column in _contact_fk_columns(conn):
            conn.execute(f'UPDATE OR IGNORE "{table}" SET "{column}"=? WHERE "{column}"=?', (keep_id, other_id))
        conn.execute("UPDATE contacts SET first_met_contact_id=NULL WHERE id=? AND first_met_contact_id=?",
                     (keep_id, keep_id))
        conn.execute("UPDATE moment_fts SET contact_id=? WHERE contact_id=?", (keep_id, other_id))
        conn.execute("DELETE FROM moment_people WHERE contact_id=? AND moment_id IN "
                     "(SELECT id FROM moments WHERE contact_id=?)", (keep_id, keep_id))
        _collapse_links(conn, keep_id)
        contacts.update(vault, merged, by=by)
        if wanted_tier != a.tier:
            contacts.set_tier(vault, keep_id, wanted_tier, by, reason="merge")
        search.unindex_contact(conn, other_id)
        conn.execute("DELETE FROM contacts WHERE id=?", (other_id,))
        search.reindex_contact(conn, keep_id)
        changelog.record(conn, "contact", keep_id, "merge", by, f"merged={other_id}")
        changelog.record(conn, "contact", other_id, "merged_into", by, f"into={keep_id}")
    return keep_id


def _collapse_links(conn, contact_id: int) -> None:
    seen: set = set()
    for link_id, from_id, to_id, link_type in conn.execute(
            "SELECT id, from_id, to_id, type FROM links WHERE from_id=? OR to_id=? ORDER BY id",
            (contact_id, contact_id)).fetchall():
        try:
            symmetric = LinkType(link_type) in SYMMETRIC_LINKS
        except ValueError:
            symmetric = False
        key = (min(from_id, to_id), max(from_id, to_id), link_type) if symmetric else (from_id, to_id, link_type)
        if key in seen:
            conn.execute("DELETE FROM links WHERE id=?", (link_id,))
        seen.add(key)


def merged_ids(conn, contact_id: int) -> list[int]:
    """contact_id and every contact merged into it (recursively), oldest merges included."""
    found, todo = [contact_id], [contact_id]
    while todo:
        current = todo.pop()
        for (detail,) in conn.execute("SELECT detail FROM change_log WHERE entity='contact' AND entity_id=? "
                                      "AND action='merge'", (current,)):
            try:
                other = int(detail.split("=", 1)[1])
            except (IndexError, ValueError):
                continue
            if other not in found:
                found.append(other)
                todo.append(other)
    return found


def change_history(conn, contact_id: int) -> list[dict]:
    """The change history of a contact including that of the contacts merged into it, in time order."""
    entries = []
    for cid in merged_ids(conn, contact_id):
        for entry in changelog.history(conn, "contact", cid):
            entry["contact_id"] = cid
            entries.append(entry)
    entries.sort(key=lambda e: e["at"])
    return entries


def related_counts(vault, contact_id: int) -> dict[str, int]:
    """What hangs off a contact (shown in the merge view: all of it is kept)."""
    one = vault.scalar
    return {
        "moments": one("SELECT count(*) FROM moments WHERE contact_id=?", (contact_id,)),
        "followups": one("SELECT count(*) FROM followups WHERE contact_id=?", (contact_id,)),
        "links": one("SELECT count(*) FROM links WHERE from_id=? OR to_id=?", (contact_id, contact_id)),
        "consents": one("SELECT count(*) FROM consents WHERE contact_id=?", (contact_id,)),
        "history": one("SELECT count(*) FROM change_log WHERE entity='contact' AND entity_id=?", (contact_id,)),
    }
