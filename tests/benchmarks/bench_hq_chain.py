"""HQ chain benchmark (issue #23): N stores x R pseudonymised rows, collected and reported.

    python tests/benchmarks/bench_hq_chain.py                 # 500 stores x 10,000 rows (the target)
    python tests/benchmarks/bench_hq_chain.py --stores 50     # reduced scale on a busy machine

Each store's bundles are made by the app's own export code (hq.export.build: the pseudonymised profile
with k-anonymity, shuffling and rotating pseudonyms, the figures profile, zip, age encryption and the
store's Ed25519 signature) over a synthetic book: a plain SQLite database with the columns those queries
read, filled with skewed random people. Then `boutique-book hq-collect --trust-new` and
`boutique-book hq-report` run as separate processes, so their peak memory is their own.

Prints: bundle making time (not part of the target), collect time per bundle, report time and pages,
peak RSS of collect and of report, dataset size, and a DuckDB query time over the whole history.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from boutique_book.core.primitives import PrivateKey as Ed25519PrivateKey

from boutique_book.hq import bundle, export

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE contacts (id INTEGER PRIMARY KEY, tier TEXT, kind TEXT, country TEXT, language TEXT,
                       first_met_source TEXT, created_at TEXT);
CREATE TABLE contact_dates (id INTEGER PRIMARY KEY, contact_id INTEGER, kind TEXT, value TEXT);
CREATE TABLE moments (id INTEGER PRIMARY KEY, contact_id INTEGER, kind TEXT, season TEXT, season_year INTEGER);
CREATE TABLE followups (id INTEGER PRIMARY KEY, contact_id INTEGER, active INTEGER, rule TEXT, start_date TEXT);
CREATE TABLE followup_events (id INTEGER PRIMARY KEY, followup_id INTEGER, status TEXT, due_date TEXT);
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, action TEXT, detail TEXT, hash TEXT);
CREATE INDEX moments_contact ON moments(contact_id);
CREATE INDEX dates_contact ON contact_dates(contact_id, kind);
CREATE INDEX followups_contact ON followups(contact_id);
CREATE INDEX events_followup ON followup_events(followup_id);
"""
TIERS, TIER_W = ("family", "friends", "acquaintances"), (1, 3, 8)
KINDS, KIND_W = ("customer", "prospect", "local", "partner", "supplier"), (20, 4, 2, 1, 1)
COUNTRIES = ("FR", "DE", "GB", "IT", "US", "JP", "ES", "CH", "BE", "NL", "CN", "BR", "RU", "AE")
COUNTRY_W = (30, 10, 8, 8, 6, 5, 5, 3, 3, 2, 2, 1, 1, 1)
LANGUAGES, LANGUAGE_W = ("fr", "de", "en", "it", "ja", "es", "zh", "ru"), (30, 10, 20, 8, 5, 5, 2, 2)
SOURCES = ("walk_in", "referral", "event", "press", "online", "concierge", "tourism", "")
SOURCE_W = (30, 15, 5, 5, 5, 3, 3, 4)


