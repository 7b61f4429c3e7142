"""HQ side: collect many stores' bundles into the chain dataset (hq/dataset.py).

For each bundle, in order: bounded decrypt and checks (bundle.read_bundle), then who wrote it (the
register of stores beside hq.key, hq/signing.py):

- unsigned → refused;
- signed by a store HQ has not seen → refused, unless trust_new: then the signature is checked under the
  key the manifest names and, if it holds, that key is recorded for the store (trust on first use);
- signed by a known store with another key than the one recorded → refused (forged, or a store whose key
  changed: HQ re-registers it deliberately with `hq-register --replace`);
- a consenting bundle → refused (it holds names; open it with hq-open, it has no place in chain figures);
- a bundle already collected (same bundle id) → unchanged.

Otherwise the bundle's table is written as one Parquet file (temporary name, then renamed) and a row is
added to the ledger. One outcome per bundle; a refusal never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ..core import durable
from . import bundle, dataset, signing


@dataclass(frozen=True)
class Outcome:
    path: str
    status: str  # collected | unchanged | refused
    message: str
    store_id: str = ""
    profile: str = ""
    rows: int = 0
    audit_warning: str = ""  # the store's audit log history disagrees with a bundle collected before


def _audit_section(manifest_text):
    try:
        section = json.loads(manifest_text or "{}").get("audit_chain")
    except (ValueError, AttributeError):
        return None
    return section if isinstance(section, dict) and section.get("head") else None


def _chain_position(section: dict) -> tuple[int, int]:
    try:
        return int(section.get("entries", 0)), int(section.get("head_id", 0))
    except (TypeError, ValueError):
        return 0, 0


def audit_history_warning(con, store_id: str, created_at, manifest: dict) -> str:
    """Compare this bundle's audit chain head with the store's bundles collected before, the one just before
    it and the one just after it in the store's own time (core.audit_chain.compare_manifests): a store whose
    audit log was rewritten between two bundles (entries deleted, hashes recomputed) cannot make the later
    bundle vouch for the earlier head. Bundles from before the chain carry no head: nothing to compare.
    Returns one sentence, or "" when the history holds."""
    from ..core import audit_chain

    this = manifest.get("audit_chain") if isinstance(manifest.get("audit_chain"), dict) else None
    if not this or not this.get("head"):
        return ""
    before = con.execute("SELECT created_at, manifest FROM bundles WHERE store_id = ? AND created_at < ? "
                         "ORDER BY created_at DESC LIMIT 1", [store_id, created_at]).fetchone()
    after = con.execute("SELECT created_at, manifest FROM bundles WHERE store_id = ? AND created_at > ? "
                        "ORDER BY created_at LIMIT 1", [store_id, created_at]).fetchone()
    # Bundles are dated to the second: two made in the same second are ordered by their audit chain's length
    # (a rewrite made between them was missed when only earlier and later seconds were compared).
    same = con.execute("SELECT created_at, manifest FROM bundles WHERE store_id = ? AND created_at = ?",
                       [store_id, created_at]).fetchall()
    placed = ([(before, "before")] if before else []) + ([(after, "after")] if after else []) + \
        [(row, "same") for row in same]
    for (when, raw), where in placed:
        other = _audit_section(raw)
        if not other:
            continue
        if where == "before" or (where == "same" and _chain_position(other) <= _chain_position(this)):
            earlier, later = other, this
        else:
            earlier, later = this, other
        problem = audit_chain.compare_manifests(earlier, later)
        if problem:
            when = when.astimezone(dt.timezone.utc) if getattr(when, "tzinfo", None) else when
            return f"store {store_id}: {problem} (the bundle of {when:%Y-%m-%d %H:%M} UTC and this one)"
    return ""


def bundle_id(opened: bundle.Opened) -> str:
    return hashlib.sha256(opened.manifest_bytes).hexdigest()[:32]


def _arrow_table(table: str, data: bytes, bid: str, created_at: dt.datetime):
    import pyarrow as pa
    from pyarrow import csv as pacsv

    types = {"VARCHAR": pa.string(), "BIGINT": pa.int64()}
    columns = dataset.TYPES[table]
    parsed = pacsv.read_csv(io.BytesIO(data), read_options=pacsv.ReadOptions(use_threads=False),
                            convert_options=pacsv.ConvertOptions(
                                column_types={c: types[t] for c, t in columns.items()},
                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    n = parsed.num_rows
    parsed = parsed.append_column("bundle_id", pa.array([bid] * n, pa.string()))
    return parsed.append_column("created_at", pa.array([created_at] * n, pa.timestamp("us", tz="UTC")))


def _write_parquet(arrow_table, folder: Path, name: str) -> Path:
    """One Parquet file through the app's save path (temporary name, fsync, rename, 0600)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(arrow_table, sink, compression="zstd")
    return durable.save_bytes(folder / name, sink.getvalue().to_pybytes(), make_parents=True)


def _created_at(manifest: dict) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        raise bundle.BundleUnreadable("The bundle's manifest has no valid export time; nothing was written.") \
            from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def _safe_store_id(store_id: str) -> str:
    if not store_id or len(store_id) > 64 or not all(c.isalnum() or c in "-_" for c in store_id):
        raise bundle.BundleUnreadable("The bundle names an invalid store id; nothing was written.")
    return store_id


