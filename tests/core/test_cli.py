"""The CLI as a person runs it: a real process, exit codes, one-line errors, no traceback."""

import os
import subprocess
import sys

import pytest

PASS = "O'Brien's 7 \"red\" roses"


def run(*args, env_extra=None):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def cli_vault(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.vault"
    assert run("init", "--vault", str(path)).returncode == 0
    done = run("demo", "--vault", str(path), "--contacts", "120", "--seed", "3")
    assert done.returncode == 0, done.stderr
    return path


def test_add_and_search(cli_vault):
    added = run("add-contact", "--vault", str(cli_vault), "--given", "Zoë", "--family", "Quintessa",
                "--email", "zoe.q@example.fr", "--phone", "+33 6 11 22 33 44", "--tier", "friends",
                "--note", "Loves marzipan from Lübeck")
    assert added.returncode == 0, added.stderr
    for query in ("zoe quint", "06-11-22-33", "marzipan"):
        found = run("search", "--vault", str(cli_vault), query)
        assert found.returncode == 0
        assert "Zoë Quintessa" in found.stdout.splitlines()[0], query


def test_errors_are_one_line(cli_vault, tmp_path):
    wrong = run("search", "--vault", str(cli_vault), "x", env_extra={"BOUTIQUE_BOOK_PASSPHRASE": "nope"})
    assert wrong.returncode == 1
    assert len(wrong.stderr.strip().splitlines()) == 1 and "Traceback" not in wrong.stderr
    missing = run("search", "--vault", str(tmp_path / "none.vault"), "x")
    assert missing.returncode == 1 and "no vault" in missing.stderr
    bad = run("add-contact", "--vault", str(cli_vault), "--given", "A", "--email", "nope")
    assert bad.returncode == 1 and "not an email" in bad.stderr


def test_passwd(tmp_path):
    path = tmp_path / "p.vault"
    assert run("init", "--vault", str(path)).returncode == 0
    assert run("passwd", "--vault", str(path), env_extra={"BOUTIQUE_BOOK_NEW_PASSPHRASE": "new york nights"}).returncode == 0
    assert run("search", "--vault", str(path), "x").returncode == 1
    assert run("search", "--vault", str(path), "x", env_extra={"BOUTIQUE_BOOK_PASSPHRASE": "new york nights"}).returncode == 0
