"""Embedded fonts and script-aware text runs.

Every piece of text is drawn with fonts shipped in `boutique_book/resources/fonts/` (TrueType outlines,
embedded as subsets: /FontFile2), never with system fonts. A line is cut into runs, each drawn with the first font of
the style's fallback chain that has the character: Noto Sans/Serif (Latin, Greek, Cyrillic), Noto Naskh
Arabic, Droid Sans Fallback (CJK, kana, hangul).

Arabic: reportlab 5 shapes text only through uharfbuzz and reorders right-to-left text only through
`rlbidi`, which is not on PyPI; so Arabic is shaped with `arabic-reshaper` (contextual presentation forms,
lam-alef ligatures) and put in visual order with `python-bidi` before it is drawn. Noto Naskh Arabic maps
the presentation forms, so the PDF's ToUnicode maps give back the letters (in visual order, as in every
PDF without /ActualText).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .. import package_data

FILES = {
    "BB-Sans": "NotoSans-Regular.ttf",
    "BB-Sans-Bold": "NotoSans-Bold.ttf",
    "BB-Serif": "NotoSerif-Regular.ttf",
    "BB-Serif-Bold": "NotoSerif-Bold.ttf",
    "BB-Serif-Italic": "NotoSerif-Italic.ttf",
    "BB-Arabic": "NotoNaskhArabic-Regular.ttf",
    "BB-Arabic-Bold": "NotoNaskhArabic-Bold.ttf",
    "BB-CJK": "DroidSansFallbackFull.ttf",
}

# style -> fallback chain
STYLES = {
    "sans": ("BB-Sans", "BB-Arabic", "BB-CJK"),
    "sans-bold": ("BB-Sans-Bold", "BB-Arabic-Bold", "BB-CJK"),
    "serif": ("BB-Serif", "BB-Arabic", "BB-CJK"),
    "serif-bold": ("BB-Serif-Bold", "BB-Arabic-Bold", "BB-CJK"),
    "serif-italic": ("BB-Serif-Italic", "BB-Arabic", "BB-CJK"),
}

_lock = threading.Lock()
_cmaps: dict[str, dict] = {}
_metrics: dict[str, tuple[float, float]] = {}

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _ensure(name: str) -> dict:
    """Load one shipped font (parsing Droid Sans Fallback costs ~0.5 s, so fonts load on first need)."""
    cmap = _cmaps.get(name)
    if cmap is not None:
        return cmap
    with _lock:
        if name in _cmaps:
            return _cmaps[name]
        path = package_data.path("resources", "fonts", FILES[name])  # MissingResource names the install
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        face = font.face
        _metrics[name] = (face.ascent / 1000.0, face.descent / 1000.0)
        _cmaps[name] = face.charToGlyph
        return _cmaps[name]


def register(names=None) -> None:
    """Register shipped fonts with reportlab (all of them, or `names`); safe to call often."""
    for name in names or FILES:
        _ensure(name)


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text))


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def base_direction(text: str) -> str | None:
    """The paragraph direction from the text itself (Unicode bidi rules P2/P3): the first strong
    character decides, "rtl" for Arabic/Hebrew letters, "ltr" for any other letter; None when the text
    has no strong character (digits, punctuation)."""
    import unicodedata

    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def visual(text: str, direction: str | None = None) -> str:
    """Arabic shaped into presentation forms and put in visual order (within a paragraph of `direction`,
    or of the text's own direction); text without right-to-left characters is unchanged."""
    if not _RTL.search(text):
        return text
    if _ARABIC.search(text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    from bidi import get_display

    return get_display(text, base_dir={"rtl": "R", "ltr": "L"}.get(direction or ""))


@dataclass(frozen=True)
class Prepared:
    """One line ready to draw: runs of (font, text) in visual order, metrics at size 1."""

    text: str                       # logical text as given
    runs: tuple[tuple[str, str], ...]
    width: float                    # advance width at 1 pt
    ascent: float                   # highest ascent of the fonts used, at 1 pt
    descent: float                  # lowest descent (negative), at 1 pt
    rtl: bool                       # the line's paragraph runs right to left


def _font_for(ch: str, chain: tuple[str, ...], current: str | None) -> str:
    code = ord(ch)
    if current is not None and (ch.isspace() or code in _cmaps[current]):
        return current
    for name in chain:
        if code in _ensure(name):
            return name
    return current or chain[0]


@lru_cache(maxsize=20000)
def prepare(text: str, style: str = "sans", direction: str | None = None) -> Prepared:
    """`direction` ("ltr"/"rtl") is the paragraph's; None takes the line's own (first strong character)."""
    chain = STYLES[style]
    _ensure(chain[0])
    direction = direction or base_direction(text) or "ltr"
    shown = visual(text, direction)
    runs: list[list] = []
    current = None
    for ch in shown:
        name = _font_for(ch, chain, current)
        if runs and name == runs[-1][0]:
            runs[-1][1].append(ch)
        else:
            runs.append([name, [ch]])
            current = name
    final = tuple((name, "".join(chars)) for name, chars in runs)
    width = sum(pdfmetrics.stringWidth(part, name, 1.0) for name, part in final)
    used = {name for name, _ in final} or {chain[0]}
    ascent = max(_metrics[n][0] for n in used)
    descent = min(_metrics[n][1] for n in used)
    return Prepared(text, final, width, ascent, descent, direction == "rtl")


def forget() -> None:
    """Drop the cache of prepared lines (it holds names and addresses): called when the app locks."""
    prepare.cache_clear()


def width(text: str, size: float, style: str = "sans", direction: str | None = None) -> float:
    return prepare(text, style, direction).width * size


def draw(canvas, x: float, y: float, line: Prepared, size: float) -> None:
    """Draw a prepared line with its left end at x and its baseline at y."""
    for name, part in line.runs:
        canvas.setFont(name, size)
        canvas.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, name, size)


def font_names() -> list[str]:
    return list(FILES)
