"""Benchmark (not collected by pytest): a 1,000-label L7160 job, end to end from the vault.

    python tests/printing/bench_labels.py [N]

Prints: loading + formatting the recipients, drawing the PDF, total; first run in a fresh process
(includes parsing the embedded fonts) and a second, warm run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    from boutique_book.core import demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.printing import jobs, recipients

    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "bench.vault", "bench", KdfParams.fast())
        demo.generate(vault, n, seed=5, moments_per_contact=1)
        ids = recipients.ids_for_all(vault)[:n]
        for label in ("cold", "warm"):
            marks = []
            t0 = time.perf_counter()
            result = jobs.print_labels(vault, ids, "L7160",
                                       progress=lambda d, t: marks.append((time.perf_counter(), d)))
            total = time.perf_counter() - t0
            halfway = next((t for t, d in marks if d >= 500), t0) - t0
            pages = -(-result.count // 21)
            print(f"{label}: {result.count} labels on {pages} pages, {len(result.pdf) / 1024:.0f} KiB: "
                  f"recipients {halfway:.2f} s, total {total:.2f} s")
        vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
