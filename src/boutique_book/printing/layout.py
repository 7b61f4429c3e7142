"""Fit text into a box: shrink first, then wrap, never overflow.

Order of attempts for a block of lines in a box:
  1. the preferred size down to `min_size` in half points, lines as they are;
  2. the preferred size down to `floor`, long lines wrapped (see `wrap`);
  3. at `floor`, lines that still do not fit are cut with an ellipsis and the block says `truncated`.
Heights use the real ascent/descent of the fonts used on the first and last lines.

Line breaking by script: Latin, Greek, Cyrillic and Arabic break between words; a word wider than the
whole line is hyphenated (pyphen, the dictionaries of LibreOffice, in the document's language), or cut
between letters where there is no dictionary (address labels never get a hyphen that is not theirs).
Chinese and Japanese break between any two characters, under the kinsoku rules (JIS X 4051): no line
starts with 、。，」）ー small kana and the like, none ends with 「（【 and the like: such a character
travels with its neighbour (oidashi: the pair moves to the next line).

Direction: each logical line is a paragraph (Unicode bidi: a line break is a paragraph separator); it is
wrapped in logical order, then each piece is put in visual order with its paragraph's direction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START

from . import fonts

_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+\s*|\s+")

# Kinsoku shori: reportlab's lists (reportlab.lib.textsplit) plus the full-width punctuation, closing
# brackets and small kana they leave out.
CANNOT_START = frozenset(ALL_CANNOT_START) | frozenset(
    "、。，．：；？！）］｝〉》」』】〕〙〗〟’”…‥ー々〻ゝゞヽヾ・"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
CANNOT_END = frozenset(ALL_CANNOT_END) | frozenset("（［｛〈《「『【〔〘〖〝‘“")


@dataclass
class Block:
    lines: list[fonts.Prepared]
    size: float
    leading: float
    truncated: bool = False
    aligns: list[str] | None = None      # per line: start / end / center (running text)

    def height(self) -> float:
        return block_height(self.lines, self.size, self.leading)


def block_height(lines: list[fonts.Prepared], size: float, leading: float) -> float:
    if not lines:
        return 0.0
    return (lines[0].ascent + (len(lines) - 1) * leading - lines[-1].descent) * size


def _clusters(text: str) -> list[str]:
    """Tokens (a word with its trailing spaces, one CJK character, a run of spaces) glued by kinsoku:
    a character that may not start a line joins the token before it, one that may not end a line joins
    the token after it."""
    out: list[str] = []
    glue_next = False
    for token in _TOKEN.findall(text):
        if out and not out[-1].isspace() and (glue_next or token[0] in CANNOT_START):
            out[-1] += token
        else:
            out.append(token)
        stripped = token.rstrip()
        glue_next = bool(stripped) and stripped[-1] in CANNOT_END and not token[-1].isspace()
    return out


@lru_cache(maxsize=16)
def _dictionary(language: str):
    try:
        import pyphen
    except ImportError:  # pragma: no cover - pyphen is a dependency; without it words are cut
        return None
    found = pyphen.language_fallback((language or "").replace("-", "_"))
    return pyphen.Pyphen(lang=found) if found else None


def _split_word(word: str, max_width: float, size: float, style: str, direction: str | None,
                language: str | None) -> tuple[str, str]:
    """The longest first part of an over-long word that fits, with its hyphen when a dictionary knows
    where to break; else cut between characters."""
    dictionary = _dictionary(language) if language else None
    core = word.rstrip()
    if dictionary is not None:
        for first, rest in dictionary.iterate(core):
            piece = first if first.endswith("-") else first + "-"
            if fonts.width(piece, size, style, direction) <= max_width:
                return piece, word[len(first):]
    cut = len(word)
    while cut > 1 and fonts.width(word[:cut].rstrip(), size, style, direction) > max_width:
        cut -= 1
    return word[:cut], word[cut:]


def wrap(text: str, max_width: float, size: float, style: str, direction: str | None = None,
         language: str | None = None) -> list[str]:
    """Greedy wrap of one logical line so that every piece is at most max_width wide at size (see the
    module's note on line breaking). `language` chooses the hyphenation dictionary (None: no hyphens)."""
    if fonts.width(text, size, style, direction) <= max_width:
        return [text]
    pieces: list[str] = []
    current = ""
    for token in _clusters(text):
        candidate = current + token
        if fonts.width(candidate.rstrip(), size, style, direction) <= max_width:
            current = candidate
            continue
        if current.strip():
            pieces.append(current.rstrip())
        current = token.lstrip()
        while current and fonts.width(current.rstrip(), size, style, direction) > max_width:
            first, current = _split_word(current, max_width, size, style, direction, language)
            pieces.append(first.rstrip())
    if current.strip():
        pieces.append(current.rstrip())
    return pieces or [""]


def _ellipsize(text: str, max_width: float, size: float, style: str) -> str:
    while text and fonts.width(text + "…", size, style) > max_width:
        text = text[:-1]
    return text + "…"


def fit(texts: list[str], box_width: float, box_height: float, style: str = "sans", max_size: float = 11.0,
        min_size: float = 7.0, floor: float = 4.0, leading: float = 1.2, step: float = 0.5,
        directions: list[str | None] | None = None, aligns: list[str] | None = None,
        language: str | None = None) -> Block:
    """`directions`: per text, its paragraph direction ("ltr"/"rtl"; None: from the text itself).
    `aligns`: per text, "start" (the paragraph's own side), "end" or "center" (drawn by `draw` with
    per_paragraph=True). `language`: hyphenation dictionary for over-long words (None: cut, no hyphen)."""
    texts = list(texts)
    directions = list(directions) if directions is not None else [None] * len(texts)
    aligns = list(aligns) if aligns is not None else ["start"] * len(texts)

    def prepared(pairs):
        return [fonts.prepare(t, style, d) for t, d, _a in pairs]

    def wrapped_at(size):
        return [(piece, d, a) for t, d, a in zip(texts, directions, aligns)
                for piece in wrap(t, box_width, size, style, d or fonts.base_direction(t), language)]

    def fits(lines, size):
        return all(line.width * size <= box_width for line in lines) and \
            block_height(lines, size, leading) <= box_height

    size = max_size
    while size >= min_size - 1e-9:
        pairs = list(zip(texts, directions, aligns))
        lines = prepared(pairs)
        if fits(lines, size):
            return Block(lines, size, leading, aligns=[a for _t, _d, a in pairs])
        size -= step
    size = max_size
    while size >= floor - 1e-9:
        pairs = wrapped_at(size)
        lines = prepared(pairs)
        if fits(lines, size):
            return Block(lines, size, leading, aligns=[a for _t, _d, a in pairs])
        size -= step
    # Last resort at the floor size: as many lines as fit, each cut to the width.
    size = floor
    kept: list[fonts.Prepared] = []
    kept_aligns: list[str] = []
    for text, direction, align in wrapped_at(size):
        line = fonts.prepare(text, style, direction)
        if line.width * size > box_width:
            line = fonts.prepare(_ellipsize(text, box_width, size, style), style, direction)
        if block_height(kept + [line], size, leading) > box_height:
            break
        kept.append(line)
        kept_aligns.append(align)
    return Block(kept, size, leading, truncated=True, aligns=kept_aligns)


def draw(canvas, block: Block, x: float, y_top: float, box_width: float, box_height: float | None = None,
         align: str = "left", valign: str = "top", per_paragraph: bool = False) -> None:
    """Draw a fitted block in the box whose top-left corner is (x, y_top).

    Address blocks (default): with align "left" (the natural start), right-to-left lines, and every line
    of a block that starts right-to-left, align right (an Arabic address keeps one right edge).
    Running text (per_paragraph=True): each line follows its own paragraph's direction and the block's
    per-line alignment ("start", "end", "center"), so an English paragraph stays on the left margin
    whatever name it holds, and an Arabic one ends on the right margin."""
    if not block.lines:
        return
    size = block.size
    top = y_top
    if valign == "middle" and box_height is not None:
        top = y_top - (box_height - block.height()) / 2
    y = top - block.lines[0].ascent * size
    rtl_block = block.lines[0].rtl      # an Arabic address block keeps one right edge, country line included
    aligns = block.aligns or ["start"] * len(block.lines)
    for line, line_align in zip(block.lines, aligns):
        w = line.width * size
        if per_paragraph:
            side = {"start": "right" if line.rtl else "left", "end": "left" if line.rtl else "right"}.get(
                line_align, line_align)
        else:
            side = "right" if align == "right" or (align == "left" and (line.rtl or rtl_block)) else align
        if side == "center":
            lx = x + (box_width - w) / 2
        elif side == "right":
            lx = x + box_width - w
        else:
            lx = x
        fonts.draw(canvas, lx, y, line, size)
        y -= block.leading * size
