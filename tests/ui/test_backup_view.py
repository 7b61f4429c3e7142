"""BackupDialog: back up now, list, restore for a manager only (through ui.jobs)."""

from __future__ import annotations

import pytest

from boutique_book.core import backup, contacts
from boutique_book.core.model import Contact
from boutique_book.ui.context import AppContext


@pytest.fixture
def dialog_for(qtbot, vault):
    from boutique_book.ui.backup_view import BackupDialog

    def make(manager=False):
        refreshed = []
        context = AppContext(vault=vault, manager_unlocked=manager, refresh=lambda: refreshed.append(1))
        if manager:  # a real session: the restore service checks it, not the screen's flag
            from boutique_book.core import manager as manager_lib
            from boutique_book.core.kdf import KdfParams

            context.extra["manager_session"] = manager_lib.unlock(vault, "manager passphrase 1",
                                                                  params=KdfParams.fast())
        dialog = BackupDialog(context)
        qtbot.addWidget(dialog)
        dialog.refreshed = refreshed
        return dialog

    return make


def test_back_up_now_lists_the_backup(qtbot, dialog_for, vault):
    contacts.add(vault, Contact(given_name="Dialog"))
    dialog = dialog_for()
    assert dialog.table.rowCount() == 0
    assert not dialog.restore_file_button.isEnabled()  # staff: no restore
    dialog.back_up_now()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert dialog.table.rowCount() == 1
    assert "verified" in dialog.status.text()
    dialog.table.selectRow(0)
    assert not dialog.restore_button.isEnabled()


def test_back_up_to_a_folder(qtbot, dialog_for, tmp_path):
    dialog = dialog_for()
    dialog.back_up_to(tmp_path / "usb")
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert len(backup.list_backups(tmp_path / "usb")) == 1
    assert dialog.table.rowCount() == 0  # the managed list only


def test_manager_restores_a_backup(qtbot, dialog_for, vault):
    contacts.add(vault, Contact(given_name="Before"))
    info = backup.create_backup(vault)
    contacts.add(vault, Contact(given_name="After"))
    dialog = dialog_for(manager=True)
    dialog.table.selectRow(0)
    assert dialog.restore_button.isEnabled()
    dialog.restore_backup(info.path, confirm=False)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert vault.scalar("SELECT group_concat(given_name) FROM contacts") == "Before"
    assert "previous book was kept" in dialog.status.text()
    assert dialog.refreshed == [1]
    dialog.clear_personal_data()
    assert dialog.status.text() == ""
