"""Read a SQLCipher 4 vault page by page with the key, without SQLite: every page, live or free, and
every frame of a -wal file. Used to prove that erased text is gone from the file itself."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from boutique_book.core import kdf

PAGE_SIZE = 4096        # SQLCipher 4 default cipher_page_size
RESERVE = 80            # 16-byte IV + 64-byte HMAC-SHA512, at the end of each page
SALT = 16


def vault_key(path, passphrase: str) -> bytes:
    with open(path, "rb") as fh:
        salt = fh.read(kdf.SALT_SIZE)
    return kdf.derive_key(passphrase, salt)


def decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    body = page[start:PAGE_SIZE - RESERVE]
    iv = page[PAGE_SIZE - RESERVE:PAGE_SIZE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted_pages(path, key: bytes) -> list[bytes]:
    data = Path(path).read_bytes()
    assert len(data) % PAGE_SIZE == 0, "unexpected page size"
    pages = [decrypt_page(data[n:n + PAGE_SIZE], key, n == 0) for n in range(0, len(data), PAGE_SIZE)]
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 32:
        raw = wal.read_bytes()
        frame = 24 + PAGE_SIZE
        for offset in range(32, len(raw) - frame + 1, frame):
            pages.append(decrypt_page(raw[offset + 24:offset + frame], key, False))
    return pages
