"""The chain report screenshots (hq_report.png: summary page, hq_report_store.png: a store's page).
Three demo stores (120, 400, 900 people), each exporting figures and pseudonymised bundles now and three
older pseudonymised snapshots, collected with --trust-new, reported, first and fourth pages via pdftoppm.
Run: python docs/screenshots/make_hq_report.py"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    from boutique_book.core import demo, manager
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.hq import bundle, collect, export, report, signing

    root = Path(tempfile.mkdtemp(prefix="hq-report-shots-"))
    pub, key = bundle.keygen(root / "hq")
    usb = root / "usb"
    usb.mkdir()
    paths = []
    for n, (name, size) in enumerate({"north": 120, "centre": 400, "south": 900}.items()):
        with Vault.create(root / f"{name}.vault", "counter pass", KdfParams.fast()) as vault:
            demo.generate(vault, size, seed=10 + n)
            session = manager.unlock(vault, "manager pass", name, params=KdfParams.fast())
            export.import_public_key(vault, session, pub)
            for profile in ("figures", "pseudonymised"):
                paths.append(export.export_bundle(vault, session, profile, usb).path)
            conn = vault.connect()
            signing_key, _new = signing.store_key(conn)
            for month in (6, 8, 10):
                file_name, data, _m, _c = export.build(
                    conn, "pseudonymised", export.hq_public_key(vault), signing_key=signing_key,
                    now=dt.datetime(2026, month, 15, 9, tzinfo=dt.timezone.utc))
                (usb / file_name).write_bytes(data)
                paths.append(usb / file_name)
            conn.close()
    collect.collect(paths, key, root / "dataset", trust_new=True)
    pdf, _pages, _figures = report.make_report(root / "dataset", root / "report.pdf")
    for page, name in ((1, "hq_report"), (4, "hq_report_store")):
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                        str(HERE / name)], check=True)


if __name__ == "__main__":
    main()
