"""backup, restore, verify: the safety commands (issue #10, docs/safety.md)."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as sqlite

from ..core import backup, errors, integrity, kdf
from ..core.errors import BoutiqueBookError
from ..core.instance_lock import InstanceLock
from ..i18n import _, ngettext
from .common import PASSPHRASE_ENV, manager_session, open_vault, secret, vault_path


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
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("verify", parents=[common],
                       help=_("check the vault and its newest backup; exit 0 only when both pass"))
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
    path = vault_path(args)
    source = Path(args.backup).expanduser()
    if not source.is_file():
        raise BoutiqueBookError(_("There is no backup file at {path}.").format(path=source))
    passphrase = secret(PASSPHRASE_ENV, _("Passphrase of the backup: "))
    with InstanceLock(path):
        session = _restore_session(path, args)
        result = backup.restore(source, path, passphrase=passphrase, session=session)
    print(_("Restored {backup} ({contacts} contacts) into {vault}.").format(
        backup=source.name, contacts=result.contacts, vault=path))
    if result.set_aside is not None:
        print(_("The previous vault was kept as {path}").format(path=result.set_aside))
    erasures = result.erasures
    if erasures is not None and erasures.registered:
        print(_("Erasure register: {erased} erased again, {gone} not in this backup, {other} left alone "
                "(their number is someone else in this backup: check them).").format(
            erased=len(erasures.erased), gone=erasures.already_gone, other=len(erasures.mismatched)))
    return 0


def _restore_session(path: Path, args):
    """Replacing a healthy book is a manager act: open it and unlock the manager on it. A book that is
    missing or does not open as a healthy vault gets no session: core.backup.restore then allows only a
    recovery (and refuses when the book turns out healthy)."""
    if not path.exists():
        return None
    try:
        vault = open_vault(args)
    except (errors.VaultDamaged, errors.NotAVault, sqlite.DatabaseError):
        return None
    with vault:
        return manager_session(vault, args)


def cmd_verify(args) -> int:
    path = vault_path(args)
    passphrase = secret(PASSPHRASE_ENV, _("Vault passphrase: "))
    key = kdf.derive_key(passphrase, integrity.read_salt(path))
    ok = True
    report = integrity.check_file(path, key, full=True)
    if report.ok:
        print(_("Vault {path}: ok (quick_check {quick:.0f} ms, cipher_integrity_check {cipher:.0f} ms)").format(
            path=path, quick=report.quick_ms, cipher=report.cipher_ms))
    else:
        ok = False
        print(_("Vault {path}: DAMAGED: {problems}").format(path=path, problems=report.summary()))
    newest = backup.newest_backup(path)
    if newest is None:
        ok = False
        print(_("No backup found in {folder}: run 'boutique-book backup'.").format(
            folder=backup.default_backup_dir(path)))
    else:
        try:
            checked = backup.verify_backup(newest.path, key=key if _same_salt(path, newest.path) else None,
                                           passphrase=passphrase)
        except backup.NeedsPassphrase as exc:
            checked = backup.BackupCheck(newest.path, False, [str(exc)])
        when = f"{newest.taken_at.astimezone():%Y-%m-%d %H:%M}"
        if checked.ok:
            print(_("Newest backup {path} ({when}, {contacts} contacts): ok").format(
                path=newest.path, when=when, contacts=checked.contacts))
        else:
            ok = False
            print(_("Newest backup {path} ({when}): FAILED: {problems}").format(
                path=newest.path, when=when, problems="; ".join(checked.problems[:2])))
    ok = _verify_audit_chain(path, key) and ok
    return 0 if ok else 1


def _verify_audit_chain(path: Path, key: bytes) -> bool:
    """The audit log's hash chain, and the chain inside each backup we know against it (issue #18)."""
    from ..core import audit_chain

    places = [info.path for info in backup.list_backups(backup.default_backup_dir(path), stem=path.stem)]
    try:
        report, disagreements = audit_chain.check_files(path, key, places)
    except BoutiqueBookError as exc:
        print(_("Audit log: not checked ({reason})").format(reason=exc))
        return False
    if report.ok:
        print(ngettext("Audit log: {n} entry, hash chain intact.", "Audit log: {n} entries, hash chain intact.",
              report.entries).format(n=report.entries))
    else:
        print(_("Audit log: TAMPERED: {problem}").format(problem=report.problem))
    for place, problem in disagreements:
        print(_("Audit log: TAMPERED: {problem} ({backup})").format(problem=problem, backup=Path(place).name))
    return report.ok and not disagreements


def _same_salt(a: Path, b: Path) -> bool:
    try:
        return integrity.read_salt(a) == integrity.read_salt(b)
    except BoutiqueBookError:
        return False
