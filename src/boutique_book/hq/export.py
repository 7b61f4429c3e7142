"""The store side of HQ export: import HQ's public key once, then write encrypted bundles to a drive.

export_bundle is a job (progress, cancelled). It reads the vault on its own connection inside one read
transaction (a consistent snapshot, and the UI thread's connection is never touched), builds and
encrypts the bundle in memory, writes it with media.safe_write, and only after the bundle has been read
back and verified writes the audit entry (profile, counts, destination, checksum). A failure at any
point leaves the vault exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..core import audit_chain, changelog
from ..core.jobs import check
from ..core.manager import ManagerSession, require
from . import bundle, media, profiles, signing

PUBLIC_KEY_SETTING = "hq_public_key"


class NoHqKey(bundle.HqError):
    def __init__(self):
        super().__init__("No HQ public key yet: import HQ's hq.pub first (Manager → HQ export → Import HQ key).")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    profile: str
    counts: dict
    include_moments: bool
    bytes: int
    store_id: str = ""
    signing_key: str = ""              # the store's public signing key, "ed25519:…"
    signing_key_created: bool = False  # True at the first HQ export: HQ must register signing_key


def hq_public_key(vault) -> str | None:
    from ..core import settings

    return settings.get(vault, PUBLIC_KEY_SETTING)


def import_public_key(vault, session: ManagerSession, path) -> str:
    """Store HQ's public key (from hq.pub) in the vault; replacing one is allowed and audited."""
    require(session, vault)
    key = bundle.read_public_key(path)
    from ..core import settings

    previous = hq_public_key(vault)
    with vault.transaction() as conn:
        settings.put(vault, PUBLIC_KEY_SETTING, key)
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('hq_pseudonym_secret', lower(hex(randomblob(32))))")
        changelog.audit(conn, session.actor, "hq_key_import", key=key, replaced=previous is not None)
    return key


def _meta(conn, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def bundle_name(store_id: str, profile: str, when: dt.datetime) -> str:
    return f"boutique-hq-{store_id[:8]}-{profile}-{when.strftime('%Y%m%dT%H%M%SZ')}.age"


def build(conn, profile: str, public_key: str, include_moments: bool = False, progress=None, cancelled=None,
          now: dt.datetime | None = None, signing_key=None, stable_pseudonyms: bool = False
          ) -> tuple[str, bytes, dict, dict]:
    """Read the profile's data and return (file name, encrypted bytes, manifest, counts). Writes nothing.
    signing_key: the store's Ed25519 key (signing.store_key); without it the bundle is unsigned.
    stable_pseudonyms: the manager's opt-in to keep pseudonyms across exports (said in the manifest)."""
    if profile not in profiles.PROFILES:
        raise bundle.HqError(f"Unknown export profile “{profile}” (figures, pseudonymised or consenting).")
    if include_moments and profile != "consenting":
        raise bundle.HqError("Moment texts can only go with the consenting-customers profile.")
    if stable_pseudonyms and profile != "pseudonymised":
        raise bundle.HqError("Stable pseudonyms only concern the pseudonymised profile.")
    now = now or dt.datetime.now(dt.timezone.utc)
    extra: dict = {}
    conn.execute("BEGIN")  # one snapshot for every query of the bundle
    try:
        store_id = _meta(conn, "store_id") or "unknown"
        if profile == "figures":
            files, counts = profiles.figures(conn, now.date(), cancelled=cancelled)
        elif profile == "pseudonymised":
            if stable_pseudonyms:
                secret = _meta(conn, "hq_pseudonym_secret")
                if not secret:
                    raise bundle.HqError("This vault has no pseudonym secret; import the HQ key again.")
                key = profiles.pseudonym_key(bytes.fromhex(secret), public_key)
            else:
                key = secrets.token_bytes(32)  # forgotten after this export: pseudonyms rotate
            files, counts, anonymity = profiles.pseudonymised(conn, key, now.date(), progress, cancelled)
            extra = {"pseudonyms": "stable" if stable_pseudonyms else "rotating", "anonymity": anonymity}
        else:
            files, counts = profiles.consenting(conn, include_moments, progress, cancelled)
            if include_moments:
                extra = {"moment_names_masked": counts.get("names_masked", 0),
                         "moment_masking": "names of the book's contacts in moment texts are replaced by "
                                           f"{profiles.NAME_MASK}"}
        chain = audit_chain.manifest_section(conn)
    finally:
        conn.execute("COMMIT")
    check(cancelled)
    manifest = {"profile": profile, "store_id": store_id, "created_at": now.isoformat(timespec="seconds"),
                "counts": counts, "include_moments": bool(include_moments),
                "description": profiles.describe(profile, include_moments).summary, **extra,
                "audit_chain": chain}
    archive = bundle.build_archive(files, manifest, signing_key)
    encrypted = bundle.encrypt(archive, public_key)
    return bundle_name(store_id, profile, now), encrypted, manifest, counts


def store_signing_key(vault) -> str | None:
    """The store's public signing key ("ed25519:…"), or None before the first HQ export."""
    return signing.store_public_key(vault.conn)


def _free_name(directory: Path, name: str) -> str:
    stem, suffix = name[:-len(".age")], ".age"
    candidate, n = name, 1
    while (directory / candidate).exists():
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    return candidate


def export_bundle(vault, session: ManagerSession, profile: str, destination, include_moments: bool = False,
                  progress=None, cancelled=None, stable_pseudonyms: bool = False) -> ExportResult:
    require(session, vault)
    public_key = hq_public_key(vault)
    if not public_key:
        raise NoHqKey()
    destination = Path(destination)
    if not destination.is_dir():
        raise media.DestinationMissing(str(destination))
    progress = progress or (lambda done, total: None)
    conn = vault.connect()
    try:
        # Made at the first HQ export, but kept (and audited) only with the export's own audit entry, once
        # the bundle is verified on the drive: a failed export leaves the vault exactly as it was.
        key, created = signing.store_key(conn)
        name, encrypted, manifest, counts = build(conn, profile, public_key, include_moments,
                                                  lambda d, t: progress(d, 2 * max(t, 1)), cancelled,
                                                  signing_key=key, stable_pseudonyms=stable_pseudonyms)
        check(cancelled)
        name = _free_name(destination, name)
        path, digest = media.safe_write(destination, name, encrypted,
                                        lambda d, t: progress(t + d, 2 * max(t, 1)), cancelled)
        try:
            conn.execute("BEGIN IMMEDIATE")
            if created:
                signing.save_new_key(conn, key)
                changelog.audit(conn, session.actor, "hq_signing_key_created",
                                fingerprint=signing.fingerprint(signing.encode_public(key.public_key())))
            changelog.audit(conn, session.actor, "hq_export", profile=profile, counts=counts,
                            include_moments=bool(include_moments), destination=str(destination),
                            pseudonyms=manifest.get("pseudonyms"),
                            file=name, sha256=digest, bytes=len(encrypted),
                            audit_head_id=manifest["audit_chain"]["head_id"])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # An export that cannot be audited must not stay on the stick.
            media._remove_quietly(path)
            raise
    finally:
        conn.close()
    return ExportResult(path, digest, profile, counts, bool(include_moments), len(encrypted), manifest["store_id"],
                        signing.encode_public(key.public_key()), created)


def last_exports(vault, limit: int = 20) -> list[dict]:
    return [e for e in reversed(changelog.audit_entries(vault.conn)) if e["action"] == "hq_export"][:limit]

