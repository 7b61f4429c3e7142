"""Common ground at 100,000 people (issue #25): how long rarity, a card's line and the owner suggestions take.

    python tests/benchmarks/bench_common_ground.py [--people 100000]

Starts from the 1,000-person demo book (its staff profiles, interests and moments), adds plain people up to
--people, a quarter of them holding 1-3 interests drawn with a skewed (Zipf-like) popularity so rare and
common interests both exist, then times (warm, median and p95 of repeated runs):
- rarity: interests.holders() for the whole vocabulary (one GROUP BY on the contact_interests index);
- a card's common ground: common_ground.compute() for random people who hold interests, Camille at the counter;
- the follow-up dialog's owner: common_ground.suggest_owner() for random people who hold interests;
- a card season's list of 2,000 people: common_ground.suggest_owners() at once.
Prints one line per figure; docs/common_ground.md quotes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    from boutique_book.core import common_ground, interests, staff
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import open_or_create_demo

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.vault"
        open_or_create_demo(path).close()
        vault = Vault.open(path, "demo")
        conn = vault.conn
        vocabulary = [r[0] for r in conn.execute("SELECT id FROM interests ORDER BY id")]
        weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
        have = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        start = time.perf_counter()
        with vault.transaction():
            for n in range(have, args.people):
                cid = conn.execute(
                    "INSERT INTO contacts (given_name, family_name, language, display_name, sort_key, created_at, "
                    "updated_at) VALUES (?,?,?,?,?,?,?)",
                    (f"Person{n}", "Bench", rng.choice(("fr", "en", "de", "it", "ja", "es")), f"Person{n} Bench",
                     f"bench\x1fperson{n}", now, now)).lastrowid
                if rng.random() < 0.25:
                    for interest in set(rng.choices(vocabulary, weights, k=rng.randint(1, 3))):
                        conn.execute("INSERT INTO contact_interests (contact_id, interest_id, added_at) VALUES (?,?,?)",
                                     (cid, interest, now))
        built = time.perf_counter() - start
        people = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM contact_interests").fetchone()[0]
        print(f"book: {people:,} people, {rows:,} interest rows (built in {built:.1f} s)")
        ids = [r[0] for r in conn.execute("SELECT id FROM contacts")]
        holding = [r[0] for r in conn.execute("SELECT DISTINCT contact_id FROM contact_interests")]
        me = staff.by_name(vault, "Camille Laurent").id
        median, p95 = timed(lambda: interests.holders(conn, vocabulary), 30)
        print(f"rarity of all {len(vocabulary)} interests: median {median:.2f} ms, p95 {p95:.2f} ms")
        median, p95 = timed(lambda: common_ground.compute(vault, rng.choice(holding), me), 200)
        print(f"a card's common ground: median {median:.2f} ms, p95 {p95:.2f} ms")
        median, p95 = timed(lambda: common_ground.suggest_owner(vault, rng.choice(holding)), 200)
        print(f"owner suggestion (follow-up dialog): median {median:.2f} ms, p95 {p95:.2f} ms")
        season = rng.sample(ids, 2000)
        median, p95 = timed(lambda: common_ground.suggest_owners(vault, season), 10)
        print(f"owners for a 2,000-person card season: median {median:.1f} ms, p95 {p95:.1f} ms")
        vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
