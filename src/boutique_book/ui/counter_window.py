"""The counter window: find a person in a keystroke, see their story, note a moment; lock at once.

Pages: unlock -> who is at the counter -> counter. Locking (Ctrl+L or idle) closes the vault connection,
wipes the item model, the card, the editor and every open dialog, and returns to the unlock page.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox, QDialog, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QMainWindow, QMessageBox,
                               QPushButton, QSplitter, QStackedWidget, QTabWidget, QTableView, QVBoxLayout, QWidget)

from .. import APP_NAME
from ..core import calendar
from ..core import card as card_lib
from ..core import contacts, moments
from ..core.errors import BoutiqueBookError
from ..core.search import SearchFilters
from ..i18n import _
from .card_view import CardView
from .contact_form import ContactForm
from .contact_model import ContactListModel
from .context import AppContext
from .labels import KINDS, TIERS, kind_label, tier_label
from .moment_editor import MomentEditor
from .unlock import StaffPanel, UnlockPanel

log = logging.getLogger(__name__)
DEFAULT_IDLE_MINUTES = 5
CLIPBOARD_SECONDS = 60


def app_settings() -> QSettings:
    return QSettings("BoutiqueBook", "BoutiqueBook")


class IdleWatcher(QObject):
    """Counts wall-clock time since the last key or mouse event (time.time: suspend counts too)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.last = time.time()

    def eventFilter(self, obj, event):
        if event.type() in (QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel):
            self.last = time.time()
        return False


class SearchField(QLineEdit):
    """Down arrow moves into the results; Enter opens the first result."""

    def __init__(self, window):
        super().__init__()
        self.window_ = window

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Down, Qt.Key_PageDown):
            self.window_.focus_results()
            return
        super().keyPressEvent(event)


class ResultsView(QTableView):
    def __init__(self, window):
        super().__init__()
        self.window_ = window

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.window_.open_current()
            return
        if event.key() == Qt.Key_Up and self.currentIndex().row() <= 0:
            self.window_.focus_search()
            return
        if event.text() and event.text().isprintable() and not event.modifiers() & Qt.ControlModifier:
            self.window_.focus_search(append=event.text())  # typing in the list keeps searching
            return
        super().keyPressEvent(event)


