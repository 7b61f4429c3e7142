"""Privacy duties: consent withdrawal, erasure that really removes the data from the file, retention review.

Erasure (erase_contact) in order:
1. One transaction: collect the person's moments, follow-ups and links; delete their rows from the
   full-text index (contact_fts, moment_fts); delete the contact (moments, follow-ups and their events,
   links from and to others, tier history, consents, tags, dates, addresses, phones, e-mails, cases and
   season lists cascade; other people's "first met through" becomes empty); delete the change-log rows
   about them and their moments/follow-ups/links (the change log holds no values, but ids tie back to
   them); rewrite the FTS5 indexes with 'optimize' so no old segment keeps their words; and write one
   audit entry with only the (now meaningless) contact number and counts, never a name.
2. After commit: `PRAGMA wal_checkpoint(TRUNCATE)` so no page of the old data lingers in the -wal file,
   then `VACUUM` (rebuilds the file without free pages) and another TRUNCATE checkpoint. secure_delete=ON
   already zeroes every freed page and deleted cell, so VACUUM is a second line of defence; it is skipped
   on vaults above VACUUM_LIMIT_BYTES because with temp_store=MEMORY it needs as much RAM as the file.
   Both paths are tested against the decrypted pages of the file.

The contact number stays in the audit log (ids and counts only, never a name). The erasure register
(core.erasure_register: the number and keyed hashes, no names) is what a restore uses to erase the person
again from an older backup it brings back. Older copies (backups here and on USB sticks, books set aside by
a restore) are listed by core.old_copies, and a manager can purge them right after the erasure.
"""

from __future__ import annotations

import datetime as dt

from . import changelog, contacts as contacts_lib, erasure_register, search
from .errors import NotFound, ValidationError
from .jobs import check
from ..i18n import N_, _
from .manager import ManagerSession, require
from .model import ConsentPurpose, utc_now

RETENTION_KEY = "retention_years"
DEFAULT_RETENTION_YEARS = 3

BACKUP_NOTE = N_("Older copies of the book still hold this person until they are deleted: the backups and set-aside "
                 "books listed here. The erasure register makes a restore of any of them erase this person again.")


# -- consent --------------------------------------------------------------------------------------

def give_consent(vault, contact_id: int, purpose: str, by: int | None = None, wording_version: str = "1") -> None:
    _check_purpose(purpose)
    contacts_lib.record_consent(vault, contact_id, purpose, True, by=by, wording_version=wording_version)


def withdraw_consent(vault, contact_id: int, purpose: str, by: int | None = None, wording_version: str = "1") -> None:
    """One action, as easy as giving it: a new consent record saying no (history is kept)."""
    _check_purpose(purpose)
    if not contacts_lib.exists(vault, contact_id):
        raise NotFound(f"No contact with number {contact_id}.")
    contacts_lib.record_consent(vault, contact_id, purpose, False, by=by, wording_version=wording_version)


def _check_purpose(purpose: str) -> None:
    if purpose not in {p.value for p in ConsentPurpose}:
        raise ValidationError(f"Unknown consent purpose “{purpose}”.", field="purpose")


# -- erasure --------------------------------------------------------------------------------------

def erasure_preview(vault, contact_id: int) -> dict:
    """What an erasure of this person will remove (for the confirmation dialog)."""
    row = vault.conn.execute("SELECT display_name FROM contacts WHERE id=?", (contact_id,)).fetchone()
    if row is None:
        raise NotFound(f"No contact with number {contact_id}.")
    q = vault.scalar
    return {
        "id": contact_id,
        "name": row[0],
        "moments": q("SELECT count(*) FROM moments WHERE contact_id=?", (contact_id,)),
        "followups": q("SELECT count(*) FROM followups WHERE contact_id=?", (contact_id,)),
        "links": q("SELECT count(*) FROM links WHERE from_id=? OR to_id=?", (contact_id, contact_id)),
        "backup_note": BACKUP_NOTE,
        "clear_copies": clear_copies(vault, contact_id),
    }


def _ids(conn, sql, params) -> list[int]:
    return [r[0] for r in conn.execute(sql, params)]


