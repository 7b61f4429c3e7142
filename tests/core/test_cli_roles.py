"""Roles in the services (issue #18, problem 1): every CLI command, enumerated from the parser itself, is
either a manager command or a counter command, and each is run against a real vault with a WRONG manager
passphrase in the environment:

- a manager command refuses (exit 1, "manager passphrase is not right"), writes no output file, and the
  failed attempt is in the audit log; with the right passphrase the same command succeeds;
- a counter command succeeds without ever asking for the manager (no failed-unlock entry is added).

A command added later that is in neither table fails `test_every_command_is_classified`: decide which
role it needs and add it to MANAGER or COUNTER below. On c6c2aae `export` and `person-export` ran for
anyone with the counter passphrase (the check lived in ui/extensions.py only), and `restore` too.
"""

from __future__ import annotations

import argparse
import shutil

import pytest

from boutique_book.cli import build_parser
from boutique_book.cli import main as cli_main
from boutique_book.core import backup, changelog, contacts, demo, manager
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Email
from boutique_book.core.vault import Vault

PASS = "counter passphrase 1"
MANAGER_PASS = "manager passphrase 1"

# command -> argv after the command name ({v}: the vault path, {d}: the case's folder). Each writes its
# output under {d}/out (the check that a refused command wrote nothing).
MANAGER = {
    "export": ["--vault", "{v}", "--format", "csv", "-o", "{d}/out/all.csv"],
    "person-export": ["--vault", "{v}", "1", "-o", "{d}/out"],
    "restore": ["--vault", "{v}", "{d}/usb/BACKUP"],
    "erase": ["--vault", "{v}", "2", "--yes"],
    "audit": ["--vault", "{v}", "--csv", "{d}/out/audit.csv"],
    "hq-export": ["--vault", "{v}", "--profile", "figures", "--to", "{d}/out"],
    "hq-key import": ["--vault", "{v}", "import", "{d}/hq/hq.pub"],
    "retention": ["--vault", "{v}"],
    "manager-passwd": ["--vault", "{v}"],
    "interests vocabulary": ["vocabulary", "--vault", "{v}", "--add", "beekeeping"],
    "staff erase-profile": ["erase-profile", "--vault", "{v}", "Camille Laurent"],
}
COUNTER = {
    "init": ["--vault", "{d}/new.vault"],
    "demo": ["--vault", "{v}", "--contacts", "3", "--moments-per-contact", "1"],
    "add-contact": ["--vault", "{v}", "--given", "Ada"],
    "search": ["--vault", "{v}", "a"],
    "passwd": ["--vault", "{v}"],
    "agenda": ["--vault", "{v}"],
    "export-ics": ["--vault", "{v}", "-o", "{d}/out/agenda.ics"],
    "print labels": ["labels", "--vault", "{v}", "--tier", "friends", "-o", "{d}/out/labels.pdf"],
    "print envelopes": ["envelopes", "--vault", "{v}", "--ids", "1", "-o", "{d}/out/env.pdf"],
    "print letters": ["letters", "--vault", "{v}", "--ids", "1", "--template", "letter", "--staff", "Ada",
                      "-o", "{d}/out/l.pdf"],
    "print templates": ["templates", "--vault", "{v}"],
    "print sheets": ["sheets", "--vault", "{v}"],
    "print calibrate": ["calibrate", "--vault", "{v}", "office", "--x", "0.5"],
    "boutique set": ["set", "--vault", "{v}", "--website", "www.example.com"],   # store settings, audited
    "boutique show": ["show", "--vault", "{v}"],
    "import": ["--vault", "{v}", "{d}/in.vcf"],
    "duplicates": ["--vault", "{v}"],
    "merge": ["--vault", "{v}", "3", "4"],
    "hq-keygen": ["-o", "{d}/hq2"],
    "hq-open": ["{d}/hq/BUNDLE", "--key", "{d}/hq/hq.key", "-o", "{d}/opened"],
    "hq-register": ["--key", "{d}/hq/hq.key", "OTHER-STORE", "ed25519:" + "A" * 43 + "="],
    "hq-stores": ["--key", "{d}/hq/hq.key"],
    "hq-collect": ["{d}/hq/BUNDLE", "--key", "{d}/hq/hq.key", "--into", "{d}/out/dataset"],
    "hq-report": ["--from", "{d}/dataset", "-o", "{d}/out/report.pdf"],
    "hq-key show": ["--vault", "{v}", "show"],
    "hq-drives": [],
    "consent-withdraw": ["--vault", "{v}", "1", "share_hq"],
    "backup": ["--vault", "{v}"],
    "verify": ["--vault", "{v}"],
    "connectors": ["--vault", "{v}"],
    "circles": ["--vault", "{v}"],
    "referrals": ["--vault", "{v}", "1"],
    "first-met": ["--vault", "{v}"],
    "staff interests": ["interests", "--vault", "{v}", "Camille Laurent", "--set", "sailing,opera"],
    "contact interests": ["interests", "--vault", "{v}", "1", "--add", "voile", "--suggest"],
    "common-ground": ["--vault", "{v}", "3", "--staff", "Camille Laurent"],
}
# Sub-commands whose second word is a positional choice rather than a sub-parser.
_CHOICE_COMMANDS = {"hq-key": ("import", "show")}


