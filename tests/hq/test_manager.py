"""The manager credential and the append-only audit log."""

from __future__ import annotations

import json

import pytest
import sqlcipher3.dbapi2 as sqlite

from boutique_book.core import audit_files, changelog, manager
from boutique_book.core.kdf import KdfParams

from hq_fixtures import MANAGER_PASSPHRASE


def test_first_unlock_sets_the_credential_then_verifies_it(vault):
    assert not manager.has_credential(vault)
    first = manager.unlock(vault, MANAGER_PASSPHRASE, params=KdfParams.fast())
    assert manager.has_credential(vault)
    assert first.actor == "manager"
    record = json.loads(vault.scalar("SELECT value FROM settings WHERE key='manager_credential'"))
    assert record["kdf"] == "argon2id" and MANAGER_PASSPHRASE not in json.dumps(record)
    again = manager.unlock(vault, MANAGER_PASSPHRASE, "Léonie")
    assert again.actor == "manager (Léonie)"
    with pytest.raises(manager.WrongManagerCredential):
        manager.unlock(vault, "counter-passphrase")
    actions = [e["action"] for e in changelog.audit_entries(vault.conn)]
    assert actions == ["manager_credential_set", "manager_unlock_failed"]


def test_too_short_credential_is_refused(vault):
    with pytest.raises(manager.ValidationError):
        manager.unlock(vault, "short")
    assert not manager.has_credential(vault)


def test_change_credential_needs_the_current_one(vault, session):
    with pytest.raises(manager.WrongManagerCredential):
        manager.change_credential(vault, session, "not-it-at-all", "a-new-secret-9", params=KdfParams.fast())
    manager.change_credential(vault, session, MANAGER_PASSPHRASE, "a-new-secret-9", params=KdfParams.fast())
    assert manager.verify(vault, "a-new-secret-9") and not manager.verify(vault, MANAGER_PASSPHRASE)


def test_a_session_cannot_be_forged():
    with pytest.raises(manager.ManagerError):
        manager.ManagerSession("manager")
    with pytest.raises(manager.ManagerError):
        manager.require("manager")


def test_audit_log_cannot_be_edited(vault, session):
    changelog.audit(vault.conn, session.actor, "settings", key="x")
    with pytest.raises(sqlite.IntegrityError, match="append-only"):
        vault.execute("UPDATE audit_log SET actor='someone else'")
    with pytest.raises(sqlite.IntegrityError, match="append-only"):
        vault.execute("DELETE FROM audit_log")
    # Also through a second, independent connection to the file.
    other = vault.connect()
    try:
        with pytest.raises(sqlite.IntegrityError):
            other.execute("DELETE FROM audit_log WHERE action='settings'")
    finally:
        other.close()
    assert [e["action"] for e in changelog.audit_entries(vault.conn)] == ["manager_credential_set", "settings"]


def test_a_session_from_another_book_opens_nothing_here(vault, tmp_path, hq_keys):
    """Session 4 audit: someone with the counter passphrase makes a book of their own, sets its manager
    passphrase (the first unlock sets it) and hands that session to this book's services. Every manager
    service checks the session's store against the book (on 2fad6a9 the HQ export, the HQ key import, the
    retention setting and the vocabulary did not)."""
    from boutique_book.core import contacts, demo, interests, privacy
    from boutique_book.core.vault import Vault
    from boutique_book.hq import export
    from boutique_book.interchange import exporter, person_export

    demo.generate(vault, 3, seed=1)
    own = manager.unlock(vault, MANAGER_PASSPHRASE, params=KdfParams.fast())
    export.import_public_key(vault, own, hq_keys[0])
    with Vault.create(tmp_path / "mine.vault", "counter passphrase", KdfParams.fast()) as mine:
        foreign = manager.unlock(mine, "my own manager passphrase", params=KdfParams.fast())
    (tmp_path / "out").mkdir()
    acts = {
        "export": lambda s: exporter.export_contacts(vault, tmp_path / "out" / "all.csv", "csv", session=s),
        "person-export": lambda s: person_export.export_person(vault, 1, tmp_path / "out", session=s),
        "audit": lambda s: manager.export_audit(vault, s, tmp_path / "out" / "audit.csv"),
        "audit --verify": lambda s: audit_files.verify_audit(vault, s),
        "hq-export": lambda s: export.export_bundle(vault, s, "figures", tmp_path / "out"),
        "hq-key import": lambda s: export.import_public_key(vault, s, hq_keys[0]),
        "retention": lambda s: privacy.set_retention_years(vault, s, 3),
        "interests vocabulary": lambda s: interests.add_to_vocabulary(vault, s, {"en": ["beekeeping"]}),
        "erase": lambda s: privacy.erase_contact(vault, s, 2),
    }
    for name, act in acts.items():
        with pytest.raises(manager.ManagerError, match="another book"):
            act(foreign)
    assert list((tmp_path / "out").iterdir()) == [] and contacts.exists(vault, 2)
    for name, act in acts.items():  # the book's own manager session goes through
        act(own)
    assert not contacts.exists(vault, 2)
