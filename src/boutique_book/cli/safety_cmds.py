"""backup, restore, verify: the safety commands (issue #10, docs/safety.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from ..core import backup, errors, formatting, integrity, kdf, opening, verify
from ..core import generations
from ..core.errors import BoutiqueBookError
from ..core.instance_lock import InstanceLock
from ..i18n import _, ngettext
from .common import (BACKUP_PASSPHRASE_ENV, PASSPHRASE_ENV, manager_session, open_vault, print_audit_check, secret,
                     vault_path)


def register(sub, common) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help=_("write a verified encrypted backup (default: the backups folder next to the vault)"))
    p.add_argument("--to", metavar="DIR", help=_("folder or USB stick to write the backup to (not rotated)"))
    p.add_argument("--list", action="store_true", help=_("list the backups instead of writing one"))
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", parents=[common],
                       help=_("replace the vault by a backup (the current vault is set aside, not deleted)"))
    p.add_argument("backup", metavar="BACKUP", help=_("backup file to restore"))
    p.add_argument("--staff", help=_("name of the manager, for the audit log"))
    p.add_argument("--other-book", action="store_true",
                   help=_("confirm restoring a backup of another book over this one"))
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("verify", parents=[common],
                       help=_("check the vault and its backups: exit 0 all good, 1 vault damaged, "
                              "3 no backup in 7 days, 4 newest backup damaged"))
    p.add_argument("--against", metavar="BACKUP", action="append",
                   help=_("also compare the audit log with this backup file or folder (e.g. a USB stick kept "
                          "away from the shop); may be repeated"))
    p.set_defaults(handler=cmd_verify)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"


def cmd_backup(args) -> int:
    path = vault_path(args)
    if args.list:
        folder = Path(args.to) if args.to else backup.default_backup_dir(path)
        backups = backup.list_backups(folder, stem=path.stem)
        if not backups:
            print(_("No backups in {folder}").format(folder=folder))
        for info in backups:
            print(f"{info.taken_at.astimezone():%Y-%m-%d %H:%M:%S}\t{_size(info.size)}\t{info.path}")
        return 0
    with open_vault(args) as vault:
        info = backup.create_backup(vault, args.to)
    print(_("Backup written and verified: {path} ({size})").format(path=info.path, size=_size(info.size)))
    return 0


def cmd_restore(args) -> int:
    """Restore: the current passphrase (BOUTIQUE_BOOK_PASSPHRASE) opens the book and unlocks the manager; a
    backup made with an earlier passphrase also needs that one (BOUTIQUE_BOOK_BACKUP_PASSPHRASE), and the restored
    book is then put back on the current passphrase, so a restore never silently brings an old passphrase back."""
    path = vault_path(args)
    source = Path(args.backup).expanduser()
    if not source.is_file():
        raise BoutiqueBookError(_("There is no backup file at {path}.").format(path=source))
    integrity.read_salt(source)  # a truncated or foreign file is refused before any key is derived
    passphrase = secret(PASSPHRASE_ENV, _("Vault passphrase: "))
    lock = InstanceLock(path).acquire()  # held from the first read to the last write
    try:
        session, live_opened = _restore_session(path, args, passphrase, lock)
        backup_passphrase = passphrase
        if not _opens(source, passphrase):
            backup_passphrase = secret(BACKUP_PASSPHRASE_ENV,
                                       _("Passphrase the book had when this backup was made: "))
        result = backup.restore(source, path, passphrase=backup_passphrase, session=session,
                                other_book=args.other_book, live_passphrase=passphrase)
        rekeyed = None
        if backup_passphrase != passphrase and live_opened:
            with opening.open_book(path, backup_passphrase, held_lock=lock) as restored:
                rekeyed = generations.change(restored, passphrase)
    finally:
        lock.release()
    print(_("Restored {backup} ({contacts} contacts) into {vault}.").format(
        backup=source.name, contacts=result.contacts, vault=path))
    if result.set_aside is not None:
        print(_("The previous vault was kept as {path}").format(path=result.set_aside))
    erasures = result.erasures
    if erasures is not None and erasures.registered:
        print(_("Erasure register: {erased} erased again, {gone} not in this backup, {other} left alone "
                "(their number is someone else in this backup: check them).").format(
            erased=len(erasures.erased), gone=erasures.already_gone, other=len(erasures.mismatched)))
    if rekeyed is None and backup_passphrase != passphrase and result.earlier_passphrase is not False:
        # The book that was replaced was missing or damaged, so the current passphrase could not be checked
        # against it: the restored book keeps the backup's passphrase, and says so (never silently).
        print(_("The restored book opens with the passphrase it had when this backup was made, not with the current "
                "one: change it with 'boutique-book passwd' if you wish."))
    if rekeyed is not None:
        print(_("The backup was made with an earlier passphrase; the restored book now opens with the current "
                "passphrase."))
        if rekeyed.backup_error:
            print(_("boutique-book: warning: {problem}").format(problem=rekeyed.backup_error), file=sys.stderr)
    return 0


def _opens(source: Path, passphrase: str) -> bool:
    try:
        with integrity.open_readonly(source, kdf.derive_key(passphrase, integrity.read_salt(source))):
            return True
    except errors.WrongPassphrase:
        return False


def _restore_session(path: Path, args, passphrase: str, lock):
    """Replacing a healthy book is a manager act: open it (under the lock this command already holds) and
    unlock the manager on it. A book that is missing or does not open as a healthy vault gets no session:
    core.backup.restore then allows only a recovery (and refuses when the book turns out healthy).
    Returns (session, whether the passphrase opened the live book)."""
    if not path.exists():
        return None, False
    try:
        vault = opening.open_book(path, passphrase, held_lock=lock, migrate=False)
    except (errors.VaultDamaged, errors.NotAVault, errors.VaultTruncated, sqlite.DatabaseError):
        return None, False
    with vault:
        return manager_session(vault, args), True


def cmd_verify(args) -> int:
    path = vault_path(args)
    passphrase = secret(PASSPHRASE_ENV, _("Vault passphrase: "))
    report = verify.verify_book(path, passphrase)
    if report.vault_ok:
        print(_("Vault {path}: ok (checked in {ms:.0f} ms)").format(path=path, ms=report.quick_ms + report.cipher_ms))
    else:
        print(_("Vault {path}: DAMAGED: {problems}").format(path=path, problems=report.vault_problems))
    for folder in report.folders:
        if not folder.reachable:
            print(_("Backups in {folder}: not reachable now (is the drive plugged in?)").format(folder=folder.path))
            continue
        print(_("Backups in {folder}: {n}").format(folder=folder.path, n=len(folder.backups)))
        for b in folder.backups:
            if not b.checked:
                continue
            when = formatting.list_datetime(b.info.taken_at)
            if b.ok:
                print(_("  newest with the current passphrase: {path} ({when}, {contacts} contacts): ok").format(
                    path=b.info.path, when=when, contacts=b.contacts))
            else:
                print(_("  {path} ({when}): FAILED: {problems}").format(
                    path=b.info.path, when=when, problems=backup.sentence(b.problems[:2])))
    earlier = report.earlier
    if earlier:
        gens = sorted({b.generation for b in earlier if b.generation is not None})
        unknown = sum(1 for b in earlier if b.generation is None and not b.checked)
        if gens:
            print(_("Older backups were made with an earlier passphrase (generation {gens}; the current one is "
                    "{current}): they open with the passphrase the book had then and are not damaged.").format(
                gens=", ".join(map(str, gens)), current=report.generation))
        if unknown:
            print(_("Some backups were made with a passphrase this book does not record (an earlier one, or "
                    "another book)."))
    if report.exit_code == verify.EXIT_NO_RECENT_BACKUP:
        print(_("No backup made with the current passphrase in the last 7 days: run 'boutique-book backup'."))
    elif report.exit_code == verify.EXIT_BACKUP_DAMAGED:
        print(_("The newest backup failed its check: run 'boutique-book backup' now."))
    code = report.exit_code
    if not _verify_audit_chain(path, kdf.derive_key(passphrase, integrity.read_salt(path)), args.against or ()):
        code = verify.EXIT_VAULT_DAMAGED  # a broken audit chain is a vault problem (issue #18)
    return code


def _verify_audit_chain(path: Path, key: bytes, against=()) -> bool:
    """The audit log's hash chain, and the chain inside each backup we know (the managed folder, the
    remembered `backup --to` folders) and each given with --against, against it (issue #18)."""
    from ..core import audit_files

    try:
        with integrity.open_readonly(path, key) as conn:
            checked = audit_files.check(conn, path, key, against)
    except BoutiqueBookError as exc:
        print(_("Audit log: not checked ({reason})").format(reason=exc))
        return False
    print_audit_check(checked, against)
    return checked.ok
