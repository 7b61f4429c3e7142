"""Label sheets read back: every label's text inside its own cell, start-at-N, page sizes, fonts embedded."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.units import mm

from boutique_book.core.errors import ValidationError
from boutique_book.core.model import Address
from boutique_book.printing import layout, render, sheets
from boutique_book.printing.addresses import format_lines

from .conftest import lines_of, logical, pdf_pages

TOL = 0.01  # points

LONG = "Maximilian Alexander Freiherr von und zu Hohenberg-Schwarzenfeld-Großkreutz"


def sample_blocks() -> list[list[str]]:
    return [
        format_lines("Madame Anne Dupont", "", Address("12 avenue Montaigne", "Paris", "75008", "FR"), "FR", "fr"),
        format_lines("山田太郎 様", "", Address("中央区銀座4-6-16", "東京都", "104-0061", "JP"), "FR", "fr"),
        format_lines("محمد الحسن", "", Address("شارع الشيخ زايد 12", "دبي", "", "AE"), "FR", "fr"),
        format_lines("Анна Иванова", "", Address("ул. Петровка 5", "Москва", "125009", "RU"), "FR", "fr"),
        format_lines("Κωνσταντίνος Παπαδόπουλος", "", Address("Οδός Ερμού 25", "Αθήνα", "105 63", "GR"), "FR", "fr"),
        format_lines(LONG, "Schwarzenfeld Vermögensverwaltung GmbH & Co. KG",
                     Address("Maximilianstraße 123, Hinterhaus, 3. Obergeschoss links, bei Familie Ährens-Köhler",
                             "München", "80331", "DE"), "FR", "fr"),
        # far too much text for any label: must be cut, never spill
        [LONG * 3] + ["Zeile %d mit etwas mehr Text, damit es eng wird" % n for n in range(14)],
    ]


def cell_boxes(sheet, page_height):
    """Cells in pdfplumber coordinates (top measured from the top of the page)."""
    boxes = []
    for index in range(sheet.per_page):
        x, y, w, h = sheet.cell(index)
        boxes.append((x, page_height - (y + h), x + w, page_height - y))
    return boxes


def chars_by_cell(sheet, pdf):
    """{(page, cell): [chars]}; fails if a character is not wholly inside the cell holding its centre."""
    found = {}
    for page_no, (width, height, chars) in enumerate(pdf_pages(pdf)):
        boxes = cell_boxes(sheet, height)
        for ch in chars:
            cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            owner = [i for i, (x0, t, x1, b) in enumerate(boxes) if x0 <= cx <= x1 and t <= cy <= b]
            assert owner, f"{ch['text']!r} at ({cx:.1f}, {cy:.1f}) lies in no label on page {page_no + 1}"
            x0, top, x1, bottom = boxes[owner[0]]
            assert ch["x0"] >= x0 - TOL and ch["x1"] <= x1 + TOL and ch["top"] >= top - TOL \
                and ch["bottom"] <= bottom + TOL, f"{ch['text']!r} crosses the edge of label {owner[0] + 1}"
            found.setdefault((page_no, owner[0]), []).append(ch)
    return found


CUSTOM = sheets.SheetFormat("shop-2x4", "custom", 210.0, 297.0, 2, 4, 90.0, 50.0, 12.0, 20.0, 95.0, 60.0)


@pytest.mark.parametrize("sheet", list(sheets.SHEETS.values()) + [CUSTOM], ids=lambda s: s.code)
def test_every_label_lies_inside_its_cell(sheet):
    blocks = sample_blocks() * 5   # more than one page for every format
    pdf = render.render_labels(blocks, sheet.validate())
    cells = chars_by_cell(sheet, pdf)
    assert len(cells) == len(blocks)
    expected_pages = -(-len(blocks) // sheet.per_page)
    pages = pdf_pages(pdf)
    assert len(pages) == expected_pages
    # the labels come out in order, each with its own address
    order = sorted(cells)
    for n, key in enumerate(order[: len(sample_blocks()) - 1]):
        text = [logical(line) for line in lines_of(cells[key])]
        if n != 5:  # the long German address wraps
            assert text == sample_blocks()[n]


@pytest.mark.parametrize("code,size", [("L7160", (595.28, 841.89)), ("L7163", (595.28, 841.89)),
                                       ("L7161", (595.28, 841.89)), ("5160", (612.0, 792.0))])
def test_page_sizes(code, size):
    pdf = render.render_labels([["A", "B"]], sheets.sheet(code))
    width, height, _chars = pdf_pages(pdf)[0]
    assert (round(width, 1), round(height, 1)) == (round(size[0], 1), round(size[1], 1))


def test_start_at_label_n_leaves_the_first_cells_empty():
    sheet = sheets.sheet("L7160")
    pdf = render.render_labels([["Anne Dupont", "75008 PARIS"]] * 3, sheet, start=5)
    cells = chars_by_cell(sheet, pdf)
    assert sorted(cells) == [(0, 4), (0, 5), (0, 6)]


def test_start_at_last_label_continues_on_a_new_sheet():
    sheet = sheets.sheet("5160")
    pdf = render.render_labels([["one"], ["two"]], sheet, start=30)
    cells = chars_by_cell(sheet, pdf)
    assert sorted(cells) == [(0, 29), (1, 0)]


def test_start_outside_the_sheet_is_refused():
    with pytest.raises(ValidationError, match="1 to 21"):
        render.render_labels([["x"]], sheets.sheet("L7160"), start=22)


def test_fonts_are_embedded_truetype():
    from pypdf import PdfReader

    pdf = render.render_labels(sample_blocks(), sheets.sheet("L7160"))
    reader = PdfReader(io.BytesIO(pdf))
    seen = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            seen.append(str(font["/BaseFont"]))
    joined = " ".join(seen)
    for family in ("NotoSans", "NotoNaskhArabic", "DroidSansFallback"):
        assert family in joined
    assert "Helvetica" not in joined


def test_calibration_moves_everything():
    sheet = sheets.sheet("L7160")
    plain = pdf_pages(render.render_labels([["Anne Dupont"]], sheet))[0][2]
    nudged = pdf_pages(render.render_labels([["Anne Dupont"]], sheet, offset_mm=(1.5, -2.0)))[0][2]
    assert nudged[0]["x0"] - plain[0]["x0"] == pytest.approx(1.5 * mm, abs=0.01)
    assert nudged[0]["top"] - plain[0]["top"] == pytest.approx(-2.0 * mm, abs=0.01)


def test_custom_sheet_that_does_not_fit_is_refused(vault):
    bad = sheets.SheetFormat("too-wide", "", 210, 297, 3, 7, 80, 38.1, 7, 15, 82, 38.1)
    with pytest.raises(ValidationError, match="do not fit"):
        sheets.save_custom_sheet(vault, bad)
    sheets.save_custom_sheet(vault, CUSTOM)
    assert sheets.sheet("shop-2x4", vault) == CUSTOM


def test_calibration_is_saved_per_printer(vault):
    sheets.set_calibration(vault, "Brother HL", 0.8, -1.2)
    assert sheets.calibration(vault, "Brother HL") == (0.8, -1.2)
    assert sheets.calibration(vault, "Other") == (0.0, 0.0)


@pytest.mark.parametrize("text", ["Hohenberg-Schwarzenfeld " * 8, "東京都中央区銀座四丁目六番十六号" * 4,
                                  "شارع الشيخ زايد " * 6, "Supercalifragilisticexpialidocious" * 4])
def test_long_lines_shrink_or_wrap_within_the_box(text):
    block = layout.fit([text, "75008 PARIS"], 50 * mm, 30 * mm)
    assert block.lines
    assert all(line.width * block.size <= 50 * mm + 1e-6 for line in block.lines)
    assert block.height() <= 30 * mm + 1e-6