def _leaves(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix}{name}"
                inner = _leaves(sub, full + " ")
                if inner:
                    found |= inner
                elif name in _CHOICE_COMMANDS:
                    found |= {f"{full} {choice}" for choice in _CHOICE_COMMANDS[name]}
                else:
                    found.add(full)
    return found


def _unclassified(parser) -> set[str]:
    return _leaves(parser) - set(MANAGER) - set(COUNTER)


def test_a_planted_command_cannot_slip_through_unclassified():
    """Positive control of the check below: a command added at the top, or under an existing group
    (`print`, `staff`), is reported until someone decides its role."""
    parser = build_parser()
    assert _unclassified(parser) == set()
    top = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    top.add_parser("dump-everything")
    group = next(a for a in top.choices["print"]._actions if isinstance(a, argparse._SubParsersAction))
    group.add_parser("whole-book")
    assert _unclassified(parser) == {"dump-everything", "print whole-book"}


def test_every_command_is_classified():
    commands = _leaves(build_parser())
    assert not set(MANAGER) & set(COUNTER)
    unclassified = _unclassified(build_parser())
    assert not unclassified, (f"new CLI command(s) {sorted(unclassified)}: add each to MANAGER or COUNTER in "
                              f"{__file__} (does it let personal data leave in clear, or rewrite history?)")
    assert not (set(MANAGER) | set(COUNTER)) - commands, "a classified command no longer exists"
    for command, choices in _CHOICE_COMMANDS.items():  # the choices listed are the parser's own
        sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
        assert set(next(a for a in sub._actions if a.dest == "action").choices) == set(choices)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A vault with people, a manager passphrase, an HQ key, a bundle for hq-open (cheap KDF throughout)."""
    from boutique_book.hq import bundle, collect, export, signing

    root = tmp_path_factory.mktemp("roles")
    hq_pub, _key = bundle.keygen(root / "hq")
    with Vault.create(root / "shop.vault", PASS, KdfParams.fast()) as vault:
        demo.generate(vault, 12, seed=5, moments_per_contact=1)
        contacts.add(vault, Contact(given_name="Zed", family_name="Twin", emails=[Email("zed@example.org")]))
        session = manager.unlock(vault, MANAGER_PASS, params=KdfParams.fast())
        export.import_public_key(vault, session, hq_pub)
        (root / "bundles").mkdir()
        made = export.export_bundle(vault, session, "figures", root / "bundles")
    shutil.move(str(made.path), root / "hq" / "BUNDLE")
    # HQ registered this store's signing key (printed at its first export), so hq-open verifies the bundle.
    signing.register_store(signing.register_path(root / "hq" / "hq.key"), made.store_id, made.signing_key)
    collect.collect([root / "hq" / "BUNDLE"], root / "hq" / "hq.key", root / "dataset")  # for hq-report
    (root / "in.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ines Vcard\r\nN:Vcard;Ines;;;\r\nEND:VCARD\r\n")
    return root


def _case(template, tmp_path):
    case = tmp_path / "case"
    shutil.copytree(template, case)
    (case / "out").mkdir()
    vault_path = case / "shop.vault"
    with Vault.open(vault_path, PASS) as vault:
        info = backup.create_backup(vault, case / "usb")
        backup.create_backup(vault)  # the managed folder too (verify wants a recent backup)
    info.path.rename(case / "usb" / "BACKUP")
    return case, vault_path


def _argv(command: str, args: list[str], case, vault_path) -> list[str]:
    words = command.split()
    head = words[:1] if words[0] in _CHOICE_COMMANDS or len(words) > 1 else words
    return head + [a.replace("{v}", str(vault_path)).replace("{d}", str(case)) for a in args]


def _failed_unlocks(vault_path) -> int:
    with Vault.open(vault_path, PASS) as vault:
        return [e["action"] for e in changelog.audit_entries(vault.conn)].count("manager_unlock_failed")


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", PASS)
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_PASSPHRASE", PASS)  # passwd: same passphrase again, new salt
    monkeypatch.setenv("BOUTIQUE_BOOK_NEW_MANAGER_PASSPHRASE", MANAGER_PASS + " new")
    return monkeypatch


@pytest.mark.parametrize("command", sorted(MANAGER))
def test_manager_commands_refuse_without_the_manager(command, template, tmp_path, env, capsys):
    case, vault_path = _case(template, tmp_path)
    argv = _argv(command, MANAGER[command], case, vault_path)
    before = _failed_unlocks(vault_path)
    env.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", "not the manager at all")
    assert cli_main(argv) == 1
    err = capsys.readouterr().err
    assert "manager passphrase is not right" in err and "Traceback" not in err
    assert list((case / "out").iterdir()) == []
    assert _failed_unlocks(vault_path) == before + 1
    if command == "erase":
        with Vault.open(vault_path, PASS) as vault:
            assert contacts.exists(vault, 2)
    # The same command with the manager's passphrase goes through (the refusal above is the role, not a bug).
    env.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", MANAGER_PASS)
    assert cli_main(argv) == 0, capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COUNTER))
def test_counter_commands_never_ask_for_the_manager(command, template, tmp_path, env, capsys):
    case, vault_path = _case(template, tmp_path)
    argv = _argv(command, COUNTER[command], case, vault_path)
    before = _failed_unlocks(vault_path)
    env.setenv("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", "not the manager at all")
    code = cli_main(argv)
    err = capsys.readouterr().err
    assert code == 0, err
    assert "manager" not in err.lower()
    assert _failed_unlocks(vault_path) == before
