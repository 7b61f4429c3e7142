"""Feature figures for tests/benchmarks/run.py, each imported lazily.

Every function takes (vault, path, workdir, results, notes), writes its figures into `results` and raises
ImportError / AttributeError when the feature has not landed (run.py then reports it as missing).
Functions that write (vCard import) work on a scratch copy made by the backup step, never on the bench vault.
"""

from __future__ import annotations

import io
import random
import time
from pathlib import Path

SCRATCH = {}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def backup(vault, path, workdir, results, notes):
    from boutique_book.core.backup import create_backup

    started = time.perf_counter()
    info = create_backup(vault, workdir / "backups", rotate_after=False)
    results["backup_ms"] = _ms(started)
    results["backup_mb"] = round(info.size / 2**20, 1)
    SCRATCH["copy"] = Path(info.path)


def _scratch_vault(vault, workdir):
    """A writable copy of the bench vault (the verified backup), so imports never touch the bench data."""
    from boutique_book.core.vault import Vault

    copy = SCRATCH.get("copy")
    if copy is None:
        copy = workdir / "scratch.vault"
        vault.execute("VACUUM INTO ?", (str(copy),))
    return Vault.open_with_key(copy, vault._key)


def make_vcards(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    given = ["Zoë", "Jean", "Marie", "Ana", "Luca", "Hana", "Sofia", "Noah", "Élodie", "Karl", "Анна", "美咲"]
    family = ["Martin", "Bernard", "Dubois", "Rossi", "Tanaka", "Schmidt", "García", "Müller", "Smith", "Leroy",
              "Иванова", "山田"]
    out = io.StringIO()
    for i in range(n):
        g, f = rng.choice(given), rng.choice(family)
        out.write("BEGIN:VCARD\r\nVERSION:3.0\r\n")
        out.write(f"N:{f};{g};;;\r\nFN:{g} {f}\r\n")
        out.write(f"TEL;TYPE=CELL:+33 7 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d} "
                  f"{rng.randint(10, 99)}\r\n")
        out.write(f"EMAIL;TYPE=INTERNET:vc{i}.{rng.randint(0, 10**6)}@example.org\r\n")
        out.write(f"ADR;TYPE=HOME:;;{rng.randint(1, 99)} rue de la Paix;Paris;;750{rng.randint(1, 20):02d};"
                  f"France\r\n")
        out.write(f"BDAY:19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\r\n")
        out.write("END:VCARD\r\n")
    return out.getvalue().encode("utf-8")


def vcard_import(vault, path, workdir, results, notes):
    from boutique_book.interchange.importer import apply_plan, build_plan
    from boutique_book.interchange.vcard_read import read_vcard_bytes

    cards = min(10_000, max(200, results.get("contacts", 10_000) // 10)) if results.get("_small") else 10_000
    data = make_vcards(cards)
    scratch = _scratch_vault(vault, workdir)
    try:
        started = time.perf_counter()
        read = read_vcard_bytes(data, "bench.vcf")
        plan = build_plan(scratch, read, region="FR")
        report = apply_plan(scratch, plan)
        key = "vcard_import_10k_ms" if cards == 10_000 else "vcard_import_small_ms"
        results[key] = _ms(started)
        results["vcard_import_cards"] = cards
        results["vcard_import_created"] = len(report.created)
    finally:
        scratch.close()
    notes.append(f"vCard import: {cards:,} cards into a copy of the bench vault (duplicates checked against all of it)")


def vcard_export(vault, path, workdir, results, notes):
    from boutique_book.interchange import exporter

    out = workdir / "all.vcf"
    started = time.perf_counter()
    n = exporter.export_contacts(vault, out, "vcard4", session=_manager(vault))
    results["vcard_export_all_ms"] = _ms(started)
    results["vcard_export_contacts"] = n
    results["vcard_export_mb"] = round(out.stat().st_size / 2**20, 1)
    out.unlink()


def labels(vault, path, workdir, results, notes):
    from boutique_book.printing.jobs import print_labels

    ids = [r[0] for r in vault.query("SELECT c.id FROM contacts c WHERE c.kind <> 'institution' AND EXISTS "
                                     "(SELECT 1 FROM contact_addresses a WHERE a.contact_id=c.id) "
                                     "ORDER BY c.id LIMIT 1000")]
    started = time.perf_counter()
    result = print_labels(vault, ids)
    key = "labels_1000_ms" if len(ids) == 1000 else "labels_small_ms"
    results[key] = _ms(started)
    results["labels_drawn"] = result.count
    results["labels_pdf_kb"] = round(len(result.pdf) / 1024, 1)


def hq_export(vault, path, workdir, results, notes):
    from boutique_book.hq import bundle
    from boutique_book.hq.export import build

    pub, _key = bundle.keygen(workdir / "hq-keys")
    public_key = bundle.read_public_key(pub)
    conn = vault.connect()
    try:
        started = time.perf_counter()
        _name, encrypted, _manifest, counts = build(conn, "pseudonymised", public_key)
        key = "hq_export_100k_ms" if results.get("contacts", 0) >= 100_000 else "hq_export_ms"
        results[key] = _ms(started)
    finally:
        conn.close()
    results["hq_export_kb"] = round(len(encrypted) / 1024, 1)
    notes.append(f"HQ export: pseudonymised profile of the whole book, counts {counts}")


def connectors(vault, path, workdir, results, notes):
    from boutique_book.network.connectors import rank

    started = time.perf_counter()
    ranking = rank(vault)
    results["connectors_ms"] = _ms(started)
    results["connectors_graph_edges"] = ranking.edges
    results["connectors_ranked"] = len(ranking.connectors)
    notes.append(f"connectors: {ranking.nodes:,} nodes, {ranking.edges:,} edges, pivots {ranking.pivots}, "
                 f"circles by {ranking.method}")


FEATURES = [
    ("1,000-label PDF", labels),
    ("HQ pseudonymised export", hq_export),
    ("connector ranking", connectors),
    ("backup of the whole vault", backup),
    ("import 10,000 vCards", vcard_import),
    ("export all contacts to vCard", vcard_export),
]


def _manager(vault):
    from boutique_book.core import manager
    from boutique_book.core.kdf import KdfParams

    return manager.unlock(vault, "bench manager passphrase", "bench", params=KdfParams.fast())
