"""Charts for the HQ chain report, drawn with reportlab's graphics (vector, no extra dependency).

Why reportlab and not matplotlib: reportlab is already the app's PDF engine (printing/), so the report
needs no new ~40 MB dependency and no second font stack; its charts are vector drawings inside the PDF
(crisp at any zoom, tiny files: 500 store pages stay a few MB) whose labels are real text, which is what
lets the tests read them back with pdfplumber; and the same Drawing renders to SVG for the HTML report.
What we give up: matplotlib's richer chart types and automatic layout; the charts here are bars and
lines, which reportlab does well.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from ..core.formatting import number_text

PALETTE = [colors.HexColor(c) for c in ("#8c2d4f", "#d08a3a", "#5b7f95", "#7a9a52", "#b5a48b", "#4d4d6d",
                                        "#c26d6d", "#3f7f6f")]
FONT = "Helvetica"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 5
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return top
    return 10 * magnitude


def _title(drawing: Drawing, title: str, width: float, height: float) -> None:
    drawing.add(String(0, height - 12, title, fontName=FONT + "-Bold", fontSize=10))


def _legend(drawing: Drawing, names, x: float, y: float) -> None:
    if len(names) < 2:
        return
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = FONT, 7
    legend.boxAnchor = "nw"
    legend.columnMaximum = 8
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, name in enumerate(names)]
    drawing.add(legend)


def _fit_labels(chart, labels) -> None:
    """Slant the category labels (and make room under the axis) when they would overlap."""
    widest = max((len(str(label)) for label in labels), default=0) * 7 * 0.5
    if widest > chart.width / max(len(labels), 1) - 4:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        lift = min(int(widest * 0.5), 40)
        chart.y += lift
        chart.height -= lift


def bar_chart(title: str, categories: list[str], series: dict[str, list[float]], width=480, height=190,
              stacked: bool = False, horizontal: bool = False) -> Drawing:
    """Bars per category, one colour per series (stacked or side by side). Empty data draws a note."""
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    if not categories or not series:
        drawing.add(String(0, height / 2, "—", fontName=FONT, fontSize=9))
        return drawing
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    legend_width = 110 if len(series) > 1 else 0
    label_room = 90 if horizontal else 0
    chart.x, chart.y = 30 + label_room, 30
    chart.width = width - chart.x - legend_width - 10
    chart.height = height - 30 - 22
    chart.data = [list(v) for v in series.values()]
    chart.categoryAxis.categoryNames = [str(c) for c in categories]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    if not horizontal:
        _fit_labels(chart, categories)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _count  # 5,000,000 not 5000000
    chart.valueAxis.valueMin = 0
    totals = [sum(vals) for vals in zip(*chart.data)] if stacked else [max(vals) for vals in zip(*chart.data)]
    chart.valueAxis.valueMax = _nice_max(max(totals or [0]))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    if stacked:
        chart.categoryAxis.style = "stacked"
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(drawing, list(series), width - legend_width + 5, height - 22)
    return drawing


def line_chart(title: str, x_labels: list[str], series: dict[str, list[float]], width=480, height=190) -> Drawing:
    drawing = Drawing(width, height)
    _title(drawing, title, width, height)
    if len(x_labels) < 1 or not series:
        drawing.add(String(0, height / 2, "—", fontName=FONT, fontSize=9))
        return drawing
    chart = HorizontalLineChart()
    legend_width = 110
    chart.x, chart.y = 30, 30
    chart.width = width - chart.x - legend_width - 10
    chart.height = height - 30 - 22
    chart.data = [list(v) for v in series.values()]
    chart.categoryAxis.categoryNames = list(x_labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    _fit_labels(chart, x_labels)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _count  # 5,000,000 not 5000000
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max((max(v) for v in chart.data if v), default=0))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    chart.joinedLines = 1
    for i in range(len(chart.data)):
        chart.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        chart.lines[i].strokeWidth = 1.5
        from reportlab.graphics.widgets.markers import makeMarker

        chart.lines[i].symbol = makeMarker("FilledCircle", size=3, fillColor=PALETTE[i % len(PALETTE)])
    drawing.add(chart)
    _legend(drawing, list(series), width - legend_width + 5, height - 22)
    return drawing


def to_svg(drawing: Drawing) -> str:
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(drawing)
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


def _count(value) -> str:
    return number_text(int(round(value)), 0)
