"""The print screen: choose who, what, which format and template; preview the PDF in the app; print it
through the system print dialog or save it.

PDF generation runs off the UI thread (ui.jobs.run_job) with progress and cancel; the preview is a
QPdfView over a QPdfDocument loaded from memory (the PDF never touches the disk unless saved).
Printing renders each page at the printer's resolution (≤ 600 dpi) onto a full-page QPrinter, so the
PDF's millimetres land where the label sheet expects them; per-printer nudges come from calibration.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
                               QPushButton, QSpinBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget)

from ..core import durable
from ..core.errors import BoutiqueBookError
from ..core.model import Tier
from ..i18n import LANGUAGES, _, current_language, ngettext
from ..printing import jobs, recipients, sheets, templates
from .jobs import run_vault_job
from .labels import language_name, season_label, tier_label
from .style import room_for_placeholder

WHO = ("current", "selection", "search", "tier", "season", "all")
WHAT = ("labels", "envelopes", "letters", "cards")


class PrintView(QWidget):
    """PrintView(context, parent=None). The main window may call `set_contact_ids(ids, label)` to hand
    over the current contact or a selection, and `set_mode(what)` to open on labels/envelopes/...
    """

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("printView")
        self._current_ids: list[int] = []
        self._selection_ids: list[int] = []
        self._pdf: bytes = b""
        self._buffer: QBuffer | None = None
        self._job = None
        self.last_result = None

        # -- form --------------------------------------------------------------------------------
        form = QFormLayout()
        self.who = QComboBox()
        for key, label in zip(WHO, (_("Current contact"), _("Selection"), _("Search"), _("Tier"),
                                    _("Card season"), _("Everyone"))):
            self.who.addItem(label, key)
        form.addRow(_("&Who"), self.who)

        self.who_stack = QStackedWidget()
        self.current_label = QLabel(_("No contact open"))
        self.selection_label = QLabel(_("Nothing selected"))
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("name, town, tag, word…"))
        self.tier = QComboBox()
        for tier in Tier:
            self.tier.addItem(tier_label(tier.value), tier.value)
        season_box = QWidget()
        season_row = QHBoxLayout(season_box)
        season_row.setContentsMargins(0, 0, 0, 0)
        self.season = QComboBox()
        self.season.setEditable(True)
        self.season_year = QSpinBox()
        self.season_year.setRange(2000, 2100)
        self.season_year.setValue(dt.date.today().year)
        self.mark_printed = QCheckBox(_("Note “card sent” on each card"))
        season_row.addWidget(self.season, 1)
        season_row.addWidget(self.season_year)
        for widget in (self.current_label, self.selection_label, self.query, self.tier, season_box, QLabel("")):
            self.who_stack.addWidget(widget)
        form.addRow("", self.who_stack)
        form.addRow("", self.mark_printed)

        self.what = QComboBox()
        for key, label in zip(WHAT, (_("Address labels"), _("Envelopes"), _("Letters"), _("Card inserts"))):
            self.what.addItem(label, key)
        form.addRow(_("W&hat"), self.what)

        self.format = QComboBox()
        form.addRow(_("&Format"), self.format)
        self.template = QComboBox()
        self.template_row_label = QLabel(_("&Template"))
        self.template_row_label.setBuddy(self.template)
        form.addRow(self.template_row_label, self.template)
        self.edit_templates = QPushButton(_("Edit templates…"))
        form.addRow("", self.edit_templates)
        self.start = QSpinBox()
        self.start.setRange(1, 21)
        self.start_label = QLabel(_("&Start at label"))
        self.start_label.setBuddy(self.start)
        form.addRow(self.start_label, self.start)
        self.sender = QCheckBox(_("Print the boutique's address and logo"))
        self.sender.setChecked(True)
        form.addRow("", self.sender)
        self.outlines = QCheckBox(_("Draw label outlines (test print)"))
        form.addRow("", self.outlines)

        self.printer = QComboBox()
        self.printer.setEditable(True)
        self.printer.addItems(QPrinterInfo.availablePrinterNames() or [_("Default printer")])
        self.nudge_x = QDoubleSpinBox()
        self.nudge_y = QDoubleSpinBox()
        for spin in (self.nudge_x, self.nudge_y):
            spin.setRange(-20, 20)
            spin.setSingleStep(0.5)
            spin.setSuffix(" mm")
        nudge = QWidget()
        nudge_row = QHBoxLayout(nudge)
        nudge_row.setContentsMargins(0, 0, 0, 0)
        nudge_row.addWidget(QLabel(_("right")))
        nudge_row.addWidget(self.nudge_x)
        nudge_row.addWidget(QLabel(_("down")))
        nudge_row.addWidget(self.nudge_y)
        self.save_nudge = QPushButton(_("Save"))
        nudge_row.addWidget(self.save_nudge)
        form.addRow(_("&Printer"), self.printer)
        form.addRow(_("Calibration"), nudge)

        buttons = QHBoxLayout()
        self.preview_button = QPushButton(_("&Preview"))
        self.preview_button.setDefault(True)
        self.print_button = QPushButton(_("P&rint…"))
        self.save_button = QPushButton(_("Save PDF…"))
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)

        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(_("Who was left out, and why, shows here."))
        self.report.setMaximumHeight(140)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(QLabel(_("Report")))
        left_layout.addWidget(self.report)
        left_layout.addStretch(1)

        # -- preview -----------------------------------------------------------------------------
        self.document = QPdfDocument(self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setDocument(self.document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitInView)

        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.pdf_view)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.who.currentIndexChanged.connect(self._who_changed)
        self.what.currentIndexChanged.connect(self._what_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.printer.currentTextChanged.connect(self._load_calibration)
        self.save_nudge.clicked.connect(self._save_calibration)
        self.preview_button.clicked.connect(self.generate)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        self.edit_templates.clicked.connect(self._edit_templates)
        self._fill_seasons()
        self._what_changed()
        self._who_changed()
        self._load_calibration()
        self._update_buttons()

    # -- public API for the main window ------------------------------------------------------------
    def set_contact_ids(self, ids, label: str = "", selection: bool = False) -> None:
        ids = [int(i) for i in ids]
        if selection:
            self._selection_ids = ids
            self.selection_label.setText(label or ngettext("{n} selected", "{n} selected", len(ids)).format(n=len(ids)))
            self.who.setCurrentIndex(WHO.index("selection"))
        else:
            self._current_ids = ids[:1]
            self.current_label.setText(label or _("Contact no. {id}").format(id=ids[0]) if ids else _("No contact open"))
            self.who.setCurrentIndex(WHO.index("current"))

    def set_mode(self, what: str) -> None:
        if what in WHAT:
            self.what.setCurrentIndex(WHAT.index(what))

    def clear_personal_data(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer = None
        self._pdf = b""
        self.last_result = None
        from ..printing import fonts

        fonts.forget()
        self._current_ids, self._selection_ids = [], []
        self.current_label.setText(_("No contact open"))
        self.selection_label.setText(_("Nothing selected"))
        self.query.clear()
        self.report.clear()
        self._update_buttons()

    # -- form logic ----------------------------------------------------------------------------------
    def _vault(self):
        return self.context.vault

    def _fill_seasons(self) -> None:
        try:
            from ..core import calendar_seasons

            names = [s["name"] for s in calendar_seasons.list_seasons(self._vault(), active_only=True)]
        except Exception:  # calendar not available in this build, or no seasons table yet
            names = []
        self.season.clear()
        for name in names:  # shown as the seasons window names it, kept by its code
            self.season.addItem(season_label(name), name)

    def _season_name(self) -> str:
        """The chosen season's code ("christmas"); a name typed into the editable box is taken as typed."""
        text = self.season.currentText().strip()
        index = self.season.findText(text)
        return (self.season.itemData(index) or text) if index >= 0 else text

    def _who_changed(self) -> None:
        key = self.who.currentData()
        self.who_stack.setCurrentIndex(WHO.index(key))
        self.mark_printed.setVisible(key == "season")
        self.mark_printed.setChecked(key == "season")

    def _what_changed(self) -> None:
        what = self.what.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        if what == "labels":
            for code, sheet in sheets.all_sheets(self._vault()).items():
                self.format.addItem(sheet.description, code)
        elif what == "envelopes":
            for code, size in sheets.ENVELOPES.items():
                self.format.addItem(size.description, code)
        else:
            for fmt in templates.FORMATS["letter" if what == "letters" else "card"]:
                self.format.addItem(fmt, fmt)
        self.format.blockSignals(False)
        self.template.clear()
        if what in ("letters", "cards"):
            kind = "letter" if what == "letters" else "card"
            found = templates.all_templates(self._vault())
            families = sorted({t.family for t in found.values() if t.kind == kind})
            ui = current_language()
            for family in families:
                # named by its title in the interface's language (else English, else any): never "letter.ar"
                variants = sorted((t for t in found.values() if t.family == family),
                                  key=lambda t: (t.language != ui, t.language != "en", t.name))
                title = variants[0].title or family
                self.template.addItem(_("{name} — in each person's language").format(name=title), family)
            for name, template in sorted(found.items(), key=lambda item: (item[1].family, item[0])):
                if template.kind == kind:
                    language = language_name(template.language) if template.language else ""
                    title = template.title or name
                    self.template.addItem(f"{title} ({language})" if language else title, name)
        is_doc = what in ("letters", "cards")
        for widget in (self.template, self.template_row_label, self.edit_templates):
            widget.setVisible(is_doc)
        self.edit_templates.setEnabled(bool(getattr(self.context, "manager_unlocked", False)))
        for widget in (self.start, self.start_label, self.outlines):
            widget.setVisible(what == "labels")
        self.sender.setVisible(what == "envelopes")
        self._format_changed()

    def _format_changed(self) -> None:
        if self.what.currentData() == "labels" and self.format.currentData():
            self.start.setMaximum(sheets.sheet(self.format.currentData(), self._vault()).per_page)

    def _printer_name(self) -> str:
        return self.printer.currentText().strip()

    def _load_calibration(self) -> None:
        x, y = sheets.calibration(self._vault(), self._printer_name())
        self.nudge_x.setValue(x)
        self.nudge_y.setValue(y)

    def _save_calibration(self) -> None:
        try:
            sheets.set_calibration(self._vault(), self._printer_name(), self.nudge_x.value(), self.nudge_y.value(),
                                   actor=getattr(self.context, "staff_name", "") or "staff")
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Calibration"), str(exc))

    def selected_ids(self) -> list[int]:
        """The contact ids for the chosen 'who' (runs on the UI thread: these are quick queries)."""
        key = self.who.currentData()
        vault = self._vault()
        if key == "current":
            return list(self._current_ids)
        if key == "selection":
            return list(self._selection_ids)
        if key == "search":
            text = self.query.text().strip()
            return recipients.ids_for_query(vault, text) if text else []
        if key == "tier":
            return recipients.ids_for_tier(vault, self.tier.currentData())
        if key == "season":
            name = self._season_name()
            return recipients.ids_for_season(vault, name, self.season_year.value()) if name else []
        return recipients.ids_for_all(vault)

    def job_function(self):
        """fn(vault, progress, cancelled) -> PrintResult for the current choices (no widget access inside);
        the job runner gives it a connection of its own."""
        ids = self.selected_ids()
        what = self.what.currentData()
        fmt = self.format.currentData()
        printer = self._printer_name()
        if what == "labels":
            start, outlines = self.start.value(), self.outlines.isChecked()
            return lambda vault, progress, cancelled: jobs.print_labels(vault, ids, fmt, start, printer, outlines,
                                                                 progress=progress, cancelled=cancelled)
        if what == "envelopes":
            with_sender = self.sender.isChecked()
            return lambda vault, progress, cancelled: jobs.print_envelopes(vault, ids, fmt, with_sender, printer,
                                                                    progress=progress, cancelled=cancelled)
        template = self.template.currentData()
        staff = getattr(self.context, "staff_name", "")
        return lambda vault, progress, cancelled: jobs.print_documents(vault, ids, template, fmt, staff, printer,
                                                                progress=progress, cancelled=cancelled)

    # -- generate / show -------------------------------------------------------------------------------
    def check_ready(self) -> None:
        """Refuse before drawing anything when the boutique details or the signing name are missing."""
        what = self.what.currentData()
        jobs.check_ready(self._vault(), what, self.template.currentData() or "", self.format.currentData(),
                         getattr(self.context, "staff_name", "") or "", self.sender.isChecked())

    def generate(self) -> None:
        from ..printing.boutique import MissingDetails

        try:
            self.check_ready()
            fn = self.job_function()
        except MissingDetails as exc:
            self._missing_details(exc)
            return
        except BoutiqueBookError as exc:
            QMessageBox.warning(self, _("Print"), str(exc))
            return
        self.preview_button.setEnabled(False)
        self._job = run_vault_job(self.context, self, _("Preparing the PDF…"), fn, on_done=self._on_done, on_error=self._on_error,
                            on_cancel=self._on_cancel)

    def _missing_details(self, error) -> None:
        """A dialog naming what is missing, with a button to the boutique details (never a PDF with a hole)."""
        from .boutique_dialog import MissingDetailsDialog

        self.report.setPlainText(error.window_text())
        self.missing_dialog = MissingDetailsDialog(error, self._vault(),
                                                   getattr(self.context, "staff_name", "") or "staff", self)
        self.missing_dialog.run()

    def _on_done(self, result) -> None:
        self._job = None
        self.last_result = result
        # A preview writes nothing: "card sent" is noted only once the PDF is printed or saved (_mark_sent).
        self._to_mark = None
        if self.who.currentData() == "season" and self.mark_printed.isChecked() and result.count:
            self._to_mark = ([r.contact.id for r in result.report.recipients], self._season_name(),
                             self.season_year.value())
        self.show_pdf(result.pdf)
        lines = [result.report.summary()]
        for excluded in result.report.excluded:
            lines.append(f"{excluded.name or '—'} ({excluded.contact_id}): {excluded.reason}")
        self.report.setPlainText("\n".join(lines))
        self.preview_button.setEnabled(True)

    def _on_error(self, message: str) -> None:
        self._job = None
        self.preview_button.setEnabled(True)
        self.report.setPlainText(message)
        QMessageBox.warning(self, _("Print"), message)

    def _on_cancel(self) -> None:
        self._job = None
        self.preview_button.setEnabled(True)
        self.report.setPlainText(_("Cancelled; nothing was printed."))

    def show_pdf(self, pdf: bytes) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        self._pdf = pdf
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.ReadOnly)
        self.document.load(self._buffer)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = bool(self._pdf)
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)

    # -- output ----------------------------------------------------------------------------------------
    def save_pdf(self, path: str | None = None) -> None:
        if not self._pdf:
            return
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save PDF"), "", _("PDF files (*.pdf)"))
        if not path:
            return
        try:
            durable.save_bytes(path, self._pdf)
        except durable.SaveFailed as exc:
            QMessageBox.warning(self, _("Save PDF"), str(exc))
            return
        self._mark_sent()

    def _mark_sent(self) -> None:
        """The cards left the shop (printed or saved): note "card sent" once per person and season."""
        pending, self._to_mark = getattr(self, "_to_mark", None), None
        if not pending:
            return
        from .saving import attempt

        ids, season, year = pending
        attempt(self, _("Print"), jobs.mark_cards_printed, self._vault(), ids, season, year,
                by=getattr(self.context, "staff_id", None))

    def print_pdf(self, printer: QPrinter | None = None) -> int:
        """Print the previewed PDF page by page; returns the number of pages sent."""
        if not self._pdf or self.document.pageCount() == 0:
            return 0
        if printer is None:
            printer = QPrinter(QPrinter.HighResolution)
            name = self._printer_name()
            if name in QPrinterInfo.availablePrinterNames():
                printer.setPrinterName(name)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QDialog.Accepted:
                return 0
        first_size = self.document.pagePointSize(0)
        printer.setFullPage(True)
        printer.setPageLayout(QPageLayout(QPageSize(first_size, QPageSize.Point), QPageLayout.Portrait
                                          if first_size.height() >= first_size.width() else QPageLayout.Landscape,
                                          QMarginsF(0, 0, 0, 0)))
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Print"), _("The printer could not be started."))
            return 0
        dpi = min(printer.resolution(), 600)
        sent = 0
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                image = self.document.render(page, QSize(int(size.width() / 72 * dpi), int(size.height() / 72 * dpi)))
                target = painter.viewport()
                painter.drawImage(target, image)
                sent += 1
        finally:
            painter.end()
        if sent:
            self._mark_sent()
        return sent

    # -- templates -------------------------------------------------------------------------------------
    def _edit_templates(self) -> None:
        dialog = TemplateEditor(self._vault(), self.template.currentData() or "",
                                getattr(self.context, "staff_name", "") or "manager", self)
        if dialog.exec() == QDialog.Accepted:
            self._what_changed()


