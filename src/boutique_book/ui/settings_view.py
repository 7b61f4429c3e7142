"""Settings: interface language and idle-lock minutes, remembered in QSettings("BoutiqueBook", "BoutiqueBook").

Keys: `language` ("" = the system's language, else en/fr/de/it/es/ja) and `idle_minutes` (int) — the keys
ui/app.py and ui/counter_window.py read at start.

A new language applies to every window built afterwards (`_` looks the catalog up at call time), so the
main window is rebuilt after the dialog: `rebuild_window(window)` moves the open vault, the person at the
counter, the open card, the search text and an unsaved moment draft into a new CounterWindow. Nothing is
written to the vault and nobody has to unlock again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel import Locale
from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout)

from .. import i18n
from ..i18n import _

DEFAULT_IDLE_MINUTES = 5


def settings() -> QSettings:
    return QSettings("BoutiqueBook", "BoutiqueBook")


def language_name(code: str) -> str:
    """A language in its own words ("Deutsch", "日本語"): staff find their language whatever is shown now."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


# -- Qt's own dialogs and widgets in the same language -------------------------------------------------------
def qt_translation_dirs() -> list[Path]:
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath))]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs += [Path(frozen) / "PySide6" / "Qt" / "translations", Path(frozen) / "PySide6" / "translations"]
    try:
        import PySide6

        dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except ImportError:  # pragma: no cover
        pass
    return [d for d in dirs if d.is_dir()]


def install_qt_translator(app: QApplication, language: str) -> bool:
    """Load qtbase_<language>.qm (file, print, colour dialogs; standard buttons). True when one was found.

    PySide6 ships qtbase_{de,es,fr,it,ja}.qm (and qt_*.qm) in Qt/translations; English needs none.
    """
    for old in getattr(app, "_bb_qt_translators", []):
        app.removeTranslator(old)
    app._bb_qt_translators = []
    if language == "en":
        return True
    for folder in qt_translation_dirs():
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", str(folder)):
            app.installTranslator(translator)
            app._bb_qt_translators.append(translator)
            return True
    return False


def apply_language(language: str | None, app: QApplication | None = None) -> str:
    """Set the interface language everywhere: gettext catalog, QLocale (dates in Qt widgets, first day of
    the week in calendars), Qt's translations. Returns the language actually applied."""
    applied = i18n.set_language(language or None)
    QLocale.setDefault(QLocale(applied))
    app = app or QApplication.instance()
    if app is not None:
        install_qt_translator(app, applied)
    return applied


# -- the dialog ----------------------------------------------------------------------------------------------
class SettingsDialog(QDialog):
    """SettingsDialog(context, parent=None). After exec() == Accepted, `language_changed` tells the caller to
    rebuild the main window (see rebuild_window)."""

    def __init__(self, context=None, parent=None):
        super().__init__(parent)
        self.context = context
        self.store = settings()
        self.language_changed = False
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(420)
        self.language = QComboBox()
        self.language.addItem(_("System language ({language})").format(
            language=language_name(i18n.system_language())), "")
        for code in i18n.LANGUAGES:
            self.language.addItem(language_name(code), code)
        stored = str(self.store.value("language", "") or "")
        self.language.setCurrentIndex(max(0, self.language.findData(stored)))
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" " + _("min"))
        self.idle.setValue(int(self.store.value("idle_minutes", DEFAULT_IDLE_MINUTES)))
        note = QLabel(_("The book locks itself when nobody has touched the computer for this long."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language"), self.language)
        form.addRow(_("Lock after"), self.idle)
        self.boutique_button = QPushButton(_("Boutique details…"))
        self.boutique_button.setToolTip(_("Name, address, logo and signing line printed on letters and envelopes"))
        self.boutique_button.setEnabled(getattr(context, "vault", None) is not None)
        self.boutique_button.clicked.connect(self.open_boutique_details)
        form.addRow(_("Boutique"), self.boutique_button)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def open_boutique_details(self):
        """The boutique's details (stored in the open vault), in their own dialog."""
        from .boutique_dialog import BoutiqueDialog

        self.boutique_dialog = BoutiqueDialog(self.context.vault, getattr(self.context, "staff_name", "") or "staff",
                                              self)
        return self.boutique_dialog.exec()

    def accept(self):
        before = str(self.store.value("language", "") or "")
        chosen = self.language.currentData() or ""
        self.store.setValue("language", chosen)
        self.store.setValue("idle_minutes", self.idle.value())
        self.store.sync()
        self.language_changed = chosen != before
        super().accept()

    def clear_personal_data(self):
        """Nothing personal is shown here."""


def rebuild_window(window, language: str | None = None):
    """Build a new CounterWindow in `language` (default: the stored setting) and hand it the session of
    `window` — the open vault, the person at the counter, the open card, the search text and an unsaved
    moment draft — then close the old window without locking the vault. Returns the new window."""
    from .counter_window import CounterWindow

    store = settings()
    apply_language(language if language is not None else str(store.value("language", "") or "") or None)
    vault, context = window.vault, window.context
    staff_name = context.staff_name if context else None
    current_id, query = window.current_id, window.search.text()
    editor = window.editor
    draft = None
    if not editor.isHidden() and (editor.text.toPlainText() or editor.item.text()):
        draft = (editor.contact_id, editor.moment_id, editor.text.toPlainText(), editor.item.text(),
                 editor.kind.currentData(), editor.date.date())
    window._save_layout()
    window.vault = None  # detach: closing the old window must not close (lock) the vault we hand over
    held = getattr(window, "instance_lock", None)
    if held is not None:  # the single-writer lock passes to the new window (same process)
        held.release()
        window.instance_lock = None
    window.context = None
    new = CounterWindow(window.vault_path)
    new.idle_minutes = int(store.value("idle_minutes", DEFAULT_IDLE_MINUTES))
    new.setGeometry(window.geometry())
    app = QApplication.instance()
    app._bb_main_window = new  # keep a reference (run_app's local variable still points at the old one)
    if vault is not None:
        new.unlock_with(vault, staff_name)
        if query:
            new.search.setText(query)
            new._run_search()
        if current_id is not None:
            new.open_contact(current_id)
        if draft is not None:
            contact_id, moment_id, text, item, kind, date = draft
            if moment_id is None:
                new.editor.start_new(contact_id, new.card.card.contact.display_name if new.card.card else "")
            else:
                new.editor.start_edit(moment_id)
            new.editor.text.setPlainText(text)
            new.editor.item.setText(item)
            new.editor.kind.setCurrentIndex(max(0, new.editor.kind.findData(kind)))
            new.editor.date.setDate(date)
    new.show()
    for name in ("on_close_hook",):
        if hasattr(window, name):
            setattr(new, name, getattr(window, name))
            setattr(window, name, None)
    window.close()
    window.deleteLater()
    return new
