"""Benchmark: pseudonymised HQ export of N contacts (default 100,000; target <= 10 s), and an erasure on
the same vault. Not collected by pytest. Run: python tests/benchmarks/bench_hq.py [contacts] [moments/contact]"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main(contacts: int = 100_000, moments_per_contact: float = 10.0) -> None:
    from boutique_book.core import demo, manager, privacy
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.hq import bundle, export

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        vault = Vault.create(tmp / "bench.vault", "bench", KdfParams.fast())
        started = time.perf_counter()
        demo.generate(vault, contacts, seed=11, moments_per_contact=moments_per_contact)
        vault.checkpoint()
        print(f"demo data: {contacts} contacts in {time.perf_counter() - started:.1f} s "
              f"({(tmp / 'bench.vault').stat().st_size / 1e6:.0f} MB)")
        session = manager.unlock(vault, "bench-manager", params=KdfParams.fast())
        pub, key = bundle.keygen(tmp / "hq")
        export.import_public_key(vault, session, pub)
        usb = tmp / "usb"
        usb.mkdir()
        for profile in ("pseudonymised", "figures", "consenting"):
            started = time.perf_counter()
            result = export.export_bundle(vault, session, profile, usb)
            elapsed = time.perf_counter() - started
            print(f"{profile:>14}: {elapsed:6.2f} s  {result.bytes / 1e6:6.2f} MB  counts {result.counts}")
        started = time.perf_counter()
        out, manifest = bundle.open_bundle(next(usb.glob("*pseudonymised*")), key, tmp / "opened")
        print(f"hq-open pseudonymised: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        erased = privacy.erase_contact(vault, session, contacts // 2)  # auto: no VACUUM above 200 MB
        print(f"erasure (delete, FTS optimize, checkpoint; VACUUM only <= 200 MB): {time.perf_counter() - started:.2f} s {erased}")
        vault.close()


if __name__ == "__main__":
    main(*(int(a) if n == 0 else float(a) for n, a in enumerate(sys.argv[1:])))
