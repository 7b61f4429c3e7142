"""Start the desktop app: first start (welcome), unlock, counter window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QVBoxLayout)

from .. import APP_NAME, package_data
from ..core import passphrase as passphrase_rule
from ..core.errors import BoutiqueBookError
from ..core.vault import Vault, default_vault_path
from ..i18n import _
from .style import apply_theme, ensure_script_fonts

log = logging.getLogger(__name__)
DEMO_PASSPHRASE = "demo"


def passphrase_strength(text: str) -> str:
    """A short hint, not a gate: length and variety, in words a person understands."""
    classes = sum(bool(any(f(ch) for ch in text)) for f in (str.islower, str.isupper, str.isdigit,
                                                             lambda ch: not ch.isalnum()))
    if len(text) < 8:
        return _("Too short: use at least 8 characters, a short sentence is best.")
    if len(text) >= 16 or (len(text) >= 12 and classes >= 3):
        return _("Strong.")
    return _("Fair: a longer sentence would be stronger.")


class WelcomeDialog(QDialog):
    """First start: create a vault (passphrase twice) or open the demo vault; the path is shown."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to Boutique Book"))
        self.path = Path(path)
        self.vault = None
        intro = QLabel(_("No book here yet. Create the boutique's book, protected by a passphrase, "
                         "or look around in a demo book first."))
        intro.setWordWrap(True)
        intro.setMinimumWidth(480)  # not a minimum on the dialog: that would stop the layout growing it to fit
        self.path_label = QLabel()
        self.path_label.setObjectName("muted")
        self.path_label.setWordWrap(True)
        choose = QPushButton(_("Choose another file…"))
        choose.clicked.connect(self.choose_path)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.Password)
        self.first.setPlaceholderText(_("New passphrase"))
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.Password)
        self.second.setPlaceholderText(_("The same passphrase again"))
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.first.textChanged.connect(lambda text: self.hint.setText(passphrase_strength(text)))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        create = QPushButton(_("Create the book"))
        create.setDefault(True)
        create.clicked.connect(self.create)
        demo = QPushButton(_("Open the demo book (passphrase: demo)"))
        demo.clicked.connect(self.open_demo)
        row = QHBoxLayout()
        row.addWidget(self.path_label, 1)
        row.addWidget(choose)
        buttons = QHBoxLayout()
        buttons.addWidget(demo)
        buttons.addStretch(1)
        buttons.addWidget(create)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.first)
        layout.addWidget(self.second)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._show_path()

    def _show_path(self):
        self.path_label.setText(_("The book will be kept in: {path}").format(path=self.path))

    def choose_path(self):
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Where to keep the book"), str(self.path),
                                                      _("Boutique Book vault (*.vault)"))
        if chosen:
            self.path = Path(chosen)
            self._show_path()

    def create(self):
        if self.first.text() != self.second.text():
            self.error.setText(_("The two passphrases differ."))
            return
        reason = passphrase_rule.problem(self.first.text())  # the same rule as the CLI
        if reason:
            self.error.setText(reason)
            return
        try:
            self.vault = Vault.create(self.path, self.first.text())
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def open_demo(self):
        self.path = self.path.with_name("demo.vault")
        try:
            self.vault = open_or_create_demo(self.path)
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def open_or_create_demo(path: Path, contacts: int = 1000) -> Vault:
    if path.exists():
        return Vault.open(path, DEMO_PASSPHRASE)
    from ..core import demo

    vault = Vault.create(path, DEMO_PASSPHRASE)
    demo.generate(vault, contacts, seed=1)
    from ..printing import boutique

    boutique.complete_demo(vault)           # the demo boutique's logo (its details come with core.demo)
    return vault


def make_application(argv=None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("BoutiqueBook")
    apply_theme(app)  # palette, stylesheet and icons of the design system (ui.style), light or dark
    ensure_script_fonts()  # CJK and Arabic names drawn even where the system has no such font
    app.setWindowIcon(QIcon(str(package_data.icon("boutique-book.svg"))))
    from . import warmup

    warmup.start()  # what the first card needs, loaded while the passphrase is typed (ui.warmup)
    return app


def demo_vault_path() -> Path:
    return default_vault_path().with_name("demo.vault")


def run_app(vault_arg: str | None = None, language: str | None = None, demo: bool = False) -> int:
    """demo=True opens on the demo book (made on first use): it unlocks with "demo" like a real book, then
    asks who is at the counter, so moments are signed by whoever is there; title and banner say "demo"."""
    from .. import applog

    applog.setup_logging()
    app = make_application()
    from .counter_window import CounterWindow, app_settings

    from .settings_view import apply_language

    settings = app_settings()
    # --language on the command line wins over the saved choice; apply_language also loads Qt's own catalogs.
    apply_language(language or str(settings.value("language", "")) or None, app)
    path = Path(vault_arg).expanduser() if vault_arg else Path(str(settings.value("vault_path", "")) or
                                                                  default_vault_path())
    opened = None
    env_pass = os.environ.get("BOUTIQUE_BOOK_PASSPHRASE")
    choose_staff = False
    if demo:
        path = Path(vault_arg).expanduser() if vault_arg else demo_vault_path()
        try:
            open_or_create_demo(path).close()  # made on first use; then unlocked like any book
        except BoutiqueBookError as exc:
            print(f"boutique-book: {exc}", file=sys.stderr)
            return 1
        env_pass = None
    elif not path.exists():
        if vault_arg and env_pass is None:
            QMessageBox.warning(None, APP_NAME, _("There is no vault at {path}.").format(path=path))
            return 1
        if env_pass is None:
            welcome = WelcomeDialog(path)
            if welcome.exec() != QDialog.Accepted:
                return 0
            opened, path = welcome.vault, welcome.path
            choose_staff = True  # a new book or the demo: whoever is at the counter says who they are
    if opened is None and env_pass is not None:
        try:
            from .unlock import open_for_counter

            opened = open_for_counter(path, env_pass) if path.exists() else Vault.create(path, env_pass)
        except BoutiqueBookError as exc:
            print(f"boutique-book: {exc}", file=sys.stderr)
            return 1
    if not demo:
        settings.setValue("vault_path", str(path))  # a demo session never becomes the default book
    window = CounterWindow(path, demo=demo or None)
    if opened is not None:
        window.unlock_with(opened, choose=choose_staff)
    window.show()
    if os.environ.get("BOUTIQUE_BOOK_STARTUP_PROBE") == "1":
        # packaging/startup_time.py: quit as soon as the first screen (unlock, or the book) has been painted,
        # so the time from launch to exit is the start-up time a person waits.
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: (print("startup probe: first screen shown", flush=True), app.quit()))
    return app.exec()
