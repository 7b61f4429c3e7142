"""Fit text into a box: shrink first, then wrap, never overflow.

Order of attempts for a block of lines in a box:
  1. the preferred size down to `min_size` in half points, lines as they are;
  2. the preferred size down to `floor`, long lines wrapped at spaces (CJK anywhere between characters);
  3. at `floor`, lines that still do not fit are cut with an ellipsis and the block says `truncated`.
Heights use the real ascent/descent of the fonts used on the first and last lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import fonts

_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+\s*|\s+")


@dataclass
class Block:
    lines: list[fonts.Prepared]
    size: float
    leading: float
    truncated: bool = False

    def height(self) -> float:
        return block_height(self.lines, self.size, self.leading)


def block_height(lines: list[fonts.Prepared], size: float, leading: float) -> float:
    if not lines:
        return 0.0
    return (lines[0].ascent + (len(lines) - 1) * leading - lines[-1].descent) * size


def wrap(text: str, max_width: float, size: float, style: str) -> list[str]:
    """Greedy wrap of one logical line so that every piece is at most max_width wide at size."""
    if fonts.width(text, size, style) <= max_width:
        return [text]
    pieces: list[str] = []
    current = ""
    for token in _TOKEN.findall(text):
        candidate = current + token
        if fonts.width(candidate.rstrip(), size, style) <= max_width:
            current = candidate
            continue
        if current.strip():
            pieces.append(current.rstrip())
        current = token.lstrip()
        while current and fonts.width(current.rstrip(), size, style) > max_width:
            # a single word wider than the box: break it between characters
            cut = len(current)
            while cut > 1 and fonts.width(current[:cut], size, style) > max_width:
                cut -= 1
            pieces.append(current[:cut])
            current = current[cut:]
    if current.strip():
        pieces.append(current.rstrip())
    return pieces or [""]


def _ellipsize(text: str, max_width: float, size: float, style: str) -> str:
    while text and fonts.width(text + "…", size, style) > max_width:
        text = text[:-1]
    return text + "…"


def fit(texts: list[str], box_width: float, box_height: float, style: str = "sans", max_size: float = 11.0,
        min_size: float = 7.0, floor: float = 4.0, leading: float = 1.2, step: float = 0.5) -> Block:
    texts = [t for t in texts]
    size = max_size
    while size >= min_size - 1e-9:
        lines = [fonts.prepare(t, style) for t in texts]
        if all(line.width * size <= box_width for line in lines) and block_height(lines, size, leading) <= box_height:
            return Block(lines, size, leading)
        size -= step
    size = max_size
    while size >= floor - 1e-9:
        wrapped = [piece for t in texts for piece in wrap(t, box_width, size, style)]
        lines = [fonts.prepare(t, style) for t in wrapped]
        if all(line.width * size <= box_width for line in lines) and block_height(lines, size, leading) <= box_height:
            return Block(lines, size, leading)
        size -= step
    # Last resort at the floor size: as many lines as fit, each cut to the width.
    size = floor
    wrapped = [piece for t in texts for piece in wrap(t, box_width, size, style)]
    kept: list[fonts.Prepared] = []
    for text in wrapped:
        line = fonts.prepare(text, style)
        if line.width * size > box_width:
            line = fonts.prepare(_ellipsize(text, box_width, size, style), style)
        if block_height(kept + [line], size, leading) > box_height:
            break
        kept.append(line)
    return Block(kept, size, leading, truncated=True)


def draw(canvas, block: Block, x: float, y_top: float, box_width: float, box_height: float | None = None,
         align: str = "left", valign: str = "top") -> None:
    """Draw a fitted block in the box whose top-left corner is (x, y_top). With align "left" (the
    natural start), right-to-left lines, and every line of a block that starts right-to-left, align right."""
    if not block.lines:
        return
    size = block.size
    top = y_top
    if valign == "middle" and box_height is not None:
        top = y_top - (box_height - block.height()) / 2
    y = top - block.lines[0].ascent * size
    rtl_block = block.lines[0].rtl      # an Arabic address block keeps one right edge, country line included
    for line in block.lines:
        w = line.width * size
        if align == "center":
            lx = x + (box_width - w) / 2
        elif align == "right" or (align == "left" and (line.rtl or rtl_block)):
            lx = x + box_width - w
        else:
            lx = x
        fonts.draw(canvas, lx, y, line, size)
        y -= block.leading * size
