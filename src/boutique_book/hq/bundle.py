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
from dataclasses import dataclass
from pathlib import Path

import pyrage
from pyrage import x25519

from ..core import durable
from ..core.csv_cells import unescape_cell
from ..core.errors import BoutiqueBookError
from . import signing

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
        durable.save_text(key_path, "# Boutique Book HQ secret key: keep it off the shop PCs and never share it.\n"
                          + str(identity) + "\n", encoding="ascii", exclusive=True)
        durable.save_text(pub_path, str(identity.to_public()) + "\n", encoding="ascii", exclusive=True)
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

def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


def build_archive(files: dict[str, str], manifest: dict, signing_key=None) -> bytes:
    """Zip the CSV files plus a manifest listing each file's SHA-256 (deterministic timestamps). With the
    store's signing key, the manifest names its public half and manifest.sig signs the manifest's bytes."""
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    manifest = dict(manifest, format=FORMAT,
                    files={name: {"sha256": sha256(data), "bytes": len(data)} for name, data in encoded.items()})
    entries = []
    if signing_key is not None:
        manifest["signing"] = {"algorithm": signing.ALGORITHM,
                               "public_key": signing.encode_public(signing_key.public_key())}
        raw = manifest_bytes(manifest)
        entries = [(MANIFEST, raw), (signing.SIGNATURE_FILE, signing.sign(signing_key, raw))]
    else:
        entries = [(MANIFEST, manifest_bytes(manifest))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in [*entries, *encoded.items()]:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def encrypt(archive: bytes, public_key: str) -> bytes:
    return pyrage.encrypt(archive, [x25519.Recipient.from_str(public_key)])


# -- opening (HQ side) ----------------------------------------------------------------------------
# Everything in a bundle is untrusted until its signature is checked, and the signature can only be
# checked after decrypting and unzipping: so every size is bounded first. A 600 KB bundle must not be
# allowed to expand into gigabytes (a "zip bomb"), nor a CSV field or row count to grow without end.

MAX_BUNDLE_BYTES = 256 << 20       # an encrypted bundle on the stick (100k contacts with moments: ~40 MB)
MAX_FILES = 8                      # manifest, signature and at most a few CSV files
MAX_MANIFEST_BYTES = 256 << 10
MAX_EXPANSION = 64                 # CSV deflates 2-10x; 64x over the bundle's size is a bomb
EXPANSION_FLOOR = 8 << 20          # small bundles may still expand to 8 MB
MAX_TOTAL_BYTES = 1 << 30
MAX_ROWS = 2_000_000               # per CSV file
MAX_FIELD_CHARS = 64 << 10         # one cell (a moment text is far shorter)


@dataclass(frozen=True)
class Opened:
    manifest: dict
    manifest_bytes: bytes
    signature: bytes | None
    contents: dict  # {file name: bytes}, every checksum already checked


def _too_big(what: str) -> BundleUnreadable:
    return BundleUnreadable(f"This bundle is too large to be genuine ({what}); nothing was written.")


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _too_big(f"{info.filename} would expand beyond {limit:,} bytes")
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _too_big(f"{info.filename} expands beyond {limit:,} bytes")
    return data


def read_bundle(data: bytes, identity: x25519.Identity, check_tables: bool = True) -> Opened:
    """Decrypt, unzip within bounds and check every checksum and every CSV (UTF-8, well-formed, the
    profile's columns, bounded rows and cells). Raises BundleUnreadable with one sentence."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise _too_big(f"{len(data):,} bytes")
    try:
        archive = pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise BundleUnreadable("This bundle was not made for this HQ key; nothing was written.") from None
        raise BundleUnreadable("This bundle is damaged or was tampered with (decryption failed); "
                               "nothing was written.") from None
    budget = min(MAX_TOTAL_BYTES, max(EXPANSION_FLOOR, MAX_EXPANSION * len(data)))
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_FILES:
                raise _too_big(f"{len(infos)} files")
            names = [info.filename for info in infos]
            if len(set(names)) != len(names):
                raise BundleUnreadable("The bundle holds the same file twice; nothing was written.")
            by_name = {info.filename: info for info in infos}
            raw_manifest = _read_entry(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES)
            manifest = json.loads(raw_manifest)
            if not isinstance(manifest, dict):
                raise ValueError
            signature = None
            if signing.SIGNATURE_FILE in by_name:
                signature = _read_entry(zf, by_name[signing.SIGNATURE_FILE], 4096)
            listed = manifest.get("files") or {}
            if not isinstance(listed, dict) or set(listed) != set(by_name) - {MANIFEST, signing.SIGNATURE_FILE}:
                raise BundleUnreadable("The bundle's files do not match its manifest; nothing was written.")
            declared = {}
            for name, entry in listed.items():
                size = entry.get("bytes") if isinstance(entry, dict) else None
                if not isinstance(size, int) or size < 0:
                    raise BundleUnreadable("The bundle's manifest is malformed; nothing was written.")
                declared[name] = size
            if sum(declared.values()) > budget:
                raise _too_big(f"its files would expand to {sum(declared.values()):,} bytes")
            contents = {name: _read_entry(zf, by_name[name], declared[name]) for name in listed}
    except BundleUnreadable:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
        raise BundleUnreadable("This bundle's contents are not a Boutique Book HQ bundle; nothing was written.") \
            from None
    if manifest.get("format") != FORMAT:
        raise BundleUnreadable(f"Unknown bundle format {str(manifest.get('format'))[:40]!r}; nothing was written.")
    for name, data_ in contents.items():
        if "/" in name or "\\" in name or name.startswith(".") or len(name) > 64:
            raise BundleUnreadable("The bundle holds an unexpected file name; nothing was written.")
        if sha256(data_) != listed[name].get("sha256") or len(data_) != listed[name].get("bytes"):
            raise BundleUnreadable(f"{name} does not match its checksum in the manifest; nothing was written.")
    if check_tables:
        check_csv_tables(manifest, contents)
    return Opened(manifest, raw_manifest, signature, contents)


def decrypt_and_verify(data: bytes, identity: x25519.Identity) -> tuple[dict, dict[str, bytes]]:
    """Decrypt, unzip and check every checksum. Returns (manifest, {name: bytes}); raises BundleUnreadable."""
    opened = read_bundle(data, identity)
    return opened.manifest, opened.contents


def expected_files(manifest: dict) -> dict:
    from . import profiles

    profile = manifest.get("profile")
    if profile not in profiles.PROFILES:
        raise BundleUnreadable("The bundle names an unknown export profile; nothing was written.")
    return profiles.describe(profile, bool(manifest.get("include_moments"))).files


def iter_csv(name: str, data: bytes):
    """Rows of one bundle CSV, each checked against the bounds; bad content raises one sentence."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleUnreadable(f"{name} in this bundle is not UTF-8 text (byte {exc.start}); "
                               "nothing was written.") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for n, row in enumerate(reader):
            if n > MAX_ROWS:
                raise _too_big(f"{name} has more than {MAX_ROWS:,} rows")
            if any(len(cell) > MAX_FIELD_CHARS for cell in row):
                raise _too_big(f"{name} line {reader.line_num} has a cell over {MAX_FIELD_CHARS:,} characters")
            yield row
    except csv.Error as exc:
        raise BundleUnreadable(f"{name} in this bundle is not valid CSV (line {reader.line_num}: "
                               f"{str(exc)[:80]}); nothing was written.") from None


