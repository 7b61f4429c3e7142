"""The manager role: a credential separate from the counter passphrase, and the session it unlocks.

The credential is set by the manager (the first unlock on a vault without one sets it) and verified
with Argon2id (the same primitive as the vault key, core.kdf) against a record kept in the vault's
settings: {"kdf": "argon2id", "t", "m" (log2 KiB), "p", "salt", "hash"}. The passphrase itself is
never stored.

What it protects, honestly: the vault is already encrypted with the counter passphrase, so the manager
credential is an access rule of the app (export, erasure, settings, audit view), not a second layer of
encryption. Someone who has the counter passphrase and a Python prompt could rewrite the record; the
audit log (append-only, enforced by triggers in the vault) would still show every export and erasure
made through the app.

Manager-only functions take a `ManagerSession`, which only `unlock()` hands out; its `actor` is what the
audit log records.
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from . import changelog
from .errors import BoutiqueBookError, ValidationError
from .kdf import KdfParams, normalise_passphrase

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

    def __post_init__(self):
        if self._token is not _TOKEN:
            raise ManagerError("A manager session comes only from unlocking with the manager passphrase.")


_TOKEN = object()


def _hash(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(salt=salt, length=32, iterations=params.iterations, lanes=params.lanes,
                    memory_cost=2 ** params.memory_log2_kib).derive(normalise_passphrase(passphrase))


def _record(vault) -> dict | None:
    raw = vault.scalar("SELECT value FROM settings WHERE key=?", (CREDENTIAL_KEY,))
    if raw is None:
        return None
    return json.loads(raw)


def has_credential(vault) -> bool:
    return _record(vault) is not None


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
        raise ValidationError(f"The manager passphrase needs at least {MIN_LENGTH} characters.", field="manager")


def unlock(vault, passphrase: str, staff_name: str | None = None, params: KdfParams | None = None) -> ManagerSession:
    """Verify the manager passphrase and return a session. On a vault without a manager credential,
    this first call sets it (and says so in the audit log). A wrong passphrase is logged too."""
    actor = _actor(staff_name)
    if not has_credential(vault):
        _check_new(passphrase)
        with vault.transaction() as conn:
            _store(conn, passphrase, params or KdfParams.default())
            changelog.audit(conn, actor, "manager_credential_set")
        return ManagerSession(actor, _TOKEN)
    if not verify(vault, passphrase):
        with vault.transaction() as conn:
            changelog.audit(conn, actor, "manager_unlock_failed")
        raise WrongManagerCredential()
    return ManagerSession(actor, _TOKEN)


def change_credential(vault, session: ManagerSession, current: str, new: str,
                      params: KdfParams | None = None) -> None:
    require(session)
    if not verify(vault, current):
        raise WrongManagerCredential()
    _check_new(new)
    with vault.transaction() as conn:
        _store(conn, new, params or KdfParams.default())
        changelog.audit(conn, session.actor, "manager_credential_changed")


def require(session) -> ManagerSession:
    if not isinstance(session, ManagerSession):
        raise ManagerError("This needs the manager: unlock with the manager passphrase first.")
    return session


def audit_csv(entries) -> str:
    """The audit log as CSV text (id, at, actor, action, detail as JSON)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "at", "actor", "action", "detail"])
    for e in entries:
        writer.writerow([e["id"], e["at"], e["actor"], e["action"],
                         json.dumps(e["detail"], ensure_ascii=False, sort_keys=True)])
    return out.getvalue()
