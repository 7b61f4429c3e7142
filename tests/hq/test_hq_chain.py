"""Issue #23: HQ collects many stores' bundles into one Parquet/DuckDB dataset and reports on the chain.

Three demo stores of different sizes, each exporting through the app's own code (signed bundles); a second,
older snapshot for one store; forged, unsigned and consenting bundles to refuse."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import duckdb
import pdfplumber
import pytest
from boutique_book.core.primitives import PrivateKey as Ed25519PrivateKey

from boutique_book.core import contacts, demo, manager
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault
from boutique_book.hq import bundle, collect, dataset, export, report, signing

SIZES = {"north": 60, "centre": 150, "south": 300}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """{name: store_id}, the bundles, and the HQ key pair."""
    root = tmp_path_factory.mktemp("chain")
    pub, key = bundle.keygen(root / "hq")
    usb = root / "usb"
    usb.mkdir()
    stores, bundles = {}, {"figures": [], "pseudonymised": [], "consenting": [], "older": []}
    for n, (name, size) in enumerate(SIZES.items()):
        with Vault.create(root / f"{name}.vault", "counter pass", KdfParams.fast()) as vault:
            demo.generate(vault, size, seed=10 + n)
            session = manager.unlock(vault, "manager pass", name, params=KdfParams.fast())
            export.import_public_key(vault, session, pub)
            for profile in ("figures", "pseudonymised"):
                bundles[profile].append(export.export_bundle(vault, session, profile, usb).path)
            stores[name] = vault.scalar("SELECT value FROM meta WHERE key='store_id'")
            if name == "centre":
                cid = vault.scalar("SELECT min(id) FROM contacts")
                contacts.record_consent(vault, cid, "share_hq", True)
                bundles["consenting"].append(export.export_bundle(vault, session, "consenting", usb).path)
                # An older snapshot, made by the same export code and signed with the store's key.
                conn = vault.connect()
                try:
                    key_, _new = signing.store_key(conn)
                    name_, data, _m, _c = export.build(conn, "pseudonymised", export.hq_public_key(vault),
                                                       now=dt.datetime(2026, 9, 30, 9, tzinfo=dt.timezone.utc),
                                                       signing_key=key_)
                finally:
                    conn.close()
                (usb / name_).write_bytes(data)
                bundles["older"].append(usb / name_)
    return root, pub, key, stores, bundles


def _all(bundles):
    return [*bundles["figures"], *bundles["pseudonymised"], *bundles["older"]]


def _snapshot(root):
    files = sorted((p.relative_to(root), p.stat().st_mtime_ns) for p in (root / "dataset").rglob("*.parquet"))
    con = duckdb.connect(str(root / "hq.duckdb"), read_only=True)
    try:
        ledger = con.execute("SELECT * EXCLUDE (collected_at) FROM bundles ORDER BY bundle_id").fetchall()
    finally:
        con.close()
    return files, ledger


@pytest.fixture(scope="module")
def collected(chain):
    root, pub, key, stores, bundles = chain
    into = root / "dataset-dir"
    outcomes = collect.collect(_all(bundles), key, into, trust_new=True)
    return into, outcomes


def test_three_stores_are_collected_into_parquet_and_duckdb(chain, collected):
    root, pub, key, stores, bundles = chain
    into, outcomes = collected
    assert [o.status for o in outcomes] == ["collected"] * 7
    layout = {p.relative_to(into / "dataset").parts[:3] for p in (into / "dataset").rglob("*.parquet")}
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert layout == {(table, f"store_id={sid}", f"export_date={today}")
                      for table in ("contacts", "figures") for sid in stores.values()} | {
        ("contacts", f"store_id={stores['centre']}", "export_date=2026-09-30")}
    assert all(p.stat().st_mode & 0o077 == 0 for p in into.rglob("*") if p.is_file())
    con = duckdb.connect(str(into / "hq.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM stores").fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM bundles").fetchone()[0] == 7
        # The latest view holds each store's newest snapshot only; the history holds both of centre's.
        latest = dict(con.execute("SELECT store_id, count(*) FROM contacts_latest GROUP BY 1").fetchall())
        rows = dict(con.execute("SELECT store_id, rows FROM snapshots WHERE profile='pseudonymised' AND recency=1").fetchall())
        assert latest == rows and set(latest) == set(stores.values())
        assert 60 - 15 <= latest[stores["north"]] <= 60 and 285 <= latest[stores["south"]] <= 300
        history = con.execute("SELECT count(DISTINCT bundle_id) FROM contacts_history WHERE store_id = ?",
                              [stores["centre"]]).fetchone()[0]
        assert history == 2
        # Pseudonymised rows only: no column could carry a name.
        columns = {c[0] for c in con.execute("DESCRIBE contacts_history").fetchall()}
        assert columns == set(dataset.CONTACT_TYPES) | {"bundle_id", "created_at", "store_id", "export_date"}
    finally:
        con.close()


def test_collecting_again_changes_nothing(chain, collected):
    root, pub, key, stores, bundles = chain
    into, _ = collected
    before = _snapshot(into)
    again = collect.collect(list(reversed(_all(bundles))), key, into)
    assert {o.status for o in again} == {"unchanged"}
    assert _snapshot(into) == before


def test_refusals_unsigned_forged_new_store_and_consenting(chain, collected, tmp_path):
    root, pub, key, stores, bundles = chain
    into, _ = collected
    before = _snapshot(into)
    figures = {"figures.csv": "measure,value,count\ncontacts,all,5\n"}
    claims = {"profile": "figures", "created_at": "2026-11-27T10:00:00+00:00", "counts": {}, "include_moments": False}
    forged = tmp_path / "forged.age"   # claims a known store, signed with another key
    forged.write_bytes(bundle.encrypt(bundle.build_archive(figures, {**claims, "store_id": stores["south"]},
                                                           Ed25519PrivateKey.generate()), pub.read_text().strip()))
    unsigned = tmp_path / "unsigned.age"
    unsigned.write_bytes(bundle.encrypt(bundle.build_archive(figures, {**claims, "store_id": "SPOOFED"}),
                                        pub.read_text().strip()))
    newcomer = tmp_path / "new.age"
    newcomer.write_bytes(bundle.encrypt(bundle.build_archive(figures, {**claims, "store_id": "NEW-STORE"},
                                                             Ed25519PrivateKey.generate()), pub.read_text().strip()))
    outcomes = collect.collect([forged, unsigned, newcomer, bundles["consenting"][0]], key, into)
    assert [o.status for o in outcomes] == ["refused"] * 4
    messages = [o.message for o in outcomes]
    assert "not signed with store" in messages[0] and "unsigned" in messages[1]
    assert "--trust-new" in messages[2] and "personal data" in messages[3]
    assert all("\n" not in m for m in messages)
    assert _snapshot(into) == before
    assert "NEW-STORE" not in signing.load_register(signing.register_path(key))
    # A new store's bundle with bad content is refused even with --trust-new, and its key is not recorded.
    bad = tmp_path / "bad.age"
    bad.write_bytes(bundle.encrypt(bundle.build_archive({"figures.csv": "measure,value,count\ncontacts,all,\"5\n"},
                                                        {**claims, "store_id": "BAD-STORE"},
                                                        Ed25519PrivateKey.generate()), pub.read_text().strip()))
    [refused] = collect.collect([bad], key, into, trust_new=True)
    assert refused.status == "refused" and "not valid CSV" in refused.message
    assert "BAD-STORE" not in signing.load_register(signing.register_path(key))
    assert _snapshot(into) == before
    # Trust on first use records the newcomer's key; a later bundle under its id with another key is refused.
    [first] = collect.collect([newcomer], key, into, trust_new=True)
    assert first.status == "collected"
    assert signing.load_register(signing.register_path(key))["NEW-STORE"]["how"] == "trust-on-first-use"
    other = tmp_path / "other.age"
    other.write_bytes(bundle.encrypt(bundle.build_archive(figures, {**claims, "store_id": "NEW-STORE",
                                                                    "created_at": "2026-11-28T10:00:00+00:00"},
                                                          Ed25519PrivateKey.generate()), pub.read_text().strip()))
    [later] = collect.collect([other], key, into, trust_new=True)
    assert later.status == "refused" and "not signed with store NEW-STORE" in later.message


def _numbers(text: str) -> dict:
    """'Friends 70' lines of a page's figure table -> {'Friends': '70'}."""
    out = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(.+?) (<?\d[\d,]*)", line.strip())
        if match:
            out[match.group(1)] = match.group(2)
    return out


