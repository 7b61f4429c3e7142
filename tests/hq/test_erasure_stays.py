"""Erasure that stays erased (issue #18, problem 4). On c6c2aae: the audit log kept an import's file name
("Firstname Lastname.vcf"), restoring an older backup brought an erased person back, `erase` said old copies
"disappear as those backups age out" while USB backups and set-aside books are never rotated."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from boutique_book.core import backup, changelog, contacts, erasure_register, manager, old_copies, privacy
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Email, Phone
from boutique_book.core.vault import Vault

PASS = "counter passphrase"
MANAGER = "manager passphrase 1"
NAME = ("Quirinalda", "Xylophorides")


def run(*args):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, "BOUTIQUE_BOOK_MANAGER_PASSPHRASE": MANAGER}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                          env=env, timeout=120, stdin=subprocess.DEVNULL)


def _person(vault, given=NAME[0], family=NAME[1]):
    return contacts.add(vault, Contact(given_name=given, family_name=family, emails=[Email("q.x@planted.example")],
                                       phones=[Phone("+33 6 98 76 54 32")]))


def test_the_audit_log_holds_no_file_name_of_an_import(vault, manager_session, tmp_path):
    from boutique_book.interchange.importer import import_files

    card = tmp_path / f"{NAME[0]} {NAME[1]}.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{NAME[1]};{NAME[0]};;;\r\nFN:{NAME[0]} {NAME[1]}\r\n"
                    "END:VCARD\r\n")
    _plan, report = import_files(vault, [card])
    privacy.erase_contact(vault, manager_session, report.created[0])
    text = json.dumps(changelog.audit_entries(vault.conn), ensure_ascii=False)
    assert NAME[0] not in text and NAME[1] not in text and ".vcf" not in text
    imported = [e for e in changelog.audit_entries(vault.conn) if e["action"] == "import"]
    assert imported[0]["detail"]["files"] == 1 and imported[0]["detail"]["created"] == 1


def test_restoring_an_older_backup_erases_the_person_again(vault, manager_session):
    keep = contacts.add(vault, Contact(given_name="Kept", family_name="Person"))
    gone = _person(vault)
    older = backup.create_backup(vault)
    privacy.erase_contact(vault, manager_session, gone)
    register = erasure_register.entries(vault.conn)
    assert [e["contact_id"] for e in register] == [gone]
    assert NAME[0] not in json.dumps(register) and "planted" not in json.dumps(register)

    result = backup.restore(older.path, vault=vault, session=manager_session)
    assert not contacts.exists(vault, gone) and contacts.exists(vault, keep)
    assert result.erasures.erased == [gone] and result.erasures.registered == 1
    assert vault.scalar("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", (NAME[1],)) == 0
    # The register came along (the backup predates the erasure): a later restore still knows.
    assert [e["contact_id"] for e in erasure_register.entries(vault.conn)] == [gone]
    assert changelog.audit_entries(vault.conn)[-1]["action"] == "erasures_reapplied"


def test_a_reused_number_is_not_erased_blindly(vault, manager_session):
    gone = _person(vault)  # the highest number: SQLite gives it to the next new contact
    privacy.erase_contact(vault, manager_session, gone)
    newcomer = contacts.add(vault, Contact(given_name="Newcomer", family_name="Innocent"))
    assert newcomer == gone
    later = backup.create_backup(vault)
    result = backup.restore(later.path, vault=vault, session=manager_session)
    assert contacts.get(vault, newcomer).given_name == "Newcomer"
    assert result.erasures.mismatched == [newcomer] and result.erasures.erased == []


def test_cli_erase_lists_old_copies_and_purges_them_then_restore_reports(tmp_path):
    path = tmp_path / "shop" / "shop.vault"
    usb = tmp_path / "usb"
    with Vault.create(path, PASS, KdfParams.fast()) as vault:
        manager.unlock(vault, MANAGER, params=KdfParams.fast())
        gone = _person(vault)
        contacts.add(vault, Contact(given_name="Kept"))
    assert run("backup", "--vault", str(path)).returncode == 0
    assert run("backup", "--vault", str(path), "--to", str(usb)).returncode == 0
    [usb_copy] = list(usb.glob("*.vault"))
    kept_usb = tmp_path / "drawer.vault"  # a copy the manager keeps out of reach of a purge
    kept_usb.write_bytes(usb_copy.read_bytes())
    aside = path.with_name(path.name + ".before-restore-20260101-090000")
    aside.write_bytes(path.read_bytes())

    erased = run("erase", "--vault", str(path), str(gone), "--yes")
    assert erased.returncode == 0, erased.stderr
    assert str(usb_copy) in erased.stdout and str(aside) in erased.stdout and "backups" in erased.stdout
    assert "age out" not in erased.stdout

    restored = run("restore", "--vault", str(path), str(kept_usb))
    assert restored.returncode == 0, restored.stderr
    assert "1 erased again" in restored.stdout
    with Vault.open(path, PASS) as vault:
        assert not contacts.exists(vault, gone) and vault.scalar("SELECT count(*) FROM contacts") == 1

    again = run("erase", "--vault", str(path), str(gone), "--yes")
    assert again.returncode == 1  # already gone: nothing to erase
    purged = run("erase", "--vault", str(path), str(_add_again(path)), "--yes", "--purge-old-copies")
    assert purged.returncode == 0, purged.stderr
    assert not usb_copy.exists() and not aside.exists() and "a fresh backup was written" in purged.stdout
    with Vault.open(path, PASS) as vault:
        left = old_copies.list_copies(vault)
    assert [c.kind for c in left if c.kind != "before_restore"] == ["backup"]  # the fresh one only


def _add_again(path):
    with Vault.open(path, PASS) as vault:
        return _person(vault, "Other", "Person")


def test_set_aside_books_are_kept_30_days(vault):
    now = dt.datetime.now(dt.timezone.utc)
    old_name = (now - dt.timedelta(days=40)).astimezone().strftime("%Y%m%d-%H%M%S")
    new_name = (now - dt.timedelta(days=2)).astimezone().strftime("%Y%m%d-%H%M%S")
    old = vault.path.with_name(f"{vault.path.name}.before-restore-{old_name}")
    recent = vault.path.with_name(f"{vault.path.name}.before-restore-{new_name}")
    for p in (old, recent, old.with_name(old.name + "-wal")):
        p.write_bytes(b"x")
    backup.create_backup(vault)  # the managed backup prunes
    assert not old.exists() and not old.with_name(old.name + "-wal").exists() and recent.exists()
