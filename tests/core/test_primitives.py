"""core.primitives (argon2-cffi + PyNaCl, issue #20) gives exactly what `cryptography` gave before: every vault
key, manager record and store signing key made with it still works."""

from __future__ import annotations

import os
import random

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as RefPrivate
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey as RefPublic
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id as RefArgon2id
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from boutique_book.core import kdf, primitives


@pytest.mark.parametrize("iterations,lanes,memory_log2", [(1, 1, 10), (2, 4, 12), (3, 2, 13), (5, 4, 11)])
def test_argon2id_matches_cryptography(iterations, lanes, memory_log2):
    rng = random.Random(iterations * 100 + lanes)
    for _ in range(3):
        secret = "pâte à choux 東京 ".encode() + rng.randbytes(rng.randint(0, 40))
        salt = rng.randbytes(16)
        reference = RefArgon2id(salt=salt, length=32, iterations=iterations, lanes=lanes,
                                memory_cost=2 ** memory_log2).derive(secret)
        assert primitives.argon2id(secret, salt, iterations, lanes, 2 ** memory_log2) == reference


def test_vault_key_derivation_unchanged():
    salt = kdf.new_salt(kdf.KdfParams(iterations=2, memory_log2_kib=12, lanes=4))
    params = kdf.KdfParams.from_salt(salt)
    assert params is not None
    reference = RefArgon2id(salt=salt, length=32, iterations=params.iterations, lanes=params.lanes,
                            memory_cost=2 ** params.memory_log2_kib).derive(kdf.normalise_passphrase("Zoë's shop"))
    assert kdf.derive_key("Zoë's shop", salt) == reference


def test_ed25519_keys_and_signatures_interoperate():
    for _ in range(5):
        seed = os.urandom(32)
        ours = primitives.PrivateKey(seed)
        ref = RefPrivate.from_private_bytes(seed)
        assert ours.raw() == ref.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()) == seed
        assert ours.public_key().raw() == ref.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        data = os.urandom(200)
        assert ours.sign(data) == ref.sign(data)  # Ed25519 is deterministic
        ref.public_key().verify(ours.sign(data), data)
        ours.public_key().verify(ref.sign(data), data)
        with pytest.raises(primitives.InvalidSignature):
            ours.public_key().verify(ref.sign(data), data + b"!")
    new = primitives.PrivateKey.generate()
    RefPublic.from_public_bytes(new.public_key().raw()).verify(new.sign(b"x"), b"x")
