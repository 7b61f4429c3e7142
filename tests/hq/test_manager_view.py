"""The manager dialog, offscreen: unlock, exact profile description, export through a job, read-only
audit view with CSV export, erasure with confirmation, retention list, and clearing on lock."""

from __future__ import annotations

import csv

import pytest

pytest.importorskip("PySide6")

from boutique_book.core import changelog, contacts  # noqa: E402
from boutique_book.hq import bundle  # noqa: E402
from boutique_book.ui.context import AppContext  # noqa: E402
from hq_fixtures import MANAGER_PASSPHRASE, PLANTED  # noqa: E402


@pytest.fixture
def dialog(qtbot, planted, monkeypatch):
    from boutique_book.core import manager
    from boutique_book.core.kdf import KdfParams

    monkeypatch.setattr(manager.KdfParams, "default", classmethod(lambda cls: KdfParams.fast()))
    from boutique_book.ui.manager_view import ManagerDialog

    vault = planted[0]
    refreshed = []
    context = AppContext(vault=vault, staff_id=1, staff_name="Camille Laurent", refresh=lambda: refreshed.append(1))
    view = ManagerDialog(context)
    qtbot.addWidget(view)
    view.refreshed = refreshed
    return view


def _unlock(qtbot, view, passphrase=MANAGER_PASSPHRASE):
    view.pass_edit.setText(passphrase)
    view.confirm_edit.setText(passphrase)
    view.unlock_button.click()


def test_unlock_sets_then_checks_the_manager_passphrase(qtbot, dialog):
    assert dialog.stack.currentIndex() == 0 and dialog.confirm_edit.isVisibleTo(dialog)
    dialog.pass_edit.setText(MANAGER_PASSPHRASE)
    dialog.confirm_edit.setText("something else")
    dialog._unlock()
    assert dialog.stack.currentIndex() == 0 and "differ" in dialog.unlock_error.text()
    _unlock(qtbot, dialog)
    assert dialog.stack.currentIndex() == 1
    assert dialog.context.manager_unlocked and dialog.context.extra["manager_session"].actor.endswith("(Camille Laurent)")
    assert dialog.pass_edit.text() == ""
    dialog.clear_personal_data()
    assert not dialog.context.manager_unlocked and dialog.stack.currentIndex() == 0
    _unlock(qtbot, dialog, "wrong manager passphrase")
    assert dialog.stack.currentIndex() == 0 and "not right" in dialog.unlock_error.text()


def test_export_tab_describes_and_writes_a_bundle(qtbot, dialog, hq_keys, tmp_path):
    _unlock(qtbot, dialog)
    assert not dialog.export_button.isEnabled()  # no HQ key yet
    assert dialog.import_key_from(hq_keys[0])
    assert dialog.export_button.isEnabled()
    text = dialog.description.text()
    assert "figures.csv" in text and "No personal data" in text.replace("no personal", "No personal")
    dialog.profile_buttons.button(2).setChecked(True)
    assert dialog.include_moments.isEnabled() and "No moment texts" in dialog.description.text()
    dialog.include_moments.setChecked(True)
    assert "moments.csv" in dialog.description.text() and "audit log" in dialog.description.text()
    dialog.profile_buttons.button(1).setChecked(True)
    assert not dialog.include_moments.isChecked() and "pseudonym" in dialog.description.text()
    assert dialog.stable_pseudonyms.isEnabled() and not dialog.stable_pseudonyms.isChecked()
    usb = tmp_path / "usb"
    usb.mkdir()
    dialog.set_destination(usb)
    dialog._export()
    qtbot.waitUntil(lambda: "verified" in dialog.export_result.text(), timeout=20000)
    [written] = list(usb.iterdir())
    manifest, _files = bundle.decrypt_and_verify(written.read_bytes(), bundle.read_identity(hq_keys[1]))
    assert manifest["profile"] == "pseudonymised" and manifest["pseudonyms"] == "rotating"
    # The first export made the shop's signing key and shows what HQ must register.
    assert manifest["signing"]["public_key"] in dialog.export_result.text()
    assert dialog.audit_table.item(0, 2).text() == "HQ export"


def test_audit_view_is_read_only_and_exports_csv(qtbot, dialog, tmp_path):
    _unlock(qtbot, dialog)
    table = dialog.audit_table
    assert table.rowCount() == 1 and table.editTriggers() == table.EditTrigger.NoEditTriggers
    path = tmp_path / "audit.csv"
    assert dialog.save_audit_to(path)
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    assert [r["action"] for r in rows] == ["manager_credential_set"]


def test_erasure_asks_then_erases(qtbot, dialog):
    _unlock(qtbot, dialog)
    vault = dialog.vault
    dialog.erase_search.setText(PLANTED["family"])
    assert dialog.erase_list.count() == 1
    person = dialog.erase_list.currentItem().data(0x0100)
    asked = []
    dialog.ask_and_erase(person, confirm=lambda text: asked.append(text) or False)
    assert contacts.exists(vault, person) and PLANTED["family"] in asked[0] and "Older copies" in asked[0]
    assert "exported in clear" not in asked[0]  # nothing was exported yet
    from boutique_book.interchange import exporter

    exporter.export_contacts(vault, dialog.vault.path.parent / "all.csv", "csv", session=dialog.session)
    dialog.ask_and_erase(person, confirm=lambda text: asked.append(text) or False)
    assert "1 export of contacts" in asked[1] and "delete them there" in asked[1]  # the same core note as the CLI
    dialog.ask_and_erase(person, confirm=lambda text: True)
    qtbot.waitUntil(lambda: "Erased" in dialog.erase_result.text(), timeout=20000)
    assert not contacts.exists(vault, person) and dialog.refreshed
    assert changelog.audit_entries(vault.conn)[-1]["action"] == "erasure"
    assert dialog.audit_table.item(0, 2).text() == "Erasure"


def test_retention_tab_lists_silent_prospects(qtbot, dialog):
    vault = dialog.vault
    vault.execute("UPDATE contacts SET kind='prospect', created_at='2001-01-01T00:00:00+00:00' WHERE id=20")
    vault.execute("DELETE FROM moments WHERE contact_id=20")
    _unlock(qtbot, dialog)
    ids = [dialog.retention_table.item(r, 0).data(0x0100) for r in range(dialog.retention_table.rowCount())]
    assert 20 in ids
    opened = []
    dialog.context.open_contact = opened.append
    dialog.retention_table.selectRow(ids.index(20))
    dialog._open_retention()
    assert opened == [20]


def test_erasure_lists_older_copies_and_purges_them(qtbot, dialog, tmp_path):
    from boutique_book.core import backup

    _unlock(qtbot, dialog)
    vault = dialog.vault
    usb = backup.create_backup(vault, tmp_path / "usb")  # the folder is remembered in the vault
    dialog.erase_search.setText(PLANTED["family"])
    person = dialog.erase_list.currentItem().data(0x0100)
    dialog.ask_and_erase(person, confirm=lambda text: True)
    qtbot.waitUntil(lambda: not dialog.purge_button.isHidden(), timeout=20000)
    assert str(usb.path) in dialog.erase_result.text() and "another drive" in dialog.erase_result.text()
    dialog.purge_old_copies(confirm=lambda text: "1" in text)
    qtbot.waitUntil(lambda: "fresh backup" in dialog.erase_result.text(), timeout=20000)
    assert not usb.path.exists() and dialog.purge_button.isHidden()
    assert len(backup.list_backups(backup.default_backup_dir(vault.path))) == 1
    assert changelog.audit_entries(vault.conn)[-1]["action"] == "old_copies_purged"
