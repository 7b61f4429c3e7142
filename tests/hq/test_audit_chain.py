"""The audit log is tamper-evident (issue #18, problem 5). On c6c2aae someone with the counter passphrase
and Python could drop the append-only triggers, delete rows, recreate the triggers, and `audit`/`verify`
showed nothing wrong. Now each entry is chained; `verify` and `audit --verify` recompute the chain and
name the first broken link; a rewrite that recomputes the chain is caught against a head that left the
store (a backup, an earlier HQ bundle)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

from boutique_book.core import audit_chain, audit_files, backup, changelog, contacts, manager, privacy
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact
from boutique_book.core.vault import Vault

PASS = "counter passphrase"
MANAGER = "manager passphrase 1"


def run(*args):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, "BOUTIQUE_BOOK_MANAGER_PASSPHRASE": MANAGER}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)


def _book(path, hq_pub=None):
    """A vault with a manager and a few audited acts: exports, an erasure, a failed manager unlock."""
    from boutique_book.interchange import exporter

    with Vault.create(path, PASS, KdfParams.fast()) as vault:
        session = manager.unlock(vault, MANAGER, "Léonie", params=KdfParams.fast())
        ids = [contacts.add(vault, Contact(given_name=f"P{n}", family_name="Audit")) for n in range(4)]
        exporter.export_contacts(vault, path.parent / "all.csv", "csv", session=session)
        privacy.erase_contact(vault, session, ids[0])
        try:
            manager.unlock(vault, "wrong one!", "someone")
        except manager.WrongManagerCredential:
            pass
        exporter.export_contacts(vault, path.parent / "all.vcf", "vcard4", session=session)
    return path


def _tamper(path, sql, params=(), recompute=False):
    """What an attacker with the counter passphrase and Python does: lift the guard, change the log, put
    the guard back exactly as it was (and, the careful one, recompute every hash after the change)."""
    with Vault.open(path, PASS) as vault:
        conn = vault.conn
        triggers = conn.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'"
                                ).fetchall()
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute(sql, params)
        if recompute:
            rows = conn.execute("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id").fetchall()
            conn.execute("DELETE FROM audit_log")
            prev = audit_chain.GENESIS
            for new_id, (_old, at, actor, action, detail) in enumerate(rows, start=1):
                prev = audit_chain.entry_hash(prev, new_id, at, actor, action, detail)
                conn.execute("INSERT INTO audit_log VALUES (?,?,?,?,?,?)", (new_id, at, actor, action, detail, prev))
        for (sql_text,) in triggers:
            conn.execute(sql_text)


def _actions(path):
    with Vault.open(path, PASS) as vault:
        return [(e["id"], e["action"]) for e in changelog.audit_entries(vault.conn)]


def test_deleting_an_entry_behind_the_triggers_back_is_found(tmp_path):
    path = _book(tmp_path / "shop.vault")
    assert run("backup", "--vault", str(path)).returncode == 0
    clean = run("verify", "--vault", str(path))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "hash chain intact" in clean.stdout
    assert run("audit", "--vault", str(path), "--verify").returncode == 0

    export_id = next(i for i, action in _actions(path) if action == "export")
    _tamper(tmp_path / "shop.vault", "DELETE FROM audit_log WHERE id=?", (export_id,))
    assert export_id not in [i for i, _a in _actions(path)]
    verified = run("verify", "--vault", str(path))
    assert verified.returncode == 1
    assert f"entries {export_id}–{export_id} are missing" in verified.stdout and "TAMPERED" in verified.stdout
    audited = run("audit", "--vault", str(path), "--verify")
    assert audited.returncode == 1 and f"breaks at entry {export_id + 1}" in audited.stdout
    assert "Traceback" not in verified.stderr + audited.stderr


def test_an_edited_entry_is_found(tmp_path):
    path = _book(tmp_path / "shop.vault")
    failed = next(i for i, action in _actions(path) if action == "manager_unlock_failed")
    _tamper(path, "UPDATE audit_log SET action='settings' WHERE id=?", (failed,))
    with Vault.open(path, PASS) as vault:
        report = audit_chain.verify(vault.conn)
    assert not report.ok and report.broken_at == failed


def test_removing_the_guard_is_reported(tmp_path):
    path = _book(tmp_path / "shop.vault")
    with Vault.open(path, PASS) as vault:
        vault.conn.execute("DROP TRIGGER audit_log_no_delete")
        report = audit_chain.verify(vault.conn)
    assert not report.ok and "guard" in report.problem


def test_a_recomputed_chain_is_caught_by_a_backup_that_left_the_store(tmp_path):
    path = _book(tmp_path / "shop.vault")
    usb = tmp_path / "usb"
    assert run("backup", "--vault", str(path)).returncode == 0
    with Vault.open(path, PASS) as vault:
        usb_backup = backup.create_backup(vault, usb)
    export_id = next(i for i, action in _actions(path) if action == "export")
    _tamper(path, "DELETE FROM audit_log WHERE id=?", (export_id,), recompute=True)
    with Vault.open(path, PASS) as vault:
        assert audit_chain.verify(vault.conn).ok  # consistent on its own: the vault alone cannot tell
    verified = run("verify", "--vault", str(path))
    assert verified.returncode == 1 and "TAMPERED" in verified.stdout and "an earlier copy" in verified.stdout
    assert usb_backup.path.name in verified.stdout  # the USB folder is remembered in the vault
    # The same against the USB copy, which the attacker could not reach.
    with Vault.open(path, PASS) as vault:
        report, disagreements = audit_files.check_files(path, vault._key, [usb_backup.path])
    assert report.ok and [p for p, _problem in disagreements] == [usb_backup.path]


def test_audit_verify_compares_with_backups_and_a_copy_the_vault_forgot(tmp_path):
    """Session 4 audit, as an attacker with the counter passphrase: on 2fad6a9 `audit --verify` only
    recomputed the chain, so deleting the last entries (the exports) behind the triggers' back left it
    "intact" (exit 0) while `verify` saw it against the backups. And a careful attacker who recomputes the
    chain, makes the vault forget its `backup --to` folders and deletes the managed backups leaves no copy
    the commands know of: the manager can now point at the USB stick kept in a drawer (`--against`)."""
    path = _book(tmp_path / "shop.vault")
    drawer = tmp_path / "drawer"
    assert run("backup", "--vault", str(path)).returncode == 0
    assert run("backup", "--vault", str(path), "--to", str(drawer)).returncode == 0
    audited = run("audit", "--vault", str(path), "--verify")
    assert audited.returncode == 0 and "compared with the heads of 2 backups" in audited.stdout, audited.stdout

    last_id, last_action = _actions(path)[-1]
    assert last_action == "export"
    _tamper(path, "DELETE FROM audit_log WHERE id=?", (last_id,))  # the end of the log: the chain holds alone
    with Vault.open(path, PASS) as vault:
        assert audit_chain.verify(vault.conn).ok
    audited = run("audit", "--vault", str(path), "--verify")
    assert audited.returncode == 1, audited.stdout
    assert f"no longer has entry {last_id}" in audited.stdout and "TAMPERED" in audited.stdout
    assert "Traceback" not in audited.stderr

    # The careful attacker: recompute, forget the remembered folders, delete the managed backups.
    _tamper(path, "DELETE FROM settings WHERE key IN ('backup.places', 'backup.folders')", recompute=True)
    for old in (path.parent / "backups").glob("*.vault"):
        old.unlink()
    blind = run("verify", "--vault", str(path))
    assert "hash chain intact" in blind.stdout and "No backup to compare the audit log with" in blind.stdout
    [kept] = drawer.glob("*.vault")
    for argv in (["verify", "--vault", str(path), "--against", str(drawer)],
                 ["audit", "--vault", str(path), "--verify", "--against", str(kept)]):
        caught = run(*argv)
        assert caught.returncode == 1, (argv, caught.stdout, caught.stderr)
        assert "TAMPERED" in caught.stdout and kept.name in caught.stdout and "head of 1 backup" in caught.stdout
    missing = run("audit", "--vault", str(path), "--verify", "--against", str(tmp_path / "nowhere.vault"))
    assert "Not compared: " in missing.stdout and "does not exist" in missing.stdout


def test_hq_sees_a_rewritten_history_across_bundles(tmp_path, hq_keys):
    from boutique_book.hq import bundle, export

    hq_pub, hq_key = hq_keys
    path = _book(tmp_path / "shop.vault")
    out = tmp_path / "usb"
    out.mkdir()
    identity = bundle.read_identity(hq_key)

    def send():
        with Vault.open(path, PASS) as vault:
            session = manager.unlock(vault, MANAGER)
            if not export.hq_public_key(vault):
                export.import_public_key(vault, session, hq_pub)
            made = export.export_bundle(vault, session, "figures", out)
        manifest, _files = bundle.decrypt_and_verify(made.path.read_bytes(), identity)
        return manifest["audit_chain"]

    first = send()
    second = send()
    assert first["head_id"] > 0 and len(first["head"]) == 64
    assert audit_chain.compare_manifests(first, second) is None  # an honest store
    erased = next(i for i, action in _actions(path) if action == "erasure")
    _tamper(path, "DELETE FROM audit_log WHERE id=?", (erased,), recompute=True)
    third = send()
    assert audit_chain.compare_manifests(second, third) == "the audit log was rewritten between the two bundles"
    assert audit_chain.compare_manifests(first, third) == "the audit log was rewritten between the two bundles"
    # A store that drops the entries at the end is shorter than what HQ already saw.
    shorter = dict(third, entries=1, head_id=1)
    assert "shorter" in audit_chain.compare_manifests(second, shorter)


def test_upgrade_chains_old_entries_and_strips_file_names(tmp_path):
    """A vault from before the chain (migrations up to 30) whose import entry names a file."""
    from boutique_book.core.kdf import derive_key, key_pragma_value, new_salt
    from boutique_book.core.migrations import apply_migrations
    from boutique_book.core.vault import PRAGMAS, _raw_connect

    path = tmp_path / "old.vault"
    salt = new_salt(KdfParams.fast())
    conn = _raw_connect(path, key_pragma_value(derive_key(PASS, salt), salt))
    for pragma in PRAGMAS:
        conn.execute(pragma)
    apply_migrations(conn, target=30)
    conn.execute("INSERT INTO audit_log(at, actor, action, detail) VALUES (?,?,?,?)",
                 ("2025-01-01T10:00:00+00:00", "cli", "import",
                  json.dumps({"files": ["/home/shop/Quirinalda Xylophorides.vcf"], "created": 1})))
    conn.execute("INSERT INTO audit_log(at, actor, action, detail) VALUES (?,?,?,?)",
                 ("2025-01-02T10:00:00+00:00", "manager", "export", json.dumps({"count": 3})))
    conn.close()
    with Vault.open(path, PASS) as vault:
        entries = changelog.audit_entries(vault.conn)
        assert audit_chain.verify(vault.conn).ok
        text = json.dumps(entries)
    assert "Quirinalda" not in text and entries[0]["detail"] == {"files": 1, "created": 1}
    assert entries[-1]["action"] == "audit_redacted" and entries[-1]["detail"]["entries"] == 1


def test_hq_collect_says_when_a_stores_history_was_rewritten(tmp_path, hq_keys):
    """Session 4 audit: `compare_manifests` existed, but nothing at HQ called it, so a rewritten history was
    "visible at HQ" only to someone writing Python. `hq-collect` now compares each bundle's audit head with
    the store's bundle collected just before (and after) it, prints AUDIT LOG REWRITTEN and exits 1."""
    from boutique_book.hq import export, signing

    hq_pub, hq_key = hq_keys
    path = _book(tmp_path / "shop.vault")
    out = tmp_path / "usb"
    out.mkdir()

    def send():
        with Vault.open(path, PASS) as vault:
            session = manager.unlock(vault, MANAGER)
            if not export.hq_public_key(vault):
                export.import_public_key(vault, session, hq_pub)
            made = export.export_bundle(vault, session, "figures", out)
        if made.signing_key_created:
            signing.register_store(signing.register_path(hq_key), made.store_id, made.signing_key)
        return made.path

    first, second = send(), send()
    dataset = tmp_path / "dataset"
    honest = run("hq-collect", "--key", str(hq_key), "--into", str(dataset), str(first), str(second))
    assert honest.returncode == 0 and "REWRITTEN" not in honest.stdout, honest.stdout + honest.stderr
    erased = next(i for i, action in _actions(path) if action == "erasure")
    _tamper(path, "DELETE FROM audit_log WHERE id=?", (erased,), recompute=True)
    # bundles are dated to the second; made in the same second as `second`, HQ had no bundle "before" it to
    # compare with and the test failed whenever the machine was quick (seen twice in full runs)
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    while dt.datetime.now(dt.timezone.utc).replace(microsecond=0) <= started:
        time.sleep(0.05)
    third = send()
    caught = run("hq-collect", "--key", str(hq_key), "--into", str(dataset), str(third))
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert "AUDIT LOG REWRITTEN" in caught.stdout and "rewritten between the two bundles" in caught.stdout
    assert "Traceback" not in caught.stderr
    # Collected out of order, the earlier bundle is compared with the later one already there.
    again = run("hq-collect", "--key", str(hq_key), "--into", str(tmp_path / "other"), str(third), str(second))
    assert again.returncode == 1 and "AUDIT LOG REWRITTEN" in again.stdout


