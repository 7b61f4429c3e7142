"""Disk full: a clear error, the app (process) stays up, everything saved before is still there, and the
edit can be retried once space is back. Two ways: a real size-limited tmpfs (root on Linux; skipped
elsewhere) and a simulated ENOSPC in a subprocess (RLIMIT_FSIZE: a write that would grow a file past the
limit is cut short, which SQLite reports as 'database or disk is full')."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from boutique_book.core import backup, contacts, errors, integrity, kdf
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Email
from boutique_book.core.vault import Vault

from .conftest import child_env

NOTE = "A long note that fills pages quickly. " * 20


def _fill_until_full(vault) -> tuple[list[int], Exception]:
    saved = []
    for i in range(100_000):
        try:
            # one action, one transaction: a contact is never saved without its note (#17 problem 7)
            cid = contacts.add_with_note(vault, Contact(given_name=f"Full{i}", emails=[Email(f"f{i}@example.com")]),
                                         NOTE + str(i), on=dt.date(2024, 1, 1))
        except errors.BoutiqueBookError as exc:
            return saved, exc
        saved.append(cid)
    raise AssertionError("the disk never filled up")


def _assert_whole(path, passphrase, saved, extra=()):
    key = kdf.derive_key(passphrase, integrity.read_salt(path))
    assert integrity.check_file(path, key, full=True).ok
    with Vault.open(path, passphrase) as vault:
        for cid in [*saved, *extra]:
            assert vault.scalar("SELECT given_name FROM contacts WHERE id=?", (cid,)) is not None
        assert vault.scalar("SELECT count(*) FROM moments WHERE contact_id IN (%s)" % ",".join(map(str, saved))) \
            == len(saved)


def test_real_disk_full_on_tmpfs(small_tmpfs, passphrase):
    disk = small_tmpfs(1200)
    path = disk / "boutique.vault"
    vault = Vault.create(path, passphrase, KdfParams.fast())
    saved, error = _fill_until_full(vault)
    assert saved, "some contacts fit before the disk filled"
    assert isinstance(error, errors.DiskFull)
    assert "disk is full" in str(error) and "everything saved before is safe" in str(error)
    # The app stays up: reads still work, a retry fails the same clear way while the disk is full...
    assert vault.scalar("SELECT count(*) FROM contacts") == len(saved)
    with pytest.raises(errors.StorageFailed):  # the same action as the one that met the full disk
        contacts.add_with_note(vault, Contact(given_name="Retry", emails=[Email("retry@example.com")]),
                               NOTE + "retry", on=dt.date(2024, 1, 1))
    # ...a backup onto the full disk fails clearly and leaves no partial file...
    with pytest.raises(backup.BackupFailed, match="failed"):
        backup.create_backup(vault, disk / "backups")
    assert not list((disk / "backups").glob("*"))
    # ...and once space is back, the same edit succeeds.
    small_tmpfs(8000)
    retried = contacts.add(vault, Contact(given_name="Retry"))
    vault.close()
    _assert_whole(path, passphrase, saved, [retried])


CHILD = r"""
import datetime as dt, json, os, resource, signal, sys
from boutique_book.core import contacts, errors, moments
from boutique_book.core.model import Contact, Email, Moment
from boutique_book.core.vault import Vault
path = sys.argv[1]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
vault = Vault.open(path, os.environ["BOUTIQUE_BOOK_PASSPHRASE"])
limit = os.path.getsize(path) + 300_000
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
saved, error = [], None
for i in range(100_000):
    try:
        cid = contacts.add_with_note(vault, Contact(given_name=f"Full{i}", emails=[Email(f"f{i}@example.com")]),
                                     "A long note that fills pages quickly. " * 20 + str(i), on=dt.date(2024, 1, 1))
    except errors.BoutiqueBookError as exc:
        error = exc
        break
    saved.append(cid)
still_reads = vault.scalar("SELECT count(*) FROM contacts")  # contact and note are one transaction
try:  # the same action as the one that met the full disk (a smaller one may still fit, depending on page layout)
    contacts.add_with_note(vault, Contact(given_name="Retry", emails=[Email("retry@example.com")]),
                           "A long note that fills pages quickly. " * 20 + "retry", on=dt.date(2024, 1, 1))
    retry = "saved"
except errors.BoutiqueBookError as exc:
    retry = type(exc).__name__
print(json.dumps({"saved": saved, "error": type(error).__name__, "message": str(error),
                  "still_reads": still_reads, "retry": retry}))
"""


def test_simulated_enospc_in_a_subprocess(vault_path, passphrase):
    Vault.create(vault_path, passphrase, KdfParams.fast()).close()
    done = subprocess.run([sys.executable, "-c", CHILD, str(vault_path)], capture_output=True, text=True,
                          env=child_env(passphrase), timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["saved"]
    assert result["error"] in ("DiskFull", "StorageFailed"), result
    assert "Nothing of this change was saved" in result["message"]
    assert result["still_reads"] == len(result["saved"])
    assert result["retry"] in ("DiskFull", "StorageFailed")
    _assert_whole(vault_path, passphrase, result["saved"])
