"""What a reader produces: one SourceRecord per card/row that could be read, one Problem per card/row
that could not (or per detail that was dropped). The import plan works on these."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..core.model import Contact
from ..core.text import fold


@dataclass
class Problem:
    source: str          # file name
    ref: str             # "card 3 (line 17)" or "line 5"
    reason: str          # one sentence a person understands
    level: str = "error"  # error: record not imported; warning: record imported without this detail

    def line(self) -> str:
        return f"{self.source}: {self.ref}: {self.reason}"


@dataclass
class SourceRecord:
    source: str
    ref: str
    contact: Contact
    notes: list[str] = field(default_factory=list)   # free text that becomes one imported moment
    warnings: list[str] = field(default_factory=list)


@dataclass
class ReadResult:
    records: list[SourceRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_properties: dict[str, int] = field(default_factory=dict)

    def extend(self, other: "ReadResult") -> None:
        self.records.extend(other.records)
        self.problems.extend(other.problems)
        for name, n in other.ignored_properties.items():
            self.ignored_properties[name] = self.ignored_properties.get(name, 0) + n


# -- countries: names as address books write them -> ISO 3166 codes ----------------------------

_COUNTRY_LOCALES = ("en", "fr", "de", "it", "es", "ja", "ko", "zh", "nl", "pt")
_EXTRA_COUNTRY_NAMES = {"usa": "US", "u.s.a.": "US", "us": "US", "uk": "GB", "england": "GB", "great britain": "GB",
                        "deutschland": "DE", "schweiz": "CH", "suisse": "CH", "svizzera": "CH"}


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for code in _COUNTRY_LOCALES:
        try:
            territories = Locale.parse(code).territories
        except Exception:  # pragma: no cover - babel data missing
            continue
        for key, name in territories.items():
            if re.fullmatch(r"[A-Z]{2}", key):
                names.setdefault(fold(name), key)
    names.update(_EXTRA_COUNTRY_NAMES)
    return names


def country_code(text: str) -> str:
    """ISO code for a country as written ("France", "FR", "Deutschland", "日本"), or '' if unknown."""
    text = (text or "").strip()
    if not text:
        return ""
    if re.fullmatch(r"[A-Za-z]{2}", text):
        code = "GB" if text.upper() == "UK" else text.upper()
        return code if code in set(_country_names().values()) else ""
    return _country_names().get(fold(text).strip(". "), "")


def read_file(path, parse) -> "ReadResult":
    """Read an import file and hand its bytes to parse(data, name); an unreadable file is one report line."""
    from pathlib import Path

    from ..i18n import _

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        result = ReadResult()
        result.problems.append(Problem(path.name, _("file"), _("cannot be read: {why}").format(why=exc.strerror or exc)))
        return result
    return parse(data, path.name)
