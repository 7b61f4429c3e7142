"""Benchmark (not collected by pytest): import 10,000 vCards; export 100,000 contacts; find duplicates.

    python tests/interchange/bench_interchange.py [--import-n 10000] [--export-n 100000]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path


def make_vcards(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    given = ["Zoë", "Jean", "Marie", "Ana", "Luca", "Hana", "Sofia", "Noah", "Élodie", "Karl"]
    family = ["Martin", "Bernard", "Dubois", "Rossi", "Tanaka", "Schmidt", "García", "Müller", "Smith", "Leroy"]
    out = io.StringIO()
    for i in range(n):
        g, f = rng.choice(given), rng.choice(family)
        out.write("BEGIN:VCARD\r\nVERSION:3.0\r\n")
        out.write(f"N:{f};{g};;;\r\nFN:{g} {f}\r\n")
        out.write(f"TEL;TYPE=CELL:+33 6 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d} {rng.randint(10, 99)}\r\n")
        out.write(f"EMAIL;TYPE=INTERNET:{g.lower()}.{f.lower()}.{i}@example.com\r\n")
        out.write(f"ADR;TYPE=HOME:;;{rng.randint(1, 99)} rue de la Paix;Paris;;750{rng.randint(1, 20):02d};France\r\n")
        out.write(f"BDAY:19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\r\n")
        out.write("END:VCARD\r\n")
    return out.getvalue().encode("utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import-n", type=int, default=10_000)
    parser.add_argument("--export-n", type=int, default=100_000)
    args = parser.parse_args(argv)
    from boutique_book.core import demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.interchange import exporter
    from boutique_book.interchange.importer import apply_plan, build_plan
    from boutique_book.interchange.vcard_read import read_vcard_bytes

    with tempfile.TemporaryDirectory() as tmp:
        data = make_vcards(args.import_n)
        vault = Vault.create(Path(tmp) / "a.vault", "bench", KdfParams.fast())
        c0 = time.process_time()
        t0 = time.perf_counter()
        read = read_vcard_bytes(data, "bench.vcf")
        t1 = time.perf_counter()
        plan = build_plan(vault, read, region="FR")
        t2 = time.perf_counter()
        report = apply_plan(vault, plan)
        t3 = time.perf_counter()
        print(f"import {args.import_n} vCards: read {t1 - t0:.2f} s, plan {t2 - t1:.2f} s, write {t3 - t2:.2f} s, "
              f"total {t3 - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU ({len(report.created)} created)")
        vault.close()

        if args.export_n:
            vault = Vault.create(Path(tmp) / "b.vault", "bench", KdfParams.fast())
            t0 = time.perf_counter()
            demo.generate(vault, args.export_n, seed=3, moments_per_contact=0)
            print(f"(demo data {args.export_n} contacts: {time.perf_counter() - t0:.1f} s)")
            for fmt in ("vcard4", "vcard3", "csv"):
                out = Path(tmp) / f"all.{fmt}"
                t0, c0 = time.perf_counter(), time.process_time()
                n = exporter.export_contacts(vault, out, fmt, session=_manager(vault))
                print(f"export {n} contacts to {fmt}: {time.perf_counter() - t0:.2f} s wall, "
                      f"{time.process_time() - c0:.2f} s CPU, "
                      f"{out.stat().st_size / 1e6:.1f} MB")
            from boutique_book.interchange.duplicates import find_duplicates

            t0, c0 = time.perf_counter(), time.process_time()
            pairs = find_duplicates(vault)
            print(f"duplicates over {args.export_n} contacts: {time.perf_counter() - t0:.2f} s wall, "
                  f"{time.process_time() - c0:.2f} s CPU, {len(pairs)} pairs")
            vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _manager(vault):
    from boutique_book.core import manager
    from boutique_book.core.kdf import KdfParams

    return manager.unlock(vault, "bench manager passphrase", "bench", params=KdfParams.fast())
