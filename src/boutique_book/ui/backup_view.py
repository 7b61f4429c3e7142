"""Backups dialog: back up now (to the backups folder next to the vault, or to any folder / USB stick),
the list of backups, and restore (manager only). Slow work runs through ui.jobs.run_job; every rule
(verification, rotation, setting the current vault aside) lives in core.backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from ..core import backup
from ..i18n import _
from .jobs import run_job, run_vault_job


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{max(1, round(n / 1e3))} kB"


class BackupDialog(QDialog):
    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.job = None
        self.setWindowTitle(_("Backups"))
        self.setMinimumSize(640, 420)
        self.folder = backup.default_backup_dir(context.vault.path)

        intro = QLabel(_("The book is backed up automatically when the app closes and once a day while it is "
                         "open. Each backup is encrypted with the book's passphrase and checked after writing."))
        intro.setWordWrap(True)
        self.folder_label = QLabel(_("Backups folder: {folder}").format(folder=self.folder))
        self.folder_label.setObjectName("muted")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Taken"), _("Size"), _("File")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.status = QLabel()
        self.status.setWordWrap(True)

        self.now_button = QPushButton(_("Back up now"))
        self.now_button.setDefault(True)
        self.now_button.clicked.connect(self.back_up_now)
        self.to_button = QPushButton(_("Back up to a folder or USB stick…"))
        self.to_button.clicked.connect(self.choose_folder)
        self.restore_button = QPushButton(_("Restore selected…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_("Restore from a file…"))
        self.restore_file_button.clicked.connect(self.choose_backup_file)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)

        actions = QHBoxLayout()
        actions.addWidget(self.now_button)
        actions.addWidget(self.to_button)
        actions.addStretch(1)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_file_button)
        restore_row.addStretch(1)
        restore_row.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(restore_row)
        self.refresh_list()

    # -- list ----------------------------------------------------------------------------------------
    def backups(self) -> list[backup.BackupInfo]:
        return backup.list_backups(self.folder, stem=self.context.vault.path.stem)

    def refresh_list(self) -> None:
        items = self.backups()
        self.table.setRowCount(len(items))
        for row, info in enumerate(items):
            taken = QTableWidgetItem(f"{info.taken_at.astimezone():%Y-%m-%d %H:%M}")
            taken.setData(Qt.UserRole, str(info.path))
            self.table.setItem(row, 0, taken)
            size = QTableWidgetItem(_size(info.size))
            size.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(row, 1, size)
            self.table.setItem(row, 2, QTableWidgetItem(info.name))
        if not items:
            self.status.setText(_("No backup yet: press “Back up now”."))
        self._update_buttons()

    def selected_path(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return Path(self.table.item(rows[0].row(), 0).data(Qt.UserRole))

    def _busy(self) -> bool:
        return self.job is not None

    def _update_buttons(self) -> None:
        manager = bool(self.context.manager_unlocked)
        busy = self._busy()
        self.now_button.setEnabled(not busy)
        self.to_button.setEnabled(not busy)
        self.restore_button.setEnabled(manager and not busy and self.selected_path() is not None)
        self.restore_file_button.setEnabled(manager and not busy)
        tip = "" if manager else _("Only a manager can restore a backup (unlock the manager first).")
        self.restore_button.setToolTip(tip)
        self.restore_file_button.setToolTip(tip)

    # -- backing up ----------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        self._start_backup(None)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Back up to which folder?"))
        if folder:
            self.back_up_to(Path(folder))

    def back_up_to(self, folder: Path) -> None:
        self._start_backup(Path(folder))

    def _start_backup(self, folder: Path | None) -> None:
        self.status.setText(_("Backing up…"))
        self.job = run_vault_job(self.context, self, _("Backing up"),
                                 lambda own, progress, cancelled: backup.create_backup(
                                     own, folder, progress=progress, cancelled=cancelled),
                           on_done=self._backup_done, on_error=self._failed, on_cancel=self._cancelled)
        self._update_buttons()

    def _backup_done(self, info) -> None:
        self.job = None
        self.status.setText(_("Backup written and verified: {path} ({size})").format(path=info.path,
                                                                                     size=_size(info.size)))
        self.refresh_list()

    def _failed(self, message: str) -> None:
        self.job = None
        self.status.setText(message)
        self._update_buttons()

    def _cancelled(self) -> None:
        self.job = None
        self.status.setText(_("Cancelled; nothing was written."))
        self._update_buttons()

    # -- restoring -----------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.restore_backup(path)

    def choose_backup_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Restore which backup?"), str(self.folder),
                                                    _("Boutique Book backups (*.vault)"))
        if name:
            self.restore_backup(Path(name))

    def restore_backup(self, path: Path, *, passphrase: str | None = None, confirm: bool = True) -> None:
        """Manager only. Asks to confirm (and for the backup's passphrase if it predates a passphrase
        change), then restores in a job; the current book is set aside, never overwritten."""
        if not self.context.manager_unlocked or self._busy():
            return
        vault = self.context.vault
        if passphrase is None:
            try:
                backup.key_for_backup(path, vault=vault)
            except backup.NeedsPassphrase as exc:
                text, ok = QInputDialog.getText(self, _("Passphrase of the backup"), str(exc), QLineEdit.Password)
                if not ok or not text:
                    return
                passphrase = text
            except Exception as exc:  # not a vault, unreadable: say so in one line
                self.status.setText(str(exc))
                return
        if confirm:
            answer = QMessageBox.question(
                self, _("Restore this backup?"),
                _("The book will be replaced by the backup {name}. Everything saved since that backup will not "
                  "be in the book; the current book is kept beside it, untouched, in case it is needed.").format(
                    name=path.name))
            if answer != QMessageBox.Yes:
                return
        session = self.context.extra.get("manager_session")
        self.status.setText(_("Restoring…"))
        # On the window's runner (context=): lock and quit cancel it and wait for it before the book is closed;
        # past its point of no return the restore finishes first (core.backup.restore, Vault.close).
        self.job = run_job(self, _("Restoring"),
                           lambda progress, cancelled: backup.restore(path, vault=vault, passphrase=passphrase,
                                                                      progress=progress, cancelled=cancelled,
                                                                      session=session),
                           on_done=self._restore_done, on_error=self._failed, on_cancel=self._cancelled,
                           context=self.context)
        self._update_buttons()

    def _restore_done(self, result) -> None:
        self.job = None
        text = _("Restored {name} ({contacts} contacts).").format(name=result.backup.name, contacts=result.contacts)
        if result.set_aside is not None:
            text += " " + _("The previous book was kept as {path}.").format(path=result.set_aside)
        erasures = getattr(result, "erasures", None)
        if erasures is not None and erasures.registered:
            text += " " + _("Erasure register: {erased} erased again, {gone} not in this backup, {other} left alone "
                            "(their number is someone else in this backup: check them).").format(
                erased=len(erasures.erased), gone=erasures.already_gone, other=len(erasures.mismatched))
        if getattr(result, "earlier_passphrase", False):
            text += " " + _("This backup was made with an earlier passphrase: from now on the book opens with "
                            "the passphrase it had then (to change it: 'boutique-book passwd').")
        self.status.setText(text)
        self.refresh_list()
        self.context.refresh()

    # -- lock ----------------------------------------------------------------------------------------
    def clear_personal_data(self) -> None:
        """Nothing personal is shown here (dates, sizes, file names); drop the status line anyway."""
        if self.job is not None:
            self.job.cancel()
        self.status.clear()
