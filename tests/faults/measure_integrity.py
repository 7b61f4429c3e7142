"""Measure what the integrity checks cost on demo vaults (not collected by pytest).

    python tests/faults/measure_integrity.py 10000 100000 [--dir /tmp/bb-measure]

Builds each vault once with core.demo.generate and KdfParams.fast() (reused when present), then times
PRAGMA quick_check, PRAGMA cipher_integrity_check and PRAGMA integrity_check on a fresh connection.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from boutique_book.core import demo, integrity
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

PASSPHRASE = "measure"


def build(path: Path, contacts: int) -> None:
    if path.exists():
        return
    started = time.perf_counter()
    with Vault.create(path, PASSPHRASE, KdfParams.fast()) as vault:
        demo.generate(vault, contacts, seed=1)
    print(f"built {path.name}: {time.perf_counter() - started:.1f} s")


def measure(path: Path) -> dict:
    with Vault.open(path, PASSPHRASE) as vault:
        conn = vault.connect()
        out = {"size_mb": path.stat().st_size / 1e6}
        for name, fn in (("quick_check", integrity.quick_check), ("cipher_integrity_check",
                                                                 integrity.cipher_integrity_check)):
            started = time.perf_counter()
            problems = fn(conn)
            out[name + "_ms"] = (time.perf_counter() - started) * 1000
            out[name + "_ok"] = not problems
        started = time.perf_counter()
        out["integrity_check_ok"] = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        out["integrity_check_ms"] = (time.perf_counter() - started) * 1000
        conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10000, 100000])
    parser.add_argument("--dir", default="/tmp/bb-measure")
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        path = folder / f"demo-{size}.vault"
        build(path, size)
        for run in range(3):
            print(size, run, {k: round(v, 1) if isinstance(v, float) else v for k, v in measure(path).items()})


if __name__ == "__main__":
    main()
