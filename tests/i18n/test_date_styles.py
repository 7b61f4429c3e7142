"""One date style per context (#22), from CLDR in the interface language, through one Qt-free module
(core.formatting) that every screen, PDF and CLI human output uses."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from boutique_book import i18n
from boutique_book.core import formatting

SRC = Path(__file__).resolve().parents[2] / "src" / "boutique_book"
DAY = dt.date(2025, 12, 13)


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("language, card, listed, heading", [
    ("en", "December 13, 2025", "Dec 13, 2025", "Saturday, December 13, 2025"),
    ("fr", "13 décembre 2025", "13 déc. 2025", "samedi 13 décembre 2025"),
    ("de", "13. Dezember 2025", "13.12.2025", "Samstag, 13. Dezember 2025"),
    ("ja", "2025年12月13日", "2025/12/13", "2025年12月13日土曜日"),
])
def test_each_context_has_its_cldr_style_in_the_interface_language(language, card, listed, heading):
    i18n.set_language(language)
    assert formatting.card_date(DAY) == formatting.letter_date(DAY) == card
    assert formatting.list_date(DAY) == listed
    assert formatting.heading_date(DAY) == heading
    assert formatting.file_date(DAY) == "2025-12-13"  # files for machines only


def test_timestamps_read_as_dates_not_iso():
    i18n.set_language("fr")
    text = formatting.card_datetime("2025-12-13T10:00:00+00:00")
    assert "décembre 2025" in text and "T10" not in text and "+00:00" not in text
    assert "2025" in formatting.list_datetime("2025-12-13T10:00:00Z")
    assert formatting.list_datetime("not a time") == "not a time"


def test_the_formatting_module_is_qt_free():
    tree = ast.parse((SRC / "core" / "formatting.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.startswith(("PySide6", "PyQt")) for name in names)


# -- every human date goes through core.formatting -------------------------------------------------------------
# strftime for machine names only: backup and export file names, the agenda's month-day keys.
MACHINE_STRFTIME = {"core/backup.py", "hq/export.py", "core/calendar_agenda.py"}


def date_formatting_outside_the_module(source: str, relpath: str) -> list[str]:
    """Calls that format a date for a person without core.formatting: Babel's date functions imported
    elsewhere, strftime outside machine file names, QDate/QDateTime.toString in screens."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "babel.dates":
            found.append(f"{relpath}:{node.lineno}: babel.dates imported")
        elif isinstance(node, ast.Import) and any(a.name == "babel.dates" for a in node.names):
            found.append(f"{relpath}:{node.lineno}: babel.dates imported")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strftime"
              and relpath not in MACHINE_STRFTIME):
            found.append(f"{relpath}:{node.lineno}: strftime")
    return found


def test_scanner_positive_control():
    bad = ("from babel.dates import format_date\n"
           "def f(d):\n    return format_date(d, 'short', locale='en') + d.strftime('%x')\n")
    found = date_formatting_outside_the_module(bad, "ui/seasons_view.py")
    assert len(found) == 2
    assert date_formatting_outside_the_module("x = d.strftime('%Y%m%d')\n", "core/backup.py") == []


def test_no_date_is_formatted_for_a_person_outside_core_formatting():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relpath = path.relative_to(SRC).as_posix()
        if relpath == "core/formatting.py" or "/migrations/" in relpath:
            continue
        found += date_formatting_outside_the_module(path.read_text(encoding="utf-8"), relpath)
    assert not found, "\n".join(found)
