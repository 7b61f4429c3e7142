"""Every file a CLI command writes is private (0600 on POSIX) and no temporary file is left behind
(issue #18 item 2, issue #17 "one save path").

The walk enumerates the parser: a command missing from COMMANDS fails the test, so a new command must say
here what it writes. Each command runs in order on one small book under umask 022 (the default that made
files 0644 before), and after each step every file under the test folder that is new or changed must be
0600: exports, PDFs, .ics, JSON, CSV, HQ keys and bundles, opened bundles, backups, the vault and its
-wal/-shm.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys

import pytest

from boutique_book.cli import build_parser, main
from boutique_book.core import demo
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX modes (Windows: ACL, see docs)")

PASS = "counter passphrase 1"
MANAGER = "manager passphrase 1"


def _command_names(parser) -> set[str]:
    names = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
                if inner:
                    names |= {f"{name} {child}" for child in inner[0].choices}
                else:
                    names.add(name)
    return names


def steps(t):
    """(command name, argv) in an order where each step finds what it needs."""
    v = ["--vault", str(t["vault"])]
    out = t["out"]
    return [
        ("init", ["init", "--vault", str(t["new_vault"])]),
        ("demo", ["demo", *v, "--contacts", "12", "--seed", "2"]),
        ("add-contact", ["add-contact", *v, "--given", "Zoë", "--family", "Private", "--note", "Likes silk",
                         "--staff", "Camille"]),
        ("search", ["search", *v, "zoe"]),
        ("interests vocabulary", ["interests", "vocabulary", *v, "--add", "Silk scarves,Foulards"]),
        ("contact interests", ["contact", "interests", "3", *v, "--add", "Silk scarves"]),
        ("staff interests", ["staff", "interests", "Camille", *v, "--set", "Silk scarves", "--staff", "Camille"]),
        ("common-ground", ["common-ground", "3", *v, "--staff", "Camille"]),
        ("staff erase-profile", ["staff", "erase-profile", "Camille", *v]),
        ("agenda", ["agenda", *v]),
        ("export-ics", ["export-ics", *v, "-o", str(out / "agenda.ics")]),
        ("print labels", ["print", "labels", *v, "--all", "--ignore-consent", "-o", str(out / "labels.pdf")]),
        ("print envelopes", ["print", "envelopes", *v, "--all", "--ignore-consent", "-o", str(out / "env.pdf")]),
        ("print letters", ["print", "letters", *v, "--template", "letter", "--ids", "1", "--ignore-consent",
                           "--staff", "Ada", "-o", str(out / "letters.pdf")]),
        ("print templates", ["print", "templates", *v]),
        ("print sheets", ["print", "sheets", *v]),
        ("print calibrate", ["print", "calibrate", "Office", *v, "--x", "0.5"]),
        ("boutique set", ["boutique", "set", *v, "--website", "www.example.com"]),
        ("boutique show", ["boutique", "show", *v]),
        ("import", ["import", *v, str(t["vcf"])]),
        ("export", ["export", *v, "--format", "csv", "-o", str(out / "book.csv")]),
        ("export", ["export", *v, "--format", "vcard4", "-o", str(out / "book.vcf")]),
        ("duplicates", ["duplicates", *v]),
        ("merge", ["merge", *v, "1", "2"]),
        ("person-export", ["person-export", *v, "3", "-o", str(out / "person")]),
        ("hq-keygen", ["hq-keygen", "-o", str(t["hq"])]),
        ("hq-key", ["hq-key", "import", str(t["hq"] / "hq.pub"), *v]),
        ("hq-export", ["hq-export", *v, "--profile", "figures", "--to", str(t["usb"])]),
        ("hq-register", ["hq-register", "STORE_ID", "SIGNING_KEY", "--key", str(t["hq"] / "hq.key")]),
        ("hq-stores", ["hq-stores", "--key", str(t["hq"] / "hq.key")]),
        ("hq-open", ["hq-open", "BUNDLE", "--key", str(t["hq"] / "hq.key"), "-o", str(t["hq"] / "opened")]),
        ("hq-collect", ["hq-collect", "--key", str(t["hq"] / "hq.key"), "--into", str(t["hq"] / "chain"),
                        "--trust-new", "BUNDLE"]),
        ("hq-report", ["hq-report", "--from", str(t["hq"] / "chain"), "-o", str(t["hq"] / "chain.pdf")]),
        ("hq-report", ["hq-report", "--from", str(t["hq"] / "chain"), "--html", "-o", str(t["hq"] / "chain.html")]),
        ("hq-drives", ["hq-drives"]),
        ("audit", ["audit", *v, "--csv", str(out / "audit.csv")]),
        ("retention", ["retention", *v]),
        ("consent-withdraw", ["consent-withdraw", *v, "4", "mail"]),
        ("manager-passwd", ["manager-passwd", *v]),
        ("connectors", ["connectors", *v]),
        ("circles", ["circles", *v]),
        ("referrals", ["referrals", *v, "5"]),
        ("first-met", ["first-met", *v]),
        ("erase", ["erase", *v, "6", "--yes"]),
        ("backup", ["backup", *v]),
        ("backup", ["backup", *v, "--to", str(t["usb"])]),
        ("verify", ["verify", *v]),
        ("restore", ["restore", *v, "NEWEST_BACKUP"]),
        ("passwd", ["passwd", *v]),
    ]


def _snapshot(root):
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


@pytest.fixture
def book(tmp_path, monkeypatch):
    root = tmp_path / "walk"
    t = {"vault": root / "store" / "boutique.vault", "new_vault": root / "fresh" / "new.vault", "out": root / "out",
         "usb": root / "usb", "hq": root / "hq", "vcf": root / "in" / "friends.vcf"}
    for key in ("out", "usb"):
        t[key].mkdir(parents=True)
    t["vcf"].parent.mkdir(parents=True)
    t["vcf"].write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported Person\r\nN:Person;Imported;;;\r\n"
                        "EMAIL:imported@example.com\r\nEND:VCARD\r\n", encoding="utf-8")
    with Vault.create(t["vault"], PASS, KdfParams.fast()) as vault:
        demo.generate(vault, 10, seed=5)
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", PASS)
    monkeypatch.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", MANAGER)
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_MANAGER_PASSPHRASE", MANAGER)
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", "a new passphrase 2")
    old = os.umask(0o022)
    yield root, t
    os.umask(old)


def _walked() -> set[str]:
    return {name for name, _argv in steps({k: __import__("pathlib").Path("/x") for k in
                                           ("vault", "new_vault", "out", "usb", "hq", "vcf")})}


def test_every_command_is_walked():
    missing = _command_names(build_parser()) - _walked()
    assert not missing, f"add these commands to tests/faults/test_private_files.py: {sorted(missing)}"


def test_a_planted_command_is_not_walked():
    """Positive control of the check above: a new command (top level or in a group) is reported."""
    parser = build_parser()
    top = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    top.add_parser("write-everything")
    group = next(a for a in top.choices["print"]._actions if isinstance(a, argparse._SubParsersAction))
    group.add_parser("whole-book")
    assert _command_names(parser) - _walked() == {"write-everything", "print whole-book"}


def test_the_open_vaults_wal_and_shm_are_private_even_when_the_vault_was_not(tmp_path):
    """The -wal and -shm files exist only while the vault is open (the walk above sees them deleted at
    close), and SQLite gives them the vault's own mode: a vault left 0644 by an older version is made 0600
    at open, before its side files are created."""
    from boutique_book.core import contacts
    from boutique_book.core.model import Contact

    path = tmp_path / "book.vault"
    old = os.umask(0o022)
    try:
        Vault.create(path, PASS, KdfParams.fast()).close()
        os.chmod(path, 0o644)
        with Vault.open(path, PASS) as vault:
            contacts.add(vault, Contact(given_name="Wal", family_name="Private"))
            sides = [path.with_name(path.name + side) for side in ("-wal", "-shm")]
            assert all(p.exists() for p in sides)
            modes = {p.name: oct(stat.S_IMODE(os.stat(p).st_mode)) for p in [path, *sides]}
    finally:
        os.umask(old)
    assert set(modes.values()) == {"0o600"}, modes


def test_every_file_a_command_writes_is_private(book, capsys):
    root, t = book
    inputs = {str(t["vcf"])}
    before = _snapshot(root)
    problems, wrote, registered = [], {}, {}
    for name, argv in steps(t):
        if "BUNDLE" in argv:
            argv = [str(next(t["usb"].glob("*.age"), None) or next(p for p in t["usb"].iterdir()
                                                                  if "backup" not in p.name))
                    if a == "BUNDLE" else a for a in argv]
        if "NEWEST_BACKUP" in argv:
            newest = sorted((t["vault"].parent / "backups").glob("*.vault"))[-1]
            argv = [str(newest) if a == "NEWEST_BACKUP" else a for a in argv]
        if "STORE_ID" in argv:
            argv = [registered.get(a, a) for a in argv]
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 0, (name, argv, captured.err)
        for line in captured.out.splitlines():
            if "hq-register" in line:  # the first export prints the store's signing key for HQ
                registered.update(zip(("STORE_ID", "SIGNING_KEY"), line.split()[-2:]))
        after = _snapshot(root)
        changed = [p for p, sig in after.items() if before.get(p) != sig and p not in inputs]
        wrote[name] = wrote.get(name, 0) + len(changed)
        for path in changed:
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            if mode & 0o077:
                problems.append(f"{name}: {os.path.relpath(path, root)} is {oct(mode)}")
        before = after
    leftovers = [p for p in _snapshot(root) if p.endswith((".bbsave", ".part", ".partial"))]
    assert not leftovers, leftovers
    assert not problems, "\n".join(problems)
    # The walk really wrote files: each output command produced at least one file under the test folder.
    for name in ("init", "export-ics", "print labels", "export", "person-export", "hq-keygen", "hq-export",
                 "hq-open", "hq-collect", "hq-report", "audit", "backup", "restore", "passwd", "add-contact"):
        assert wrote[name] > 0, (name, wrote)
