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