def check_csv_tables(manifest: dict, contents: dict) -> None:
    """Every CSV is UTF-8, well-formed, has its profile's columns and bounded rows and cells."""
    expected = expected_files(manifest)
    if set(contents) != set(expected):
        raise BundleUnreadable("The bundle's files are not those of its profile; nothing was written.")
    for name, data in contents.items():
        rows = iter_csv(name, data)
        header = next(rows, None)
        if header is None or tuple(header) != tuple(expected[name]):
            raise BundleUnreadable(f"{name} in this bundle does not have the profile's columns; nothing was written.")
        width = len(header)
        for row in rows:
            if len(row) != width:
                raise BundleUnreadable(f"{name} in this bundle has a row with {len(row)} cells instead of {width}; "
                                       "nothing was written.")


def csv_to_json(data: bytes) -> bytes:
    rows = [{k: unescape_cell(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))]
    return json.dumps(rows, indent=1, ensure_ascii=False).encode("utf-8")


class NotVerified(HqError):
    pass


def check_origin(opened: Opened, stores: dict, allow_unverified: bool = False) -> signing.Verdict:
    """Who wrote the bundle, by the register of stores. Refuses (NotVerified) unless verified, or unless
    allow_unverified for an unsigned bundle or an unknown store. A signature that fails under a registered
    store's key is always refused: that is a forgery or a damaged bundle."""
    verdict = signing.verify(opened.manifest, opened.manifest_bytes, opened.signature, stores)
    store = str(verdict.store_id)[:64] or "?"
    if verdict.status == "bad_signature":
        raise NotVerified(f"This bundle claims to come from store {store} but is not signed with that store's "
                          "registered key (forged or damaged); nothing was written.")
    if not verdict.verified and not allow_unverified:
        why = "is unsigned" if verdict.status == "unsigned" else f"comes from an unknown store ({store})"
        raise NotVerified(f"This bundle {why}: unsigned/unknown store, nothing was written. Register the store's "
                          "key (hq-register) or open it anyway with --unverified.")
    return verdict


def open_bundle(bundle_path, key_path, outdir, allow_unverified: bool = False, register=None):
    """Decrypt and verify a bundle, then write manifest.json and every file as CSV and JSON into OUTDIR
    (which must not exist yet, or be empty). All checks happen before anything is written; the output is
    assembled in a temporary folder beside OUTDIR and renamed into place. Returns (outdir, manifest, verdict)."""
    identity = read_identity(key_path)
    stores = signing.load_register(register or signing.register_path(key_path))
    outdir = Path(outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise OutputExists(f"{outdir} already exists and is not empty; choose a new folder.")
    try:
        size = Path(bundle_path).stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise _too_big(f"{size:,} bytes")
        data = Path(bundle_path).read_bytes()
    except OSError as exc:
        raise BundleUnreadable(f"Cannot read {bundle_path}: {exc.strerror or exc}.") from None
    opened = read_bundle(data, identity)
    verdict = check_origin(opened, stores, allow_unverified)
    manifest, contents = opened.manifest, opened.contents
    outputs = {MANIFEST: opened.manifest_bytes}
    for name, data_ in sorted(contents.items()):
        outputs[name] = data_
        if name.endswith(".csv"):
            outputs[name[:-4] + ".json"] = csv_to_json(data_)
    tmp = outdir.with_name(f".{outdir.name}.opening-{os.getpid()}")
    try:
        tmp.mkdir(parents=True, mode=0o700)
        for name, data_ in outputs.items():
            durable.save_bytes(tmp / name, data_)
        if outdir.exists():
            outdir.rmdir()
        os.replace(tmp, outdir)
        durable.fsync_dir(outdir.parent)
    except (OSError, durable.SaveFailed) as exc:
        for leftover in tmp.glob("*") if tmp.exists() else ():
            leftover.unlink(missing_ok=True)
        if tmp.exists():
            tmp.rmdir()
        raise HqError(f"Cannot write into {outdir}: {getattr(exc, 'reason', None) or getattr(exc, 'strerror', None) or exc}.") from None
    return outdir, manifest, verdict
