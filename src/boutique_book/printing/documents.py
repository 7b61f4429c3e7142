"""Card inserts (A6, A5 folded) and letters (A4, US Letter) from merged templates."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, A5, A6, LETTER, landscape
from reportlab.lib.units import mm

from ..core import jobs
from ..core.errors import ValidationError
from ..i18n import _
from . import layout
from .render import _draw_logo, _nudge, finish_pdf, new_canvas

PAGE_SIZES = {"A6": A6, "A5-folded": landscape(A5), "A4": A4, "Letter": LETTER}
# Windowed envelopes: French/Southern European letters put the address on the right, DIN 5008 on the left.
RIGHT_WINDOW = {"FR", "BE", "LU", "MC", "ES", "IT", "PT", "CH"}


@dataclass
class Page:
    """One merged document: the text, the recipient's address block, the place-and-date line, and the
    signature block (closing, room to sign by hand, staff name, boutique line) in the template's
    direction ("ltr"/"rtl") and alignment ("start"/"end")."""

    text: str
    address_lines: list[str]
    place_date: str = ""
    direction: str = "ltr"
    signature: list = field(default_factory=list)      # templates.SignatureLine
    signature_align: str = "start"
    language: str = "en"
    letterhead: list[str] | None = None   # this letter's own sender block (abroad: with the boutique's country)


SIGNING_SPACE_LINES = {"letter": 3, "card": 2}      # blank lines left for the handwritten signature


def paragraphs(page: Page, kind: str) -> tuple[list[str], list[str | None], list[str]]:
    """The lines to draw with each one's paragraph direction and alignment.

    Body lines take their direction from their own text (Unicode bidi P2/P3: the first strong letter), so
    "Dear محمد," stays left-to-right; a line with no letter at all takes the template's direction. The
    signature block follows the template's direction as a whole, so a Latin staff name under an Arabic
    closing keeps the same right edge."""
    from .fonts import base_direction

    texts, directions, aligns = [], [], []
    for line in _body_lines(page.text):
        texts.append(line)
        directions.append(base_direction(line) or page.direction)
        aligns.append("start")
    if page.signature:
        texts.append("")
        directions.append(page.direction)
        aligns.append("start")
    for line in page.signature:
        count = SIGNING_SPACE_LINES[kind] if line.part == "space" else 1
        for _n in range(count):
            texts.append(line.text)
            directions.append(page.direction)
            aligns.append(page.signature_align)
    return texts, directions, aligns


def normalise_format(fmt: str) -> str:
    for known in PAGE_SIZES:
        if fmt.strip().lower().replace("_", "-") in (known.lower(), known.lower().replace("-", "")):
            return known
    if fmt.strip().lower() in ("a5", "a5folded", "folded"):
        return "A5-folded"
    raise ValidationError(_("Unknown page format “{fmt}”. Known formats: {known}.").format(
        fmt=fmt, known=", ".join(PAGE_SIZES)), field="format")


def _body_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def render_documents(pages: list[Page], fmt: str, sender_lines: list[str] | None = None,
                     logo_png: bytes | None = None, window: str = "left",
                     offset_mm: tuple[float, float] = (0.0, 0.0), progress=None, cancelled=None) -> bytes:
    fmt = normalise_format(fmt)
    size = PAGE_SIZES[fmt]
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, _("Letters") if fmt in ("A4", "Letter") else _("Cards"))
    total = len(pages)
    fitted: dict[tuple, object] = {}
    for n, page in enumerate(pages):
        if n % 10 == 0:
            jobs.check(cancelled)
            if progress:
                progress(n, total)
        canvas.saveState()
        _nudge(canvas, offset_mm)
        W, H = size
        if fmt in ("A4", "Letter"):
            left, right = 25 * mm, 20 * mm
            y = H - 15 * mm
            used = 0.0
            if logo_png:
                used = _draw_logo(canvas, logo_png, left, y, 60 * mm, 14 * mm)
                used = used + 2 * mm if used else 0.0
            own = page.letterhead if page.letterhead is not None else sender_lines
            if own:
                key = tuple(own)
                if key not in fitted:
                    fitted[key] = layout.fit(own, 80 * mm, 30 * mm - used, style="sans", max_size=8.5,
                                             min_size=6.5)
                layout.draw(canvas, fitted[key], left, y - used, 80 * mm)
            wx = 110 * mm if window == "right" else 25 * mm
            address = layout.fit(page.address_lines, 80 * mm, 35 * mm, style="serif", max_size=11, min_size=8)
            layout.draw(canvas, address, wx, H - 50 * mm, 80 * mm, 35 * mm, valign="middle")
            if page.place_date:
                # written by us in the template's language: its direction, at the end of the line
                line = layout.fit([page.place_date], W - left - right, 8 * mm, style="serif", max_size=10.5,
                                  directions=[page.direction], aligns=["end"])
                layout.draw(canvas, line, left, H - 95 * mm, W - left - right, per_paragraph=True)
            texts, directions, aligns = paragraphs(page, "letter")
            body = layout.fit(texts, W - left - right, H - 110 * mm - 25 * mm, style="serif", max_size=11,
                              min_size=8.5, leading=1.35, directions=directions, aligns=aligns,
                              language=page.language)
            layout.draw(canvas, body, left, H - 110 * mm, W - left - right, per_paragraph=True)
        else:
            margin = 12 * mm
            x0 = W / 2 + margin if fmt == "A5-folded" else margin
            box_w = (W / 2 if fmt == "A5-folded" else W) - 2 * margin
            box_h = H - 2 * margin
            if fmt == "A5-folded":
                canvas.setStrokeColorRGB(0.7, 0.7, 0.7)
                canvas.setLineWidth(0.3)
                canvas.line(W / 2, H, W / 2, H - 5 * mm)
                canvas.line(W / 2, 0, W / 2, 5 * mm)
            texts, directions, aligns = paragraphs(page, "card")
            body = layout.fit(texts, box_w, box_h, style="serif-italic", max_size=12.5, min_size=9, leading=1.4,
                              directions=directions, aligns=aligns, language=page.language)
            layout.draw(canvas, body, x0, H - margin, box_w, box_h, valign="middle", per_paragraph=True)
        canvas.restoreState()
        canvas.showPage()
    return finish_pdf(canvas, buffer, progress, total, empty=not pages)
