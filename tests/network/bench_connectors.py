"""Benchmark (not collected by pytest): connector ranking on a 100,000-contact vault with ~300,000 links.

    python tests/network/bench_connectors.py [--contacts 100000] [--vault PATH]

Builds the demo vault with fast KDF parameters (once, when PATH does not exist), then times
network.connectors.rank() end to end: reading the book, building the graph, sampled betweenness, reasons."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from boutique_book.core import demo
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault
from boutique_book.network import connectors

PASSPHRASE = "benchmark"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--passphrase", default=PASSPHRASE)
    parser.add_argument("--circles", action="store_true", help="also time circle detection (Leiden)")
    args = parser.parse_args()
    path = args.vault or Path(tempfile.mkdtemp()) / "bench.vault"
    if not path.exists():
        started = time.perf_counter()
        with Vault.create(path, args.passphrase, KdfParams.fast()) as vault:
            counts = demo.generate(vault, args.contacts, seed=1, moments_per_contact=0, links_per_contact=3.0)
        print(f"demo vault: {counts} in {time.perf_counter() - started:.1f} s")
    print(f"load average before: {os.getloadavg()}")
    with Vault.open(path, args.passphrase) as vault:
        started = time.perf_counter()
        ranking = connectors.rank(vault, top=20)
        elapsed = time.perf_counter() - started
        print(f"connector ranking: {elapsed:.1f} s for {ranking.nodes} linked contacts, {ranking.edges} edges, "
              f"pivots={ranking.pivots}, circles: {ranking.method}")
        for c in ranking.connectors[:5]:
            print(f"  {c.rank}. {c.name}: {c.reason}")
        if args.circles:
            started = time.perf_counter()
            found = connectors.circles(vault)
            print(f"circles: {time.perf_counter() - started:.1f} s, {len(found)} circles")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
