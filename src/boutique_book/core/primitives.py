"""The two cryptographic primitives Boutique Book computes itself (SQLCipher and age do the rest):

- Argon2id (RFC 9106, version 0x13) for the vault key and the manager passphrase record, through argon2-cffi
  (the reference C implementation, any number of lanes);
- Ed25519 signatures for the store's HQ bundles, through PyNaCl (libsodium).

Both libraries are small (~1.5 MB together) where the `cryptography` package they replace is 12 MB of the
frozen app (issue #20); a test cross-checks both against `cryptography` (kept as a test dependency) so that
every vault and every signing key made before the change still opens and verifies.
"""

from __future__ import annotations

from argon2.low_level import Type, hash_secret_raw
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey as _NaclSigningKey
from nacl.signing import VerifyKey as _NaclVerifyKey


def argon2id(secret: bytes, salt: bytes, iterations: int, lanes: int, memory_kib: int, length: int = 32) -> bytes:
    """Raw Argon2id output, as RFC 9106 defines it (no secret key, no associated data)."""
    return hash_secret_raw(secret, salt, time_cost=iterations, memory_cost=memory_kib, parallelism=lanes,
                           hash_len=length, type=Type.ID, version=19)


class InvalidSignature(Exception):
    """The signature does not match the data and the public key."""


class PublicKey:
    """An Ed25519 public key (32 raw bytes)."""

    def __init__(self, raw: bytes):
        if len(raw) != 32:
            raise ValueError("an Ed25519 public key is 32 bytes")
        self._key = _NaclVerifyKey(bytes(raw))

    def raw(self) -> bytes:
        return bytes(self._key)

    def verify(self, signature: bytes, data: bytes) -> None:
        try:
            self._key.verify(bytes(data), bytes(signature))
        except (BadSignatureError, ValueError, TypeError) as exc:
            raise InvalidSignature(str(exc)) from None


class PrivateKey:
    """An Ed25519 private key (its 32-byte seed, as RFC 8032 and `cryptography`'s raw format keep it)."""

    def __init__(self, seed: bytes):
        if len(seed) != 32:
            raise ValueError("an Ed25519 private key is 32 bytes")
        self._key = _NaclSigningKey(bytes(seed))

    @classmethod
    def generate(cls) -> "PrivateKey":
        return cls(bytes(_NaclSigningKey.generate()))

    def raw(self) -> bytes:
        return bytes(self._key)

    def public_key(self) -> PublicKey:
        return PublicKey(bytes(self._key.verify_key))

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(bytes(data)).signature
