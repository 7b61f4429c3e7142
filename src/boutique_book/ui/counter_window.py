"""The counter window: find a person in a keystroke, see their story, note a moment; lock at once.

Pages: unlock -> who is at the counter -> counter. The window only composes four parts, each tested alone:

- `SearchList` (ui.search_list): the search field, filters, result model and view; it says who is current;
- `PersonFocus` (ui.person_focus): the person the card shows and every card action acts on;
- `JobRunner` (ui.job_runner): every slow job, each on its own connection; lock/quit stop them first;
- `CounterSession` (ui.counter_session): the open vault, the single-writer lock, idle lock, the clipboard.

QActions' enabled state follows the session (a book is open), the person in focus and the selection.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QInputDialog, QLabel, QMainWindow, QMessageBox, QPushButton,
                               QSplitter, QStackedWidget, QVBoxLayout, QWidget, QApplication)

from .. import APP_NAME
from ..core import contacts
from ..i18n import _, ngettext
from .counter_session import CLIPBOARD_SECONDS, DEFAULT_IDLE_MINUTES, CounterSession, IdleWatcher  # noqa: F401
from .job_runner import JobRunner
from .person_focus import PersonFocus, TierDialog  # noqa: F401  (TierDialog: imported from here by others)
from .saving import FAILED, attempt
from .search_list import ResultsView, SearchField, SearchList  # noqa: F401
from .unlock import StaffPanel, UnlockPanel

log = logging.getLogger(__name__)


def app_settings() -> QSettings:
    return QSettings("BoutiqueBook", "BoutiqueBook")


def is_demo_path(path) -> bool:
    from pathlib import Path

    return Path(str(path)).name == "demo.vault"


class CounterWindow(QMainWindow):
    def __init__(self, vault_path, parent=None, demo: bool | None = None):
        super().__init__(parent)
        self.vault_path = vault_path
        self.demo = is_demo_path(vault_path) if demo is None else demo
        self.settings = app_settings()
        self.session = CounterSession(self, int(self.settings.value("idle_minutes", DEFAULT_IDLE_MINUTES)))
        self.jobs = JobRunner(self)
        self.list = SearchList(self)
        self.focus = PersonFocus(self)
        self.open_views: list = []
        self._backed_up_on_close = False
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(980, 640)

        self.pages = QStackedWidget()
        self.unlock_panel = UnlockPanel(vault_path)
        self.unlock_panel.jobs = self.jobs  # its restore belongs to the window's runner (lock and quit wait for it)
        if self.demo:
            self.unlock_panel.set_demo_hint()
        self.unlock_panel.unlocked.connect(self._on_unlocked)
        self.staff_panel = StaffPanel()
        self.staff_panel.chosen.connect(self._on_staff_chosen)
        self.counter = self._build_counter()
        for page in (self.unlock_panel, self.staff_panel, self.counter):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self._build_menus()

        self.list.currentChanged.connect(self.focus.follow)
        self.list.activated.connect(self.open_current)
        self.list.searched.connect(self._on_searched)
        self.focus.changed.connect(lambda _id: self._update_actions())
        self.focus.contactsChanged.connect(self._after_contacts_changed)
        self.list.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.session.openChanged.connect(lambda _open: self._update_actions())
        self.card.openContact.connect(self.open_contact)
        escape = QShortcut(QKeySequence(Qt.Key_Escape), self.list.field, self.show_today)
        escape.setContext(Qt.WidgetShortcut)  # Esc in the search field: nobody open, the day where the card stands

        self.idle_timer = QTimer(self, interval=5000, timeout=self._check_idle)
        self.idle_timer.start()
        self.backup_timer = QTimer(self, interval=3600 * 1000, timeout=self.auto_backup)
        self.backup_timer.start()
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.lock()

    # -- the parts, under the names the rest of the app (and its tests) use ------------------------------
    vault = property(lambda self: self.session.vault, lambda self, v: setattr(self.session, "vault", v))
    context = property(lambda self: self.session.context, lambda self, c: setattr(self.session, "context", c))
    instance_lock = property(lambda self: self.session.instance_lock,
                             lambda self, v: setattr(self.session, "instance_lock", v))
    idle = property(lambda self: self.session.idle)
    idle_minutes = property(lambda self: self.session.idle_minutes,
                            lambda self, v: setattr(self.session, "idle_minutes", v))
    _clipboard_timer = property(lambda self: self.session.clipboard_timer)
    current_id = property(lambda self: self.focus.current_id)
    card = property(lambda self: self.focus.card)
    editor = property(lambda self: self.focus.editor)
    card_tabs = property(lambda self: self.focus.tabs)
    network_host = property(lambda self: self.focus.network_host)
    network_view = property(lambda self: self.focus.network_view)
    card_buttons = property(lambda self: self.focus.buttons)
    model = property(lambda self: self.list.model)
    results = property(lambda self: self.list.view)
    search = property(lambda self: self.list.field)
    tier_filter = property(lambda self: self.list.tier_filter)
    kind_filter = property(lambda self: self.list.kind_filter)
    tag_filter = property(lambda self: self.list.tag_filter)
    due_filter = property(lambda self: self.list.due_filter)

    # -- building ----------------------------------------------------------------------------------
    def _build_counter(self) -> QWidget:
        page = QWidget()
        self.list.due_ids_for = self._due_ids
        new_button = QPushButton(_("New contact"))
        new_button.clicked.connect(self.new_contact)
        top = QHBoxLayout()
        top.addWidget(self.list.field, 1)
        for widget in (self.list.tier_filter, self.list.kind_filter, self.list.tag_filter, self.list.due_filter,
                       new_button):
            top.addWidget(widget)
        self.banner = QLabel(_("This is the demo book: made-up people to try things on. Nothing here is real."))
        self.banner.setObjectName("demoBanner")
        self.banner.setVisible(self.demo)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.list.view)
        self.splitter.addWidget(self.focus.pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([600, 740])  # five list columns in French and German without clipped headers
        layout = QVBoxLayout(page)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.jobs.progress_widget())
        return page

    def _build_menus(self):
        bar = self.menuBar()
        self.personal_actions: list[QAction] = []
        self._needs: dict[QAction, str] = {}

        def action(menu, text, slot, shortcut=None, personal=True, needs: str | None = None):
            """needs: "book" (an open book), "person" (someone in focus), "selection", or None (always)."""
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            menu.addAction(act)
            if personal:
                self.personal_actions.append(act)
                self._needs[act] = needs or "book"
            elif needs:
                self._needs[act] = needs
            return act

        book = bar.addMenu(_("&Book"))
        action(book, _("New contact"), self.new_contact, "Ctrl+N")
        action(book, _("Find"), self.focus_search, "Ctrl+F")
        action(book, _("Today"), self.show_today, "Ctrl+0")
        action(book, _("My profile…"), self.focus.edit_my_profile)
        book.addSeparator()
        self.extension_menu_book = book
        person = bar.addMenu(_("&Person"))
        action(person, _("Note a moment"), self.note_moment, "Ctrl+M", needs="person")
        action(person, _("Edit contact"), self.edit_contact, "Ctrl+E", needs="person")
        action(person, _("Change tier…"), self.change_tier, "Ctrl+T", needs="person")
        action(person, _("Link to another person…"), self.add_link, "Ctrl+K", needs="person")
        action(person, _("Plan a follow-up…"), self.plan_followup, "Ctrl+U", needs="person")
        action(person, _("Interests…"), self.focus.edit_interests, "Ctrl+Shift+I", needs="person")
        person.addSeparator()
        action(person, _("Delete contact…"), self.delete_contact, needs="person")
        self.person_menu = person
        selection = bar.addMenu(_("&Selection"))
        action(selection, _("Select the whole result"), self.select_all_results, "Ctrl+Shift+A")
        action(selection, _("Change tier of selected…"), self.bulk_tier, needs="selection")
        action(selection, _("Add a tag to selected…"), lambda: self.bulk_tag(True), needs="selection")
        action(selection, _("Remove a tag from selected…"), lambda: self.bulk_tag(False), needs="selection")
        self.view_menu = bar.addMenu(_("&View"))
        self.manager_menu = bar.addMenu(_("&Manager"))
        help_menu = bar.addMenu(_("&Help"))
        action(help_menu, _("About Boutique Book"), self.show_about, personal=False)
        from .extensions import install_extensions

        install_extensions(self, action)
        # Like a desktop File menu: the book's own acts, then Lock, then Quit last with the platform shortcut.
        book.addSeparator()
        self.lock_action = action(book, _("Lock"), self.lock, "Ctrl+L", personal=False, needs="book")
        self.lock_action.setShortcutContext(Qt.ApplicationShortcut)  # Ctrl+L locks from every window
        book.addSeparator()
        self.quit_action = action(book, _("Quit"), self.close, personal=False)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.Quit))
        if self.quit_action.shortcut().isEmpty():  # platforms without a standard Quit key (Windows)
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.QuitRole)
        self._update_actions()

    def _update_actions(self):
        is_open = self.session.is_open and self.pages.currentWidget() is self.counter \
            if hasattr(self, "pages") else False
        person = is_open and self.focus.current_id is not None
        selection = is_open and bool(self.list.view.selectionModel().selectedRows()) \
            if is_open else False
        state = {"book": is_open, "person": person, "selection": selection}
        for act, need in getattr(self, "_needs", {}).items():
            act.setEnabled(state.get(need, is_open))

    # -- unlock / lock ---------------------------------------------------------------------------------
    def _take_vault(self, vault) -> bool:
        problem = self.session.take(vault)
        if problem is not None:
            self.unlock_panel.message.setText(problem)
            self.pages.setCurrentWidget(self.unlock_panel)
            return False
        return True

    def _on_unlocked(self, vault):
        if not self._take_vault(vault):
            return
        self.staff_panel.load(vault, str(self.settings.value("last_staff", "")))
        self.pages.setCurrentWidget(self.staff_panel)

    def unlock_with(self, vault, staff_name: str | None = None, choose: bool = False):
        """Open the book already unlocked (BOUTIQUE_BOOK_PASSPHRASE, language change, tests). With choose=True,
        or when nobody is named and known, staff choose who is at the counter first."""
        from ..core import staff as staff_lib

        if not self._take_vault(vault):
            return
        if choose:
            self._on_unlocked_taken(vault)
            return
        name = staff_name or str(self.settings.value("last_staff", "") or "")
        member = staff_lib.by_name(vault, name) if name else None
        if member is None:
            members = staff_lib.all_staff(vault)
            if not members:
                self._on_unlocked_taken(vault)
                return
            member = members[0]
        self._on_staff_chosen(member.id, member.name)

    def _on_unlocked_taken(self, vault):
        self.staff_panel.load(vault, str(self.settings.value("last_staff", "")))
        self.pages.setCurrentWidget(self.staff_panel)

    def _on_staff_chosen(self, staff_id: int, name: str):
        self.settings.setValue("last_staff", name)
        context = self.session.start(staff_id, name, open_contact=self.open_contact, refresh=self.refresh_all)
        context.jobs = self.jobs
        context.demo = self.demo
        self.focus.open(context)
        self.list.open(self.vault, contacts.all_tags(self.vault))
        header = self.settings.value("list_header")
        if isinstance(header, QByteArray):
            self.results.horizontalHeader().restoreState(header)
        else:
            self.model.fit_columns(self.results)
        splitter = self.settings.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        self.pages.setCurrentWidget(self.counter)
        self.show_today()  # nobody asked for yet: the day stands where the card is
        self._update_actions()
        self._show_title()
        self.focus_search()
        self._start_background_checks()

    def _show_title(self):
        if self.context is None:
            self.setWindowTitle(f"{APP_NAME} — {_('locked')}" + (f" — {_('demo book')}" if self.demo else ""))
            return
        parts = [APP_NAME]
        if self.demo:
            parts.append(_("demo book"))
        parts.append(self.context.staff_name)
        self.setWindowTitle(" — ".join(parts))

    # -- safety: integrity checks and automatic backups, through the job runner ---------------------------
    def _start_background_checks(self):
        """Integrity checks too slow for the unlock run here, on a connection of their own, so that locking
        can walk away from them at once (PRAGMA cipher_integrity_check cannot be interrupted)."""
        from ..core import integrity
        from ..core.vault import Vault

        vault = self.vault
        deferred = tuple(getattr(vault, "deferred_checks", ()))
        if not deferred and not integrity.full_check_due(vault):
            return
        vault.deferred_checks = ()

        def work(own, progress, cancelled):
            checker = Vault(own.path, own._key, own.conn)
            checker.deferred_checks = deferred
            return integrity.run_background_checks(checker, progress=progress, cancelled=cancelled)

        def report(result):
            from ..core import opening

            if result is not None and getattr(result, "ok", False) and self.vault is vault:
                opening.mark_verified(vault)
            if result is not None and not getattr(result, "ok", True) and self.vault is vault:
                integrity.mark_damaged(vault)
                QMessageBox.critical(self, APP_NAME, str(opening.damaged_error(vault.path, result.plain(),
                                                                                vault._key)))
        self.jobs.run(_("Checking the book"), work, vault=vault, on_done=report,
                      on_error=lambda message: log.warning("background check failed"), show_dialog=False,
                      wait_on_stop=False)  # read-only on its own connection, not interruptible: walk away

    def auto_backup(self):
        """At most once a day while open (the hourly timer asks), off the UI thread on its own connection."""
        from ..core import backup

        vault = self.vault
        if vault is None or self.jobs.busy():
            return
        self.jobs.run(_("Backing up"), lambda own, progress, cancelled: backup.maybe_auto_backup(
            own, progress=progress, cancelled=cancelled), vault=vault, on_error=self.status.setText,
            show_dialog=False)

    def lock(self):
        """Stop every job, hide every trace of personal data, then close the vault."""
        if hasattr(self, "splitter"):
            self._save_layout()
        self.jobs.shutdown()  # cancel + bounded wait; nothing runs on the connection we are about to close
        for view in list(self.open_views):
            clear = getattr(view, "clear_personal_data", None)
            if callable(clear):
                clear()
            if isinstance(view, QDialog):
                view.reject()
            else:
                view.close()  # WA_DeleteOnClose: destroyed with its data (its jobs belong to the runner)
        self.open_views.clear()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        for widget in self.findChildren(QWidget):
            clear = getattr(widget, "clear_personal_data", None)
            if callable(clear) and widget is not self:
                clear()
        self.list.clear()
        self.focus.clear()
        self.status.clear()
        self.session.close()
        self.pages.setCurrentWidget(self.unlock_panel)
        self._update_actions()
        self._show_title()
        self.unlock_panel.reset()

    @property
    def is_locked(self) -> bool:
        return self.vault is None or self.pages.currentWidget() is not self.counter

    def _check_idle(self):
        if self.session.idle_expired():
            log.info("idle lock")
            self.lock()

    def _clear_clipboard(self):
        self.session.clear_clipboard()

    def _save_layout(self):
        self.settings.setValue("geometry", self.saveGeometry())
        if self.vault is not None and self.pages.currentWidget() is self.counter:
            self.settings.setValue("list_header", self.results.horizontalHeader().saveState())
            self.settings.setValue("splitter", self.splitter.saveState())

    def closeEvent(self, event):  # noqa: N802
        """On quit: the automatic backup first (with a progress bar), then lock (which stops every job)."""
        if self.vault is not None and not self._backed_up_on_close:
            from ..core import backup

            self._backed_up_on_close = True
            event.ignore()
            self.jobs.shutdown()  # the backup below must not race a job still writing

            def finish(*_args):
                QTimer.singleShot(0, self.close)

            def failed(message):
                log.warning("backup on close failed")  # the Backups dialog shows the date of the newest one
                finish()
            self.jobs.run(_("Backing up before closing"), lambda own, progress, cancelled:
                          backup.maybe_auto_backup(own, on_close=True, progress=progress, cancelled=cancelled),
                          vault=self.vault, on_done=finish, on_error=failed, on_cancel=finish, dialog_parent=self)
            return
        self.lock()
        super().closeEvent(event)

    # -- searching -------------------------------------------------------------------------------------
    def _due_ids(self):
        from ..core import calendar

        return calendar.due_contact_ids(self.vault) if self.vault is not None else set()

    def _filters(self):
        return self.list.filters()

    def _run_search(self):
        self.list.run()

    def _on_searched(self, ms: float):
        count = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.status.setText(_("At the counter: {staff} · {count}{more} people · {ms:.0f} ms").format(
            staff=self.context.staff_name if self.context else "", count=count, more=more, ms=ms))

    def focus_search(self, append: str = ""):
        self.list.focus_search(append)

    def focus_results(self):
        self.list.focus_results()

    def show_today(self):
        """Close the person in focus and show the day where the card stands (Esc in the search field, Ctrl+0):
        the search is emptied and the list keeps no current row."""
        if self.vault is None or self.context is None:
            return
        field = self.list.field
        if field.text():
            field.blockSignals(True)
            field.clear()
            field.blockSignals(False)
            self.list.run()
        self.results.selectionModel().clearCurrentIndex()
        self.results.clearSelection()  # no row looks chosen while the day stands where the card is
        self.list._current_id = None
        self.focus.show_nobody()
        if self.focus.today is not None:
            self.focus.today.tree.setFocus()

    def open_current(self):
        """Enter: open the list's current person (the card already shows them) and move to the card."""
        contact_id = self.list.current_id()
        if contact_id is None and self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0, 0))
            contact_id = self.list.current_id()
        if contact_id is not None:
            self.focus.follow(contact_id)
            self.card.setFocus()

    # -- the card --------------------------------------------------------------------------------------
    def open_contact(self, contact_id, focus: bool = True):
        """Show this person: the list's current row moves to them when they are listed; otherwise the card
        shows them and the list has no current row (the card never contradicts the list)."""
        if contact_id is None or self.vault is None:
            return
        if not self.list.make_current(contact_id):
            self.results.selectionModel().clearCurrentIndex()
            self.list._current_id = None
            self.focus.show(contact_id)
        elif self.focus.current_id != contact_id:
            self.focus.show(contact_id)

    def _after_contacts_changed(self):
        keep = self.focus.current_id
        self.list.reload()
        if keep is not None:
            self.open_contact(keep)

    def refresh_card(self):
        self.focus.refresh()

    def refresh_all(self):
        if self.vault is not None:
            self.list.reload()
            self.focus.refresh()

    def note_moment(self):
        self.focus.note_moment()

    def edit_moment(self, moment_id: int):
        self.focus.edit_moment(moment_id)

    def delete_moment(self, moment_id: int):
        self.focus.delete_moment(moment_id)

    def new_contact(self):
        self.focus.new_contact()

    def edit_contact(self):
        self.focus.edit_contact()

    def delete_contact(self):
        self.focus.delete_contact()

    def change_tier(self):
        self.focus.change_tier()

    def add_link(self):
        self.focus.add_link()

    def plan_followup(self):
        self.focus.plan_followup()

    def resolve_case(self, case_id: int):
        self.focus.resolve_case(case_id)

    # -- many at once -----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return self.list.selected_ids()

    def select_all_results(self):
        self.list.select_all()
        self.status.setText(_("The whole result is selected."))

    def bulk_tier(self):
        ids = self.selected_ids()
        if not ids or self.context is None:
            return
        dialog = TierDialog(None, len(ids), self)
        while dialog.exec() == QDialog.Accepted:
            changed = attempt(dialog, _("Tiers not changed"), contacts.bulk_set_tier, self.vault, ids,
                              dialog.tier(), by=self.context.staff_id, reason=dialog.reason.text())
            if changed is FAILED:
                continue
            self.status.setText(ngettext("{n} person moved.", "{n} people moved.", changed).format(n=changed))
            self.refresh_all()
            return

    def bulk_tag(self, add_it: bool):
        ids = self.selected_ids()
        if not ids or self.context is None:
            return
        title = _("Add a tag") if add_it else _("Remove a tag")
        tag, ok = QInputDialog.getText(self, title, _("Tag:"))
        if not ok or not tag.strip():
            return
        question = (ngettext("Add “{tag}” to {n} person?", "Add “{tag}” to {n} people?", len(ids)) if add_it else
                    ngettext("Remove “{tag}” from {n} person?", "Remove “{tag}” from {n} people?", len(ids))).format(
            tag=tag.strip(), n=len(ids))
        if QMessageBox.question(self, title, question) != QMessageBox.Yes:
            return
        changed = attempt(self, _("Tags not changed"), contacts.bulk_tag, self.vault, ids, tag, add_it,
                          by=self.context.staff_id)
        if changed is FAILED:
            return
        self.status.setText(ngettext("{n} person changed.", "{n} people changed.", changed).format(n=changed))
        self.refresh_all()

    def show_about(self):
        from .about import AboutDialog

        AboutDialog(self).exec()
