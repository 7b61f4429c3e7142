"""CSV cells that a spreadsheet will not evaluate (OWASP "CSV injection"), reversibly (issue #18).

Used by every CSV the app writes for people to open (contact exports, the audit log) and undone by the
contact importer, so an export read back gives exactly what was written."""

from __future__ import annotations

# OWASP CSV injection: a cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def escape_cell(value: str) -> str:
    """Make a cell inert for spreadsheets (OWASP: prefix a single quote), reversibly: a value starting with
    a formula character gets a leading ', and so does a value that already looks escaped (a ' followed by
    a formula character or another '), so `unescape_cell` gives back exactly what was written."""
    value = "" if value is None else str(value)
    if value[:1] in FORMULA_STARTS or (value[:1] == _QUOTE and value[1:2] in (*FORMULA_STARTS, _QUOTE)
                                        and len(value) > 1):
        return _QUOTE + value
    return value


def unescape_cell(value: str) -> str:
    """The importer's side of escape_cell: one leading ' before a formula character (or before another ')
    is removed. A lone ' or one before ordinary text ("'Tis") is kept. Applied to every CSV, since other
    programs (Excel, LibreOffice) escape the same way."""
    if len(value) > 1 and value[0] == _QUOTE and value[1] in (*FORMULA_STARTS, _QUOTE):
        return value[1:]
    return value
