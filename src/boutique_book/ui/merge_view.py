"""Merge two people side by side (pick per field), and the list of likely duplicates that leads there."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from ..core import contacts
from ..core.errors import BoutiqueBookError
from ..i18n import N_, _, ngettext
from ..interchange import duplicates, merge
from .formatting import partial_date_text
from .labels import (channel_label, country_name, date_kind_label, email_label, first_met_label, formality_label,
                     kind_label, language_name, phone_label, tier_label)
from .jobs import run_vault_job

FIELDS = [
    ("given_name", N_("Given name")), ("family_name", N_("Family name")), ("organisation", N_("Organisation")),
    ("title", N_("Title")), ("salutation", N_("Salutation")), ("transliteration", N_("Transliteration")),
    ("tier", N_("Tier")), ("kind", N_("Kind")), ("formality", N_("Formality")), ("language", N_("Language")),
    ("country", N_("Country")), ("preferred_channel", N_("Preferred channel")), ("first_met_source", N_("First met")),
    ("first_met_note", N_("How we met")), ("photo", N_("Photo")),
]


def _shown(name: str, value) -> str:
    if name == "tier":
        return tier_label(value)
    if name == "kind":
        return kind_label(value)
    if name == "preferred_channel":
        return channel_label(value)
    if name == "first_met_source":
        return first_met_label(value)
    if name == "formality":
        return formality_label(value)
    if name == "language" and value:
        return language_name(value)
    if name == "country" and value:
        return country_name(value)
    return str(value) if value not in (None, "") else "—"


def _list_text(c) -> dict[str, str]:
    return {
        _("Phones"): "\n".join(f"{p.raw}" + (f"  ({phone_label(p.label)})" if p.label else "") for p in c.phones),
        _("Emails"): "\n".join(f"{e.address}" + (f"  ({email_label(e.label)})" if e.label else "") for e in c.emails),
        _("Addresses"): "\n".join(", ".join(x for x in (a.street.replace("\n", ", "), a.postal_code, a.city,
                                                          country_name(a.country_code)) if x) for a in c.addresses),
        _("Dates"): "\n".join(f"{d.label or date_kind_label(d.kind)} {partial_date_text(d.date)}" for d in c.dates),
        _("Tags"): ", ".join(c.tags),
    }


class MergeDialog(QDialog):
    """Side by side: for each field that differs, pick the value to keep. Lists are united; all moments,
    follow-ups, links, consents and history of both are kept. The left contact keeps its number."""

    def __init__(self, context, id_a: int, id_b: int, parent=None):
        super().__init__(parent)
        self.context = context
        self.ids = [id_a, id_b]
        self.setWindowTitle(_("Merge two contacts"))
        self.resize(900, 760)
        self.groups: dict[str, QButtonGroup] = {}
        self.body = QVBoxLayout()
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        swap = QPushButton(_("Swap sides"))
        swap.clicked.connect(self.swap)
        self.merge_button = QPushButton(_("Merge"))
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.do_merge)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(swap)
        buttons.addWidget(self.error, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.merge_button)
        holder = QWidget()
        holder.setLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(holder)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._build()

    def _build(self):
        while self.body.count():
            item = self.body.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.groups.clear()
        vault = self.context.vault
        a, b = (contacts.get(vault, i) for i in self.ids)
        self.contacts = (a, b)
        title = QLabel(_("Which values should the merged card keep?"))
        title.setObjectName("brand")
        self.body.addWidget(title)
        hint = QLabel(_("Where both cards differ, choose a side. Phones, emails, addresses, dates and tags of both "
                        "are kept. Card #{a} stays; card #{b} is removed after everything attached to it has "
                        "moved over.").format(a=a.id, b=b.id))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        self.body.addWidget(hint)
        panel = QFrame()
        panel.setObjectName("panel")
        grid = QGridLayout(panel)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(18)
        for col, c in ((1, a), (2, b)):
            head = QLabel(f"<b>{html.escape(c.display_name)}</b><br/><span style='color:#8a8178'>#{c.id}</span>")
            grid.addWidget(head, 0, col)
        row = 1
        for name, label in FIELDS:
            va, vb = getattr(a, name), getattr(b, name)
            if not va and not vb:
                continue
            grid.addWidget(QLabel(_(label)), row, 0, Qt.AlignTop)
            if name == "photo":
                widgets = [self._photo(va), self._photo(vb)]
            else:
                widgets = [_shown(name, va), _shown(name, vb)]
            if va == vb:
                same = QLabel(widgets[0] if isinstance(widgets[0], str) else "")
                if not isinstance(widgets[0], str):
                    same = widgets[0]
                grid.addWidget(same, row, 1, 1, 2)
            else:
                group = QButtonGroup(self)
                for col, (value, widget) in enumerate(zip((va, vb), widgets), start=1):
                    cell = QWidget()
                    cell_layout = QHBoxLayout(cell)
                    cell_layout.setContentsMargins(0, 0, 0, 0)
                    radio = QRadioButton(widget if isinstance(widget, str) else "")
                    radio.setObjectName(f"pick_{name}_{'ab'[col - 1]}")
                    group.addButton(radio, col - 1)
                    cell_layout.addWidget(radio)
                    if not isinstance(widget, str):
                        cell_layout.addWidget(widget)
                    cell_layout.addStretch(1)
                    grid.addWidget(cell, row, col)
                default = 1 if (not va and vb) else 0
                group.button(default).setChecked(True)
                self.groups[name] = group
            row += 1
        lists_a, lists_b = _list_text(a), _list_text(b)
        for label in lists_a:
            if not lists_a[label] and not lists_b[label]:
                continue
            grid.addWidget(QLabel(label), row, 0, Qt.AlignTop)
            for col, text in ((1, lists_a[label]), (2, lists_b[label])):
                cell = QLabel(text or "—")
                cell.setObjectName("muted" if not text else "")
                grid.addWidget(cell, row, col)
            row += 1
        self.body.addWidget(panel)
        ca, cb = merge.related_counts(vault, a.id), merge.related_counts(vault, b.id)
        kept = QLabel(_("Kept from both: {m} moments, {f} follow-ups, {l} links, {c} consent records and the "
                        "change history of both cards.").format(
            m=ca["moments"] + cb["moments"], f=ca["followups"] + cb["followups"], l=ca["links"] + cb["links"],
            c=ca["consents"] + cb["consents"]))
        kept.setWordWrap(True)
        self.body.addWidget(kept)
        self.body.addStretch(1)

    def _photo(self, data):
        label = QLabel()
        if data:
            pixmap = QPixmap()
            if pixmap.loadFromData(data):
                label.setPixmap(pixmap.scaled(64, 64, Qt.KeepAspectRatio, Qt.SmoothTransformation))
            else:
                label.setText(_("(a photo)"))
        else:
            label.setText("—")
        return label

    def choice(self) -> merge.MergeChoice:
        return merge.MergeChoice({name: "ab"[group.checkedId()] for name, group in self.groups.items()
                                  if group.checkedId() in (0, 1)})

    def pick(self, field: str, side: str) -> None:
        """Choose a side for a field (also used by tests and the screenshot script)."""
        group = self.groups.get(field)
        if group is not None:
            group.button(0 if side == "a" else 1).setChecked(True)

    def swap(self):
        self.ids.reverse()
        self._build()

    def do_merge(self):
        try:
            merge.merge(self.context.vault, self.ids[0], self.ids[1], self.choice(), by=self.context.staff_id)
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return
        self.merged_id = self.ids[0]
        self.context.refresh()
        self.accept()

    def clear_personal_data(self):
        while self.body.count():
            item = self.body.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.groups.clear()
        self.contacts = ()


class DuplicatesDialog(QDialog):
    """Likely duplicates (same phone, same email, similar names), each opening the merge view."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Likely duplicates"))
        self.resize(720, 520)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda _item: self.open_merge())
        self.status = QLabel(_("Looking for duplicates…"))
        self.status.setObjectName("muted")
        merge_button = QPushButton(_("Merge…"))
        merge_button.setDefault(True)
        merge_button.clicked.connect(self.open_merge)
        different = QPushButton(_("Not the same person"))
        different.clicked.connect(self.dismiss)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(different)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.job = None
        self.reload()

    def reload(self):
        def work(worker, progress, cancelled):
            return duplicates.find_duplicates(worker, progress=progress, cancelled=cancelled)

        self.job = run_vault_job(self.context, self, _("Looking for duplicates…"), work, on_done=self.show_pairs)

    def show_pairs(self, pairs):
        self.list.clear()
        for pair in pairs:
            item = QListWidgetItem(f"{pair.names[0]}  ⟷  {pair.names[1]}\n{'; '.join(pair.reasons)}")
            item.setData(Qt.UserRole, (pair.a, pair.b))
            self.list.addItem(item)
        self.status.setText(ngettext("{n} likely duplicate pair.", "{n} likely duplicate pairs.", len(pairs)).format(n=len(pairs)))
        if pairs:
            self.list.setCurrentRow(0)

    def open_merge(self):
        item = self.list.currentItem()
        if item is None:
            return
        a, b = item.data(Qt.UserRole)
        if MergeDialog(self.context, a, b, self).exec() == QDialog.Accepted:
            self.reload()

    def dismiss(self):
        item = self.list.currentItem()
        if item is None:
            return
        a, b = item.data(Qt.UserRole)
        duplicates.dismiss(self.context.vault, a, b, by=self.context.staff_id)
        self.list.takeItem(self.list.row(item))

    def clear_personal_data(self):
        self.list.clear()