def _delete_change_log(conn, contact_id: int, moment_ids, followup_ids, link_ids) -> int:
    deleted = conn.execute("DELETE FROM change_log WHERE entity='contact' AND entity_id=?", (contact_id,)).rowcount
    for entity, ids in (("moment", moment_ids), ("followup", followup_ids), ("link", link_ids)):
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            deleted += conn.execute(
                f"DELETE FROM change_log WHERE entity=? AND entity_id IN ({','.join('?' * len(chunk))})",
                (entity, *chunk)).rowcount
    # Rows about things already deleted earlier still name the contact in their detail.
    deleted += conn.execute(
        "DELETE FROM change_log WHERE entity IN ('moment', 'followup') AND detail=?", (f"contact={contact_id}",)
    ).rowcount
    for log_id, detail in conn.execute("SELECT id, detail FROM change_log WHERE entity='link'").fetchall():
        ends = detail.split(":", 1)[0].split("->")
        if str(contact_id) in ends:
            deleted += conn.execute("DELETE FROM change_log WHERE id=?", (log_id,)).rowcount
    return deleted


VACUUM_LIMIT_BYTES = 200 * 1024 * 1024


def _erase_rows(conn, contact_id: int) -> dict:
    """Step 1 of an erasure, inside the caller's write transaction: every row about the person. Returns counts."""
    moment_ids = _ids(conn, "SELECT id FROM moments WHERE contact_id=?", (contact_id,))
    followup_ids = _ids(conn, "SELECT id FROM followups WHERE contact_id=?", (contact_id,))
    link_ids = _ids(conn, "SELECT id FROM links WHERE from_id=? OR to_id=?", (contact_id, contact_id))
    search.unindex_contact(conn, contact_id)
    for moment_id in moment_ids:
        search.unindex_moment(conn, moment_id)
    conn.execute("DELETE FROM contacts WHERE id=?", (contact_id,))
    log_rows = _delete_change_log(conn, contact_id, moment_ids, followup_ids, link_ids)
    # Merge every FTS5 segment into one: the deleted words are not carried over into the new segment,
    # and the old segments' pages are freed (and zeroed by secure_delete).
    conn.execute("INSERT INTO contact_fts(contact_fts) VALUES('optimize')")
    conn.execute("INSERT INTO moment_fts(moment_fts) VALUES('optimize')")
    return {"moments": len(moment_ids), "followups": len(followup_ids), "links": len(link_ids),
            "change_log_rows": log_rows}


def erase_contact(vault, session: ManagerSession, contact_id: int, progress=None, cancelled=None,
                  vacuum: bool | None = None) -> dict:
    """Erase a person for real (see module doc). Returns counts and whether the file was scrubbed."""
    require(session, vault)
    progress = progress or (lambda done, total: None)
    check(cancelled)
    progress(0, 3)
    with vault.transaction() as conn:
        if conn.execute("SELECT 1 FROM contacts WHERE id=?", (contact_id,)).fetchone() is None:
            raise NotFound(f"No contact with number {contact_id}.")
        erasure_register.record(conn, contact_id, utc_now())
        counts = _erase_rows(conn, contact_id)
        changelog.audit(conn, session.actor, "erasure", contact=contact_id, **counts)
    progress(1, 3)
    if vacuum is None:
        vacuum = vault.path.stat().st_size <= VACUUM_LIMIT_BYTES
    scrubbed = scrub_file(vault, vacuum)
    progress(3, 3)
    return {"contact": contact_id, "scrubbed": scrubbed, **counts}


def reapply_erasures(vault, snap: erasure_register.Snapshot | None = None,
                     actor: str = "restore") -> erasure_register.ReapplyReport:
    """After a restore: merge the replaced book's register (snap) into this one, then erase again everyone
    registered who is in this book (core.erasure_register). One audit entry with ids and counts."""
    with vault.transaction() as conn:
        if snap is not None:
            erasure_register.merge(conn, snap)
        ids, report = erasure_register.to_erase(conn)
        for contact_id in ids:
            _erase_rows(conn, contact_id)
        report.erased = ids
        if report.registered:
            changelog.audit(conn, actor, "erasures_reapplied", contacts=ids, already_gone=report.already_gone,
                            mismatched=report.mismatched)
    if ids:
        scrub_file(vault, vault.path.stat().st_size <= VACUUM_LIMIT_BYTES)
    return report


def scrub_file(vault, vacuum: bool = True) -> bool:
    """Checkpoint the WAL into the main file, rebuild the file without free pages (vacuum), truncate the WAL.
    Freed pages are already zeroed by secure_delete, so VACUUM is a second line, skipped on big vaults
    (with temp_store=MEMORY it needs as much RAM as the file is large).
    Returns False when another connection kept the WAL busy (the data is deleted, but a page image may
    remain in the -wal file until the next checkpoint)."""
    import sqlcipher3.dbapi2 as sqlite

    conn = vault.conn
    with vault._lock:
        try:
            busy_before = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if vacuum:
                conn.execute("VACUUM")
            busy_after = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite.OperationalError:  # e.g. another statement still reading on this connection
            return False
    return not busy_before and not busy_after


