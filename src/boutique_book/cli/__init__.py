"""The scriptable face of Boutique Book: argparse subcommands over the same core services as the UI.

Each feature area registers its commands from its own module (cli/<area>.py, a `register(sub, common)`
function listed in COMMAND_MODULES). No Qt import here: only `gui` imports the UI, lazily.
"""

from __future__ import annotations

import argparse
import importlib
import sys

import sqlcipher3.dbapi2 as sqlite

from ..core.errors import BoutiqueBookError
from ..i18n import _

COMMAND_MODULES = ["basic", "calendar_cmds", "printing_cmds", "boutique_cmds", "interchange_cmds", "hq_cmds",
                   "network_cmds", "safety_cmds", "common_ground_cmds"]


class CliError(BoutiqueBookError):
    pass


def build_parser() -> argparse.ArgumentParser:
    vault_help = _("vault file (default: the user data folder)")
    # SUPPRESS: a subcommand without --vault must not overwrite one given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", metavar="PATH", default=argparse.SUPPRESS, help=vault_help)
    parser = argparse.ArgumentParser(
        prog="boutique-book",
        description=_("Boutique Book: the relationship book of the boutique. Without a command, starts the app."))
    parser.add_argument("--vault", metavar="PATH", help=vault_help)
    parser.add_argument("--self-test", action="store_true", help=_("check a temporary vault end to end and exit"))
    parser.add_argument("--demo", action="store_true",
                        help=_("open the demo book (made on first use; passphrase: demo)"))
    parser.add_argument("--language", help=_("language of the interface (en, fr, de, it, es, ja)"))
    parser.add_argument("--verbose", action="store_true",
                        help=_("also show informational log lines in the terminal (the log file has them anyway)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(name):
                continue  # feature not built yet
            raise
        module.register(sub, common)
    return parser


def main(argv: list[str]) -> int:
    from ..applog import setup_console
    from ..i18n import set_language

    # The language first: the parser's help texts are translated when it is built.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language")
    early.add_argument("--verbose", action="store_true")
    known = early.parse_known_args(argv)[0]
    setup_console(verbose=known.verbose)  # the terminal: warnings and errors only, unless --verbose
    try:
        set_language(known.language)
    except BoutiqueBookError as exc:  # a catalog missing from the installation
        print(f"boutique-book: {exc}", file=sys.stderr)
        return 1
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.self_test:
            from .selftest import run_self_test

            return run_self_test()
        if not args.command:
            from ..ui.app import run_app

            return run_app(args.vault, args.language, demo=args.demo)
        return int(args.handler(args) or 0)
    except BoutiqueBookError as exc:
        print(f"boutique-book: {exc}", file=sys.stderr)
        return 1
    except sqlite.DatabaseError as exc:  # a page that fails its HMAC while reading (the file is damaged)
        print(_("boutique-book: the vault could not be read ({detail}); it may be damaged: run "
                "'boutique-book verify'. Nothing was changed.").format(detail=" ".join(str(exc).split())),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("boutique-book: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # The last net for SQLite's own "database is locked" (a write outside Vault.transaction while
        # another process holds the book): one line, as for every other error.
        if type(exc).__module__.startswith("sqlcipher3") and "locked" in str(exc).lower():
            from ..core.errors import VaultBusy
            from .common import vault_path

            print(f"boutique-book: {VaultBusy(vault_path(args))}", file=sys.stderr)
            return 1
        raise
