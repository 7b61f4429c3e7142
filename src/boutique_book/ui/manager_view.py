"""The manager's dialog: unlock with the manager passphrase, then HQ export, the audit log, erasure and
the retention review. No SQL here: everything goes through core.manager, core.privacy and hq.*.

After a successful unlock the dialog sets context.manager_unlocked = True and keeps the session in
context.extra["manager_session"], so other screens (templates, tier rhythms) can enable manager actions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMessageBox, QPushButton, QRadioButton, QSpinBox,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..core import manager, privacy, search
from ..core.errors import BoutiqueBookError
from ..hq import export, media, profiles, signing
from ..i18n import _, ngettext
from .formatting import list_date, list_datetime
from .jobs import run_vault_job
from .manager_unlock import SESSION_KEY, ManagerUnlockPanel


PROFILE_TITLES = {"figures": lambda: _("Figures (counts only)"),
                  "pseudonymised": lambda: _("Pseudonymised (one row per contact, no names)"),
                  "consenting": lambda: _("Consenting customers (full details)")}

ACTION_LABELS = {"manager_credential_set": lambda: _("Manager passphrase set"),
                 "manager_credential_changed": lambda: _("Manager passphrase changed"),
                 "manager_unlock_failed": lambda: _("Wrong manager passphrase"),
                 "hq_key_import": lambda: _("HQ key imported"),
                 "hq_export": lambda: _("HQ export"),
                 "hq_signing_key_created": lambda: _("Shop signing key created"),
                 "erasure": lambda: _("Erasure"),
                 "settings": lambda: _("Setting changed")}


def _describe_detail(action: str, detail: dict) -> str:
    if action == "hq_export":
        counts = ", ".join(f"{k} {v}" for k, v in (detail.get("counts") or {}).items())
        text = _("{profile} to {destination} ({counts}); sha256 {sha}").format(
            profile=detail.get("profile", ""), destination=detail.get("destination", ""), counts=counts,
            sha=str(detail.get("sha256", ""))[:16] + "…")
        if detail.get("include_moments"):
            text += " — " + _("with moment texts")
        if detail.get("pseudonyms") == "stable":
            text += " — " + _("stable pseudonyms")
        return text
    if action == "erasure":
        return _("contact number {id}: {moments} moments, {followups} follow-ups, {links} links").format(
            id=detail.get("contact", "?"), moments=detail.get("moments", 0), followups=detail.get("followups", 0),
            links=detail.get("links", 0))
    if action == "settings":
        return str(detail.get("key", ""))
    if action == "hq_key_import":
        return str(detail.get("key", ""))[:20] + "…"
    if action == "hq_signing_key_created":
        return str(detail.get("fingerprint", ""))
    return ""


def _actor_text(actor: str) -> str:
    """The audit log's actor as a person reads it: 'manager (Camille)' -> 'Manager (Camille)' in the language."""
    actor = actor or ""
    if actor == "manager":
        return _("Manager")
    if actor.startswith("manager (") and actor.endswith(")"):
        return _("Manager ({name})").format(name=actor[len("manager ("):-1])
    return actor


def _day(stored) -> str:
    """A stored ISO date or time as a list date in the interface language (people never read ISO)."""
    import datetime as dt

    if not stored:
        return ""
    try:
        return list_date(dt.date.fromisoformat(str(stored)[:10]))
    except ValueError:
        return str(stored)


