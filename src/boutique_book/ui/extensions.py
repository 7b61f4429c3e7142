"""Where feature screens (agenda, printing, import, manager, network, backups, settings) join the counter
window. Each is optional: a feature whose module is absent simply has no menu entry. Screens open as
windows owned by the counter window, so locking closes and destroys them with their data."""

from __future__ import annotations

import importlib
import importlib.util
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from ..i18n import _, ngettext
from .jobs import run_vault_job

log = logging.getLogger(__name__)


class _Lazy:
    """A feature module imported on first use: building the window must not pay for networkx, numpy,
    reportlab or vobject (about 1.3 s of CPU) before anyone opens those screens."""

    def __init__(self, dotted: str):
        self._dotted, self._module = dotted, None

    def __getattr__(self, attr):
        if self._module is None:
            self._module = importlib.import_module(self._dotted)
        return getattr(self._module, attr)


def _module(name: str):
    return _module_path(f"boutique_book.ui.{name}")


def _module_path(dotted: str):
    try:
        found = importlib.util.find_spec(dotted)
    except ModuleNotFoundError:
        found = None
    return _Lazy(dotted) if found else None


def _manager_session(window):
    """The manager session of this window, or None. Whether an act needs it is decided by the core service
    (core.manager.require), never here: the screen only reports the refusal."""
    context = window.context
    return context.extra.get("manager_session") if context else None


def _refused(window, exc) -> None:
    QMessageBox.information(window, _("Manager only"), _("Unlock the manager tools first (Manager ▸ Manager "
                                                         "tools…): exports leave the encrypted book."))


def export_contacts(window, exporter):
    from ..core.manager import ManagerError, require

    session = _manager_session(window)
    try:
        require(session, window.context.vault)  # refuse before asking for a file name; the service checks again
    except ManagerError as exc:
        return _refused(window, exc)
    ids, label, _selection = _targets(window)
    path, chosen = QFileDialog.getSaveFileName(window, _("Export contacts"), "contacts.vcf",
                                               _("vCard 4.0 (*.vcf);;vCard 3.0 (*.vcf);;CSV (*.csv)"))
    if not path:
        return
    fmt = "csv" if "csv" in chosen.lower() else "vcard3" if "3.0" in chosen else "vcard4"
    chosen_ids = ids if len(ids) > 1 else None  # a selection, else everyone
    run_vault_job(window.context, window, _("Exporting"), lambda own, progress, cancelled: exporter.export_contacts(
        own, path, fmt, ids=chosen_ids, progress=progress, cancelled=cancelled, session=session),
        on_done=lambda n: window.status.setText(ngettext("{n} contact written to {path}", "{n} contacts written to {path}", n).format(n=n, path=path)))


def export_person(window, person_export):
    """The person the card shows when the manager asks, named in the folder dialog: the list may move while the
    dialog is open (a search typed just before still runs), and the export stays with the person it named."""
    from ..core.manager import ManagerError, require
    from .saving import attempt

    contact_id = window.current_id
    if contact_id is None or window.card.card is None:
        return
    name = window.card.card.contact.display_name
    session = _manager_session(window)
    try:
        require(session, window.context.vault)
    except ManagerError as exc:
        return _refused(window, exc)
    folder = QFileDialog.getExistingDirectory(window, _("Where to write the data of {name}").format(name=name))
    if folder and window.context is not None:  # (an idle lock while the dialog was open closes it unanswered)
        written = attempt(window, _("Not saved"), person_export.export_person, window.context.vault, contact_id,
                          folder, session=session)
        if written:
            _json, pdf = written
            window.status.setText(_("Written: {path}").format(path=pdf))


def _closes_with_keys(view) -> None:
    """Esc and Ctrl+W (the platform's Close key) close a secondary window, as in any desktop app."""
    from PySide6.QtGui import QKeySequence, QShortcut

    keys = [QKeySequence(QKeySequence.Close), QKeySequence("Ctrl+W")]
    if not isinstance(view, QDialog):  # a dialog already closes on Esc
        keys.append(QKeySequence(Qt.Key_Escape))
    seen = set()
    for key in keys:
        if key.isEmpty() or key.toString() in seen:
            continue
        seen.add(key.toString())
        QShortcut(key, view, view.close, context=Qt.WidgetWithChildrenShortcut)


