"""The network commands as a person runs them (a real process)."""

from __future__ import annotations

import os
import subprocess
import sys


def run(passphrase, *args):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": passphrase}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)


def test_network_commands(book, vault_path, passphrase):
    book.vault.checkpoint()
    where = ["--vault", str(vault_path)]
    out = run(passphrase, "connectors", "--top", "2", *where)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("  1. Xavier Bridge") and "referred 3 customers" in lines[0]

    out = run(passphrase, "connectors", "--top", "1", "--with-circles", *where)
    assert out.returncode == 0 and "Golf Club" in out.stdout and "Opera" in out.stdout, out.stderr

    out = run(passphrase, "circles", *where)
    assert out.returncode == 0, out.stderr
    assert "Golf Club (5 people)" in out.stdout and "Opera (5 people)" in out.stdout
    assert "Anna1 Golfer (#" in out.stdout

    out = run(passphrase, "referrals", str(book.c[0]), *where)
    assert out.returncode == 0, out.stderr
    assert out.stdout.index("Carla1 Client") < out.stdout.index("← Xavier Bridge") < out.stdout.index("← Rosa Root")

    out = run(passphrase, "first-met", *where)
    assert out.returncode == 0, out.stderr
    assert "Walked in" in out.stdout and "walk_in" not in out.stdout and "Rosa Root (#" in out.stdout
    total = [l for l in out.stdout.splitlines() if l.startswith("total")][0]
    assert total.split()[-1] == "15"

    out = run(passphrase, "referrals", "999", *where)
    assert out.returncode == 1 and out.stderr.strip() == "boutique-book: No contact with number 999."