class TemplateEditor(QDialog):
    """The manager edits a template; saving refuses unknown fields with a message naming them."""

    def __init__(self, vault, name: str = "", actor: str = "manager", parent=None):
        super().__init__(parent)
        self.vault = vault
        self.actor = actor
        self.setWindowTitle(_("Edit template"))
        found = templates.all_templates(vault)
        if name and name not in found:
            name = templates.choose(name, "fr", vault).name if any(t.family == name for t in found.values()) else ""
        self.chooser = QComboBox()
        self.chooser.addItem(_("New template"), "")
        for key in sorted(found):
            self.chooser.addItem(key, key)
        self.name = QLineEdit()
        self.kind = QComboBox()
        for kind in templates.KINDS:
            self.kind.addItem({"card": _("Card"), "letter": _("Letter")}.get(kind, kind), kind)
        self.language = QComboBox()  # named in the interface language, the code kept as data
        for code in LANGUAGES:
            self.language.addItem(language_name(code), code)
        self.title = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setMinimumSize(480, 280)
        self.signature = QLineEdit()
        self.signature.setPlaceholderText(_("closing, space, staff, boutique — or none"))
        room_for_placeholder(self.signature)
        self.closing = QLineEdit()
        self.closing.setPlaceholderText(_("the language's own"))
        self.closing_informal = QLineEdit()
        self.closing_informal.setPlaceholderText(_("the language's own"))
        fields = QLabel(_("Fields: {fields}").format(fields=", ".join("{" + f + "}" for f in templates.FIELDS)))
        fields.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Template"), self.chooser)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Language"), self.language)
        form.addRow(_("Title"), self.title)
        signature_form = QFormLayout()
        signature_form.addRow(_("Signature"), self.signature)
        signature_form.addRow(_("Closing"), self.closing)
        signature_form.addRow(_("Closing, informal"), self.closing_informal)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body)
        layout.addLayout(signature_form)
        layout.addWidget(fields)
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.chooser.currentIndexChanged.connect(self._load)
        if name:
            self.chooser.setCurrentIndex(self.chooser.findData(name))
        self._load()

    def _load(self) -> None:
        key = self.chooser.currentData()
        template = templates.all_templates(self.vault).get(key) if key else None
        if template is None:
            template = templates.Template("", "card", "fr", "", "{salutation},\n\n")
        self.name.setText(template.name)
        self.kind.setCurrentIndex(self.kind.findData(template.kind))
        if self.language.findData(template.language) < 0:  # a template for a language the app does not speak
            self.language.addItem(language_name(template.language), template.language)
        self.language.setCurrentIndex(self.language.findData(template.language))
        self.title.setText(template.title)
        self.body.setPlainText(template.body)
        self.signature.setText(template.signature)
        self.closing.setText(template.closing)
        self.closing_informal.setText(template.closing_informal)
        self._align = template.signature_align
        self.error.clear()

    def current(self) -> templates.Template:
        return templates.Template(self.name.text().strip(), self.kind.currentData(), self.language.currentData() or "",
                                  self.title.text().strip(), self.body.toPlainText(),
                                  signature=self.signature.text().strip(), closing=self.closing.text().strip(),
                                  closing_informal=self.closing_informal.text().strip(),
                                  signature_align=getattr(self, "_align", "start"))

    def save(self) -> bool:
        try:
            templates.save(self.vault, self.current(), actor=self.actor)
        except BoutiqueBookError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


__all__ = ["PrintView", "TemplateEditor"]