def show_view(window, view, title: str, size=(1100, 720)):
    """Show a feature screen as its own window; dialogs run modally. Esc and Ctrl+W close either."""
    if isinstance(view, QDialog):
        _closes_with_keys(view)
        window.open_views.append(view)
        try:
            view.exec()
        finally:
            if view in window.open_views:
                window.open_views.remove(view)
            view.deleteLater()
        return view
    view.setParent(window, Qt.Window)
    view.setAttribute(Qt.WA_DeleteOnClose)
    _closes_with_keys(view)
    view.setWindowTitle(title)
    view.resize(*size)
    window.open_views.append(view)
    view.destroyed.connect(lambda *_: window.open_views.remove(view) if view in window.open_views else None)
    view.show()
    return view


def _targets(window):
    """Who a print or export is for: the selection when several rows are selected, else the open person."""
    ids = window.selected_ids()
    if len(ids) > 1:
        return ids, ngettext("{n} selected person", "{n} selected people", len(ids)).format(n=len(ids)), True
    if window.current_id is not None:
        return [window.current_id], window.card.card.contact.display_name, False
    return [], "", False


def install_extensions(window, action) -> None:
    """Called once by CounterWindow._build_menus with its `action(menu, text, slot, shortcut)` helper."""
    window.open_views = []
    book, view_menu, manager = window.extension_menu_book, window.view_menu, window.manager_menu

    agenda = _module("agenda_view")
    if agenda:
        action(view_menu, _("Agenda"), lambda: show_view(window, agenda.AgendaView(window.context), _("Agenda")),
               "Ctrl+G")

    seasons = _module("seasons_view")
    if seasons:
        action(view_menu, _("Card seasons…"), lambda: show_view(
            window, seasons.SeasonsView(window.context, current_contact_id=window.current_id), _("Card seasons")),
            "Ctrl+Shift+S")
        action(manager, _("Tier rhythms…"), lambda: show_view(
            window, seasons.RhythmsDialog(window.context, window), _("Tier rhythms")))

    printing = _module("print_view")
    if printing:
        def open_print(mode=None):
            view = printing.PrintView(window.context)
            ids, label, selection = _targets(window)
            if ids:
                view.set_contact_ids(ids, label, selection=selection)
            if mode:
                view.set_mode(mode)
            show_view(window, view, _("Print"))
        action(book, _("Print…"), open_print, "Ctrl+P")
        action(book, _("Print labels for the selection…"), lambda: open_print("labels"), "Ctrl+Shift+L")

    importing = _module("import_view")
    if importing:
        def open_import():
            show_view(window, importing.ImportDialog(window.context, window), _("Import"))
            window.refresh_all()
        action(book, _("Import contacts…"), open_import, "Ctrl+I")

    merging = _module("merge_view")
    if merging:
        def open_merge():
            ids = window.selected_ids()
            if len(ids) == 2:
                show_view(window, merging.MergeDialog(window.context, ids[0], ids[1], window), _("Merge"))
            else:
                show_view(window, merging.DuplicatesDialog(window.context, window), _("Find duplicates"))
            window.refresh_all()
        action(book, _("Find duplicates / merge the two selected…"), open_merge)

    exporter = _module_path("boutique_book.interchange.exporter")
    if exporter:
        action(manager, _("Export contacts (vCard / CSV)…"), lambda: export_contacts(window, exporter))
    person_export = _module_path("boutique_book.interchange.person_export")
    if person_export:
        action(manager, _("Export this person's own data (PDF + JSON)…"),
               lambda: export_person(window, person_export))

    network = _module("network_view")
    if network:
        def open_connectors():
            view = show_view(window, network.ConnectorsView(window.context), _("Connectors and circles"))
            view.compute()
        action(view_menu, _("Connectors and circles…"), open_connectors, "Ctrl+Shift+N")
        action(manager, _("How people first met us…"), lambda: show_view(
            window, network.FirstMetView(window.context), _("How people first met us")))

    settings = _module("settings_view")
    if settings:
        def open_settings():
            dialog = settings.SettingsDialog(window.context, window)
            show_view(window, dialog, _("Settings"))
            if dialog.result() == QDialog.Accepted and dialog.language_changed:
                settings.rebuild_window(window)  # a new window in the new language takes over the open book
            else:
                window.idle_minutes = int(window.settings.value("idle_minutes", 5))
        action(book, _("Settings…"), open_settings, "Ctrl+,")

    manager_view = _module("manager_view")
    if manager_view:
        def open_manager():
            show_view(window, manager_view.ManagerDialog(window.context, window), _("Manager"))
            window.refresh_all()
        action(manager, _("Manager tools (export to HQ, erasure, audit)…"), open_manager, "Ctrl+Shift+M")

    backup = _module("backup_view")
    if backup:
        action(manager, _("Backups…"), lambda: show_view(window, backup.BackupDialog(window.context, window),
                                                         _("Backups")))
