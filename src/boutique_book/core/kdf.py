"""Passphrase -> raw SQLCipher key with Argon2id.

Why not SQLCipher's own PBKDF2: Argon2id is memory-hard, so a stolen shop PC's vault costs an
attacker far more per guess at the same unlock time. The raw 256-bit key goes to SQLCipher as
x'...' (no string formatting of the passphrase ever reaches SQL).

Where the parameters live: SQLCipher stores a 16-byte random salt in plaintext at the start of the
file. We choose that salt ourselves: 12 random bytes followed by a 4-byte KDF descriptor
(magic 0xB1, iterations, log2 of memory in KiB, lanes). So the file alone says how to derive its key,
there is no side file to lose, and a vault made with other parameters (tests use cheap ones) still opens.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from .primitives import argon2id

SALT_SIZE = 16
_MAGIC = 0xB1

# Bounds on parameters read from a file header (untrusted input), checked before any derivation: at most
# 1 GiB of memory (2**20 KiB), 20 passes, 16 lanes. The default (128 MiB, 5 passes) sits well inside; a
# flipped bit that asks for more is refused at once instead of costing gigabytes and minutes.
MAX_MEMORY_LOG2_KIB = 20
MAX_ITERATIONS = 20
MAX_LANES = 16


@dataclass(frozen=True)
class KdfParams:
    iterations: int = 5
    memory_log2_kib: int = 17  # 2**17 KiB = 128 MiB
    lanes: int = 4

    # Default measured at 0.41-0.53 s on the quiet 2-core reference machine (docs/storage.md); 256 MiB would
    # push the app's peak memory past its 350 MB budget at unlock, so time is bought with passes instead.
    @classmethod
    def default(cls) -> "KdfParams":
        return cls()

    @classmethod
    def fast(cls) -> "KdfParams":
        """Cheap parameters for tests and benchmarks' throwaway vaults only."""
        return cls(iterations=1, memory_log2_kib=10, lanes=1)

    def descriptor(self) -> bytes:
        return bytes([_MAGIC, self.iterations, self.memory_log2_kib, self.lanes])

    @classmethod
    def from_salt(cls, salt: bytes) -> "KdfParams | None":
        """The parameters a salt carries, or None when it carries none or they are out of bounds."""
        if not has_descriptor(salt):
            return None
        it, mem, lanes = salt[13], salt[14], salt[15]
        if not (1 <= it <= MAX_ITERATIONS and 3 <= mem <= MAX_MEMORY_LOG2_KIB and 1 <= lanes <= MAX_LANES):
            return None
        return cls(it, mem, lanes)


def has_descriptor(salt: bytes) -> bool:
    """True when the salt carries a Boutique Book KDF descriptor (whatever its values)."""
    return len(salt) == SALT_SIZE and salt[12] == _MAGIC


def new_salt(params: KdfParams) -> bytes:
    return os.urandom(12) + params.descriptor()


def normalise_passphrase(passphrase: str) -> bytes:
    # NFC so that "é" typed as one or two code points unlocks the same vault.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes) -> bytes:
    params = KdfParams.from_salt(salt)
    if params is None:
        raise ValueError("salt carries no Boutique Book KDF descriptor within bounds")
    return argon2id(normalise_passphrase(passphrase), salt, iterations=params.iterations, lanes=params.lanes,
                    memory_kib=2 ** params.memory_log2_kib)


def key_pragma_value(key: bytes, salt: bytes | None = None) -> str:
    """SQLCipher raw-key literal: x'<key hex>' or, to set the salt of a new file, x'<key><salt>'."""
    return "x'" + key.hex() + (salt.hex() if salt else "") + "'"