def collect_one(con, root: Path, path, identity, stores: dict, register: Path, trust_new: bool) -> Outcome:
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > bundle.MAX_BUNDLE_BYTES:
            raise bundle.BundleUnreadable(f"This bundle is too large to be genuine ({size:,} bytes).")
        data = Path(path).read_bytes()
    except OSError as exc:
        return Outcome(name, "refused", f"cannot be read: {exc.strerror or exc}")
    try:
        # Checksums are checked here; the CSV checks wait until we know the bundle is new (a bundle
        # already collected was checked then, and its id covers its files' checksums).
        opened = bundle.read_bundle(data, identity, check_tables=False)
        manifest = opened.manifest
        store_id = _safe_store_id(str(manifest.get("store_id") or ""))
        created_at = _created_at(manifest)
    except bundle.HqError as exc:
        return Outcome(name, "refused", str(exc))
    profile = str(manifest.get("profile"))
    verdict = signing.verify(manifest, opened.manifest_bytes, opened.signature, stores)
    if verdict.status == "unsigned":
        return Outcome(name, "refused", "unsigned bundle (no store signature): refused", store_id, profile)
    if verdict.status == "bad_signature":
        return Outcome(name, "refused", f"not signed with store {store_id}'s recorded key (forged, or the store's "
                                        "key changed: re-register it with hq-register --replace): refused",
                       store_id, profile)
    new_store = verdict.status == "unknown_store"
    if new_store:
        claimed = {store_id: {"public_key": verdict.public_key}}
        if not trust_new:
            return Outcome(name, "refused", f"store {store_id} is not known here (key fingerprint "
                                            f"{_fingerprint(verdict.public_key)}); add --trust-new to trust it "
                                            "on first use", store_id, profile)
        if not signing.verify(manifest, opened.manifest_bytes, opened.signature, claimed).verified:
            return Outcome(name, "refused", "its signature does not match the key it names: refused",
                           store_id, profile)
    if profile not in dataset.TABLES:
        return Outcome(name, "refused", f"a {profile} bundle holds personal data and is not collected "
                                        "(open it with hq-open)", store_id, profile)
    bid = bundle_id(opened)
    if con.execute("SELECT 1 FROM bundles WHERE bundle_id = ?", [bid]).fetchone():
        return Outcome(name, "unchanged", "already collected, nothing changed", store_id, profile)
    try:
        bundle.check_csv_tables(manifest, opened.contents)
    except bundle.HqError as exc:
        return Outcome(name, "refused", str(exc), store_id, profile)
    table = dataset.TABLES[profile]
    [(file_name, content)] = opened.contents.items()
    try:
        arrow_table = _arrow_table(table, content, bid, created_at)
    except (ValueError, TypeError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        return Outcome(name, "refused", f"{file_name} cannot be read as its profile's table "
                                        f"({str(exc).splitlines()[0][:80]})", store_id, profile)
    if new_store:  # trust on first use: recorded only once the whole bundle is known to be good
        stores[store_id] = signing.register_store(register, store_id, verdict.public_key, how="trust-on-first-use")
    export_date = created_at.date().isoformat()
    folder = dataset.table_dir(root, table) / f"store_id={store_id}" / f"export_date={export_date}"
    _write_parquet(arrow_table, folder, f"{bid}.parquet")
    anonymity = manifest.get("anonymity") or {}
    entry = stores[store_id]
    con.execute("INSERT INTO stores VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING",
                [store_id, entry["fingerprint"], entry.get("how", "registered")])
    warning = audit_history_warning(con, store_id, created_at, manifest)
    con.execute("INSERT INTO bundles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
                [bid, store_id, profile, created_at, export_date, arrow_table.num_rows,
                 (manifest.get("counts") or {}).get("suppressed"), manifest.get("pseudonyms"),
                 anonymity.get("k"), entry["fingerprint"], Path(path).name,
                 opened.manifest_bytes.decode("utf-8")])
    return Outcome(name, "collected", f"{arrow_table.num_rows:,} rows, exported {created_at:%Y-%m-%d %H:%M} UTC",
                   store_id, profile, arrow_table.num_rows, warning)


def _fingerprint(public_key: str) -> str:
    try:
        return signing.fingerprint(public_key)
    except ValueError:
        return "?"


def collect(paths, key_path, into, trust_new: bool = False, progress=None) -> list[Outcome]:
    """Collect every bundle in `paths` into the dataset under `into` (made if needed)."""
    identity = bundle.read_identity(key_path)
    register = signing.register_path(key_path)
    stores = signing.load_register(register)
    root = Path(into)
    con = dataset.connect(root, create=True)
    outcomes = []
    try:
        for n, path in enumerate(paths):
            with dataset.private_umask():  # the DuckDB .wal is created by the first write
                outcomes.append(collect_one(con, root, path, identity, stores, register, trust_new))
            if progress:
                progress(n + 1, len(paths))
        with dataset.private_umask():
            dataset.refresh_views(con, root)
            con.execute("CHECKPOINT")
    finally:
        con.close()
    durable.tighten(dataset.db_path(root))
    return outcomes
