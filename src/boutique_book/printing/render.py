"""PDF rendering of label sheets and envelopes (pure drawing: address lines in, PDF bytes out)."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..core import jobs
from ..core.errors import ValidationError
from ..i18n import _
from . import fonts, layout
from .sheets import EnvelopeSize, SheetFormat


def new_canvas(buffer, page_size, title: str) -> Canvas:
    fonts.register(["BB-Sans"])
    # initialFontName: otherwise reportlab lists an unembedded Helvetica on every page
    canvas = Canvas(buffer, pagesize=page_size, pageCompression=1, invariant=1, initialFontName="BB-Sans")
    canvas.setTitle(title)
    canvas.setAuthor("Boutique Book")
    canvas.setCreator("Boutique Book")
    return canvas


def _nudge(canvas, offset_mm: tuple[float, float]) -> None:
    dx, dy = offset_mm
    if dx or dy:
        canvas.translate(dx * mm, -dy * mm)


def render_labels(blocks: list[list[str]], sheet: SheetFormat, start: int = 1,
                  offset_mm: tuple[float, float] = (0.0, 0.0), outlines: bool = False,
                  padding_mm: tuple[float, float] = (3.0, 2.0), max_size: float = 11.0,
                  progress=None, cancelled=None) -> bytes:
    """One address block per label, starting at label `start` (1-based) of the first sheet."""
    if not 1 <= start <= sheet.per_page:
        raise ValidationError(_("Start at label {start}: this sheet has labels 1 to {n}.").format(
            start=start, n=sheet.per_page), field="start")
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, sheet.page_size, _("Address labels"))
    total = len(blocks)
    pad_x, pad_y = padding_mm[0] * mm, padding_mm[1] * mm
    position = start - 1
    page_open = False
    for n, lines in enumerate(blocks):
        if n % 25 == 0:
            jobs.check(cancelled)
            if progress:
                progress(n, total)
        slot = position % sheet.per_page
        if slot == 0 and page_open:
            canvas.restoreState()
            canvas.showPage()
            page_open = False
        if not page_open:
            canvas.saveState()
            _nudge(canvas, offset_mm)
            if outlines:
                _draw_outlines(canvas, sheet)
            page_open = True
        x, y, w, h = sheet.cell(slot)
        box_w, box_h = w - 2 * pad_x, h - 2 * pad_y
        block = layout.fit(lines, box_w, box_h, max_size=max_size, min_size=7.0)
        layout.draw(canvas, block, x + pad_x, y + h - pad_y, box_w, box_h, valign="middle")
        position += 1
    if not page_open:
        canvas.saveState()
        if outlines:
            _draw_outlines(canvas, sheet)
    canvas.restoreState()
    canvas.showPage()
    return finish_pdf(canvas, buffer, progress, total)


def _draw_outlines(canvas, sheet: SheetFormat) -> None:
    canvas.saveState()
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    for index in range(sheet.per_page):
        x, y, w, h = sheet.cell(index)
        canvas.roundRect(x, y, w, h, 2 * mm, stroke=1, fill=0)
    canvas.restoreState()


def _draw_logo(canvas, png: bytes, x: float, y_top: float, max_w: float, max_h: float) -> float:
    """Draw the logo scaled into the box; returns the height used (0 when the image is unreadable)."""
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(io.BytesIO(png))
        iw, ih = image.getSize()
    except Exception:  # a damaged logo must not stop the print run
        return 0.0
    scale = min(max_w / iw, max_h / ih)
    canvas.drawImage(image, x, y_top - ih * scale, iw * scale, ih * scale, mask="auto")
    return ih * scale


def envelope_boxes(size: EnvelopeSize) -> dict[str, tuple[float, float, float, float]]:
    """(x, y_top, width, height) in points of the sender and address zones."""
    W, H = size.width * mm, size.height * mm
    margin = 10 * mm
    address_x = max(W * 0.45, W - 120 * mm)
    return {
        "sender": (margin, H - margin, W * 0.42 - margin, H * 0.36),
        "address": (address_x, H * 0.62, W - address_x - 15 * mm, H * 0.62 - 15 * mm),
    }


def render_envelopes(blocks: list[list[str]], size: EnvelopeSize, sender_lines: list[str] | None = None,
                     logo_png: bytes | None = None, offset_mm: tuple[float, float] = (0.0, 0.0),
                     progress=None, cancelled=None, senders: list[list[str]] | None = None) -> bytes:
    """`senders`, when given, is each envelope's own sender block (mail abroad names the boutique's country);
    otherwise every envelope gets `sender_lines`."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size.page_size, _("Envelopes"))
    boxes = envelope_boxes(size)
    fitted: dict[tuple, object] = {}
    total = len(blocks)
    for n, lines in enumerate(blocks):
        if n % 25 == 0:
            jobs.check(cancelled)
            if progress:
                progress(n, total)
        canvas.saveState()
        _nudge(canvas, offset_mm)
        sx, sy, sw, sh = boxes["sender"]
        used = 0.0
        if logo_png:
            used = _draw_logo(canvas, logo_png, sx, sy, sw, sh * 0.45)
            used = used + 2 * mm if used else 0.0
        own = senders[n] if senders is not None else sender_lines
        if own:
            key = tuple(own)
            if key not in fitted:
                fitted[key] = layout.fit(own, sw, sh - used, max_size=8.5, min_size=6.0)
            layout.draw(canvas, fitted[key], sx, sy - used, sw)
        ax, ay, aw, ah = boxes["address"]
        block = layout.fit(lines, aw, ah, max_size=12.0, min_size=8.0)
        layout.draw(canvas, block, ax, ay, aw, ah, valign="top")
        canvas.restoreState()
        canvas.showPage()
    return finish_pdf(canvas, buffer, progress, total, empty=not blocks)


def finish_pdf(canvas, buffer, progress, total: int, empty: bool = False) -> bytes:
    """Close the document (an empty job still makes one blank page, a valid PDF) and report completion."""
    if empty:
        canvas.showPage()
    canvas.save()
    if progress:
        progress(total, total)
    return buffer.getvalue()
