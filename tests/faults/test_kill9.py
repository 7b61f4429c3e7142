"""kill -9 of a writer at random points: the vault opens, passes both integrity checks and holds every
write the writer reported committed. The figures are printed (run with -s); docs/safety.md has a run's."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time

import pytest

from boutique_book.core import backup, integrity, kdf
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

from .conftest import HERE, child_env

ROUNDS = 24
WRITES_PER_ROUND = 1000
BACKUP_EVERY = 150


def _run_round(vault_path, passphrase, round_no, rng) -> tuple[list[str], str]:
    """Start the writer, kill it with SIGKILL at a random point; return the lines it printed."""
    proc = subprocess.Popen([sys.executable, str(HERE / "writer.py"), str(vault_path), str(round_no),
                             str(WRITES_PER_ROUND), str(BACKUP_EVERY)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(passphrase))
    mode = rng.choice(["after_lines", "after_lines", "after_lines", "after_time"])
    target_lines = rng.randint(0, WRITES_PER_ROUND - 10)  # always before the writer's last line
    deadline = time.monotonic() + (rng.uniform(0.0, 4.0) if mode == "after_time" else 120)
    lines: list[str] = []
    buffer = b""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        if time.monotonic() >= deadline or len(lines) > target_lines:
            break
        if not sel.select(timeout=0.05):
            if proc.poll() is not None:
                break
            continue
        chunk = proc.stdout.read()
        if not chunk:
            if proc.poll() is not None:
                break
            continue
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        lines += [c.decode() for c in complete]
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    os.set_blocking(proc.stdout.fileno(), True)
    rest = buffer + proc.stdout.read()
    lines += [c.decode() for c in rest.split(b"\n")[:-1]]  # a line without its newline was never complete
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stdout.close()
    proc.stderr.close()
    where = f"{mode}:{target_lines if mode == 'after_lines' else 'time'}"
    assert proc.returncode in (-signal.SIGKILL, 0), stderr
    return lines, where


@pytest.mark.slow
def test_kill9_during_writes_loses_nothing_reported(tmp_path, passphrase):
    vault_path = tmp_path / "shop" / "boutique.vault"
    Vault.create(vault_path, passphrase, KdfParams.fast()).close()
    rng = random.Random(int(os.environ.get("BB_FAULT_SEED", "20240501")))
    expected_contacts: dict[int, tuple[int, int]] = {}
    expected_moments: dict[int, tuple[int, int]] = {}
    kill_points, killed_mid_run = [], 0
    for round_no in range(ROUNDS):
        lines, where = _run_round(vault_path, passphrase, round_no, rng)
        kill_points.append(where)
        killed_mid_run += "DONE" not in lines
        for line in lines:
            kind, *rest = line.split()
            if kind == "C":
                expected_contacts[int(rest[0])] = (int(rest[1]), int(rest[2]))
            elif kind == "M":
                expected_moments[int(rest[0])] = (int(rest[1]), int(rest[2]))
        # Both checks pass on the crashed state as it is (read-only connection, hot WAL included),
        # before any normal open could repair or write anything.
        key = kdf.derive_key(passphrase, integrity.read_salt(vault_path))
        report = integrity.check_file(vault_path, key, full=True)
        assert report.ok, (round_no, where, report.problems)
        with Vault.open(vault_path, passphrase) as vault:
            for contact_id, (r, i) in expected_contacts.items():
                row = vault.query("SELECT given_name, family_name FROM contacts WHERE id=?", (contact_id,))
                assert row == [(f"Writer{r}", f"N{i}")], (round_no, where, contact_id)
            for moment_id, (r, i) in expected_moments.items():
                assert vault.scalar("SELECT text FROM moments WHERE id=?", (moment_id,)) == f"round {r} write {i}"
            # Every backup under its final name is whole and verified; a killed backup left no final name.
            for info in backup.list_backups(backup.default_backup_dir(vault_path)):
                assert backup.verify_backup(info.path, vault=vault).ok, info.path
    writes = len(expected_contacts) + len(expected_moments)
    print(f"\nkill -9 figures: {ROUNDS} kill points ({killed_mid_run} mid-run), {writes} reported writes "
          f"checked after every round; points: {', '.join(kill_points)}")
    assert killed_mid_run >= 20
    assert writes > 0