def synthetic_book(store_id: str, rows: int, seed: int) -> sqlite3.Connection:
    rng = random.Random(seed)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO meta VALUES ('store_id', ?)", (store_id,))
    people = []
    dates = []
    moments = []
    followups = []
    events = []
    for cid in range(1, rows + 1):
        people.append((cid, rng.choices(TIERS, TIER_W)[0], rng.choices(KINDS, KIND_W)[0],
                       rng.choices(COUNTRIES, COUNTRY_W)[0], rng.choices(LANGUAGES, LANGUAGE_W)[0],
                       rng.choices(SOURCES, SOURCE_W)[0], f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-01"))
        if rng.random() < 0.6:
            dates.append((cid, "birthday", f"{rng.randint(1940, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(("story", "purchase", "card_sent", "card_received", "visit"))
            year = rng.choice((2024, 2025))
            moments.append((cid, kind, "christmas" if kind.startswith("card") else "", year if kind.startswith("card") else None))
        if rng.random() < 0.3:
            followups.append((len(followups) + 1, cid, 1, '{"type": "once"}', f"2026-{rng.randint(1, 12):02d}-15"))
            if rng.random() < 0.5:
                events.append((len(followups), rng.choice(("done", "done", "skipped")), "2026-01-01"))
    conn.executemany("INSERT INTO contacts VALUES (?,?,?,?,?,?,?)", people)
    conn.executemany("INSERT INTO contact_dates(contact_id, kind, value) VALUES (?,?,?)", dates)
    conn.executemany("INSERT INTO moments(contact_id, kind, season, season_year) VALUES (?,?,?,?)", moments)
    conn.executemany("INSERT INTO followups VALUES (?,?,?,?,?)", followups)
    conn.executemany("INSERT INTO followup_events(followup_id, status, due_date) VALUES (?,?,?)", events)
    return conn


def make_bundles(out: Path, stores: int, rows: int, public_key: str) -> list[Path]:
    paths = []
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for n in range(stores):
        store_id = os.urandom(8).hex()  # like a real store id (the bundle's file name starts with it)
        conn = synthetic_book(store_id, rows, seed=n)
        key = Ed25519PrivateKey.generate()
        for profile in ("pseudonymised", "figures"):
            name, data, _manifest, _counts = export.build(conn, profile, public_key, now=now, signing_key=key)
            path = out / name
            path.write_bytes(data)
            paths.append(path)
        conn.close()
        if (n + 1) % 50 == 0 or n + 1 == stores:
            print(f"  made bundles for {n + 1}/{stores} stores", file=sys.stderr, flush=True)
    return paths


def run_measured(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS MiB of that process alone (os.wait4), last line of its output)."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "boutique_book", *args], stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read().strip()
    if child.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {text[-500:]}")
    return seconds, usage.ru_maxrss / 1024, text.splitlines()[-1] if text else ""


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hq-chain-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        pub, key = bundle.keygen(work / "hq")
        (work / "usb").mkdir()
        print(f"{args.stores} stores x {args.rows:,} rows, CPUs: {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
        start = time.perf_counter()
        paths = make_bundles(work / "usb", args.stores, args.rows, pub.read_text().strip())
        made = time.perf_counter() - start
        bundle_bytes = sum(p.stat().st_size for p in paths)
        print(f"bundles made by the export code: {len(paths)} in {made:.1f} s ({bundle_bytes / 2**20:.1f} MiB)")

        collect_s, collect_rss, line = run_measured(
            ["hq-collect", "--key", str(key), "--into", str(work / "dataset"), "--trust-new", *map(str, paths)])
        print(f"hq-collect: {collect_s:.1f} s, {1000 * collect_s / len(paths):.0f} ms per bundle, "
              f"peak RSS {collect_rss:.0f} MiB ({line})")
        size = du(work / "dataset")
        print(f"dataset: {size / 2**20:.1f} MiB (Parquet + DuckDB)")
        again_s, _rss, line = run_measured(
            ["hq-collect", "--key", str(key), "--into", str(work / "dataset"), *map(str, paths)])
        print(f"hq-collect again (all unchanged): {again_s:.1f} s ({line})")

        import duckdb

        con = duckdb.connect(str(work / "dataset" / "hq.duckdb"), read_only=True)
        start = time.perf_counter()
        rows = con.execute("SELECT store_id, tier, count(*) FROM contacts_latest GROUP BY ALL").fetchall()
        query_s = time.perf_counter() - start
        total = con.execute("SELECT count(*) FROM contacts_history").fetchone()[0]
        con.close()
        print(f"DuckDB: people per store and tier over {total:,} rows: {1000 * query_s:.0f} ms ({len(rows)} groups)")

        report_s, report_rss, line = run_measured(
            ["hq-report", "--from", str(work / "dataset"), "-o", str(work / "report.pdf")])
        print(f"hq-report: {report_s:.1f} s, peak RSS {report_rss:.0f} MiB, "
              f"{(work / 'report.pdf').stat().st_size / 2**20:.1f} MiB PDF ({line})")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
