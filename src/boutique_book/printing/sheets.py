"""Label sheets, envelope sizes and per-printer calibration.

Sheet geometry is in millimetres, measured from the top-left corner of the page as the manufacturers
publish it; `cell()` turns it into reportlab points (origin bottom-left).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from reportlab.lib.units import mm

from ..core import settings
from ..core.errors import ValidationError
from ..i18n import _

A4 = (210.0, 297.0)
LETTER = (215.9, 279.4)


@dataclass(frozen=True)
class SheetFormat:
    code: str
    description: str
    page_width: float      # mm
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float            # left edge of the first column
    top: float             # top edge of the first row
    pitch_x: float         # distance from one column's left edge to the next one's
    pitch_y: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def page_size(self) -> tuple[float, float]:
        return self.page_width * mm, self.page_height * mm

    def cell(self, index: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in points of cell `index` (0-based, row by row) on its page."""
        index %= self.per_page
        row, column = divmod(index, self.columns)
        x = (self.left + column * self.pitch_x) * mm
        y_top = (self.page_height - self.top - row * self.pitch_y) * mm
        return x, y_top - self.label_height * mm, self.label_width * mm, self.label_height * mm

    def validate(self) -> "SheetFormat":
        problems = []
        if self.columns < 1 or self.rows < 1:
            problems.append(_("a sheet needs at least one row and one column"))
        if min(self.page_width, self.page_height, self.label_width, self.label_height) <= 0:
            problems.append(_("sizes must be positive"))
        if self.left < 0 or self.top < 0:
            problems.append(_("margins cannot be negative"))
        if self.columns > 1 and self.pitch_x < self.label_width:
            problems.append(_("the horizontal pitch is smaller than the label width"))
        if self.rows > 1 and self.pitch_y < self.label_height:
            problems.append(_("the vertical pitch is smaller than the label height"))
        right = self.left + (self.columns - 1) * self.pitch_x + self.label_width
        bottom = self.top + (self.rows - 1) * self.pitch_y + self.label_height
        if right > self.page_width + 0.01 or bottom > self.page_height + 0.01:
            problems.append(_("the labels do not fit on the page"))
        if problems:
            raise ValidationError(_("Sheet “{code}”: {problems}.").format(code=self.code, problems="; ".join(problems)),
                                  field="sheet")
        return self


SHEETS = {
    s.code: s for s in (
        SheetFormat("L7160", "Avery/Zweckform L7160, A4, 3 × 7, 63.5 × 38.1 mm", *A4, 3, 7, 63.5, 38.1,
                    7.21, 15.15, 66.04, 38.1),
        SheetFormat("L7163", "Avery/Zweckform L7163, A4, 2 × 7, 99.1 × 38.1 mm", *A4, 2, 7, 99.1, 38.1,
                    4.65, 15.15, 101.6, 38.1),
        SheetFormat("L7161", "Avery/Zweckform L7161, A4, 3 × 6, 63.5 × 46.6 mm", *A4, 3, 6, 63.5, 46.6,
                    7.21, 8.8, 66.04, 46.6),
        SheetFormat("5160", "Avery 5160, US Letter, 3 × 10, 2⅝ × 1 in", *LETTER, 3, 10, 66.675, 25.4,
                    4.7625, 12.7, 69.85, 25.4),
    )
}


@dataclass(frozen=True)
class EnvelopeSize:
    code: str
    description: str
    width: float   # mm, landscape (as fed: address parallel to the long edge)
    height: float

    @property
    def page_size(self) -> tuple[float, float]:
        return self.width * mm, self.height * mm


ENVELOPES = {
    e.code: e for e in (
        EnvelopeSize("DL", "DL, 220 × 110 mm", 220.0, 110.0),
        EnvelopeSize("C5", "C5, 229 × 162 mm", 229.0, 162.0),
        EnvelopeSize("C6", "C6, 162 × 114 mm", 162.0, 114.0),
        EnvelopeSize("US10", "US #10, 9½ × 4⅛ in", 241.3, 104.775),
    )
}

CUSTOM_KEY = "printing.custom_sheets"
CALIBRATION_KEY = "printing.calibration"


def normalise_code(code: str) -> str:
    text = code.strip()
    upper = text.upper()
    if upper in ("AVERY5160", "AVERY 5160", "5160"):
        return "5160"
    if upper in ("#10", "US#10", "US 10", "US10", "NO10", "COM10"):
        return "US10"
    return upper if upper in SHEETS or upper in ENVELOPES else text


def custom_sheets(vault) -> dict[str, SheetFormat]:
    stored = settings.get(vault, CUSTOM_KEY, {}) or {}
    return {code: SheetFormat(**values) for code, values in stored.items()}


def save_custom_sheet(vault, sheet: SheetFormat, actor: str | None = None) -> None:
    sheet.validate()
    if sheet.code.upper() in SHEETS:
        raise ValidationError(_("“{code}” is a built-in sheet; choose another name.").format(code=sheet.code),
                              field="sheet")
    stored = dict(settings.get(vault, CUSTOM_KEY, {}) or {})
    stored[sheet.code] = asdict(sheet)
    settings.put(vault, CUSTOM_KEY, stored, actor=actor)


def all_sheets(vault=None) -> dict[str, SheetFormat]:
    found = dict(SHEETS)
    if vault is not None:
        found.update(custom_sheets(vault))
    return found


def sheet(code: str, vault=None) -> SheetFormat:
    sheets = all_sheets(vault)
    key = normalise_code(code)
    if key not in sheets:
        raise ValidationError(_("Unknown label sheet “{code}”. Known sheets: {known}.").format(
            code=code, known=", ".join(sheets)), field="sheet")
    return sheets[key]


def envelope(code: str) -> EnvelopeSize:
    key = normalise_code(code)
    if key not in ENVELOPES:
        raise ValidationError(_("Unknown envelope size “{code}”. Known sizes: {known}.").format(
            code=code, known=", ".join(ENVELOPES)), field="size")
    return ENVELOPES[key]


def calibration(vault, printer: str | None) -> tuple[float, float]:
    """(x, y) nudge in mm for a printer: x to the right, y downwards. (0, 0) when never calibrated."""
    if vault is None or not printer:
        return 0.0, 0.0
    values = (settings.get(vault, CALIBRATION_KEY, {}) or {}).get(printer) or {}
    return float(values.get("x_mm", 0.0)), float(values.get("y_mm", 0.0))


def set_calibration(vault, printer: str, x_mm: float, y_mm: float, actor: str | None = None) -> None:
    if not printer:
        raise ValidationError(_("Name the printer to calibrate."), field="printer")
    if abs(x_mm) > 20 or abs(y_mm) > 20:
        raise ValidationError(_("A calibration nudge of more than 20 mm is surely a mistake."), field="calibration")
    stored = dict(settings.get(vault, CALIBRATION_KEY, {}) or {})
    stored[printer] = {"x_mm": round(float(x_mm), 2), "y_mm": round(float(y_mm), 2)}
    settings.put(vault, CALIBRATION_KEY, stored, actor=actor)