# -- retention ------------------------------------------------------------------------------------

def retention_years(vault) -> int:
    from . import settings

    value = settings.get(vault, RETENTION_KEY, DEFAULT_RETENTION_YEARS)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_RETENTION_YEARS


def set_retention_years(vault, session: ManagerSession, years: int) -> None:
    from . import settings

    require(session, vault)
    if not 1 <= int(years) <= 50:
        raise ValidationError(_("The retention period must be between 1 and 50 years."), field="years")
    settings.put(vault, RETENTION_KEY, int(years), actor=session.actor)


def retention_review(vault, years: int | None = None, today: dt.date | None = None) -> list[dict]:
    """Prospects with no moment for `years` (default: the store setting), oldest silence first.
    A prospect with no moment at all counts from the day it was created."""
    years = years if years is not None else retention_years(vault)
    today = today or dt.date.today()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    rows = vault.query(
        "SELECT c.id, c.display_name, c.created_at, m.last FROM contacts c "
        "LEFT JOIN (SELECT contact_id, max(occurred_on) AS last FROM moments GROUP BY contact_id) m "
        "ON m.contact_id = c.id "
        "WHERE c.kind='prospect' AND coalesce(m.last, substr(c.created_at, 1, 10)) < ? "
        "ORDER BY coalesce(m.last, substr(c.created_at, 1, 10)), c.sort_key",
        (cutoff.isoformat(),))
    return [{"id": r[0], "name": r[1], "created_at": r[2], "last_moment": r[3] or ""} for r in rows]


# -- copies in clear that left the vault ------------------------------------------------------------

def clear_copies(vault, contact_id: int) -> dict:
    """Copies in clear that may hold this person, from the audit log (read BEFORE the erasure: the consent
    history goes with the person). The app never records where a clear export was saved (a path often
    names a person), so it can count them, not find them: contact exports made since the person was added,
    exports of this person's data, and consenting HQ exports since the person first consented to HQ."""
    conn = vault.conn
    created = vault.scalar("SELECT created_at FROM contacts WHERE id=?", (contact_id,)) or ""
    consented = vault.scalar("SELECT min(recorded_at) FROM consents WHERE contact_id=? AND purpose=? AND granted=1",
                             (contact_id, ConsentPurpose.SHARE_HQ.value))
    book, person, hq = [], [], []
    for entry in changelog.audit_entries(conn):
        detail = entry["detail"] if isinstance(entry["detail"], dict) else {}
        if entry["action"] == "export" and entry["at"] >= created:
            book.append(entry["at"])
        elif entry["action"] == "person_export" and detail.get("contact_id") == contact_id:
            person.append(entry["at"])
        elif (entry["action"] == "hq_export" and detail.get("profile") == "consenting" and consented
              and entry["at"] >= consented):
            hq.append(entry["at"])
    return {"contact_exports": len(book), "person_exports": len(person), "hq_consenting": len(hq),
            "latest": max(book + person, default="")}


def clear_copies_note(counts: dict) -> str:
    """One or two sentences for the manager about clear_copies (empty when there is none)."""
    from ..i18n import _, ngettext

    parts = []
    if counts.get("contact_exports"):
        parts.append(ngettext("{n} export of contacts", "{n} exports of contacts",
                              counts["contact_exports"]).format(n=counts["contact_exports"]))
    if counts.get("person_exports"):
        parts.append(ngettext("{n} export of this person's data", "{n} exports of this person's data",
                              counts["person_exports"]).format(n=counts["person_exports"]))
    text = ""
    if parts:
        from .formatting import datetime_text

        text = _("Files exported in clear since this person was added may hold them too ({what}, the latest "
                 "{when}): the book does not record where they were saved, so delete them there.").format(
            what=", ".join(parts), when=datetime_text(counts["latest"]))
    if counts.get("hq_consenting"):
        text += (" " if text else "") + ngettext(
            "This person was in {n} consenting-profile export to HQ: ask HQ to erase them too.",
            "This person was in {n} consenting-profile exports to HQ: ask HQ to erase them too.",
            counts["hq_consenting"]).format(n=counts["hq_consenting"])
    return text