def _ksafe(n: int, k: int = 5) -> str:
    return f"<{k}" if 0 < n < k else f"{n:,}"


def test_report_pages_charts_and_numbers_equal_duckdb_queries(chain, tmp_path):
    root, pub, key, stores, bundles = chain
    into = tmp_path / "ds"
    collect.collect(_all(bundles), key, into, trust_new=True)
    out, pages, figures = report.make_report(into, tmp_path / "report.pdf")
    con = duckdb.connect(str(into / "hq.duckdb"), read_only=True)
    q = lambda sql, *p: con.execute(sql, list(p)).fetchall()  # noqa: E731
    try:
        with pdfplumber.open(out) as pdf:
            assert len(pdf.pages) == pages
            texts = [page.extract_text() or "" for page in pdf.pages]
            store_pages = {sid: i for i, t in enumerate(texts) for sid in stores.values()
                           if t.startswith(f"Store {sid}")}
            assert len(store_pages) == 3 and min(store_pages.values()) >= 1
            summary = "\n".join(texts[:min(store_pages.values())])
            assert "Chain report" in summary and "People per tier" in summary and "First-met sources" in summary
            assert "How tiers move over time" in summary and "Card seasons: sent and answered" in summary
            # Charts are drawn: bars are rectangles in the PDF, their labels real text.
            assert sum(len(pdf.pages[i].rects) for i in range(min(store_pages.values()))) > 20
            # Chain numbers equal DuckDB queries over the dataset.
            chain_numbers = _numbers(summary)
            [(people,)] = q("SELECT count(*) FROM contacts_latest")
            assert chain_numbers["People (newest snapshot of each store)"] == _ksafe(people)
            for tier, n in q("SELECT tier, count(*) FROM contacts_latest GROUP BY 1"):
                assert chain_numbers[tier.capitalize()] == _ksafe(n)
            [(done, overdue)] = q("""SELECT sum(count) FILTER (WHERE measure='followups_handled' AND value='done'),
                                            sum(count) FILTER (WHERE measure='followups_open' AND value='overdue')
                                     FROM figures_latest""")
            assert chain_numbers["Follow-ups done"] == _ksafe(done or 0)
            assert chain_numbers["Follow-ups overdue"] == _ksafe(overdue or 0)
            assert chain_numbers["Stores"] == "3" and chain_numbers["Bundles collected"] == "7"
            # Each store's page.
            for name, sid in stores.items():
                text = texts[store_pages[sid]]
                numbers = _numbers(text)
                [(n,)] = q("SELECT count(*) FROM contacts_latest WHERE store_id=?", sid)
                assert numbers["People"] == _ksafe(n)
                for tier, n in q("SELECT tier, count(*) FROM contacts_latest WHERE store_id=? GROUP BY 1", sid):
                    assert numbers[tier.capitalize()] == _ksafe(n), (name, tier)
                for value, sent in q("SELECT value, count FROM figures_latest WHERE store_id=? AND "
                                     "measure='cards_sent'", sid):
                    assert f"{_ksafe(sent)} sent" in text
                assert "Follow-ups" in text and "Tiers over time" in text
                assert len(pdf.pages[store_pages[sid]].rects) >= 5
            # Nothing that could single a person out: every count of people shown is 0, at least k, or "<5".
            counts = [v for page in texts for label, v in _numbers(page).items()
                      if label not in ("Stores", "Bundles collected")]
            counts += [v for page in texts for v in re.findall(r"(<?\d[\d,]*) (?:sent|answered)", page)]
            assert len(counts) > 30 and "<5" in counts
            assert all(v == "<5" or int(v.replace(",", "")) == 0 or int(v.replace(",", "")) >= 5 for v in counts)
    finally:
        con.close()


