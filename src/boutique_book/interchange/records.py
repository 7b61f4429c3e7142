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
    # (region, store region, result) of the importer's cleaning: cleaning changes the record in place (numbers
    # read, a bad email moved to the note, each with its warning), so a plan built again on the same read (the
    # book changed between preview and import) reuses it instead of warning twice.
    cleaned: tuple | None = field(default=None, compare=False, repr=False)


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

# CLDR territory names (through Babel) in the six staff languages and a few more that address books
# from abroad are written in; then the names people and programs write that CLDR does not list.
_COUNTRY_LOCALES = ("en", "fr", "de", "it", "es", "ja", "ko", "zh", "zh_Hant", "nl", "pt", "ru", "el", "pl")
_COUNTRY_ALIASES = {
    "US": ("usa", "u s a", "us", "u s", "united states of america", "america", "the united states",
           "united states of america usa", "etats unis d amerique", "vereinigte staaten von amerika",
           "stati uniti d america", "estados unidos de america", "eeuu", "ee uu", "米国", "アメリカ"),
    "GB": ("uk", "u k", "great britain", "britain", "england", "scotland", "wales", "northern ireland",
           "united kingdom of great britain and northern ireland", "grande bretagne", "angleterre",
           "grossbritannien", "england uk", "inghilterra", "gran bretana", "inglaterra", "イギリス", "英国"),
    "DE": ("deutschland", "germany", "allemagne", "germania", "alemania", "brd", "federal republic of germany",
           "bundesrepublik deutschland", "ドイツ", "独逸"),
    "CH": ("schweiz", "suisse", "svizzera", "svizra", "switzerland", "confederation helvetique"),
    "NL": ("holland", "the netherlands", "nederland", "pays bas", "paesi bassi", "paises bajos"),
    "AT": ("osterreich", "oesterreich", "autriche"),
    "KR": ("korea", "south korea", "republic of korea", "korea republic of", "coree du sud", "sudkorea",
           "韓国", "대한민국", "한국"),
    "RU": ("russia", "russian federation", "россия", "российская федерация"),
    "CZ": ("czech republic", "republique tcheque", "tschechische republik", "tschechien"),
    "TR": ("turkey", "turkiye", "turquie", "turkei"),
    "CN": ("prc", "p r china", "peoples republic of china", "china prc", "中国大陆"),
    "AE": ("uae", "u a e", "emirates"),
    "IE": ("eire", "republic of ireland"),
    "JP": ("nippon", "nihon", "日本国"),
    "HK": ("hong kong sar", "hongkong"),
    "VA": ("vatican", "vatican city", "holy see"),
    "CI": ("ivory coast",),
    "MK": ("macedonia", "fyrom"),
    "MM": ("burma",),
    "SZ": ("swaziland",),
    "CD": ("dr congo", "drc", "democratic republic of the congo"),
    "TW": ("taiwan roc", "republic of china"),
    "IT": ("italia",), "ES": ("espana",), "FR": ("republique francaise",), "BE": ("belgie", "belgien"),
    "GR": ("hellas", "ellada", "ελλαδα"),
}


def _country_key(text: str) -> str:
    """Folded, without punctuation or a leading article: "U.S.A." and "usa" give the same key."""
    folded = fold(text)
    folded = re.sub(r"[.,'’()\-/&]+", " ", folded)
    words = folded.split()
    if len(words) > 1 and words[0] in ("the", "la", "le", "les", "l", "die", "der", "el", "los", "las", "il", "lo"):
        words = words[1:]
    return " ".join(words)


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
            if re.fullmatch(r"[A-Z]{2}", key) and key not in ("ZZ", "XA", "XB", "EU", "EZ", "UN", "QO"):
                names.setdefault(_country_key(name), key)
    for code, aliases in _COUNTRY_ALIASES.items():
        for alias in aliases:
            names[_country_key(alias)] = code
    return names


@functools.lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(_country_names().values())


@functools.lru_cache(maxsize=4096)
def country_code(text: str) -> str:
    """ISO code for a country as written ("France", "FR", "Deutschland", "日本", "U.S.A.",
    "United States of America", "USA"), or '' if unknown."""
    text = (text or "").strip()
    if not text:
        return ""
    if re.fullmatch(r"[A-Za-z]{2}", text):
        code = "GB" if text.upper() == "UK" else text.upper()
        if code in _iso_codes():
            return code
    if re.fullmatch(r"[A-Za-z]{3}", text):  # ISO alpha-3 as some exports write it (DEU, FRA, USA)
        # Babel has no alpha-3 table; the codes a boutique meets are listed below.
        code = _ALPHA3.get(text.upper())
        if code:
            return code
    return _country_names().get(_country_key(text), "")


_ALPHA3 = {"USA": "US", "GBR": "GB", "DEU": "DE", "FRA": "FR", "ITA": "IT", "ESP": "ES", "JPN": "JP",
           "CHE": "CH", "AUT": "AT", "BEL": "BE", "NLD": "NL", "LUX": "LU", "CAN": "CA", "AUS": "AU",
           "CHN": "CN", "KOR": "KR", "RUS": "RU", "PRT": "PT", "IRL": "IE", "MCO": "MC", "GRC": "GR",
           "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "POL": "PL", "BRA": "BR", "MEX": "MX",
           "ARE": "AE", "HKG": "HK", "SGP": "SG", "TWN": "TW", "IND": "IN", "ISR": "IL", "TUR": "TR"}


def load_bytes(path) -> "tuple[bytes | None, Problem | None]":
    """An import file's bytes, or the one report line saying why not (unreadable, or larger than
    core.limits.MAX_IMPORT_FILE_BYTES: such a file is not read at all, so memory stays bounded)."""
    from pathlib import Path

    from ..core.limits import MAX_IMPORT_FILE_BYTES
    from ..i18n import _

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_FILE_BYTES:
            return None, Problem(path.name, _("file"), _(
                "not imported: {size} MB is more than the {limit} MB one import file may have; split it").format(
                size=size // (1024 * 1024), limit=MAX_IMPORT_FILE_BYTES // (1024 * 1024)))
        return path.read_bytes(), None
    except OSError as exc:
        return None, Problem(path.name, _("file"), _("cannot be read: {why}").format(why=exc.strerror or exc))


def read_file(path, parse) -> "ReadResult":
    """Read an import file and hand its bytes to parse(data, name); an unreadable file is one report line."""
    from pathlib import Path

    data, problem = load_bytes(path)
    if problem is not None:
        result = ReadResult()
        result.problems.append(problem)
        return result
    return parse(data, Path(path).name)
