"""The erasure register (issue #18): erasures that stay erased when an older backup comes back.

Each erasure adds one row: the contact number, when, and two keyed hashes (HMAC-SHA256 with a per-store
key kept in the vault's meta table, `erasure_register_key`): one of the person's name as the book showed
it, one of the whole identity (name, e-mails, phone numbers). No name, no e-mail, nothing readable: without
the key the hashes say nothing, and with the vault open the key is no more secret than the data it guards,
which is gone.

Restore (core.backup.restore) calls `snapshot()` on the book it is about to replace and `reapply()` on the
book it brought back: the register of the replaced book is merged into the restored one (and its key kept),
then every registered person still present in the restored book is erased again, the same way as the first
time. A contact number is reused by SQLite only for the highest number; so a register entry is applied only
when the contact with that number in the restored book has the same name hash. One that does not match is
reported (never erased blindly).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass, field

KEY_NAME = "erasure_register_key"
PLACES_KEY = "backup.places"   # core.copy_places.PLACES_KEY


def _key(conn) -> bytes:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (KEY_NAME,)).fetchone()
    if row:
        return bytes.fromhex(row[0])
    key = secrets.token_bytes(32)
    conn.execute("INSERT INTO meta(key, value) VALUES (?,?)", (KEY_NAME, key.hex()))
    return key


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _mac(key: bytes, *parts: str) -> str:
    return hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def _identity(conn, contact_id: int) -> tuple[str, list[str]] | None:
    row = conn.execute("SELECT display_name FROM contacts WHERE id=?", (contact_id,)).fetchone()
    if row is None:
        return None
    emails = sorted(_norm(r[0]) for r in conn.execute(
        "SELECT address FROM contact_emails WHERE contact_id=?", (contact_id,)))
    phones = sorted(r[0] or _norm(r[1]) for r in conn.execute(
        "SELECT e164, raw FROM contact_phones WHERE contact_id=?", (contact_id,)))
    return _norm(row[0]), emails + phones


def hashes(conn, contact_id: int) -> tuple[str, str] | None:
    """(name hash, identity hash) of a contact, or None when there is no such contact."""
    identity = _identity(conn, contact_id)
    if identity is None:
        return None
    key = _key(conn)
    name, others = identity
    return _mac(key, "name", name), _mac(key, "identity", name, *others)


def record(conn, contact_id: int, erased_at: str) -> None:
    """Add the person to the register; call in the erasure's transaction, before the contact is deleted."""
    found = hashes(conn, contact_id)
    if found is None:
        return
    conn.execute("INSERT INTO erasure_register(contact_id, name_hash, identity_hash, erased_at) VALUES (?,?,?,?)",
                 (contact_id, found[0], found[1], erased_at))


def entries(conn) -> list[dict]:
    return [{"contact_id": r[0], "name_hash": r[1], "identity_hash": r[2], "erased_at": r[3]}
            for r in conn.execute("SELECT contact_id, name_hash, identity_hash, erased_at FROM erasure_register "
                                  "ORDER BY id")]


@dataclass
class Snapshot:
    """What a restore carries from the replaced book into the restored one: the register, its key, and the
    folders backups were written to (core.old_copies), so an erasure after the restore still lists them."""
    key: str | None
    entries: list[dict] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def snapshot(conn) -> Snapshot:
    """The register of a book about to be replaced (read only)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key=?", (KEY_NAME,)).fetchone()
        snap = Snapshot(row[0] if row else None, entries(conn))
    except Exception:  # a book from before the register, or unreadable: nothing to carry over
        return Snapshot(None)
    try:
        raw = conn.execute("SELECT value FROM settings WHERE key=?", (PLACES_KEY,)).fetchone()
        snap.places = [p for p in json.loads(raw[0]) if isinstance(p, str)] if raw else []
    except Exception:
        pass
    return snap


def combine(first: Snapshot, second: Snapshot) -> Snapshot:
    """Two registers of the same book (the replaced book's and a backup's): every entry once, the first
    key (a register written under another key cannot match here and is reported, never applied blindly)."""
    have = {(e["contact_id"], e["erased_at"]) for e in first.entries}
    extra = [e for e in second.entries if (e["contact_id"], e["erased_at"]) not in have]
    if first.key is None and second.key is not None:
        return Snapshot(second.key, first.entries + extra, first.places + [p for p in second.places
                                                                          if p not in first.places])
    if second.key not in (None, first.key):
        extra = []
    places = first.places + [p for p in second.places if p not in first.places]
    return Snapshot(first.key, first.entries + extra, places)


@dataclass
class ReapplyReport:
    erased: list[int] = field(default_factory=list)        # erased again in the restored book
    already_gone: int = 0                                   # registered, not in the restored book
    mismatched: list[int] = field(default_factory=list)     # the number is someone else now: left alone

    @property
    def registered(self) -> int:
        return len(self.erased) + self.already_gone + len(self.mismatched)


def merge(conn, snap: Snapshot) -> None:
    """Carry the replaced book's register (and key) into the restored book, inside a write transaction."""
    if snap.key:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)", (KEY_NAME, snap.key))
    if snap.places:
        raw = conn.execute("SELECT value FROM settings WHERE key=?", (PLACES_KEY,)).fetchone()
        places = json.loads(raw[0]) if raw else []
        places += [p for p in snap.places if p not in places]
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)",
                     (PLACES_KEY, json.dumps(places, ensure_ascii=False, sort_keys=True)))
    have = {(e["contact_id"], e["erased_at"]) for e in entries(conn)}
    for e in snap.entries:
        if (e["contact_id"], e["erased_at"]) not in have:
            conn.execute("INSERT INTO erasure_register(contact_id, name_hash, identity_hash, erased_at) "
                         "VALUES (?,?,?,?)", (e["contact_id"], e["name_hash"], e["identity_hash"], e["erased_at"]))


def to_erase(conn) -> tuple[list[int], ReapplyReport]:
    """Which registered people are in this book (same number, same name hash), and the rest for the report."""
    report, ids = ReapplyReport(), []
    seen = set()
    for e in entries(conn):
        if e["contact_id"] in seen:
            continue
        seen.add(e["contact_id"])
        found = hashes(conn, e["contact_id"])
        if found is None:
            report.already_gone += 1
        elif hmac.compare_digest(found[0], e["name_hash"]):
            ids.append(e["contact_id"])
        else:
            report.mismatched.append(e["contact_id"])
    return ids, report
