"""Import contacts: choose files -> (CSV) map the columns -> preview what will happen -> import -> report.

Reading and planning run off the UI thread (ui.jobs.run_job); the import itself too, with Cancel.
The import is one transaction in the vault: Cancel or an error leaves the book exactly as it was.
Workers use their own connection (the window's job runner opens it), so the counter stays responsive and
locking cannot close it under them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QFrame, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QPushButton, QStackedWidget, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget, QMessageBox)

from ..core import contacts as core_contacts, durable
from ..i18n import N_, _
from ..interchange import csv_io
from ..interchange.importer import apply_plan, build_plan, read_files, sniff_kind
from .jobs import run_vault_job
from .labels import country_name

PREVIEW_ROWS = 5
ENCODINGS = [("", N_("Detect")), ("utf-8", "UTF-8"), ("utf-16", "UTF-16"), ("cp1252", N_("Windows-1252 (Western)"))]
SEPARATORS = [("", N_("Detect")), (",", N_(", (comma)")), (";", N_("; (semicolon)")), ("\t", N_("Tab"))]
REGIONS = ["", "FR", "DE", "IT", "ES", "CH", "BE", "GB", "US", "JP", "KR", "CN", "AE", "NL", "AT", "PT"]


def _choice_label(target: str) -> str:
    for value, label in csv_io.SIMPLE_CHOICES:
        if value == target:
            return _(label)
    base, _sep, slot = target.partition(":")
    return f"{base.replace('_', ' ')} {slot}".strip()


class _Counts(QFrame):
    """Four big numbers: created, merged, skipped, not imported."""

    def __init__(self):
        super().__init__()
        self.setObjectName("panel")
        grid = QGridLayout(self)
        self.values = {}
        for col, (key, label) in enumerate((("create", _("to create")), ("merge", _("to merge")),
                                            ("skip", _("already in the book")), ("not_imported", _("not importable")),
                                            ("warnings", _("warnings")))):
            number = QLabel("0")
            number.setObjectName("brand")
            number.setAlignment(Qt.AlignCenter)
            caption = QLabel(label)
            caption.setObjectName("muted")
            caption.setAlignment(Qt.AlignCenter)
            grid.addWidget(number, 0, col)
            grid.addWidget(caption, 1, col)
            self.values[key] = (number, caption)

    def show_counts(self, counts: dict, done: bool = False):
        done_labels = {"create": _("created"), "merge": _("merged"), "skip": _("skipped"),
                       "not_imported": _("not imported"), "warnings": _("warnings")}
        for key, (number, caption) in self.values.items():
            number.setText(str(counts.get(key, 0)))
            if done:
                caption.setText(done_labels[key])


class ImportDialog(QDialog):
    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Import contacts"))
        self.resize(860, 600)
        self.files: list[Path] = []
        self.csv_options: dict[str, dict] = {}
        self.plan = None
        self.report = None
        self.job = None

        self.stack = QStackedWidget()
        self.stack.addWidget(self._files_page())
        self.stack.addWidget(self._columns_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._report_page())

        self.back_button = QPushButton(_("Back"))
        self.next_button = QPushButton(_("Next"))
        self.next_button.setDefault(True)
        self.close_button = QPushButton(_("Cancel"))
        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._show(0)

    # -- pages -----------------------------------------------------------------------------------
    def _files_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(_("Which files?"))
        title.setObjectName("brand")
        hint = QLabel(_("vCard files (.vcf) from a phone, Apple Contacts, Google, Outlook or Thunderbird, and CSV "
                        "files from Google Contacts, Outlook or a spreadsheet. Nothing is written before you "
                        "have seen the preview."))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        self.file_list = QListWidget()
        add = QPushButton(_("Add files…"))
        add.clicked.connect(self._choose_files)
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self._remove_file)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.region = QComboBox()
        home = core_contacts.home_region(self.context.vault)
        for code in dict.fromkeys([home, *REGIONS]):
            self.region.addItem(country_name(code) if code else _("(none: numbers must start with +)"), code)
        form = QFormLayout()
        form.addRow(_("Phone numbers without a country code are from"), self.region)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.file_list, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        return page

    def _columns_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(_("Match the columns"))
        title.setObjectName("brand")
        self.columns_hint = QLabel()
        self.columns_hint.setWordWrap(True)
        self.columns_hint.setObjectName("muted")
        self.csv_file = QComboBox()
        self.csv_file.currentIndexChanged.connect(self._show_table)
        self.encoding = QComboBox()
        for value, label in ENCODINGS:
            self.encoding.addItem(_(label), value)
        self.separator = QComboBox()
        for value, label in SEPARATORS:
            self.separator.addItem(_(label), value)
        self.encoding.currentIndexChanged.connect(self._reread_table)
        self.separator.currentIndexChanged.connect(self._reread_table)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("File")))
        top.addWidget(self.csv_file, 1)
        top.addWidget(QLabel(_("Encoding")))
        top.addWidget(self.encoding)
        top.addWidget(QLabel(_("Separator")))
        top.addWidget(self.separator)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        layout.addWidget(title)
        layout.addWidget(self.columns_hint)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(_("Before anything is written"))
        title.setObjectName("brand")
        self.preview_hint = QLabel()
        self.preview_hint.setObjectName("muted")
        self.preview_hint.setWordWrap(True)
        self.preview_counts = _Counts()
        self.preview_lines = QListWidget()
        self.preview_lines.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.preview_hint)
        layout.addWidget(self.preview_counts)
        layout.addWidget(QLabel(_("Details, card by card and line by line:")))
        layout.addWidget(self.preview_lines, 1)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.report_title = QLabel(_("Import finished"))
        self.report_title.setObjectName("brand")
        self.report_counts = _Counts()
        self.report_lines = QListWidget()
        self.report_lines.setWordWrap(True)
        save = QPushButton(_("Save the report…"))
        save.clicked.connect(self._save_report)
        layout.addWidget(self.report_title)
        layout.addWidget(self.report_counts)
        layout.addWidget(QLabel(_("Records not imported and everything worth knowing:")))
        layout.addWidget(self.report_lines, 1)
        layout.addWidget(save, 0, Qt.AlignLeft)
        return page

    # -- navigation ------------------------------------------------------------------------------
    def _show(self, index: int):
        self.stack.setCurrentIndex(index)
        self.back_button.setVisible(index in (1, 2))
        self.next_button.setVisible(index != 3)
        self.next_button.setText(_("Import") if index == 2 else _("Next"))
        self.next_button.setEnabled(index != 0 or bool(self.files))
        if index == 2 and self.plan is not None:
            counts = self.plan.counts()
            self.next_button.setEnabled(counts["create"] + counts["merge"] > 0)
        self.close_button.setText(_("Close") if index == 3 else _("Cancel"))

    def _back(self):
        index = self.stack.currentIndex()
        self._show(1 if index == 2 and self._csv_files() else 0)

    def _next(self):
        index = self.stack.currentIndex()
        if index == 0:
            if self._csv_files():
                self._prepare_columns()
                self._show(1)
            else:
                self._make_plan()
        elif index == 1:
            self._make_plan()
        elif index == 2:
            self._apply()

    # -- files -----------------------------------------------------------------------------------
    def _choose_files(self):
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose files to import"), str(Path.home()),
            _("Contacts (*.vcf *.vcard *.csv *.txt);;All files (*)"))
        self.add_files(names)

    def add_files(self, names):
        for name in names:
            path = Path(name)
            if path not in self.files:
                self.files.append(path)
                self.file_list.addItem(str(path))
        self._show(self.stack.currentIndex())

    def _remove_file(self):
        row = self.file_list.currentRow()
        if row >= 0:
            self.file_list.takeItem(row)
            path = self.files.pop(row)
            self.csv_options.pop(str(path), None)
        self._show(self.stack.currentIndex())

    def _csv_files(self) -> list[Path]:
        found = []
        for path in self.files:
            try:
                with open(path, "rb") as fh:
                    head = fh.read(4096)
            except OSError:
                continue
            if sniff_kind(head, path.name) == "csv":
                found.append(path)
        return found

    # -- columns ---------------------------------------------------------------------------------
    def _prepare_columns(self):
        self.csv_file.blockSignals(True)
        self.csv_file.clear()
        for path in self._csv_files():
            self.csv_file.addItem(path.name, str(path))
        self.csv_file.blockSignals(False)
        self._show_table()

    def _read_table(self, path: Path, encoding: str, delimiter: str):
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.columns_hint.setText(_("Cannot read {name}: {reason}").format(name=path.name,
                                                                                reason=exc.strerror or exc))
            return None
        return csv_io.read_table(data, path.name, encoding or None, delimiter or None)

    def _show_table(self):
        key = self.csv_file.currentData()
        if not key:
            return
        options = self.csv_options.get(key, {})
        for combo, value in ((self.encoding, options.get("encoding", "")),
                             (self.separator, options.get("delimiter", ""))):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        table = self._read_table(Path(key), options.get("encoding", ""), options.get("delimiter", ""))
        if table is None:
            return
        mapping = options.get("mapping") or csv_io.guess_mapping(table.headers, table.format)
        self.csv_options[key] = {**options, "mapping": mapping}
        known = {"google": _("Recognised: a Google Contacts export."),
                 "outlook": _("Recognised: an Outlook export."),
                 "generic": _("Choose what each column holds; columns set to “(ignore)” are not imported.")}
        self.columns_hint.setText(known[table.format] + " " + _(
            "{rows} rows, read as {encoding}, separated by “{sep}”. The first rows are shown below.").format(
            rows=len(table.rows), encoding=table.encoding, sep=table.delimiter.replace("\t", "Tab")))
        self.table.clear()
        self.table.setColumnCount(len(table.headers))
        self.table.setRowCount(min(PREVIEW_ROWS, len(table.rows)) + 1)
        self.table.setHorizontalHeaderLabels(table.headers)
        for col, target in enumerate(mapping):
            combo = QComboBox()
            for value, label in csv_io.SIMPLE_CHOICES:
                combo.addItem(_(label), value)
            if combo.findData(target) < 0:
                combo.addItem(_choice_label(target), target)
            combo.setCurrentIndex(combo.findData(target))
            combo.currentIndexChanged.connect(lambda _i, c=col, box=combo: self._set_target(c, box.currentData()))
            self.table.setCellWidget(0, col, combo)
        for row, (_line, cells) in enumerate(table.rows[:PREVIEW_ROWS], start=1):
            for col in range(len(table.headers)):
                text = cells[col] if col < len(cells) else ""
                self.table.setItem(row, col, QTableWidgetItem(text.replace("\n", " ⏎ ")))
        self.table.resizeColumnsToContents()
        for col in range(self.table.columnCount()):
            self.table.setColumnWidth(col, max(140, min(self.table.columnWidth(col), 260)))

    def _set_target(self, col: int, target: str):
        key = self.csv_file.currentData()
        mapping = list(self.csv_options[key]["mapping"])
        mapping[col] = target
        self.csv_options[key]["mapping"] = mapping

    def _reread_table(self):
        key = self.csv_file.currentData()
        if not key:
            return
        self.csv_options[key] = {"encoding": self.encoding.currentData(), "delimiter": self.separator.currentData()}
        self._show_table()

    # -- plan and import -------------------------------------------------------------------------
    def _make_plan(self):
        files = list(self.files)
        options = {k: dict(v) for k, v in self.csv_options.items()}
        region = self.region.currentData() or ""

        def work(worker, progress, cancelled):  # worker: a connection of its own (the job runner's)
            read = read_files(files, options, progress=progress, cancelled=cancelled)
            return build_plan(worker, read, region=region, progress=progress, cancelled=cancelled)

        self.job = run_vault_job(self.context, self, _("Reading the files…"), work, on_done=self.show_plan)

    def show_plan(self, plan):
        self.plan = plan
        counts = plan.counts()
        self.preview_counts.show_counts(counts)
        self.preview_hint.setText(_(
            "From {files}. Contacts with the same phone number or email as someone in the book are merged into "
            "that person (nothing is overwritten); similar names are only flagged. Press Import to write it all "
            "at once, or Back to change the columns.").format(files=", ".join(plan.sources) or "—"))
        self.preview_lines.clear()
        self.preview_lines.addItems(plan.report_lines() or [_("Nothing to report: every record reads cleanly.")])
        self._show(2)

    def _apply(self):
        plan = self.plan
        by, actor = self.context.staff_id, self.context.staff_name

        def work(worker, progress, cancelled):  # one transaction on the job's own connection
            return apply_plan(worker, plan, by=by, progress=progress, cancelled=cancelled, actor=actor)

        self.job = run_vault_job(self.context, self, _("Importing…"), work, on_done=self.show_report,
                                 on_cancel=self._cancelled)

    def _cancelled(self):
        self.preview_hint.setText(_("Import cancelled: nothing was written. The book is as it was."))

    def show_report(self, report):
        self.report = report
        counts = dict(report.counts)
        counts.update(create=len(report.created), merge=len(report.merged), skip=report.skipped)
        self.report_counts.show_counts(counts, done=True)
        self.report_lines.clear()
        self.report_lines.addItems(report.lines or [_("Every record was imported.")])
        self._show(3)
        self.context.refresh()

    def _save_report(self):
        if self.report is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the report"), str(Path.home() / "import-report.txt"),
                                                    _("Text (*.txt)"))
        if name:
            try:
                durable.save_text(name, "\n".join(self.report.lines) + "\n")
            except durable.SaveFailed as exc:
                QMessageBox.warning(self, _("Save the report"), str(exc))

    def clear_personal_data(self):
        self.plan = self.report = None
        self.csv_options.clear()
        for widget in (self.preview_lines, self.report_lines):
            widget.clear()
        self.table.clear()
        self.table.setRowCount(0)

    def reject(self):
        if self.job is not None:
            self.job.cancel()
        super().reject()
