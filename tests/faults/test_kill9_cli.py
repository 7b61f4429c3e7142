"""kill -9 of the CLI during `import` and `erase` (issue #17 fault suite): real processes, killed at random
points. After each kill the book passes both checks and the action happened wholly or not at all: the
import's people are all there or none is, an erased person is wholly there or wholly gone (no moment, link
or follow-up left without its person). A retry after the kill completes the action without duplicates."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

from boutique_book.core import demo, integrity, kdf
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

from .conftest import child_env

PASS = "counter passphrase 1"
CARDS = 1500
ROUNDS = 4


def _start(*args):
    env = child_env(PASS)
    env["BOUTIQUE_BOOK_MANAGER_PASSPHRASE"] = "manager passphrase 1"
    return subprocess.Popen([sys.executable, "-m", "boutique_book", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)


def _kill_after(proc, seconds: float) -> bool:
    """SIGKILL after `seconds` unless it ended first; True when it was really killed mid-run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            proc.communicate()
            return False
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return True


def _checked(path):
    key = kdf.derive_key(PASS, integrity.read_salt(path))
    report = integrity.check_file(path, key, full=True)
    assert report.ok, report.summary()


def _vcards(path, n):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i in range(n):
            fh.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Killed Import{i}\r\nN:Import{i};Killed;;;\r\n"
                     f"EMAIL:killed.import{i}@example.com\r\nNOTE:Met at the spring sale, number {i}\r\nEND:VCARD\r\n")


def test_kill9_during_cli_import(tmp_path):
    path = tmp_path / "store" / "boutique.vault"
    with Vault.create(path, PASS, KdfParams.fast()) as vault:
        demo.generate(vault, 30, seed=9)
        before = vault.scalar("SELECT count(*) FROM contacts")
    cards = tmp_path / "export.vcf"
    _vcards(cards, CARDS)
    # How long a whole import takes on this machine (into a copy), so the kills land inside it whatever the
    # machine's speed: a fixed window let a fast machine finish every import before the kill.
    trial = tmp_path / "trial" / "boutique.vault"
    trial.parent.mkdir()
    shutil.copy2(path, trial)
    started = time.monotonic()
    assert subprocess.run([sys.executable, "-m", "boutique_book", "import", "--vault", str(trial), str(cards)],
                          capture_output=True, env=child_env(PASS), timeout=300).returncode == 0
    whole = time.monotonic() - started
    # Each round imports into a fresh copy of the book and is killed at a fraction of a whole import; a round
    # that finished anyway (a quicker run than the trial) counts as whole and the next one kills earlier.
    killed, last_killed = 0, None
    for number, fraction in enumerate((0.6, 0.35, 0.2, 0.1, 0.05, 0.02)):
        work = tmp_path / f"round{number}" / "boutique.vault"
        work.parent.mkdir()
        shutil.copy2(path, work)
        proc = _start("import", "--vault", str(work), str(cards))
        was_killed = _kill_after(proc, fraction * whole)
        _checked(work)
        with Vault.open(work, PASS) as vault:
            imported = vault.scalar("SELECT count(*) FROM contacts WHERE given_name='Killed'")
            notes = vault.scalar("SELECT count(*) FROM moments m JOIN contacts c ON c.id=m.contact_id "
                                 "WHERE c.given_name='Killed'")
        assert imported in (0, CARDS), imported  # one transaction: all or nothing
        assert notes == imported
        if was_killed:
            killed += 1
            last_killed = work
        if killed >= 2:
            break
    assert killed >= 1, "no round killed the import mid-run"
    done = subprocess.run([sys.executable, "-m", "boutique_book", "import", "--vault", str(last_killed), str(cards)],
                          capture_output=True, env=child_env(PASS), timeout=300)
    assert done.returncode == 0, done.stderr
    with Vault.open(last_killed, PASS) as vault:
        assert vault.scalar("SELECT count(*) FROM contacts") == before + CARDS  # the retry never duplicates
    print(f"kill -9 during import: {killed} kill(s) mid-run, 0 partial imports")


def test_kill9_during_cli_erase(tmp_path):
    path = tmp_path / "store" / "boutique.vault"
    with Vault.create(path, PASS, KdfParams.fast()) as vault:
        demo.generate(vault, 40, seed=11, moments_per_contact=30)
        people = [row[0] for row in vault.query("SELECT id FROM contacts ORDER BY id LIMIT ?", (ROUNDS,))]
    rng = random.Random(int(os.environ.get("BB_FAULT_SEED", "17")))
    # How long one erasure takes on this machine (manager KDF, scrub), timed on a copy: kills land inside it.
    trial = tmp_path / "trial" / "boutique.vault"
    trial.parent.mkdir()
    shutil.copy2(path, trial)
    started = time.monotonic()
    proc = _start("erase", str(people[0]), "--yes", "--vault", str(trial))
    proc.communicate(timeout=300)
    assert proc.returncode == 0
    whole = time.monotonic() - started
    killed, outcomes = 0, []
    for cid in people:
        proc = _start("erase", str(cid), "--yes", "--vault", str(path))
        killed += _kill_after(proc, rng.uniform(0.3, 0.9) * whole)
        _checked(path)
        with Vault.open(path, PASS) as vault:
            present = vault.scalar("SELECT count(*) FROM contacts WHERE id=?", (cid,))
            orphans = sum(vault.scalar(f"SELECT count(*) FROM {table} WHERE contact_id NOT IN (SELECT id FROM contacts)")
                          for table in ("moments", "followups", "contact_emails", "contact_phones"))
        assert orphans == 0
        assert present in (0, 1)
        outcomes.append(present)
    assert killed >= 1, "no round killed the erasure mid-run"
    print(f"kill -9 during erase: {killed} kill(s) before the end, outcomes (1 = still whole) {outcomes}, "
          "0 half-erased people")
