"""The HQ bundle: a zip (built in memory) with manifest.json and CSV files, encrypted with age
(pyrage: X25519 recipient, ChaCha20-Poly1305 authenticated chunks) to HQ's public key.

Why age and not a home-made format: it is a published, reviewed format with an authenticated header and
payload, so one flipped byte anywhere fails decryption; the store holds only HQ's public key and cannot
read its own bundles back, so a lost USB stick reveals nothing. The manifest adds per-file SHA-256
checksums, the profile, store, time and counts, checked again after decryption.

Key files (HQ side): hq.pub holds one line "age1..."; hq.key holds "AGE-SECRET-KEY-1..." (mode 0600).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pyrage
from pyrage import x25519

from ..core.errors import BoutiqueBookError

FORMAT = "boutique-book-hq/1"
MANIFEST = "manifest.json"
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class HqError(BoutiqueBookError):
    pass


class BadKey(HqError):
    pass


class BundleUnreadable(HqError):
    pass


class OutputExists(HqError):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- keys -----------------------------------------------------------------------------------------

def keygen(directory) -> tuple[Path, Path]:
    """Write a new HQ key pair as DIR/hq.pub and DIR/hq.key (never overwrites)."""
    directory = Path(directory)
    pub_path, key_path = directory / "hq.pub", directory / "hq.key"
    for existing in (pub_path, key_path):
        if existing.exists():
            raise OutputExists(f"{existing} already exists; keep the old key or choose another folder.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        identity = x25519.Identity.generate()
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write("# Boutique Book HQ secret key: keep it off the shop PCs and never share it.\n")
            fh.write(str(identity) + "\n")
        pub_path.write_text(str(identity.to_public()) + "\n", encoding="ascii")
    except OSError as exc:
        raise HqError(f"Cannot write the HQ key pair in {directory}: {exc.strerror or exc}.") from None
    return pub_path, key_path


def _key_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def parse_public_key(text: str) -> str:
    lines = _key_lines(text)
    if len(lines) != 1:
        raise BadKey("This is not an HQ public key file (expected one line starting with “age1”).")
    try:
        x25519.Recipient.from_str(lines[0])
    except pyrage.RecipientError:
        raise BadKey("This is not an HQ public key (expected one line starting with “age1”).") from None
    return lines[0]


def read_public_key(path) -> str:
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise BadKey(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return parse_public_key(text)


def read_identity(path) -> x25519.Identity:
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise BadKey(f"Cannot read the HQ key {path}: {exc.strerror or exc}.") from None
    lines = [line for line in _key_lines(text) if line.startswith("AGE-SECRET-KEY-")]
    try:
        return x25519.Identity.from_str(lines[0])
    except (IndexError, pyrage.IdentityError):
        raise BadKey(f"{path} is not an HQ secret key (hq.key from “boutique-book hq-keygen”).") from None


# -- building -------------------------------------------------------------------------------------

def build_archive(files: dict[str, str], manifest: dict) -> bytes:
    """Zip the CSV files plus a manifest listing each file's SHA-256 (deterministic timestamps)."""
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    manifest = dict(manifest, format=FORMAT,
                    files={name: {"sha256": sha256(data), "bytes": len(data)} for name, data in encoded.items()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in [(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()),
                           *encoded.items()]:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def encrypt(archive: bytes, public_key: str) -> bytes:
    return pyrage.encrypt(archive, [x25519.Recipient.from_str(public_key)])


# -- opening (HQ side) ----------------------------------------------------------------------------

def decrypt_and_verify(data: bytes, identity: x25519.Identity) -> tuple[dict, dict[str, bytes]]:
    """Decrypt, unzip and check every checksum. Returns (manifest, {name: bytes}); raises BundleUnreadable."""
    try:
        archive = pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise BundleUnreadable("This bundle was not made for this HQ key; nothing was written.") from None
        raise BundleUnreadable("This bundle is damaged or was tampered with (decryption failed); "
                               "nothing was written.") from None
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            contents = {info.filename: zf.read(info) for info in zf.infolist()}
        manifest = json.loads(contents.pop(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise BundleUnreadable("This bundle's contents are not a Boutique Book HQ bundle; nothing was written.") \
            from None
    if manifest.get("format") != FORMAT:
        raise BundleUnreadable(f"Unknown bundle format {manifest.get('format')!r}; nothing was written.")
    listed = manifest.get("files") or {}
    if set(listed) != set(contents):
        raise BundleUnreadable("The bundle's files do not match its manifest; nothing was written.")
    for name, data_ in contents.items():
        if sha256(data_) != listed[name].get("sha256") or len(data_) != listed[name].get("bytes"):
            raise BundleUnreadable(f"{name} does not match its checksum in the manifest; nothing was written.")
        if "/" in name or "\\" in name or name.startswith("."):
            raise BundleUnreadable("The bundle holds an unexpected file name; nothing was written.")
    return manifest, contents


def csv_to_json(data: bytes) -> bytes:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return json.dumps(rows, indent=1, ensure_ascii=False).encode("utf-8")


def open_bundle(bundle_path, key_path, outdir) -> tuple[Path, dict]:
    """Decrypt and verify a bundle, then write manifest.json and every file as CSV and JSON into OUTDIR
    (which must not exist yet, or be empty). All checks happen before anything is written; the output is
    assembled in a temporary folder beside OUTDIR and renamed into place."""
    identity = read_identity(key_path)
    outdir = Path(outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise OutputExists(f"{outdir} already exists and is not empty; choose a new folder.")
    try:
        data = Path(bundle_path).read_bytes()
    except OSError as exc:
        raise BundleUnreadable(f"Cannot read {bundle_path}: {exc.strerror or exc}.") from None
    manifest, contents = decrypt_and_verify(data, identity)
    outputs = {MANIFEST: json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")}
    for name, data_ in sorted(contents.items()):
        outputs[name] = data_
        if name.endswith(".csv"):
            outputs[name[:-4] + ".json"] = csv_to_json(data_)
    tmp = outdir.with_name(f".{outdir.name}.opening-{os.getpid()}")
    try:
        tmp.mkdir(parents=True)
        for name, data_ in outputs.items():
            (tmp / name).write_bytes(data_)
        if outdir.exists():
            outdir.rmdir()
        os.replace(tmp, outdir)
    except OSError as exc:
        for leftover in tmp.glob("*") if tmp.exists() else ():
            leftover.unlink(missing_ok=True)
        if tmp.exists():
            tmp.rmdir()
        raise HqError(f"Cannot write into {outdir}: {exc.strerror or exc}.") from None
    return outdir, manifest