def test_two_bundles_made_in_the_same_second_are_still_compared():
    """Bundles are dated to the second: a rewrite between two exports made in the same second went unseen at
    HQ (the collect compared only with earlier and later seconds). They are now ordered by their chain."""
    import duckdb

    from boutique_book.hq.collect import audit_history_warning

    con = duckdb.connect()
    con.execute("CREATE TABLE bundles (store_id VARCHAR, created_at TIMESTAMPTZ, manifest VARCHAR)")
    when = dt.datetime(2026, 11, 27, 10, 0, 0, tzinfo=dt.timezone.utc)
    first = {"audit_chain": {"head": "aa" * 32, "head_id": 5, "entries": 5, "checkpoints": []}}
    con.execute("INSERT INTO bundles VALUES ('S1', ?, ?)", [when, json.dumps(first)])
    honest = {"audit_chain": {"head": "cc" * 32, "head_id": 7, "entries": 7,
                              "checkpoints": [{"id": 5, "hash": "aa" * 32}]}}
    rewritten = {"audit_chain": {"head": "bb" * 32, "head_id": 7, "entries": 7,
                                 "checkpoints": [{"id": 5, "hash": "dd" * 32}]}}
    assert audit_history_warning(con, "S1", when, honest) == ""
    assert "rewritten" in audit_history_warning(con, "S1", when, rewritten)
    # Collected in the other order: the shorter chain, collected second, is still read as the earlier one.
    con.execute("DELETE FROM bundles")
    con.execute("INSERT INTO bundles VALUES ('S1', ?, ?)", [when, json.dumps(rewritten)])
    assert "rewritten" in audit_history_warning(con, "S1", when, first)
    assert audit_history_warning(con, "S2", when, first) == ""          # another store's bundles are not read
