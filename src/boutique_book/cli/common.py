"""Helpers shared by the subcommands: vault path, passphrases, opening."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from ..core import passphrase
from ..core.errors import BoutiqueBookError
from ..core.vault import Vault, default_vault_path
from ..i18n import _

PASSPHRASE_ENV = "BOUTIQUE_BOOK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "BOUTIQUE_BOOK_NEW_PASSPHRASE"
MANAGER_ENV = "BOUTIQUE_BOOK_MANAGER_PASSPHRASE"
BACKUP_PASSPHRASE_ENV = "BOUTIQUE_BOOK_BACKUP_PASSPHRASE"  # a backup made with an earlier passphrase


def vault_path(args) -> Path:
    return Path(args.vault).expanduser() if getattr(args, "vault", None) else default_vault_path()


def secret(env: str, prompt: str, confirm: bool = False, new: bool = False) -> str:
    """A passphrase from `env` or the terminal. `new`: it is being chosen, so the app's rule applies
    (core.passphrase: 8 characters at least, not only spaces)."""
    value = os.environ.get(env)
    if value is None:
        if not sys.stdin or not sys.stdin.isatty():
            raise BoutiqueBookError(_("No passphrase: set {env} or run in a terminal.").format(env=env))
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass(_("Repeat: ")) != value:
            raise BoutiqueBookError(_("The two passphrases differ; nothing was changed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
        raise BoutiqueBookError(_("{env} holds bytes that are not valid UTF-8 text; set it again.").format(
            env=env)) from None
    if new:
        passphrase.check_new(value)
    return value


def open_vault(args, write: bool = True) -> Vault:
    """The vault through the one opening path (core.opening): a writing command (the default) holds the
    single-writer lock and refuses a vault that fails its check; a reader (write=False) cannot write."""
    from ..core.opening import open_book

    return open_book(vault_path(args), secret(PASSPHRASE_ENV, _("Vault passphrase: ")), write=write)


def staff_id(vault, name: str | None) -> int | None:
    """The staff member a command acts as (created on first use), or None."""
    if not name:
        return None
    from ..core import staff

    return staff.add(vault, name)


def manager_session(vault, args):
    """The manager session for a manager command: BOUTIQUE_BOOK_MANAGER_PASSPHRASE or a prompt. On a vault
    without a manager passphrase yet, this first manager command sets it (asked twice)."""
    from ..core import manager

    first = not manager.has_credential(vault)
    prompt = _("Set the manager passphrase: ") if first else _("Manager passphrase: ")
    passphrase = secret(MANAGER_ENV, prompt, confirm=first)
    session = manager.unlock(vault, passphrase, getattr(args, "staff", None))
    if first:
        print(_("The manager passphrase is now set for this vault."), file=sys.stderr)
    return session


def print_audit_check(checked, against=()) -> None:
    """What `verify` and `audit --verify` say about the audit log's hash chain (core.audit_files.AuditCheck):
    the chain itself, each backup whose head disagrees, how many heads were compared, and any backup given
    with --against that could not be compared."""
    from ..core.audit_files import backups_at
    from ..i18n import ngettext

    report = checked.report
    if report.ok:
        print(ngettext("Audit log: {n} entry, hash chain intact.", "Audit log: {n} entries, hash chain intact.",
                       report.entries).format(n=report.entries))
    else:
        print(_("Audit log: TAMPERED: {problem}").format(problem=report.problem))
    for place, problem in checked.disagreements:
        print(_("Audit log: TAMPERED: {problem} ({backup})").format(problem=problem, backup=Path(place).name))
    if checked.compared:
        print(ngettext("Audit log compared with the head of {n} backup.",
                       "Audit log compared with the heads of {n} backups.", len(checked.compared)).format(
            n=len(checked.compared)))
    elif report.ok:
        print(_("No backup to compare the audit log with: a history rewritten with every hash recomputed only "
                "shows against an earlier copy (--against a backup kept away from the shop)."))
    given = {str(Path(p).resolve()) for place in against or () for p in backups_at(place)}
    for path in checked.skipped:
        if str(Path(path).resolve()) in given:
            if not Path(path).exists():
                print(_("Not compared: {path} does not exist.").format(path=path))
            else:
                print(_("Not compared: {path} is not a backup of this book that the current passphrase "
                        "opens.").format(path=path))
    for place in against or ():
        if Path(place).is_dir() and not backups_at(place):
            print(_("Not compared: no backup in {path}.").format(path=place))
