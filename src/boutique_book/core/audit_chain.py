"""The audit log's hash chain: tamper evidence, not tamper proofing (issue #18, docs/safety.md).

Each audit entry carries `hash = SHA-256("bb-audit/1" | previous entry's hash | id | at | actor | action |
detail)` (a canonical JSON array; the first entry's previous hash is 64 zeros). The chain head (the last
entry's id and hash) leaves the store in every backup (a backup is a whole copy of the vault, audit log
included) and in every HQ bundle's manifest (`manifest_section`).

What it protects against:
- A row deleted, changed or inserted in the middle of the log (e.g. someone with the counter passphrase and
  Python drops the append-only triggers, deletes the "export" rows and recreates the triggers) is found by
  `verify` (CLI `verify` and `audit --verify`): the first broken link is reported by its entry number.
- A rewrite that also recomputes every hash after the change is consistent on its own, so it cannot be
  seen from the vault alone; it IS seen as soon as a head that left the store before the rewrite is
  compared: an older backup (`compare_with_backup`), or an earlier HQ bundle (`compare_manifests` at HQ: a
  later bundle lists the hashes it now has at the heads of the store's earlier bundles).
What it does not protect against:
- Entries removed from the END of the log before any head left the store (the chain is then simply
  shorter): only the counts in later heads show it, and only if one left the store in between.
- A rewrite by someone who also replaces every copy of a head: backups in the managed folder beside the
  vault (same passphrase), and, with Python, a forged "checkpoints" list in the next bundle. Copies out of
  reach (a USB backup in the manager's drawer, bundles already at HQ) are what make a rewrite evident.
- The hash is not keyed: a key kept in the vault would be readable by the same person.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..i18n import N_, _

GENESIS = "0" * 64
REWRITTEN = N_("the audit log was rewritten between the two bundles")
VERSION = "bb-audit/1"
GUARD_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


def entry_hash(prev: str, entry_id: int, at: str, actor: str, action: str, detail: str) -> str:
    payload = json.dumps([VERSION, prev, int(entry_id), at, actor, action, detail], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(conn, at: str, actor: str, action: str, detail: str) -> int:
    """Insert one audit entry with its chain hash. Call inside the write transaction of the change it
    describes (the previous hash is read in the same transaction, so two writers cannot fork the chain)."""
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev = (row[0], row[1] or GENESIS) if row else (0, GENESIS)
    entry_id = prev_id + 1
    conn.execute("INSERT INTO audit_log(id, at, actor, action, detail, hash) VALUES (?,?,?,?,?,?)",
                 (entry_id, at, actor, action, detail, entry_hash(prev, entry_id, at, actor, action, detail)))
    return entry_id


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    head_id: int
    head: str
    broken_at: int | None = None     # the first entry whose link does not hold
    problem: str = ""                # one sentence for a person


def verify(conn) -> ChainReport:
    """Recompute the chain from the first entry; report the first broken link, and missing guards."""
    prev, count, last_id, expected_id = GENESIS, 0, 0, None
    for entry_id, at, actor, action, detail, stored in conn.execute(
            "SELECT id, at, actor, action, detail, hash FROM audit_log ORDER BY id"):
        count += 1
        if expected_id is not None and entry_id != expected_id:
            problem = _("entries {first}–{last} are missing (deleted); the chain breaks at entry {entry}").format(
                first=expected_id, last=entry_id - 1, entry=entry_id)
            return ChainReport(False, count, last_id, prev, entry_id, problem)
        if stored != entry_hash(prev, entry_id, at, actor, action, detail):
            return ChainReport(False, count, last_id, prev, entry_id,
                               _("entry {entry} does not match its hash (changed, or an entry before it was removed or "
                                 "inserted)").format(entry=entry_id))
        prev, last_id, expected_id = stored, entry_id, entry_id + 1
    missing = [t for t in GUARD_TRIGGERS if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=?", (t,)).fetchone()]
    if missing:
        return ChainReport(False, count, last_id, prev, None,
                           _("the append-only guard of the audit log has been removed"))
    return ChainReport(True, count, last_id, prev)


def head(conn) -> tuple[int, str]:
    """(id, hash) of the last entry; (0, GENESIS) for an empty log."""
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1] or GENESIS) if row else (0, GENESIS)


def hash_at(conn, entry_id: int) -> str | None:
    row = conn.execute("SELECT hash FROM audit_log WHERE id=?", (entry_id,)).fetchone()
    return row[0] if row else None


def compare_head(conn, head_id: int, head_hash: str) -> str | None:
    """A head that left the store earlier (a backup's, a bundle's) against the live chain: None when the
    live log still holds that entry with that hash, else one sentence saying what differs."""
    if head_id == 0:
        return None
    now = hash_at(conn, head_id)
    if now is None:
        return _("the audit log no longer has entry {entry}, which an earlier copy ended with").format(entry=head_id)
    if now != head_hash:
        return _("the audit log up to entry {entry} differs from an earlier copy: its history was rewritten").format(
            entry=head_id)
    return None


def compare_with_backup(conn, backup_conn) -> str | None:
    """Compare the live chain with the chain inside a backup (a read-only connection to it)."""
    try:
        head_id, head_hash = head(backup_conn)
    except Exception:  # a backup from before the chain (no hash column): nothing to compare
        return None
    return compare_head(conn, head_id, head_hash)


# -- the HQ bundle manifest ----------------------------------------------------------------------------
CHECKPOINTS_MAX = 200


def manifest_section(conn) -> dict:
    """What an HQ bundle's manifest carries about the audit chain: the head (entries, id, hash) and, for
    each earlier HQ export that recorded the head it sent (`audit_head_id`), the hash the live chain has
    now at that id. HQ compares those with the heads of the bundles it already holds (compare_manifests)."""
    head_id, head_hash = head(conn)
    entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    checkpoints = []
    for (detail,) in conn.execute("SELECT detail FROM audit_log WHERE action='hq_export' ORDER BY id DESC"):
        try:
            earlier = int(json.loads(detail or "{}").get("audit_head_id") or 0)
        except (ValueError, TypeError, AttributeError):
            continue
        if earlier:
            checkpoints.append({"id": earlier, "hash": hash_at(conn, earlier) or ""})
        if len(checkpoints) >= CHECKPOINTS_MAX:
            break
    return {"version": VERSION, "entries": entries, "head_id": head_id, "head": head_hash,
            "checkpoints": sorted(checkpoints, key=lambda c: c["id"])}


def compare_manifests(earlier: dict, later: dict) -> str | None:
    """HQ side: two manifests' `audit_chain` sections from the same store, earlier bundle first. None when
    the later one is consistent with the earlier head, else one sentence."""
    a, b = earlier or {}, later or {}
    if not a or not b:
        return _("a bundle carries no audit chain head")
    if int(b.get("entries", 0)) < int(a.get("entries", 0)) or int(b.get("head_id", 0)) < int(a.get("head_id", 0)):
        return _("the later bundle's audit log is shorter than the earlier one's: entries were removed")
    if b.get("head_id") == a.get("head_id"):
        return None if b.get("head") == a.get("head") else _(REWRITTEN)
    for point in b.get("checkpoints") or []:
        if point.get("id") == a.get("head_id"):
            return None if point.get("hash") == a.get("head") else _(REWRITTEN)
    return _("the later bundle does not vouch for the earlier bundle's audit head")