def test_report_html_and_empty_dataset(chain, collected, tmp_path):
    into, _ = collected
    out, pages, figures = report.make_report(into, tmp_path / "report.html", as_html=True)
    text = out.read_text()
    assert pages == 0 and text.count("<svg") >= 6 + 5 * 3 and text.count("<section>") == len(figures.per_store)
    empty = tmp_path / "empty"
    dataset.connect(empty, create=True).close()
    with pytest.raises(report.ReportError, match="no bundle yet"):
        report.make_report(empty, tmp_path / "x.pdf")
    with pytest.raises(dataset.DatasetError, match="no HQ dataset"):
        report.make_report(tmp_path / "nowhere", tmp_path / "x.pdf")


def test_commands_hq_collect_stores_and_report(chain, tmp_path):
    root, pub, key, stores, bundles = chain
    env = {**os.environ}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                              env=env, timeout=180, stdin=subprocess.DEVNULL)

    into = tmp_path / "ds"
    # --trust-new: the stores' keys are in the register only if the module's `collected` fixture already ran in
    # this process (not so under xdist when this test comes first); with it the test stands on its own.
    first = run("hq-collect", "--key", str(key), "--into", str(into), "--trust-new", *map(str, bundles["figures"]))
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("collected") == 3 and "3 collected, 0 unchanged, 0 refused." in first.stderr
    refused = run("hq-collect", "--key", str(key), "--into", str(into), *map(str, bundles["consenting"]))
    assert refused.returncode == 1 and refused.stdout.startswith("REFUSED") and "Traceback" not in refused.stderr
    listed = run("hq-stores", "--key", str(key))
    assert set(stores.values()) <= {line.split("\t")[0] for line in listed.stdout.splitlines()}
    made = run("hq-report", "--from", str(into), "-o", str(tmp_path / "r.pdf"))
    assert made.returncode == 0 and "pages (3 stores)" in made.stdout, made.stderr
    missing = run("hq-report", "--from", str(tmp_path / "none"), "-o", str(tmp_path / "r2.pdf"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


BLOCK_ENGINE = """import sys
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("duckdb", "pyarrow"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _Absent())
"""


def test_shop_app_without_the_engine_says_where_to_collect(chain, tmp_path):
    """The frozen shop app leaves DuckDB and Arrow out (issue #20): hq-collect and hq-report say in one line
    where they run, never a traceback."""
    root, pub, key, stores, bundles = chain
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(BLOCK_ENGINE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(block), os.environ.get("PYTHONPATH", "")])}
    for args in (("hq-collect", "--key", str(key), "--into", str(tmp_path / "ds"), *map(str, bundles["figures"])),
                 ("hq-report", "--from", str(tmp_path / "ds"), "-o", str(tmp_path / "r.pdf"))):
        done = subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                              env=env, timeout=180, stdin=subprocess.DEVNULL)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1 and "HQ installation" in done.stderr, done.stderr
    assert not (tmp_path / "ds").exists()
