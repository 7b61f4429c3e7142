"""Boutique details (Book ▸ Settings… ▸ Boutique details…): the name, address, phone, e-mail, website, logo
and signing line printed on letters, cards and envelopes. Stored in the vault through
printing.boutique.set_details (checked there, audited); a refused value shows one line under the form and
nothing typed is lost.

`MissingDetailsDialog` is what the print screen shows instead of a PDF with a hole: the line naming the
missing details and a button that opens this dialog.
"""

from __future__ import annotations

import base64

from babel import Locale
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from .. import i18n
from ..core.errors import BoutiqueBookError
from ..i18n import _
from ..printing import boutique


def _countries(language: str) -> list[tuple[str, str]]:
    try:
        names = Locale.parse(language).territories
    except (ValueError, LookupError):
        names = Locale.parse("en").territories
    return sorted(((name, code) for code, name in names.items() if len(code) == 2 and code.isalpha()
                   and code not in ("ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK")), key=lambda p: p[0].casefold())


class BoutiqueDialog(QDialog):
    """BoutiqueDialog(vault, actor="staff", parent=None): edit and save the boutique's details."""

    TEXT_FIELDS = ("name", "postal_code", "city", "region", "phone", "email", "website", "signing_line")

    def __init__(self, vault, actor: str = "staff", parent=None):
        super().__init__(parent)
        self.vault = vault
        self.actor = actor or "staff"
        self.setObjectName("boutiqueDialog")
        self.setWindowTitle(_("Boutique details"))
        self.setMinimumWidth(480)
        details = boutique.get(vault)
        self.edits: dict[str, QLineEdit] = {}
        for key in self.TEXT_FIELDS:
            edit = QLineEdit(details.get(key, ""))
            edit.setObjectName(f"boutique_{key}")
            self.edits[key] = edit
        self.edits["signing_line"].setPlaceholderText(_("e.g. Maison Laurent · Paris (default: the name)"))
        self.edits["website"].setPlaceholderText(_("website (www.example.com)"))
        self.street = QPlainTextEdit(details.get("street", ""))
        self.street.setObjectName("boutique_street")
        self.street.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 34)   # three lines inside its padding
        # a street line as long as "24 rue du Faubourg Saint-Honoré" stays one line beside longer labels
        self.street.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 44)
        self.country = QComboBox()
        self.country.setObjectName("boutique_country")
        self.country.addItem("—", "")
        for name, code in _countries(i18n.current_language()):
            self.country.addItem(name, code)
        self.country.setCurrentIndex(max(0, self.country.findData(details.get("country_code", ""))))
        self.language = QComboBox()
        self.language.addItem(_("Interface language"), "")
        for code in dict.fromkeys(list(i18n.LANGUAGES) + ["ar"]):
            name = Locale.parse(code).get_display_name(code) or code
            self.language.addItem(name[:1].upper() + name[1:], code)
        self.language.setCurrentIndex(max(0, self.language.findData(details.get("language", ""))))
        self._logo = details.get("logo_png", "")
        self.logo_preview = QLabel()
        self.logo_preview.setMinimumSize(150, 48)
        choose = QPushButton(_("Choose a picture…"))
        self.remove_logo = QPushButton(_("Remove"))
        logo_buttons = QWidget()         # on their own row under the picture: beside it they covered its end
        row = QHBoxLayout(logo_buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(choose)
        row.addWidget(self.remove_logo)
        row.addStretch(1)
        choose.clicked.connect(self._choose_logo)
        self.remove_logo.clicked.connect(lambda: self._set_logo(""))
        self._show_logo()

        form = QFormLayout()
        form.addRow(_("Name"), self.edits["name"])
        form.addRow(_("Street"), self.street)
        form.addRow(_("Postcode"), self.edits["postal_code"])
        form.addRow(_("City"), self.edits["city"])
        form.addRow(_("Region"), self.edits["region"])
        form.addRow(_("Country"), self.country)
        form.addRow(_("Phone"), self.edits["phone"])
        form.addRow(_("E-mail"), self.edits["email"])
        form.addRow(_("Website"), self.edits["website"])
        form.addRow(_("Signing line"), self.edits["signing_line"])
        form.addRow(_("Language of the letterhead"), self.language)
        form.addRow(_("Logo"), self.logo_preview)
        form.addRow("", logo_buttons)
        note = QLabel(_("Printed on letters, cards and envelopes. A letter that needs a detail left empty "
                        "here is not printed."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("boutiqueError")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    # -- logo ------------------------------------------------------------------------------------------
    def showEvent(self, event):  # noqa: N802
        # sized before the design system's stylesheet (padding) was applied to the fields: grow to fit them,
        # or the street box ran into the postcode and the picture into its buttons
        super().showEvent(event)
        self.resize(self.size().expandedTo(self.minimumSizeHint()).expandedTo(self.sizeHint()))

    def _show_logo(self) -> None:
        self.remove_logo.setEnabled(bool(self._logo))
        if not self._logo:
            self.logo_preview.setText(_("No logo"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(base64.b64decode(self._logo))
        self.logo_preview.setPixmap(pixmap.scaled(150, 44, Qt.KeepAspectRatio, Qt.SmoothTransformation))

    def _set_logo(self, value: str) -> None:
        self._logo = value
        self._show_logo()

    def _choose_logo(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Logo"), "", _("Pictures (*.png *.jpg *.jpeg)"))
        if not path:
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            self._set_logo(boutique.clean({"logo_png": data})["logo_png"])
            self.error.clear()
        except OSError as exc:
            self.error.setText(_("The system refused: {reason}").format(reason=exc.strerror or exc))
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))

    # -- save ------------------------------------------------------------------------------------------
    def values(self) -> dict:
        out = {key: edit.text() for key, edit in self.edits.items()}
        out["street"] = self.street.toPlainText()
        out["country_code"] = self.country.currentData() or ""
        out["language"] = self.language.currentData() or ""
        out["logo_png"] = self._logo
        return out

    def save(self) -> bool:
        try:
            boutique.set_details(self.vault, self.values(), actor=self.actor)
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True

    def clear_personal_data(self):
        """The boutique's own details are not personal data."""


class MissingDetailsDialog(QMessageBox):
    """Printing refused: one line naming what is missing and, when boutique details are missing, a button
    that opens the boutique details. `opened` tells whether the details dialog was saved."""

    def __init__(self, error: boutique.MissingDetails, vault, actor: str = "staff", parent=None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Warning)
        self.setWindowTitle(_("Print"))
        self.setText(error.window_text())
        self.vault, self.actor = vault, actor
        self.saved = False
        self.open_button = None
        if error.fields:
            self.open_button = self.addButton(_("Boutique details…"), QMessageBox.AcceptRole)
        self.addButton(QMessageBox.Cancel if error.fields else QMessageBox.Ok)

    def open_details(self) -> bool:
        dialog = BoutiqueDialog(self.vault, self.actor, self.parent())
        self.details_dialog = dialog
        self.saved = dialog.exec() == QDialog.Accepted
        return self.saved

    def run(self) -> bool:
        """Show the message; open the details when asked. True when new details were saved."""
        self.exec()
        if self.open_button is not None and self.clickedButton() is self.open_button:
            return self.open_details()
        return False
