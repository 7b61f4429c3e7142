"""Search timings on a demo vault, before/after the search reach of issue #19 (not collected by pytest).

    python tests/benchmarks/search_reach.py --contacts 10000 [--vault FILE] [--rounds 5]

Builds the vault with `boutique-book demo --contacts N` (same seed, so the same people) unless it exists,
then times what the counter's list asks for on each keystroke (search_ids for a page of 200, then the
summaries of that page): the as-you-type queries of tests/benchmarks/run.py ("core"), and the queries of
issue #19 that needed the new reach ("reach"). Prints p50/p95/max in ms for each set. Standalone, so that
the same file measures an older checkout (PYTHONPATH=<old>/src) for the "before" figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "bench passphrase"  # the passphrase rule wants 8 characters or more
PAGE = 200  # ui.contact_model.PAGE

CORE_WORDS = [
    "山田", "Иванова", "محمد", "zoe", "helene", "muller", "anne dupont", "kyoto", "francois",
    "06 12", "emerald", "山田 太郎", "jurgen", "Смирнова", "lucia garcia", "cashmere",
    "siobhan o'brien", "elodie", "Petrov", "فاطمة", "opera", "+33 6 1", "giulia rossi",
    "clemence", "wedding", "yamada", "王", "benoit", "schroder", "alteration", "olivia smith",
    "venice", "noel", "de la tour", "madison", "zzqx",
]
REACH_WORDS = ["mueller", "juergen", "petrov", "dmitri", "ivanova", "papadopoulou", "schroeder", "soerensen",
               "56789", "4567", "0033 6 12", "+33 (0)6 12", "0049 151"]


def typed(word: str) -> list[str]:
    return [word[:n] for n in range(1, len(word) + 1)]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=10000)
    ap.add_argument("--vault", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    path = args.vault or Path(tempfile.mkdtemp()) / "bench.vault"
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASSPHRASE}
    if not path.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "boutique_book", "demo", "--vault", str(path), "--contacts",
                        str(args.contacts)], check=True, env=env, stdin=subprocess.DEVNULL)
        print(f"demo vault of {args.contacts} contacts built in {time.perf_counter() - started:.1f} s")

    from boutique_book.core import search
    from boutique_book.core.vault import Vault

    with Vault.open(path, PASSPHRASE) as vault:
        conn = vault.conn
        print("contacts:", vault.scalar("SELECT count(*) FROM contacts"), " search module:", search.__file__)
        sets = {"core": [q for w in CORE_WORDS for q in typed(w)], "reach": [q for w in REACH_WORDS for q in typed(w)]}

        def call(q):
            ids = search.search_ids(conn, q, PAGE, 0)
            search.summaries(conn, ids[:PAGE])
            return ids

        for queries in sets.values():
            for q in queries:  # warm the page cache
                call(q)
        for name, queries in sets.items():
            times, cpu, slow = [], [], {}
            for _ in range(args.rounds):
                for q in queries:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    call(q)
                    ms = (time.perf_counter() - started) * 1000
                    cpu.append((time.process_time() - cpu_started) * 1000)
                    times.append(ms)
                    slow[q] = max(slow.get(q, 0.0), ms)
            worst = ", ".join(f"{q!r} {ms:.1f}" for q, ms in sorted(slow.items(), key=lambda kv: -kv[1])[:3])
            print(f"{name:5s} {len(queries)} queries x {args.rounds}: p50 {statistics.median(times):.2f} ms, "
                  f"p95 {pct(times, 95):.2f} ms, max {max(times):.2f} ms (CPU p95 {pct(cpu, 95):.2f} ms); "
                  f"slowest: {worst}")
        hits = {w: len(call(w)) for w in REACH_WORDS}
        print("hits per reach query:", ", ".join(f"{w!r} {n}" for w, n in hits.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