class CounterWindow(QMainWindow):
    def __init__(self, vault_path, parent=None):
        super().__init__(parent)
        self.vault_path = vault_path
        self.vault = None
        self.context: AppContext | None = None
        self.current_id: int | None = None
        self.settings = app_settings()
        self.idle_minutes = int(self.settings.value("idle_minutes", DEFAULT_IDLE_MINUTES))
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(980, 640)

        self.pages = QStackedWidget()
        self.unlock_panel = UnlockPanel(vault_path)
        self.unlock_panel.unlocked.connect(self._on_unlocked)
        self.staff_panel = StaffPanel()
        self.staff_panel.chosen.connect(self._on_staff_chosen)
        self.counter = self._build_counter()
        for page in (self.unlock_panel, self.staff_panel, self.counter):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.idle = IdleWatcher(self)
        QApplication.instance().installEventFilter(self.idle)
        self.idle_timer = QTimer(self, interval=5000, timeout=self._check_idle)
        self.idle_timer.start()
        self._jobs = []
        self._backed_up_on_close = False
        self._clipboard_text = None
        self._clipboard_timer = QTimer(self, singleShot=True, interval=CLIPBOARD_SECONDS * 1000,
                                       timeout=self._clear_clipboard)
        QGuiApplication.clipboard().dataChanged.connect(self._on_clipboard_changed)
        self.backup_timer = QTimer(self, interval=3600 * 1000, timeout=self.auto_backup)
        self.backup_timer.start()
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.lock()

    # -- building ----------------------------------------------------------------------------------
    def _build_counter(self) -> QWidget:
        page = QWidget()
        self.search = SearchField(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(_("Find: name, phone, email, tag or a word they said"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=40, timeout=self._run_search)
        self.search.textChanged.connect(lambda: self._search_timer.start())
        self.search.returnPressed.connect(self.open_current)
        self.tier_filter = QComboBox()
        self.tier_filter.addItem(_("All tiers"), None)
        for code in TIERS:
            self.tier_filter.addItem(tier_label(code), code)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(_("All kinds"), None)
        for code in KINDS:
            self.kind_filter.addItem(kind_label(code), code)
        self.tag_filter = QComboBox()
        self.due_filter = QCheckBox(_("Follow-up due"))
        for box in (self.tier_filter, self.kind_filter, self.tag_filter):
            box.currentIndexChanged.connect(self._run_search)
        self.due_filter.toggled.connect(self._run_search)
        new_button = QPushButton(_("New contact"))
        new_button.clicked.connect(self.new_contact)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for widget in (self.tier_filter, self.kind_filter, self.tag_filter, self.due_filter, new_button):
            top.addWidget(widget)

        self.model = ContactListModel()
        self.model.searched.connect(self._on_searched)
        self.results = ResultsView(self)
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(26)
        self.results.setShowGrid(False)
        self.results.setAlternatingRowColors(True)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.results.doubleClicked.connect(lambda index: self.open_contact(self.model.contact_id(index.row())))
        self._whole_result = False
        self.results.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.results.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.open_contact(self.model.contact_id(current.row()), focus=False))

        self.card = CardView()
        self.card.openContact.connect(self.open_contact)
        self.card.editMoment.connect(self.edit_moment)
        self.card.deleteMoment.connect(self.delete_moment)
        self.card.resolveCase.connect(self.resolve_case)
        self.editor = MomentEditor(None)
        self.editor.saved.connect(lambda _id: self.refresh_card())
        actions = QHBoxLayout()
        self.card_buttons = []
        for text, slot in ((_("Note a moment  Ctrl+M"), self.note_moment), (_("Edit  Ctrl+E"), self.edit_contact),
                           (_("Change tier  Ctrl+T"), self.change_tier),
                           (_("Follow-up  Ctrl+U"), self.plan_followup)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(False)
            actions.addWidget(button)
            self.card_buttons.append(button)
        actions.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(actions)
        self.card_tabs = QTabWidget()
        self.card_tabs.addTab(self.card, _("Card"))
        self.network_host = QWidget()
        QVBoxLayout(self.network_host).setContentsMargins(0, 0, 0, 0)
        self.network_view = None
        self.card_tabs.addTab(self.network_host, _("Who knows whom"))
        self.card_tabs.currentChanged.connect(lambda _index: self._show_network())
        right_layout.addWidget(self.card_tabs, 1)
        right_layout.addWidget(self.editor)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.results)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([460, 800])
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.statusBar().addWidget(self.status, 1)
        return page

    def _build_menus(self):
        bar = self.menuBar()
        self.personal_actions: list[QAction] = []

        def action(menu, text, slot, shortcut=None, personal=True):
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(slot)
            menu.addAction(act)
            if personal:
                self.personal_actions.append(act)
            return act

        book = bar.addMenu(_("&Book"))
        action(book, _("New contact"), self.new_contact, "Ctrl+N")
        action(book, _("Find"), self.focus_search, "Ctrl+F")
        self.extension_menu_book = book
        book.addSeparator()
        action(book, _("Lock"), self.lock, "Ctrl+L", personal=False)
        action(book, _("Quit"), self.close, "Ctrl+Q", personal=False)
        person = bar.addMenu(_("&Person"))
        action(person, _("Note a moment"), self.note_moment, "Ctrl+M")
        action(person, _("Edit contact"), self.edit_contact, "Ctrl+E")
        action(person, _("Change tier…"), self.change_tier, "Ctrl+T")
        action(person, _("Link to another person…"), self.add_link, "Ctrl+K")
        action(person, _("Plan a follow-up…"), self.plan_followup, "Ctrl+U")
        action(person, _("Delete contact…"), self.delete_contact)
        selection = bar.addMenu(_("&Selection"))
        action(selection, _("Select the whole result"), self.select_all_results, "Ctrl+Shift+A")
        action(selection, _("Change tier of selected…"), self.bulk_tier)
        action(selection, _("Add a tag to selected…"), lambda: self.bulk_tag(True))
        action(selection, _("Remove a tag from selected…"), lambda: self.bulk_tag(False))
        self.view_menu = bar.addMenu(_("&View"))
        self.manager_menu = bar.addMenu(_("&Manager"))
        help_menu = bar.addMenu(_("&Help"))
        action(help_menu, _("About Boutique Book"), self.show_about, personal=False)
        from .extensions import install_extensions

        install_extensions(self, action)
        slash = QShortcut(QKeySequence("/"), self.results, self.focus_search)
        slash.setContext(Qt.WidgetShortcut)

    # -- unlock / lock ---------------------------------------------------------------------------------
    def _take_vault(self, vault) -> bool:
        """Hold the single-writer lock for as long as the book is open here."""
        from ..core.instance_lock import InstanceLock

        try:
            self.instance_lock = InstanceLock(vault.path).acquire()
        except BoutiqueBookError as exc:
            vault.close()
            self.unlock_panel.message.setText(str(exc))
            self.pages.setCurrentWidget(self.unlock_panel)
            return False
        self.vault = vault
        return True

    def _on_unlocked(self, vault):
        if not self._take_vault(vault):
            return
        self.staff_panel.load(vault, str(self.settings.value("last_staff", "")))
        self.pages.setCurrentWidget(self.staff_panel)

    def unlock_with(self, vault, staff_name: str | None = None):
        """Open straight into the counter (used with BOUTIQUE_BOOK_PASSPHRASE and by tests)."""
        from ..core import staff as staff_lib

        if not self._take_vault(vault):
            return
        name = staff_name or str(self.settings.value("last_staff", "") or "")
        member = staff_lib.by_name(vault, name) if name else None
        if member is None:
            members = staff_lib.all_staff(vault)
            if not members:
                self._on_unlocked(vault)
                return
            member = members[0]
        self._on_staff_chosen(member.id, member.name)

    def _on_staff_chosen(self, staff_id: int, name: str):
        self.settings.setValue("last_staff", name)
        self.context = AppContext(vault=self.vault, staff_id=staff_id, staff_name=name,
                                  open_contact=self.open_contact, refresh=self.refresh_all)
        self.editor.context = self.context
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(_("All tags"), None)
        for tag in contacts.all_tags(self.vault):
            self.tag_filter.addItem(tag, tag)
        self.tag_filter.blockSignals(False)
        self.model.set_vault(self.vault)
        header = self.settings.value("list_header")
        if isinstance(header, QByteArray):
            self.results.horizontalHeader().restoreState(header)
        else:
            for column, width in enumerate((230, 110, 100)):
                self.results.setColumnWidth(column, width)
        splitter = self.settings.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        for act in self.personal_actions:
            act.setEnabled(True)
        self.pages.setCurrentWidget(self.counter)
        self.setWindowTitle(f"{APP_NAME} — {name}")
        self.idle.last = time.time()
        self.focus_search()
        self._start_background_checks()

    # -- safety: integrity checks and automatic backups off the UI thread ---------------------------------
    def _start_background_checks(self):
        """Integrity checks too slow for the unlock run here, on a connection of their own, so that locking
        can walk away from them at once (PRAGMA cipher_integrity_check cannot be interrupted)."""
        from ..core import integrity
        from ..core.vault import Vault
        from .jobs import run_job

        vault = self.vault
        deferred = tuple(getattr(vault, "deferred_checks", ()))
        if not deferred and not integrity.full_check_due(vault):
            return
        checker = Vault.open_with_key(vault.path, vault._key, migrate=False)
        checker.deferred_checks = deferred
        vault.deferred_checks = ()

        def work(progress, cancelled):
            try:
                return integrity.run_background_checks(checker, progress=progress, cancelled=cancelled)
            finally:
                checker.close()

        def report(result):
            if result is not None and not getattr(result, "ok", True) and self.vault is vault:
                integrity.mark_damaged(vault)
                QMessageBox.critical(self, APP_NAME, str(integrity.damaged_error(vault.path, result.summary(),
                                                                                  vault._key)))
        self._track(run_job(self, _("Checking the book"), work, on_done=report,
                                  on_error=lambda message: log.warning("background check failed"),
                                  show_dialog=False))

    def _track(self, job, uses_vault: bool = False):
        """Keep a reference to a running job. Jobs that use the open vault's own connection (backups) are
        waited for before that connection is closed; others (checks) hold a connection of their own."""
        job.uses_vault = uses_vault
        self._jobs = [j for j in self._jobs if j.thread.isRunning()] + [job]
        return job

    def auto_backup(self):
        """At most once a day while open (the hourly timer asks), off the UI thread."""
        from ..core import backup
        from .jobs import run_job

        vault = self.vault
        if vault is None or any(job.thread.isRunning() for job in self._jobs):
            return
        self._track(run_job(self, _("Backing up"), lambda progress, cancelled: backup.maybe_auto_backup(
            vault, progress=progress, cancelled=cancelled), on_error=self.status.setText, show_dialog=False),
            uses_vault=True)

    def lock(self):
        """Hide every trace of personal data at once and close the vault."""
        self._save_layout()
        for view in list(getattr(self, "open_views", [])):
            clear = getattr(view, "clear_personal_data", None)
            if callable(clear):
                clear()
            if isinstance(view, QDialog):
                view.reject()
            else:
                view.close()  # WA_DeleteOnClose: destroyed with its data
        if hasattr(self, "open_views"):
            self.open_views.clear()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        for widget in self.findChildren(QWidget):
            clear = getattr(widget, "clear_personal_data", None)
            if callable(clear) and widget is not self:
                clear()
        self.model.clear()
        if getattr(self, "network_view", None) is not None:
            self.network_view.clear_personal_data()
            self.network_view.setParent(None)
            self.network_view.deleteLater()
            self.network_view = None
        if hasattr(self, "card_tabs"):
            self.card_tabs.setCurrentIndex(0)
        self.card.clear_personal_data()
        self.editor.clear_personal_data()
        self.editor.hide()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.tag_filter.clear()
        self.status.clear()
        self.current_id = None
        for button in self.card_buttons:
            button.setEnabled(False)
        for act in getattr(self, "personal_actions", []):
            act.setEnabled(False)
        self._clear_clipboard()
        for job in self._jobs:
            job.cancel()
            if job.uses_vault and job.thread.isRunning():  # a backup reading this connection: let it stop first
                job.thread.quit()
                job.thread.wait()
        if self.vault is not None:
            try:
                self.vault.close()
            except Exception:  # closing must not stop the lock
                log.exception("closing the vault on lock")
        self.vault = None
        self.context = None
        lock = getattr(self, "instance_lock", None)
        if lock is not None:
            lock.release()
            self.instance_lock = None
        self.setWindowTitle(f"{APP_NAME} — {_('locked')}")
        self.pages.setCurrentWidget(self.unlock_panel)
        self.unlock_panel.reset()

    @property
    def is_locked(self) -> bool:
        return self.vault is None or self.pages.currentWidget() is not self.counter

    def _check_idle(self):
        if self.vault is not None and time.time() - self.idle.last > self.idle_minutes * 60:
            log.info("idle lock")
            self.lock()

    def _on_clipboard_changed(self):
        """Something was copied. If it came from this app (one of its widgets has focus), it may be personal
        data: remember it and clear it after a short while, on lock and on quit, if it is still there."""
        text = QGuiApplication.clipboard().text()
        if text and QApplication.focusWidget() is not None and self.vault is not None:
            self._clipboard_text = text
            self._clipboard_timer.start()

    def _clear_clipboard(self):
        clipboard = QGuiApplication.clipboard()
        owned = getattr(self, "_clipboard_text", None)
        if owned and clipboard.text() == owned:
            clipboard.clear()
        self._clipboard_text = None

    def _save_layout(self):
        self.settings.setValue("geometry", self.saveGeometry())
        if self.vault is not None and self.pages.currentWidget() is self.counter:
            self.settings.setValue("list_header", self.results.horizontalHeader().saveState())
            self.settings.setValue("splitter", self.splitter.saveState())

    def closeEvent(self, event):
        """On quit: the automatic backup first (with a progress bar), then lock, then wait for workers."""
        if self.vault is not None and not self._backed_up_on_close:
            from ..core import backup
            from .jobs import run_job

            self._backed_up_on_close = True
            event.ignore()
            vault = self.vault

            def finish(*_args):
                self.close()

            def failed(message):
                log.warning("backup on close failed")  # the Backups dialog shows the date of the newest one
                finish()
            self._track(run_job(self, _("Backing up before closing"), lambda progress, cancelled:
                                      backup.maybe_auto_backup(vault, on_close=True, progress=progress,
                                                               cancelled=cancelled),
                                      on_done=finish, on_error=failed, on_cancel=finish), uses_vault=True)
            return
        self.lock()
        for job in self._jobs:
            job.thread.quit()
            job.thread.wait()
        super().closeEvent(event)

    # -- searching -------------------------------------------------------------------------------------
    def _filters(self) -> SearchFilters:
        filters = SearchFilters(tier=self.tier_filter.currentData(), kind=self.kind_filter.currentData(),
                                tag=self.tag_filter.currentData(), due_only=self.due_filter.isChecked())
        if filters.due_only and self.vault is not None:
            filters.due_ids = calendar.due_contact_ids(self.vault)
        return filters

    def _run_search(self):
        if self.vault is None:
            return
        self.model.set_query(self.search.text(), self._filters())
        if self.model.rowCount():
            self.results.selectionModel().blockSignals(True)
            self.results.setCurrentIndex(self.model.index(0, 0))
            self.results.selectionModel().blockSignals(False)

    def _on_searched(self, ms: float):
        count = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.status.setText(_("At the counter: {staff} · {count}{more} people · {ms:.0f} ms").format(
            staff=self.context.staff_name if self.context else "", count=count, more=more, ms=ms))

    def focus_search(self, append: str = ""):
        self.search.setFocus()
        if append:
            self.search.setText(self.search.text() + append)
        else:
            self.search.selectAll()

    def focus_results(self):
        if self.model.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0, 0))

    def open_current(self):
        index = self.results.currentIndex()
        row = index.row() if index.isValid() else 0
        contact_id = self.model.contact_id(row)
        if contact_id is not None:
            self.open_contact(contact_id)
            self.card.setFocus()

    # -- the card --------------------------------------------------------------------------------------
    def open_contact(self, contact_id, focus: bool = True):
        if contact_id is None or self.vault is None:
            return
        try:
            card = card_lib.load(self.vault, contact_id)
        except BoutiqueBookError as exc:
            self.status.setText(str(exc))
            return
        self.current_id = contact_id
        self.card.show_card(card, contacts.home_region(self.vault))
        for button in self.card_buttons:
            button.setEnabled(True)
        self._show_network()
        row = self.model.row_of(contact_id)
        if row >= 0 and self.results.currentIndex().row() != row:
            self.results.selectionModel().blockSignals(True)
            self.results.setCurrentIndex(self.model.index(row, 0))
            self.results.selectionModel().blockSignals(False)

    def _show_network(self):
        """Draw the person's neighbourhood only when its tab is in front (drawing costs more than the card)."""
        if self.card_tabs.currentWidget() is not self.network_host or self.current_id is None or self.context is None:
            return
        if self.network_view is None:
            try:
                from .network_view import NeighbourhoodView
            except ModuleNotFoundError:
                return
            self.network_view = NeighbourhoodView(self.context)
            self.network_host.layout().addWidget(self.network_view)
        self.network_view.set_contact(self.current_id)

    def refresh_card(self):
        if self.current_id is not None and self.vault is not None:
            scroll = self.card.verticalScrollBar().value()
            self.open_contact(self.current_id, focus=False)
            self.card.verticalScrollBar().setValue(scroll)

    def refresh_all(self):
        if self.vault is not None:
            self.model.reload()
            self.refresh_card()

    def note_moment(self):
        if self.current_id is None or self.context is None:
            return
        self.editor.start_new(self.current_id, self.card.card.contact.display_name)

    def edit_moment(self, moment_id: int):
        self.editor.start_edit(moment_id)

    def delete_moment(self, moment_id: int):
        if QMessageBox.question(self, _("Delete moment"), _("Delete this moment? The change log keeps that you "
                                                              "did.")) != QMessageBox.Yes:
            return
        moments.delete(self.vault, moment_id, by=self.context.staff_id)
        self.refresh_card()

    def new_contact(self):
        if self.context is None:
            return
        form = ContactForm(self.context, parent=self)
        if form.exec() == QDialog.Accepted:
            self.model.reload()
            self.open_contact(form.contact.id)

    def edit_contact(self):
        if self.current_id is None:
            return
        form = ContactForm(self.context, contacts.get(self.vault, self.current_id), parent=self)
        if form.exec() == QDialog.Accepted:
            self.refresh_all()

    def delete_contact(self):
        if self.current_id is None:
            return
        name = self.card.card.contact.display_name
        if QMessageBox.question(self, _("Delete contact"), _("Delete {name} with all their moments and links?").format(
                name=name)) != QMessageBox.Yes:
            return
        contacts.delete(self.vault, self.current_id, by=self.context.staff_id)
        self.current_id = None
        self.card.show_placeholder()
        self.model.reload()

    def change_tier(self):
        if self.current_id is None:
            return
        dialog = TierDialog(self.card.card.contact.tier, 1, self)
        if dialog.exec() == QDialog.Accepted:
            contacts.set_tier(self.vault, self.current_id, dialog.tier(), by=self.context.staff_id,
                              reason=dialog.reason.text())
            self.refresh_all()

    def add_link(self):
        if self.current_id is None:
            return
        from .link_dialog import LinkDialog

        if LinkDialog(self.context, self.current_id, self.card.card.contact.display_name, self).exec():
            self.refresh_card()

    def plan_followup(self):
        if self.current_id is None:
            return
        from .followup_dialog import FollowupDialog

        if FollowupDialog(self.context, self.current_id, self.card.card.contact.display_name, self).exec():
            self.refresh_card()

    def resolve_case(self, case_id: int):
        from .followup_dialog import ResolveCaseDialog

        case = next((c for c in self.card.card.open_cases if c["id"] == case_id), None) if self.card.card else None
        if case is not None and ResolveCaseDialog(self.context, case, self).exec():
            self.refresh_card()

    # -- many at once -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.results.selectionModel().selectedRows()})
        # "The whole result" holds only while every loaded row is still selected (more may not be loaded yet).
        if self._whole_result and rows and len(rows) == self.model.rowCount():
            return self.model.all_result_ids()
        return [cid for cid in (self.model.contact_id(r) for r in rows) if cid is not None]

    def _on_selection_changed(self, *_args):
        self._whole_result = False  # any other selection replaces "the whole result"

    def select_all_results(self):
        self.results.selectAll()
        self._whole_result = True  # after selectAll: its selectionChanged has already fired
        self.status.setText(_("The whole result is selected."))

    def bulk_tier(self):
        ids = self.selected_ids()
        if not ids:
            return
        dialog = TierDialog(None, len(ids), self)
        if dialog.exec() == QDialog.Accepted:
            changed = contacts.bulk_set_tier(self.vault, ids, dialog.tier(), by=self.context.staff_id,
                                             reason=dialog.reason.text())
            self.status.setText(_("{n} people moved.").format(n=changed))
            self._whole_result = False
            self.refresh_all()

    def bulk_tag(self, add_it: bool):
        ids = self.selected_ids()
        if not ids:
            return
        title = _("Add a tag") if add_it else _("Remove a tag")
        tag, ok = QInputDialog.getText(self, title, _("Tag:"))
        if not ok or not tag.strip():
            return
        question = (_("Add “{tag}” to {n} people?") if add_it else _("Remove “{tag}” from {n} people?")).format(
            tag=tag.strip(), n=len(ids))
        if QMessageBox.question(self, title, question) != QMessageBox.Yes:
            return
        changed = contacts.bulk_tag(self.vault, ids, tag, add_it, by=self.context.staff_id)
        self.status.setText(_("{n} people changed.").format(n=changed))
        self._whole_result = False
        self.refresh_all()

    def show_about(self):
        from .about import AboutDialog

        AboutDialog(self).exec()


class TierDialog(QDialog):
    def __init__(self, current: str | None, count: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Change tier"))
        self.combo = QComboBox()
        for code in TIERS:
            self.combo.addItem(tier_label(code), code)
        if current:
            self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why (optional): e.g. third coffee together"))
        question = QLabel(_("Move {n} people to:").format(n=count) if count > 1 else _("Move to:"))
        ok = QPushButton(_("Change tier"))
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.combo)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)

    def tier(self) -> str:
        return self.combo.currentData()