class ManagerDialog(QDialog):
    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.vault = context.vault
        self.session = context.extra.get(SESSION_KEY) if getattr(context, "extra", None) is not None else None
        self._jobs = []
        self.setWindowTitle(_("Manager"))
        self.setObjectName("managerDialog")
        self.resize(820, 580)
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.stack.addWidget(self._build_unlock())
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_export(), _("HQ export"))
        self.tabs.addTab(self._build_audit(), _("Audit log"))
        self.tabs.addTab(self._build_erasure(), _("Erasure"))
        self.tabs.addTab(self._build_retention(), _("Retention"))
        self.stack.addWidget(self.tabs)
        close = QDialogButtonBox(QDialogButtonBox.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        if isinstance(self.session, manager.ManagerSession):
            self._show_tabs()
        else:
            self.session = None
            self._prepare_unlock()

    # -- unlock ----------------------------------------------------------------------------------
    def _build_unlock(self) -> QWidget:
        """The app's one manager unlock form (ui.manager_unlock), shown until the manager session exists."""
        self.unlock_panel = ManagerUnlockPanel(
            self.context, _("Exports, erasure, settings and the audit log need the manager passphrase."), self,
            first_reason=ngettext("No manager passphrase is set yet. Choose one (at least {n} characters), different "
                           "from the counter passphrase: it protects exports, erasure, settings and the audit log.",
                                  "No manager passphrase is set yet. Choose one (at least {n} characters), different "
                                  "from the counter passphrase: it protects exports, erasure, settings and the audit log.", manager.MIN_LENGTH))
        panel = self.unlock_panel
        self.pass_edit, self.confirm_edit, self.confirm_label = panel.pass_edit, panel.confirm_edit, panel.confirm_label
        self.unlock_error, self.unlock_title, self.unlock_button = panel.error, panel.title, panel.unlock_button
        panel.unlocked.connect(self._unlocked)
        return panel

    @property
    def _first(self) -> bool:
        return self.unlock_panel._first

    @_first.setter
    def _first(self, value: bool) -> None:
        self.unlock_panel._first = value

    def _prepare_unlock(self):
        self.unlock_panel.prepare()
        self.stack.setCurrentIndex(0)
        self.pass_edit.setFocus()

    def _unlock(self):
        if self.unlock_panel.unlock() is None:
            self.pass_edit.setFocus()

    def _unlocked(self, session):
        self.session = session
        self._show_tabs()

    def _show_tabs(self):
        self.unlock_error.clear()
        self.stack.setCurrentIndex(1)
        self._refresh_key()
        self._refresh_drives()
        self._refresh_audit()
        self._refresh_retention()

    # -- HQ export -------------------------------------------------------------------------------
    def _build_export(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        key_row = QHBoxLayout()
        self.key_label = QLabel(page)
        self.key_label.setWordWrap(True)
        import_key = QPushButton(_("Import HQ key…"), page)
        import_key.clicked.connect(self._import_key)
        key_row.addWidget(self.key_label, 1)
        key_row.addWidget(import_key)
        box.addLayout(key_row)

        group = QGroupBox(_("What goes to HQ"), page)
        group_box = QVBoxLayout(group)
        self.profile_buttons = QButtonGroup(self)
        for n, name in enumerate(profiles.PROFILES):
            radio = QRadioButton(PROFILE_TITLES[name](), group)
            radio.setProperty("profile", name)
            radio.setChecked(n == 0)
            self.profile_buttons.addButton(radio, n)
            group_box.addWidget(radio)
        self.include_moments = QCheckBox(_("Also include the texts of their shared moments (recorded in the "
                                           "audit log)"), group)
        group_box.addWidget(self.include_moments)
        self.stable_pseudonyms = QCheckBox(_("Keep the same pseudonyms as earlier exports (HQ can then follow "
                                             "rows across exports; stated in the bundle)"), group)
        group_box.addWidget(self.stable_pseudonyms)
        self.description = QLabel(group)
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.RichText)
        self.description.setObjectName("profileDescription")
        group_box.addWidget(self.description)
        box.addWidget(group)
        self.profile_buttons.idToggled.connect(lambda *_a: self._update_description())
        self.include_moments.toggled.connect(lambda *_a: self._update_description())
        self.stable_pseudonyms.toggled.connect(lambda *_a: self._update_description())

        dest_row = QHBoxLayout()
        dest_row.addWidget(QLabel(_("Write to:"), page))
        self.destination = QComboBox(page)
        self.destination.setMinimumWidth(320)
        dest_row.addWidget(self.destination, 1)
        refresh = QPushButton(_("Refresh drives"), page)
        refresh.clicked.connect(self._refresh_drives)
        choose = QPushButton(_("Other folder…"), page)
        choose.clicked.connect(self._choose_folder)
        dest_row.addWidget(refresh)
        dest_row.addWidget(choose)
        box.addLayout(dest_row)

        self.export_button = QPushButton(_("Write the bundle"), page)
        self.export_button.clicked.connect(self._export)
        self.export_result = QLabel(page)
        self.export_result.setWordWrap(True)
        self.export_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(self.export_button, alignment=Qt.AlignRight)
        box.addWidget(self.export_result)
        box.addStretch(1)
        self._update_description()
        return page

    def selected_profile(self) -> str:
        return self.profile_buttons.checkedButton().property("profile")

    def _update_description(self):
        profile = self.selected_profile()
        self.include_moments.setEnabled(profile == "consenting")
        if profile != "consenting":
            self.include_moments.setChecked(False)
        self.stable_pseudonyms.setEnabled(profile == "pseudonymised")
        if profile != "pseudonymised":
            self.stable_pseudonyms.setChecked(False)
        info = profiles.describe(profile, self.include_moments.isChecked())
        files = "".join(f"<li><b>{name}</b>: {', '.join(columns)}</li>" for name, columns in info.files.items())
        self.description.setText(
            f"<p>{_(info.summary)}</p><p>{_('Files in the bundle (besides manifest.json):')}</p><ul>{files}</ul>"
            f"<p>{_('The bundle is encrypted to the HQ key: only HQ can open it, not this shop.')}</p>")

    def _refresh_key(self):
        key = export.hq_public_key(self.vault)
        self.key_label.setText(_("HQ key: {key}").format(key=key[:24] + "…") if key else
                               _("No HQ key yet: import the hq.pub file HQ gave you."))
        self.export_button.setEnabled(bool(key))

    def _import_key(self):
        path, _filter = QFileDialog.getOpenFileName(self, _("HQ public key"), "", _("HQ public key (*.pub);;All files (*)"))
        if path:
            self.import_key_from(path)

    def import_key_from(self, path):
        try:
            export.import_public_key(self.vault, self.session, path)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("HQ key"), str(exc))
            return False
        self._refresh_key()
        self._refresh_audit()
        return True

    def _refresh_drives(self):
        current = self.destination.currentData()
        self.destination.clear()
        for drive in media.removable_drives():
            self.destination.addItem(_("Removable drive: {label} ({path})").format(label=drive.label, path=drive.path),
                                     str(drive.path))
        if current and self.destination.findData(current) < 0:
            self.destination.addItem(current, current)
        if current:
            self.destination.setCurrentIndex(self.destination.findData(current))
        if self.destination.count() == 0:
            self.destination.setPlaceholderText(_("No removable drive found: choose a folder"))

    def _choose_folder(self):
        folder = QFileDialog.getExistingDirectory(self, _("Write the bundle to"))
        if folder:
            self.set_destination(folder)

    def set_destination(self, folder):
        folder = str(folder)
        if self.destination.findData(folder) < 0:
            self.destination.addItem(folder, folder)
        self.destination.setCurrentIndex(self.destination.findData(folder))

    def _export(self):
        destination = self.destination.currentData()
        if not destination:
            QMessageBox.information(self, _("HQ export"), _("Choose a drive or a folder first."))
            return
        profile, include = self.selected_profile(), self.include_moments.isChecked()
        stable = self.stable_pseudonyms.isChecked()
        session, vault = self.session, self.vault
        self.export_button.setEnabled(False)
        self.export_result.setText(_("Writing…"))

        def job(own, progress, cancelled):  # a connection of its own: locking cannot close it under the job
            return export.export_bundle(own, session, profile, destination, include, progress, cancelled,
                                        stable_pseudonyms=stable)

        def done(result):
            self.export_button.setEnabled(True)
            counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
            text = _("Written and verified: {path}\n{counts}\nsha256 {sha}").format(
                path=result.path, counts=counts, sha=result.sha256)
            if result.signing_key_created:
                text += "\n" + _("This shop now signs its bundles. Send HQ this shop's number and key to register "
                                 "(fingerprint {fingerprint}):\n{store} {key}").format(
                    fingerprint=signing.fingerprint(result.signing_key), store=result.store_id,
                    key=result.signing_key)
            self.export_result.setText(text)
            self._refresh_audit()

        def failed(message):
            self.export_button.setEnabled(True)
            self.export_result.setText(message)
            self._warn(_("HQ export"), message)

        def cancelled():
            self.export_button.setEnabled(True)
            self.export_result.setText(_("Cancelled; nothing was written."))

        self._jobs.append(run_vault_job(self.context, self, _("Writing the HQ bundle"), job, on_done=done, on_error=failed,
                                  on_cancel=cancelled))

    # -- audit -----------------------------------------------------------------------------------
    def _build_audit(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        self.audit_table = QTableWidget(0, 4, page)
        self.audit_table.setHorizontalHeaderLabels([_("When"), _("Who"), _("What"), _("Details")])
        self.audit_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.audit_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.audit_table.verticalHeader().setVisible(False)
        self.audit_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        box.addWidget(self.audit_table)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("The audit log cannot be edited or deleted, not even by the manager."), page), 1)
        save = QPushButton(_("Export as CSV…"), page)
        save.clicked.connect(self._save_audit)
        row.addWidget(save)
        box.addLayout(row)
        return page

    def _refresh_audit(self):
        if not isinstance(self.session, manager.ManagerSession):
            return
        entries = manager.audit_entries(self.vault, self.session)
        self.audit_table.setRowCount(len(entries))
        for r, entry in enumerate(reversed(entries)):
            label = ACTION_LABELS.get(entry["action"], lambda a=entry["action"]: a)()
            for c, text in enumerate((list_datetime(entry["at"]), _actor_text(entry["actor"]), label,
                                      _describe_detail(entry["action"], entry["detail"]))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.audit_table.setItem(r, c, item)
        self.audit_table.resizeColumnsToContents()

    def _save_audit(self):
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the audit log"), "audit-log.csv", "CSV (*.csv)")
        if path:
            self.save_audit_to(path)

    def save_audit_to(self, path) -> bool:
        try:
            manager.export_audit(self.vault, self.session, path)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Audit log"), str(exc))
            return False
        return True

    # -- erasure ---------------------------------------------------------------------------------
    def _build_erasure(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        intro = QLabel(_("Erasing a person removes them and everything about them from this vault for real: "
                         "moments, follow-ups, links from others, consents, history and the search index. The "
                         "audit log keeps only that an erasure happened.") + "\n" + _(privacy.BACKUP_NOTE), page)
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.erase_search = QLineEdit(page)
        self.erase_search.setPlaceholderText(_("Find the person: name, phone, e-mail…"))
        self.erase_search.textChanged.connect(self._erase_find)
        box.addWidget(self.erase_search)
        self.erase_list = QListWidget(page)
        box.addWidget(self.erase_list, 1)
        self.erase_button = QPushButton(_("Erase this person…"), page)
        self.erase_button.clicked.connect(self._erase_selected)
        box.addWidget(self.erase_button, alignment=Qt.AlignRight)
        self.erase_result = QLabel(page)
        self.erase_result.setWordWrap(True)
        self.erase_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.addWidget(self.erase_result)
        self.purge_button = QPushButton(_("Delete these older copies…"), page)
        self.purge_button.setObjectName("purgeOldCopies")
        self.purge_button.clicked.connect(lambda: self.purge_old_copies())
        self.purge_button.hide()
        box.addWidget(self.purge_button, alignment=Qt.AlignRight)
        return page

    def show_old_copies(self) -> list:
        """After an erasure: where older copies of the book still live (core.old_copies)."""
        from ..core import old_copies

        copies = old_copies.list_copies(self.vault)
        kinds = {"backup": _("backup"), "backup_elsewhere": _("backup on another drive"),
                 "before_restore": _("book set aside by a restore")}
        if copies:
            lines = [_(privacy.BACKUP_NOTE)] + [
                f"• {kinds[c.kind]}: {c.path}" + ("" if c.reachable else " " + _("(not reachable now)"))
                for c in copies]
        else:
            lines = [_("No older copy of the book is known (no backup, no set-aside book).")]
        self.erase_result.setText(self.erase_result.text() + "\n\n" + "\n".join(lines))
        self._old_copies = [c.path for c in copies if c.reachable]
        self.purge_button.setVisible(bool(self._old_copies))
        return copies

    def purge_old_copies(self, confirm=None) -> None:
        from ..core import old_copies

        paths = list(getattr(self, "_old_copies", []))
        if not paths:
            return
        question = _("Delete these {n} older copies now? A fresh backup is written first.").format(n=len(paths))
        ok = confirm(question) if confirm is not None else QMessageBox.question(
            self, _("Delete these older copies…"), question) == QMessageBox.Yes
        if not ok:
            return
        session = self.session

        def done(result):
            self.purge_button.hide()
            self._old_copies = []
            self.erase_result.setText(_("Deleted {n} older copies; a fresh backup was written: {path}").format(
                n=result["deleted"], path=result["backup"]))
            self._refresh_audit()

        self._jobs.append(run_vault_job(self.context, self, _("Delete these older copies…"),
                                        lambda own, progress, cancelled: old_copies.purge(own, session, paths),
                                        on_done=done, on_error=lambda message: self._warn(_("Erasure"), message)))

    def _erase_find(self, text):
        self.erase_list.clear()
        if not text.strip():
            return
        for row in search.search(self.vault.conn, text, limit=30):
            item = QListWidgetItem(f"{row.display_name}  ·  {row.detail}  ·  #{row.id}")
            item.setData(Qt.UserRole, row.id)
            self.erase_list.addItem(item)
        if self.erase_list.count():
            self.erase_list.setCurrentRow(0)

    def _erase_selected(self):
        item = self.erase_list.currentItem()
        if item is None:
            return
        self.ask_and_erase(int(item.data(Qt.UserRole)))

    def confirmation_text(self, preview: dict) -> str:
        return (_("Erase {name} (number {id})?\n\nThis removes {moments} moments, {followups} follow-ups and "
                  "{links} links, and cannot be undone.").format(**preview) + "\n\n" + _(privacy.BACKUP_NOTE)
                + "".join("\n\n" + note for note in [privacy.clear_copies_note(preview.get("clear_copies") or {})]
                          if note))

    def ask_and_erase(self, contact_id: int, confirm=None):
        try:
            preview = privacy.erasure_preview(self.vault, contact_id)
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Erasure"), str(exc))
            return
        if confirm is None:
            box = QMessageBox(QMessageBox.Warning, _("Erase a person"), self.confirmation_text(preview),
                              QMessageBox.Cancel, self)
            erase = box.addButton(_("Erase for good"), QMessageBox.DestructiveRole)
            box.setDefaultButton(QMessageBox.Cancel)
            box.exec()
            confirmed = box.clickedButton() is erase
        else:
            confirmed = confirm(self.confirmation_text(preview))
        if not confirmed:
            return
        session, vault = self.session, self.vault

        def done(result):
            self.erase_search.clear()
            self.erase_list.clear()
            text = _("Erased: {moments} moments, {followups} follow-ups, {links} links removed.").format(**result)
            if not result.get("scrubbed"):
                text += " " + _("Another window kept the vault busy: lock the app once so the last traces are "
                                "scrubbed from the file.")
            self.erase_result.setText(text)
            self.show_old_copies()
            self._refresh_audit()
            self._refresh_retention()
            self.context.refresh()

        def failed(message):
            self.erase_result.setText(message)
            self._warn(_("Erasure"), message)

        self._jobs.append(run_vault_job(self.context, self, _("Erasing"), lambda own, progress, cancelled:
                                        privacy.erase_contact(own, session, contact_id, progress, cancelled),
                                        on_done=done, on_error=failed))

    # -- retention -------------------------------------------------------------------------------
    def _build_retention(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Prospects with no moment for"), page))
        self.retention_years = QSpinBox(page)
        self.retention_years.setRange(1, 50)
        self.retention_years.setSuffix(" " + _("years"))
        row.addWidget(self.retention_years)
        save = QPushButton(_("Keep this period"), page)
        save.clicked.connect(self._save_retention)
        row.addWidget(save)
        row.addStretch(1)
        box.addLayout(row)
        self.retention_years.valueChanged.connect(lambda *_a: self._fill_retention())
        self.retention_table = QTableWidget(0, 3, page)
        self.retention_table.setHorizontalHeaderLabels([_("Name"), _("Last moment"), _("Added")])
        self.retention_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.retention_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.retention_table.verticalHeader().setVisible(False)
        self.retention_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.retention_table.doubleClicked.connect(lambda *_a: self._open_retention())
        box.addWidget(self.retention_table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        open_card = QPushButton(_("Open card"), page)
        open_card.clicked.connect(self._open_retention)
        erase = QPushButton(_("Erase…"), page)
        erase.clicked.connect(self._erase_retention)
        buttons.addWidget(open_card)
        buttons.addWidget(erase)
        box.addLayout(buttons)
        return page

    def _refresh_retention(self):
        self.retention_years.blockSignals(True)
        self.retention_years.setValue(privacy.retention_years(self.vault))
        self.retention_years.blockSignals(False)
        self._fill_retention()

    def _fill_retention(self):
        rows = privacy.retention_review(self.vault, self.retention_years.value())
        self.retention_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row["name"], _day(row["last_moment"]) or _("none"), _day(row["created_at"]))):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, row["id"])
                self.retention_table.setItem(r, c, item)

    def _save_retention(self):
        try:
            privacy.set_retention_years(self.vault, self.session, self.retention_years.value())
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Retention"), str(exc))
        self._refresh_audit()

    def _retention_id(self):
        item = self.retention_table.item(self.retention_table.currentRow(), 0)
        return int(item.data(Qt.UserRole)) if item else None

    def _open_retention(self):
        contact_id = self._retention_id()
        if contact_id is not None:
            self.context.open_contact(contact_id)

    def _erase_retention(self):
        contact_id = self._retention_id()
        if contact_id is not None:
            self.ask_and_erase(contact_id)

    def _warn(self, title, message):
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()  # window-modal but not blocking: the job's thread can finish cleanly

    # -- locking ---------------------------------------------------------------------------------
    def clear_personal_data(self):
        """Called on lock: forget names on screen and the manager session."""
        for widget in (self.pass_edit, self.confirm_edit, self.erase_search):
            widget.clear()
        self.erase_list.clear()
        self.erase_result.clear()
        self.audit_table.setRowCount(0)
        self.retention_table.setRowCount(0)
        self.export_result.clear()
        self.session = None
        self.context.manager_unlocked = False
        self.context.extra.pop(SESSION_KEY, None)
        self._first = False
        self.confirm_label.hide()
        self.confirm_edit.hide()
        self.stack.setCurrentIndex(0)


ManagerView = ManagerDialog
