"""Store signatures on HQ bundles, and HQ's register of store keys.

Why: age encrypts to HQ's public key, which every store holds, so anyone with hq.pub can write a bundle
that decrypts fine. What proves *which store* wrote it is a signature by a key only that store has.

- Each store has an Ed25519 key pair (PyNaCl, core.primitives), made at its first HQ export and kept in the vault (stored with that export's audit entry)
  (meta `hq_signing_key`, encrypted with the vault like everything else). Its public half is printed as
  "ed25519:<base64>" with a short fingerprint for HQ to register.
- A bundle carries `manifest.sig`: the Ed25519 signature over the exact bytes of `manifest.json`. The
  manifest lists every other file's SHA-256, so the one signature covers the whole bundle.
- HQ keeps a register of stores (store id → public key) in `stores.json` beside its hq.key. A bundle is
  "verified from store X" only when X is registered and the signature checks out under X's registered key.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..core.primitives import InvalidSignature
from ..core.primitives import PrivateKey as Ed25519PrivateKey
from ..core.primitives import PublicKey as Ed25519PublicKey

from ..core.errors import BoutiqueBookError

SIGNING_KEY_META = "hq_signing_key"
SIGNATURE_FILE = "manifest.sig"
ALGORITHM = "ed25519"
REGISTER_NAME = "stores.json"


class SigningError(BoutiqueBookError):
    pass


# -- store side -----------------------------------------------------------------------------------

def encode_public(public: Ed25519PublicKey) -> str:
    raw = public.raw()
    return f"{ALGORITHM}:{base64.b64encode(raw).decode('ascii')}"


def decode_public(text: str) -> Ed25519PublicKey:
    text = (text or "").strip()
    algorithm, _, encoded = text.partition(":")
    try:
        if algorithm != ALGORITHM:
            raise ValueError
        raw = base64.b64decode(encoded, validate=True)
        return Ed25519PublicKey(raw)
    except ValueError:
        raise SigningError("This is not a store signing key (expected “ed25519:” followed by 44 characters).") \
            from None


def fingerprint(public_key: str) -> str:
    """Short, readable over the phone: 16 hex digits of SHA-256 of the raw key, in groups of four."""
    raw = base64.b64decode(public_key.partition(":")[2])
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def _private_from_hex(value: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey(bytes.fromhex(value))


def store_key(conn) -> tuple[Ed25519PrivateKey, bool]:
    """The store's signing key, or a new one when it has none yet (not stored: see save_new_key).
    Returns (key, is_new)."""
    row = conn.execute("SELECT value FROM meta WHERE key=?", (SIGNING_KEY_META,)).fetchone()
    if row:
        return _private_from_hex(row[0]), False
    return Ed25519PrivateKey.generate(), True


def save_new_key(conn, key: Ed25519PrivateKey) -> None:
    """Keep a new signing key in the vault (inside the caller's write transaction). Raises if another
    export stored one meanwhile, so a bundle signed with a key the vault does not keep is never left behind."""
    raw = key.raw()
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (SIGNING_KEY_META, raw.hex()))


def store_public_key(conn) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (SIGNING_KEY_META,)).fetchone()
    return encode_public(_private_from_hex(row[0]).public_key()) if row else None


def sign(key: Ed25519PrivateKey, manifest_bytes: bytes) -> bytes:
    return json.dumps({"algorithm": ALGORITHM, "signature": base64.b64encode(key.sign(manifest_bytes)).decode()},
                      sort_keys=True).encode("ascii")


# -- HQ side: the register of stores --------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What HQ can say about who wrote a bundle. status: verified | unsigned | unknown_store | bad_signature."""

    status: str
    store_id: str
    public_key: str = ""

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def register_path(key_path) -> Path:
    return Path(key_path).with_name(REGISTER_NAME)


def load_register(path) -> dict:
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stores = data["stores"]
        if not isinstance(stores, dict):
            raise TypeError
        return stores
    except (OSError, ValueError, KeyError, TypeError):
        raise SigningError(f"The register of stores {path} is unreadable; restore it from HQ's backup.") from None


def save_register(path, stores: dict) -> None:
    path = Path(path)
    data = json.dumps({"format": "boutique-book-hq-stores/1", "stores": stores}, indent=2, sort_keys=True,
                      ensure_ascii=False).encode("utf-8")
    from ..core import durable

    try:
        durable.save_bytes(path, data)
    except durable.SaveFailed as exc:
        raise SigningError(f"Cannot write the register of stores: {exc}") from None


def register_store(path, store_id: str, public_key: str, how: str = "registered", replace: bool = False) -> dict:
    """Record a store's signing key. A different key for a known store is refused unless replace=True."""
    decode_public(public_key)
    store_id = (store_id or "").strip()
    if not store_id or len(store_id) > 64 or not all(c.isalnum() or c in "-_" for c in store_id):
        raise SigningError("A store id is made of letters, digits, - and _ (as printed by the store's export).")
    stores = load_register(path)
    known = stores.get(store_id)
    if known and known["public_key"] != public_key and not replace:
        raise SigningError(f"Store {store_id} is already registered with another key "
                           f"(fingerprint {known['fingerprint']}); nothing was changed.")
    entry = {"public_key": public_key, "fingerprint": fingerprint(public_key), "how": how,
             "registered_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    if known and known["public_key"] == public_key:
        return known
    stores[store_id] = entry
    save_register(path, stores)
    return entry


def verify(manifest: dict, manifest_bytes: bytes, signature_file: bytes | None, stores: dict) -> Verdict:
    """Check a bundle's signature against the register. Never raises on bad input: returns a Verdict."""
    store_id = str(manifest.get("store_id") or "")
    claimed = str((manifest.get("signing") or {}).get("public_key") or "")
    if not signature_file or not claimed:
        return Verdict("unsigned", store_id)
    known = stores.get(store_id)
    if not known:
        return Verdict("unknown_store", store_id, claimed)
    try:
        data = json.loads(signature_file)
        signature = base64.b64decode(data["signature"], validate=True)
        decode_public(known["public_key"]).verify(signature, manifest_bytes)
    except (ValueError, KeyError, TypeError, InvalidSignature, SigningError):
        return Verdict("bad_signature", store_id, claimed)
    return Verdict("verified", store_id, known["public_key"])
