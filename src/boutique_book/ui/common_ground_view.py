"""Common ground on the card: one line of what the staff member at the counter shares with the person, the
person's interests (with suggestions to confirm), and the staff member's own profile.

All rules live in core.interests / core.common_ground; these widgets only show and ask.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QStringListModel
from PySide6.QtWidgets import (QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QVBoxLayout)

from ..core import common_ground, interest_suggestions, interests
from ..core.errors import BoutiqueBookError
from ..i18n import _, current_language
from .labels import language_code, language_name, language_names
from .style import room_for_placeholder
from .formatting import date_text
from .saving import FAILED, attempt


class CommonGroundStrip(QLabel):
    """One line above the card; elided to the pane's width, the whole line in the tooltip. Hidden when empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("commonGround")
        self.setTextFormat(Qt.PlainText)
        self.setWordWrap(False)
        self.setMinimumWidth(1)
        self._full = ""
        self.hide()

    def show_for(self, vault, contact_id: int | None, staff_id: int | None) -> None:
        if vault is None or contact_id is None:
            self.clear_personal_data()
            return
        ground = common_ground.compute(vault, contact_id, staff_id, current_language())
        self._full = "" if ground.empty else common_ground.summary(ground, current_language(), date_text)
        self.setToolTip(self._full)
        self._elide()
        self.setVisible(bool(self._full))

    def full_text(self) -> str:
        return self._full

    def clear_personal_data(self) -> None:
        self._full = ""
        self.setText("")
        self.setToolTip("")
        self.hide()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(40, self.width() - 4)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.ElideRight, width))


def _split(text: str) -> list[str]:
    """Terms typed with commas, semicolons or the Japanese comma."""
    for mark in (";", "、", "，"):
        text = text.replace(mark, ",")
    return [t.strip() for t in text.split(",") if t.strip()]


def _vocabulary_terms(vault) -> list[str]:
    terms = []
    for _interest, names in interests.vocabulary(vault, current_language()):
        terms.extend(names)
    return sorted(set(terms), key=str.casefold)


def _comma_completer(parent, vault) -> QCompleter:
    completer = QCompleter(QStringListModel(_vocabulary_terms(vault)), parent)
    completer.setCaseSensitivity(Qt.CaseInsensitive)
    completer.setFilterMode(Qt.MatchStartsWith)
    return completer


class InterestsDialog(QDialog):
    """A person's interests: untick to remove, tick a suggestion to confirm it, type more from the vocabulary."""

    def __init__(self, context, contact_id: int, name: str, parent=None):
        super().__init__(parent)
        self.context, self.contact_id = context, contact_id
        self.setWindowTitle(_("Interests of {name}").format(name=name))
        vault = context.vault
        language = current_language()
        self.held = QListWidget()
        for interest in interests.for_contact(vault, contact_id, language):
            item = QListWidgetItem(interest.label)
            item.setData(Qt.UserRole, interest.id)
            item.setCheckState(Qt.Checked)
            self.held.addItem(item)
        self.suggested = QListWidget()
        for suggestion in interest_suggestions.suggest(vault, contact_id, language):
            item = QListWidgetItem(suggestion.label)
            item.setData(Qt.UserRole, suggestion.interest_id)
            item.setToolTip(_("From “{quote}”").format(quote=suggestion.evidence))
            item.setCheckState(Qt.Unchecked)
            self.suggested.addItem(item)
        self.more = QLineEdit()
        self.more.setPlaceholderText(_("More, separated by commas (e.g. sailing, opera)"))
        room_for_placeholder(self.more)
        self.more.setCompleter(_comma_completer(self, vault))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Their interests (untick to remove):")))
        layout.addWidget(self.held)
        hint = QLabel(_("Found in what they told us: tick what they really care about. Unticked suggestions are "
                        "not offered again.") if self.suggested.count() else
                      _("Nothing they told us names another interest."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        if self.suggested.count():
            layout.addWidget(self.suggested)
        layout.addWidget(self.more)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.more.setFocus()

    def _items(self, widget: QListWidget, state) -> list[int]:
        return [widget.item(i).data(Qt.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == state]

    def save(self) -> None:
        vault, by = self.context.vault, self.context.staff_id
        typed = _split(self.more.text())
        removed = self._items(self.held, Qt.Unchecked)
        confirmed = self._items(self.suggested, Qt.Checked)
        dismissed = self._items(self.suggested, Qt.Unchecked)

        def write():
            interests.update_contact(vault, self.contact_id, add=typed, add_ids=confirmed, remove_ids=removed,
                                     dismiss_ids=dismissed, by=by)

        try:
            if attempt(self, _("Interests not saved"), write) is FAILED:
                return
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class StaffProfileDialog(QDialog):
    """The staff member at the counter edits their own end: interests, languages, a few things to share."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        vault = context.vault
        profile = interests.staff_profile(vault, context.staff_id, current_language())
        self.setWindowTitle(_("My profile: {name}").format(name=profile.name))
        self.interests = QLineEdit(", ".join(i.label for i in profile.interests))
        self.interests.setPlaceholderText(_("e.g. sailing, choir, opera"))
        self.interests.setCompleter(_comma_completer(self, vault))
        # languages by their names in the interface language ("French, English"), stored as codes
        self.languages = QLineEdit(", ".join(language_name(code) for code in profile.languages))
        self.languages.setPlaceholderText(_("e.g. French, English, Japanese"))
        names = QCompleter(QStringListModel(sorted(language_names().values(), key=str.casefold)), self)
        names.setCaseSensitivity(Qt.CaseInsensitive)
        self.languages.setCompleter(names)
        self.shares = QPlainTextEdit(profile.shares)
        self.shares.setPlaceholderText(_("A hobby, a favourite place: something you are happy to tell customers."))
        self.shares.setFixedHeight(70)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Interests"), self.interests)
        form.addRow(_("Languages"), self.languages)
        form.addRow(_("Happy to share"), self.shares)
        note = QLabel(_("Only you and the manager can change this. It stays in the boutique: never sent to HQ."))
        note.setWordWrap(True)
        note.setObjectName("muted")
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        codes = [language_code(name) for name in _split(self.languages.text())]
        unknown = [name for name, code in zip(_split(self.languages.text()), codes) if code is None]
        if unknown:
            self.error.setText(_("Not a language we know: {names}").format(names=", ".join(unknown)))
            return
        try:
            if attempt(self, _("Profile not saved"), interests.set_staff_profile, self.context.vault,
                       self.context.staff_id, interests=_split(self.interests.text()),
                       languages=list(dict.fromkeys(codes)), shares=self.shares.toPlainText(),
                       acting_staff_id=self.context.staff_id) is FAILED:
                return
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def owner_hint(vault, contact_id: int) -> tuple[int, str] | None:
    """(staff id, reason) of the colleague best placed to reach out, for the follow-up dialog."""
    suggestion = common_ground.suggest_owner(vault, contact_id, current_language())
    if suggestion is None:
        return None
    return suggestion.staff_id, suggestion.reason
