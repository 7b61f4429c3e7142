"""The manager role: a credential separate from the counter passphrase, and the session it unlocks.

The credential is set by the manager (the first unlock on a vault without one sets it) and verified
with Argon2id (the same primitive as the vault key, core.kdf) against a record kept in the vault's
settings: {"kdf": "argon2id", "t", "m" (log2 KiB), "p", "salt", "hash"}. The passphrase itself is
never stored.

What it protects, honestly: the vault is already encrypted with the counter passphrase, so the manager
credential is an access rule of the app's two faces (the CLI and the UI both go through the core services
that demand a session), not a second layer of encryption. Someone who has the counter passphrase and a
Python prompt can call anything, rewrite the record or the audit log; the audit log's hash chain
(core.audit_chain) makes such a rewrite detectable once a chain head has left the store (a USB backup, an
HQ bundle). See docs/safety.md, "Threat model".

Every core service that lets personal data leave the vault in clear (vCard/CSV export, a person's data,
restore over a healthy vault, erasure, audit export, HQ export, HQ key import) takes a `ManagerSession`,
which only `unlock()` hands out, and calls `require(session, vault)`; its `actor` is what the audit log
records and its `store_id` ties it to the vault it was unlocked on.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass


from . import changelog
from .csv_cells import escape_cell
from .errors import BoutiqueBookError, ValidationError
from .kdf import KdfParams, normalise_passphrase
from ..translation import _, ngettext

CREDENTIAL_KEY = "manager_credential"
MIN_LENGTH = 8


class ManagerError(BoutiqueBookError):
    pass


class WrongManagerCredential(ManagerError):
    def __init__(self):
        super().__init__("The manager passphrase is not right; nothing was done.")


class ManagerCredentialMissing(ManagerError):
    def __init__(self):
        super().__init__("No manager passphrase has been set on this vault yet.")


@dataclass(frozen=True)
class ManagerSession:
    """Proof (inside the app) that the manager credential was verified. `actor` goes into the audit log."""

    actor: str
    _token: object = None
    store_id: str = ""

    def __post_init__(self):
        if self._token is not _TOKEN:
            raise ManagerError("A manager session comes only from unlocking with the manager passphrase.")


_TOKEN = object()


def _hash(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    from .primitives import argon2id

    return argon2id(normalise_passphrase(passphrase), salt, iterations=params.iterations, lanes=params.lanes,
                    memory_kib=2 ** params.memory_log2_kib)


def _record(vault) -> dict | None:
    raw = vault.scalar("SELECT value FROM settings WHERE key=?", (CREDENTIAL_KEY,))
    if raw is None:
        return None
    return json.loads(raw)


def has_credential(vault) -> bool:
    return _record(vault) is not None


def _store_id(vault) -> str:
    try:
        return vault.scalar("SELECT value FROM meta WHERE key='store_id'") or ""
    except Exception:  # a vault without the meta table (very old test fixtures)
        return ""


def _actor(staff_name: str | None) -> str:
    return f"manager ({staff_name})" if staff_name else "manager"


def verify(vault, passphrase: str) -> bool:
    record = _record(vault)
    if record is None:
        raise ManagerCredentialMissing()
    params = KdfParams(record["t"], record["m"], record["p"])
    digest = _hash(passphrase, bytes.fromhex(record["salt"]), params)
    return hmac.compare_digest(digest, bytes.fromhex(record["hash"]))


def _store(conn, passphrase: str, params: KdfParams) -> None:
    salt = os.urandom(16)
    record = {"kdf": "argon2id", "t": params.iterations, "m": params.memory_log2_kib, "p": params.lanes,
              "salt": salt.hex(), "hash": _hash(passphrase, salt, params).hex()}
    conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)",
                 (CREDENTIAL_KEY, json.dumps(record, sort_keys=True)))


def _check_new(passphrase: str) -> None:
    if len(passphrase or "") < MIN_LENGTH:
        raise ValidationError(ngettext("The manager passphrase needs at least {n} character.",
                                       "The manager passphrase needs at least {n} characters.", MIN_LENGTH).format(n=MIN_LENGTH),
                              field="manager")


def unlock(vault, passphrase: str, staff_name: str | None = None, params: KdfParams | None = None) -> ManagerSession:
    """Verify the manager passphrase and return a session. On a vault without a manager credential,
    this first call sets it (and says so in the audit log). A wrong passphrase is logged too."""
    actor = _actor(staff_name)
    if not has_credential(vault):
        _check_new(passphrase)
        with vault.transaction() as conn:
            _store(conn, passphrase, params or KdfParams.default())
            changelog.audit(conn, actor, "manager_credential_set")
        return ManagerSession(actor, _TOKEN, _store_id(vault))
    if not verify(vault, passphrase):
        with vault.transaction() as conn:
            changelog.audit(conn, actor, "manager_unlock_failed")
        raise WrongManagerCredential()
    return ManagerSession(actor, _TOKEN, _store_id(vault))


def change_credential(vault, session: ManagerSession, current: str, new: str,
                      params: KdfParams | None = None) -> None:
    require(session)
    if not verify(vault, current):
        raise WrongManagerCredential()
    _check_new(new)
    with vault.transaction() as conn:
        _store(conn, new, params or KdfParams.default())
        changelog.audit(conn, session.actor, "manager_credential_changed")


class ManagerRequired(ManagerError):
    def __init__(self):
        super().__init__("This needs the manager: unlock with the manager passphrase first.")


def require(session, vault=None) -> ManagerSession:
    """The one check of the manager role, called by every manager-only core service. With `vault`, the
    session must also have been unlocked on that vault (same store id)."""
    if not isinstance(session, ManagerSession):
        raise ManagerRequired()
    if vault is not None and session.store_id and _store_id(vault) not in ("", session.store_id):
        raise ManagerError("This manager session was opened on another book; unlock the manager on this one.")
    return session


def audit_entries(vault, session: ManagerSession) -> list[dict]:
    """The audit log, for the manager only (the CLI's `audit`, the manager dialog)."""
    require(session, vault)
    return changelog.audit_entries(vault.conn)


def export_audit(vault, session: ManagerSession, path) -> int:
    """Write the audit log as CSV to path (a manager act). Returns the number of entries written."""
    entries = audit_entries(vault, session)
    from . import durable

    durable.save_text(path, audit_csv(entries))
    return len(entries)


def audit_csv(entries) -> str:
    """The audit log as CSV text (id, at, actor, action, detail as JSON)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "at", "actor", "action", "detail"])
    for e in entries:  # a staff name is typed by people: inert cells (core.csv_cells)
        writer.writerow([escape_cell(str(v)) for v in (e["id"], e["at"], e["actor"], e["action"],
                                                        json.dumps(e["detail"], ensure_ascii=False, sort_keys=True))])
    return out.getvalue()
