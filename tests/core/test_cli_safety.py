"""Issue #17 problems 7, 8 and 9 through the CLI: one user action is one transaction, contention gives one
clear line, the import plan is made inside its write transaction, unwritable targets and bad input never
print a traceback, and the CLI applies the app's passphrase rule."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import sqlcipher3.dbapi2 as sqlite

from boutique_book.cli import main
from boutique_book.core import contacts, search
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Email
from boutique_book.core.vault import Vault

PASS = "counter passphrase 1"


def run(*args, env_extra=None, timeout=120):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def one_line(done) -> str:
    err = done.stderr.decode("utf-8", "replace").strip()
    assert done.returncode != 0, done
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def book(tmp_path, monkeypatch):
    path = tmp_path / "store" / "boutique.vault"
    with Vault.create(path, PASS, KdfParams.fast()) as vault:
        contacts.add(vault, Contact(given_name="Existing", emails=[Email("existing@example.com")]))
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", PASS)
    return path


def _count(path, given):
    with Vault.open(path, PASS) as vault:
        return vault.scalar("SELECT count(*) FROM contacts WHERE given_name=?", (given,))


# -- problem 7: one action, one transaction --------------------------------------------------------

def test_add_contact_with_note_is_one_transaction_and_a_retry_does_not_duplicate(book, monkeypatch, capsys):
    real = search.index_moment

    def disk_full(*args, **kwargs):
        raise sqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(search, "index_moment", disk_full)
    argv = ["add-contact", "--vault", str(book), "--given", "Noemie", "--note", "Bought the blue scarf"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Nothing of this change was saved" in err
    assert _count(book, "Noemie") == 0  # the contact went with its note: nothing was saved
    monkeypatch.setattr(search, "index_moment", real)
    assert main(argv) == 0
    assert _count(book, "Noemie") == 1
    with Vault.open(book, PASS) as vault:
        assert vault.scalar("SELECT count(*) FROM moments m JOIN contacts c ON c.id=m.contact_id "
                            "WHERE c.given_name='Noemie'") == 1


def test_a_bad_note_saves_no_contact(book, capsys):
    assert main(["add-contact", "--vault", str(book), "--given", "Blank", "--note", "   "]) == 1
    assert "needs some text" in capsys.readouterr().err
    assert _count(book, "Blank") == 0


# -- problem 8: contention, and the plan inside the transaction --------------------------------------

def test_a_second_writer_gets_one_clear_line(book):
    holder = Vault.open(book, PASS)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long import
    try:
        started = time.monotonic()
        done = run("add-contact", "--vault", str(book), "--given", "Waiting")
        waited = time.monotonic() - started
        err = one_line(done)
        assert "another window or process" in err and "Nothing of this change was saved" in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert waited < 60
    assert _count(book, "Waiting") == 0
    assert run("add-contact", "--vault", str(book), "--given", "Waiting").returncode == 0


def test_import_plan_is_made_again_inside_the_write_transaction(book, tmp_path):
    from boutique_book.interchange.importer import apply_plan, build_plan, read_files

    card = tmp_path / "new.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Iris Nouvelle\r\nN:Nouvelle;Iris;;;\r\n"
                    "EMAIL:iris@example.com\r\nEND:VCARD\r\n", encoding="utf-8")
    with Vault.open(book, PASS) as vault:
        plan = build_plan(vault, read_files([card]))  # the preview
        assert plan.counts()["create"] == 1
        # Meanwhile another window saves the same person...
        with Vault.open(book, PASS) as other:
            contacts.add(other, Contact(given_name="Iris", family_name="Nouvelle", emails=[Email("iris@example.com")]))
        report = apply_plan(vault, plan)
        # ...and the import finds it (nothing new to add) instead of creating a duplicate.
        assert report.created == [] and report.skipped == 1
        assert vault.scalar("SELECT count(*) FROM contact_emails WHERE address='iris@example.com'") == 1


# -- problem 9: no traceback, non-zero on nothing imported, passphrases ------------------------------

def test_unwritable_targets_give_one_line(book, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for argv in (["print", "labels", "--all", "--ignore-consent", "-o", str(blocker / "x.pdf")],
                 ["export-ics", "-o", str(blocker / "agenda.ics")],
                 ["export-ics", "-o", str(blocker / "deeper" / "agenda.ics")]):
        err = one_line(run(*argv, "--vault", str(book)))
        assert "is a file, not a folder" in err, argv
    assert blocker.read_text() == "not a folder"


@pytest.fixture
def read_only_folder(tmp_path):
    where = tmp_path / "ro"
    where.mkdir()
    from ..conftest import cannot_mount, mount_delegated, mount_mode

    if mount_delegated():  # the test runs again in a user + mount namespace (tests/conftest.py)
        yield None
        return
    if not sys.platform.startswith("linux") or mount_mode() != "direct":
        cannot_mount("needs root on Linux for a read-only tmpfs (root ignores folder permissions)")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,ro", "tmpfs", str(where)],
                      capture_output=True).returncode != 0:
        cannot_mount("mounting a tmpfs is not permitted here")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_read_only_folder_gives_one_line(book, read_only_folder):
    for argv in (["print", "labels", "--all", "--ignore-consent", "-o", str(read_only_folder / "x.pdf")],
                 ["export-ics", "-o", str(read_only_folder / "agenda.ics")]):
        err = one_line(run(*argv, "--vault", str(book)))
        assert "cannot be written to" in err, argv
    assert list(read_only_folder.iterdir()) == []


def test_import_with_nothing_importable_exits_non_zero(book, tmp_path):
    junk = tmp_path / "junk.vcf"
    junk.write_text("this is not a vCard at all\n", encoding="utf-8")
    done = run("import", "--vault", str(book), str(junk))
    assert done.returncode == 1 and "Traceback" not in done.stderr.decode()
    assert "Nothing could be imported" in done.stderr.decode()


def test_invalid_utf8_passphrase_in_the_environment(book):
    if sys.platform.startswith("win"):
        pytest.skip("environment values are text on Windows")
    env = {**os.environ}
    env_bytes = {k.encode(): v.encode("utf-8", "surrogateescape") for k, v in env.items()}
    env_bytes[b"BOUTIQUE_BOOK_PASSPHRASE"] = b"\xff\xfe not utf-8"
    done = subprocess.run([sys.executable, "-m", "boutique_book", "search", "--vault", str(book), "x"],
                          capture_output=True, env=env_bytes, timeout=120, stdin=subprocess.DEVNULL)
    err = one_line(done)
    assert "not valid UTF-8" in err


@pytest.mark.parametrize("bad", ["x", "seven77", "        ", " \t  \t  "])
def test_cli_applies_the_app_passphrase_rule(book, tmp_path, bad):
    fresh = tmp_path / "fresh.vault"
    err = one_line(run("init", "--vault", str(fresh), env_extra={"BOUTIQUE_BOOK_PASSPHRASE": bad}))
    assert "8 characters" in err or "only spaces" in err
    assert not fresh.exists()
    err = one_line(run("passwd", "--vault", str(book), env_extra={"BOUTIQUE_BOOK_NEW_PASSPHRASE": bad}))
    assert "8 characters" in err or "only spaces" in err
    assert _count(book, "Existing") == 1  # still opens with the old passphrase
