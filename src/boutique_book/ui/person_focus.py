"""The person in focus: the one person the card shows and every card action acts on.

`PersonFocus` owns the current person's id, the card, the moment editor, the card's buttons and the "Who knows
whom" tab. The list tells it who is current (`follow`); it never guesses. Every action (moment, edit, tier,
follow-up, link, delete, print this person) reads `current_id`, names that person in its dialog's title, and
saves through the one save path (ui.saving): a failed save shows one dialog and keeps the draft.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from ..core import card as card_lib
from ..core import contacts, moments
from ..core.errors import BoutiqueBookError
from ..i18n import _, current_language, ngettext
from .qtcompat import emit
from .style import room_for_placeholder
from .card_view import LINKS_SHOWN, CardView
from .common_ground_view import CommonGroundStrip
from .labels import TIERS, tier_label
from .moment_editor import MomentEditor
from .saving import FAILED, attempt

log = logging.getLogger(__name__)


class PersonFocus(QObject):
    changed = Signal(object)       # the id now in focus, or None
    contactsChanged = Signal()     # a save changed who is listed (new, deleted, tier...): reload the list

    def __init__(self, parent_widget):
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.context = None
        self.current_id: int | None = None
        self.card = CardView()
        self.card.load_all = lambda contact_id: card_lib.load(self.vault, contact_id, language=current_language())
        self.editor = MomentEditor(None)
        self.editor.saved.connect(lambda _id: self.refresh())
        self.contactsChanged.connect(lambda: self.today.mark_stale() if self.today is not None else None)
        self.card.editMoment.connect(self.edit_moment)
        self.card.deleteMoment.connect(self.delete_moment)
        self.card.resolveCase.connect(self.resolve_case)
        self.buttons: list[QPushButton] = []
        self.button_row = QHBoxLayout()
        for text, slot in ((_("Note a moment  Ctrl+M"), self.note_moment), (_("Edit  Ctrl+E"), self.edit_contact),
                           (_("Change tier  Ctrl+T"), self.change_tier),
                           (_("Follow-up  Ctrl+U"), self.plan_followup)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(False)
            self.button_row.addWidget(button)
            self.buttons.append(button)
        self.button_row.addStretch(1)
        self.tabs = QTabWidget()
        # Where the card stands: the card, or (nobody open) the day at a glance, built the first time it shows.
        self.card_stack = QStackedWidget()
        self.card_stack.addWidget(self.card)
        self.today = None
        # An owned timer, not QTimer.singleShot(0, callable): it dies with the window, so no timer event ever
        # reaches a window that was closed before the day was read.
        self._today_timer = QTimer(self, singleShot=True, interval=0, timeout=self._fill_today)
        self.tabs.addTab(self.card_stack, _("Card"))
        self.network_host = QWidget()
        QVBoxLayout(self.network_host).setContentsMargins(0, 0, 0, 0)
        self.network_view = None
        self.tabs.addTab(self.network_host, _("Who knows whom"))
        self.tabs.currentChanged.connect(lambda _index: self._show_network())
        self.pane = QWidget()
        layout = QVBoxLayout(self.pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.button_row)
        self.common_ground = CommonGroundStrip()
        layout.addWidget(self.common_ground)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.editor)

    # -- the session -----------------------------------------------------------------------------------
    def open(self, context) -> None:
        self.context = context
        self.editor.context = context

    def clear(self) -> None:
        """Lock: drop the person, the card, the draft and the network drawing."""
        if self.network_view is not None:
            self.network_view.clear_personal_data()
            self.network_view.setParent(None)
            self.network_view.deleteLater()
            self.network_view = None
        self.tabs.setCurrentIndex(0)
        self._today_timer.stop()
        if self.today is not None:
            self.today.clear_personal_data()
        self.card_stack.setCurrentWidget(self.card)
        self.common_ground.clear_personal_data()
        self.card.clear_personal_data()
        self.editor.clear_personal_data()
        self.editor.hide()
        self.context = None
        self._set(None)

    @property
    def vault(self):
        return self.context.vault if self.context is not None else None

    @property
    def name(self) -> str:
        return self.card.card.contact.display_name if self.card.card is not None else ""

    def _set(self, contact_id) -> None:
        self.current_id = contact_id
        for button in self.buttons:
            button.setEnabled(contact_id is not None)
        emit(self.changed, contact_id)

    # -- who is shown ----------------------------------------------------------------------------------
    def follow(self, contact_id) -> None:
        """The list's current person changed: show them, or nothing with a hint."""
        if contact_id is None:
            self.show_nobody()
        elif contact_id != self.current_id or self.card.card is None:
            self.show(contact_id)

    def show(self, contact_id) -> bool:
        if contact_id is None or self.vault is None:
            return False
        try:
            card = card_lib.load(self.vault, contact_id, language=current_language(), links_limit=LINKS_SHOWN)
        except BoutiqueBookError as exc:
            log.info("card not shown: %s", type(exc).__name__)
            self.show_nobody()
            return False
        self.card.show_card(card, contacts.home_region(self.vault))
        self.card_stack.setCurrentWidget(self.card)
        self._show_common_ground(contact_id)
        self._set(contact_id)
        self._show_network()
        self._note_editor_person()
        return True

    def _show_common_ground(self, contact_id) -> None:
        try:
            self.common_ground.show_for(self.vault, contact_id, self.context.staff_id)
        except BoutiqueBookError as exc:  # a hint line must never keep the card from showing
            log.info("common ground not shown: %s", type(exc).__name__)
            self.common_ground.clear_personal_data()

    def show_nobody(self, hint: str | None = None) -> None:
        """Nobody open: the day at a glance (or the card's hint, when there is one to give)."""
        self.common_ground.clear_personal_data()
        self.card.show_placeholder(hint)
        if hint is None and self.context is not None:
            self.show_today()
        else:
            self.card_stack.setCurrentWidget(self.card)
        self._set(None)
        self._note_editor_person()

    def show_today(self) -> None:
        """Put the today view where the card stands; its rows are read after this event (the window paints
        first), so neither unlock nor a search waits for them."""
        if self.today is None:
            from .today_view import TodayView

            self.today = TodayView()
            self.today.openContact.connect(self.open_from_today)
            self.today.openScreen.connect(self._open_screen)
            self.card_stack.addWidget(self.today)
        self.card_stack.setCurrentWidget(self.today)
        self._today_timer.start()

    def _fill_today(self) -> None:
        if self.today is None or self.context is None or self.current_id is not None:
            return
        try:
            self.today.show_for(self.vault, self.context.staff_id)
        except BoutiqueBookError as exc:  # a summary must never keep the counter from working
            log.info("today view not shown: %s", type(exc).__name__)

    def open_from_today(self, contact_id: int) -> None:
        """A row of the today view: open the person the way the rest of the window does (list and card follow)."""
        if self.context is not None:
            self.context.open_contact(contact_id)
            self.card.setFocus()

    def _open_screen(self, name: str) -> None:
        from . import extensions

        window = self.parent_widget
        if name == "agenda":
            from .agenda_view import AgendaView

            extensions.show_view(window, AgendaView(self.context), _("Agenda"))
        elif name == "seasons":
            from .seasons_view import SeasonsView

            extensions.show_view(window, SeasonsView(self.context), _("Card seasons"))

    def _note_editor_person(self) -> None:
        """An open editor keeps its own person; it says so when the card now shows someone else."""
        if self.editor.isVisible() and self.editor.contact_id is not None:
            self.editor.set_elsewhere(self.editor.contact_id != self.current_id)

    def refresh(self) -> None:
        if self.today is not None:
            self.today.mark_stale()  # something was saved: the day's lists are read again when next shown
        if self.current_id is not None and self.vault is not None:
            scroll = self.card.verticalScrollBar().value()
            self.show(self.current_id)
            self.card.verticalScrollBar().setValue(scroll)

    def _show_network(self) -> None:
        """Draw the person's neighbourhood only when its tab is in front (drawing costs more than the card)."""
        if self.tabs.currentWidget() is not self.network_host or self.current_id is None or self.context is None:
            return
        if self.network_view is None:
            try:
                from .network_view import NeighbourhoodView
            except ModuleNotFoundError:
                return
            self.network_view = NeighbourhoodView(self.context)
            self.network_host.layout().addWidget(self.network_view)
        self.network_view.set_contact(self.current_id)

    # -- card actions: each acts on current_id and names that person -------------------------------------
    def _ready(self) -> bool:
        return self.current_id is not None and self.context is not None and self.card.card is not None

    def note_moment(self) -> None:
        if self._ready():
            self.editor.start_new(self.current_id, self.name)

    def edit_moment(self, moment_id: int) -> None:
        if self.context is not None:
            self.editor.start_edit(moment_id)

    def delete_moment(self, moment_id: int) -> None:
        if self.context is None:
            return
        if QMessageBox.question(self.parent_widget, _("Delete a moment of {name}").format(name=self.name),
                                _("Delete this moment? The change log keeps that you did.")) != QMessageBox.Yes:
            return
        if attempt(self.parent_widget, _("Moment not deleted"), moments.delete, self.vault, moment_id,
                   by=self.context.staff_id) is not FAILED:
            self.refresh()

    def new_contact(self) -> None:
        if self.context is None:
            return
        from .contact_form import ContactForm

        form = ContactForm(self.context, parent=self.parent_widget)
        if form.exec() == QDialog.Accepted and form.contact.id is not None:
            emit(self.contactsChanged)
            self.show(form.contact.id)

    def edit_contact(self) -> None:
        if not self._ready():
            return
        from .contact_form import ContactForm

        form = ContactForm(self.context, contacts.get(self.vault, self.current_id), parent=self.parent_widget)
        if form.exec() == QDialog.Accepted:
            emit(self.contactsChanged)
            self.refresh()

    def delete_contact(self) -> None:
        if not self._ready():
            return
        contact_id, name = self.current_id, self.name
        if QMessageBox.question(self.parent_widget, _("Delete {name}").format(name=name),
                                _("Delete {name} with all their moments and links?").format(name=name)) \
                != QMessageBox.Yes:
            return
        if attempt(self.parent_widget, _("Not deleted"), contacts.delete, self.vault, contact_id,
                   by=self.context.staff_id) is FAILED:
            return
        self.show_nobody()
        emit(self.contactsChanged)

    def change_tier(self) -> None:
        if not self._ready():
            return
        contact_id = self.current_id
        dialog = TierDialog(self.card.card.contact.tier, 1, self.parent_widget, name=self.name)
        while dialog.exec() == QDialog.Accepted:
            if attempt(dialog, _("Tier not changed"), contacts.set_tier, self.vault, contact_id, dialog.tier(),
                       by=self.context.staff_id, reason=dialog.reason.text()) is not FAILED:
                emit(self.contactsChanged)
                self.refresh()
                return
            # not saved: the same dialog again, with the tier and the reason as they were typed

    def add_link(self) -> None:
        if not self._ready():
            return
        from .link_dialog import LinkDialog

        if LinkDialog(self.context, self.current_id, self.name, self.parent_widget).exec():
            self.refresh()

    def plan_followup(self) -> None:
        if not self._ready():
            return
        from .followup_dialog import FollowupDialog

        if FollowupDialog(self.context, self.current_id, self.name, self.parent_widget).exec():
            self.refresh()

    def edit_interests(self) -> None:
        if not self._ready():
            return
        from .common_ground_view import InterestsDialog

        if InterestsDialog(self.context, self.current_id, self.name, self.parent_widget).exec():
            self.refresh()

    def edit_my_profile(self) -> None:
        if self.context is None or self.context.staff_id is None:
            return
        from .common_ground_view import StaffProfileDialog

        if StaffProfileDialog(self.context, self.parent_widget).exec() and self.current_id is not None:
            self.refresh()

    def resolve_case(self, case_id: int) -> None:
        from .followup_dialog import ResolveCaseDialog

        case = next((c for c in self.card.card.open_cases if c["id"] == case_id), None) if self.card.card else None
        if case is not None and ResolveCaseDialog(self.context, case, self.parent_widget).exec():
            self.refresh()


class TierDialog(QDialog):
    def __init__(self, current: str | None, count: int, parent=None, name: str = ""):
        super().__init__(parent)
        self.setWindowTitle(_("Change the tier of {name}").format(name=name) if name and count == 1
                            else _("Change tier"))
        self.combo = QComboBox()
        for code in TIERS:
            self.combo.addItem(tier_label(code), code)
        if current:
            self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why (optional): e.g. third coffee together"))
        room_for_placeholder(self.reason)
        if count > 1:
            text = ngettext("Move {n} person to:", "Move {n} people to:", count).format(n=count)
        elif name:
            text = _("Move {name} to:").format(name=name)
        else:
            text = _("Move to:")
        question = QLabel(text)
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
