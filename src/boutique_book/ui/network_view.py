"""Who knows whom, on screen: a person's neighbourhood (or a circle) drawn as a clickable graph, the
connectors ranking with its reasons and the circles, and how people first met us.

All numbers come from boutique_book.network; this module only draws. The ranking runs off the UI thread
(ui.jobs.run_job) on its own connection to the vault.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGraphicsEllipseItem, QGraphicsRectItem,
                               QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSplitter, QTableView, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..i18n import _, ngettext
from ..network import connectors, neighbourhood, referrals
from ..network.graph import GROUP_KINDS
from .jobs import run_vault_job
from .labels import first_met_label, relation_label

CONTACT_ROLE = 0  # QGraphicsItem.data key holding the contact id

# Edge style per link type: colour, width, pen style. Close ties are strong and warm; institutions grey.
EDGE_STYLES = {
    "spouse": ("#b03a2e", 3.0, Qt.SolidLine),
    "parent_of": ("#b03a2e", 2.0, Qt.SolidLine),
    "family": ("#cb4335", 2.0, Qt.SolidLine),
    "friend": ("#1e8449", 1.6, Qt.SolidLine),
    "colleague": ("#2471a3", 1.6, Qt.DashLine),
    "referred_by": ("#d68910", 2.2, Qt.DotLine),
    "member_of": ("#808b96", 1.2, Qt.DashDotLine),
    "works_at": ("#5d6d7e", 1.2, Qt.DashDotLine),
    "met_at": ("#7d3c98", 1.4, Qt.DashDotDotLine),
}
NODE_COLOURS = {0: "#f4d03f", 1: "#5dade2", 2: "#d6eaf8"}
GROUP_COLOUR = "#a9dfbf"


class NeighbourhoodView(QGraphicsView):
    """A person's neighbourhood two steps out (about 50 people), or a circle. Click a name to open it."""

    contactClicked = Signal(int)

    def __init__(self, context, contact_id: int | None = None, parent=None, cap: int = 50):
        super().__init__(parent)
        self.context = context
        self.cap = cap
        self.contact_id = None
        self.hood = None
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setMinimumSize(320, 260)
        self.setAccessibleName(_("Network of this person"))
        self.contactClicked.connect(lambda cid: self.context.open_contact(cid))
        if contact_id is not None:
            self.set_contact(contact_id)

    # -- content -----------------------------------------------------------------------------------
    def set_contact(self, contact_id: int) -> None:
        self.contact_id = contact_id
        self._draw(neighbourhood.neighbourhood(self.context.vault, contact_id, cap=self.cap))

    def show_circle(self, members: list[int]) -> None:
        self.contact_id = None
        self._draw(neighbourhood.circle_picture(self.context.vault, members, cap=self.cap))

    def clear_personal_data(self) -> None:
        self.scene().clear()
        self.hood = None
        self.contact_id = None

    # -- drawing -----------------------------------------------------------------------------------
    def _draw(self, hood) -> None:
        scene = self.scene()
        scene.clear()
        self.hood = hood
        if not hood.nodes:
            return
        pos = neighbourhood.layout(hood)
        radius = 170 + 32 * math.sqrt(len(pos))
        points = {n: QPointF(x * radius, y * radius) for n, (x, y) in pos.items()}
        for a, b, link_type in hood.edges:
            colour, width, style = EDGE_STYLES.get(link_type, ("#999999", 1.0, Qt.SolidLine))
            pen = QPen(QColor(colour), width, style)
            pen.setCapStyle(Qt.RoundCap)
            line = scene.addLine(points[a].x(), points[a].y(), points[b].x(), points[b].y(), pen)
            line.setZValue(0)
            line.setToolTip(f"{hood.nodes[a].name} — {relation_label(link_type)} — {hood.nodes[b].name}")
        label_font = QFont(self.font())
        label_font.setPointSizeF(max(7.5, label_font.pointSizeF() * (0.95 if len(pos) > 30 else 1.05)))
        for cid, node in hood.nodes.items():
            p = points[cid]
            size = 22 if node.depth == 0 else 15 if node.depth == 1 else 11
            rect = QRectF(p.x() - size / 2, p.y() - size / 2, size, size)
            if node.kind in GROUP_KINDS:
                item = QGraphicsRectItem(rect)
                item.setBrush(QBrush(QColor(GROUP_COLOUR)))
            else:
                item = QGraphicsEllipseItem(rect)
                item.setBrush(QBrush(QColor(NODE_COLOURS.get(node.depth, NODE_COLOURS[2]))))
            item.setPen(QPen(QColor("#34495e"), 1.2))
            item.setZValue(2)
            item.setData(CONTACT_ROLE, cid)
            item.setToolTip(node.name)
            item.setCursor(Qt.PointingHandCursor)
            scene.addItem(item)
            text = QGraphicsSimpleTextItem(node.name)
            font = QFont(label_font)
            font.setBold(node.depth == 0)
            text.setFont(font)
            bounds = text.boundingRect()
            text.setPos(p.x() - bounds.width() / 2, p.y() + size / 2 + 1)
            text.setZValue(4)
            text.setData(CONTACT_ROLE, cid)
            text.setCursor(Qt.PointingHandCursor)
            backdrop = scene.addRect(text.sceneBoundingRect().adjusted(-2, 0, 2, 0), QPen(Qt.NoPen),
                                     QBrush(QColor(255, 255, 255, 200)))
            backdrop.setZValue(3)
            backdrop.setData(CONTACT_ROLE, cid)
            scene.addItem(text)
        self._legend(scene, hood)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-12, -12, 12, 12))
        self.fit()

    def _legend(self, scene, hood) -> None:
        used = sorted({t for _a, _b, t in hood.edges}, key=lambda t: list(EDGE_STYLES).index(t)
                      if t in EDGE_STYLES else 99)
        box = scene.itemsBoundingRect()
        x, y = box.left(), box.bottom() + 18
        for link_type in used:
            colour, width, style = EDGE_STYLES.get(link_type, ("#999999", 1.0, Qt.SolidLine))
            scene.addLine(x, y + 7, x + 28, y + 7, QPen(QColor(colour), width, style))
            label = scene.addSimpleText(relation_label(link_type))
            label.setPos(x + 34, y)
            x += 34 + label.boundingRect().width() + 18
        if hood.hidden:
            note = scene.addSimpleText(ngettext("{n} more not shown", "{n} more not shown", hood.hidden).format(n=hood.hidden))
            note.setBrush(QBrush(QColor("#7f8c8d")))
            note.setPos(box.left(), y + 22)

    def fit(self) -> None:
        if self.scene() and not self.scene().sceneRect().isEmpty():
            self.fitInView(self.scene().sceneRect(), Qt.KeepAspectRatio)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.fit()

    def contact_at(self, view_pos) -> int | None:
        for item in self.items(view_pos):
            cid = item.data(CONTACT_ROLE)
            if cid is not None:
                return int(cid)
        return None

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton:
            cid = self.contact_at(event.position().toPoint())
            if cid is not None:
                event.accept()
                self.contactClicked.emit(cid)
                return
        super().mousePressEvent(event)


class ConnectorsModel(QAbstractTableModel):
    HEADERS = (lambda: _("#"), lambda: _("Name"), lambda: _("Score"), lambda: _("Referred"),
               lambda: _("Links"), lambda: _("Why"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]()
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return (c.rank, c.name, f"{c.score:.2f}", c.referrals, c.degree, c.reason)[index.column()]
        if role == Qt.ToolTipRole and index.column() == 5:
            return c.reason
        if role == Qt.TextAlignmentRole and index.column() in (0, 2, 3, 4):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def contact_id(self, row: int) -> int:
        return self.rows[row].contact_id


class ConnectorsView(QWidget):
    """The people who hold the network together, why, and the circles (each drawable, each clickable)."""

    TOP = 200

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self._job = None
        self._generation = 0  # bumped on lock: results of a job started before are dropped
        self.ranking = None
        self.circles: list = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.compute_button = QPushButton(_("Recompute"))
        self.compute_button.clicked.connect(self.compute)
        self.status = QLabel("")
        bar.addWidget(QLabel("<b>" + _("Connectors") + "</b>"))
        bar.addWidget(self.status, 1)
        bar.addWidget(self.compute_button)
        layout.addLayout(bar)

        split = QSplitter(Qt.Horizontal, self)
        self.model = ConnectorsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.Stretch)
        self.table.setWordWrap(True)
        self.table.doubleClicked.connect(lambda index: self.context.open_contact(self.model.contact_id(index.row())))
        self.table.setAccessibleName(_("Connectors"))
        split.addWidget(self.table)

        right = QSplitter(Qt.Vertical)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([_("Circles")])
        self.tree.itemDoubleClicked.connect(self._open_member)
        self.tree.currentItemChanged.connect(self._show_circle)
        self.tree.setAccessibleName(_("Circles"))
        right.addWidget(self.tree)
        self.picture = NeighbourhoodView(context, parent=self, cap=40)
        right.addWidget(self.picture)
        right.setSizes([300, 300])
        split.addWidget(right)
        split.setSizes([640, 360])
        layout.addWidget(split, 1)

    # -- computing off the UI thread ------------------------------------------------------------------
    def compute(self) -> None:
        if self._job is not None:
            return
        vault = self.context.vault
        top = self.TOP
        self.compute_button.setEnabled(False)
        self.status.setText(_("Ranking the connectors…"))

        def work(own, progress, cancelled):
            return connectors.rank(own.conn, top=top, progress=progress, cancelled=cancelled)

        generation = self._generation
        self._job = run_vault_job(self.context, self, _("Ranking the connectors"), work,
                            on_done=lambda result: self._ranked(result, generation),
                            on_error=self._failed, on_cancel=self._cancelled)

    def _ranked(self, ranking, generation=None) -> None:
        self._job = None
        if generation is not None and generation != self._generation:
            return
        self.ranking = ranking
        self.model.set_rows(ranking.connectors)
        self.table.resizeRowsToContents()
        if not ranking.method.startswith("skipped"):
            self._set_circles(ranking.circles)
            self._done_status()
            return
        # Large book: the ranking is shown now; circles follow in the background.
        self.status.setText(_("Finding circles…"))
        vault = self.context.vault

        ranked = ranking

        def work(own, progress, cancelled):
            found = connectors.circles(own.conn, progress=progress, cancelled=cancelled)
            return connectors.explain(own.conn, ranked, found, cancelled=cancelled)

        generation = self._generation
        self._job = run_vault_job(self.context, self, _("Finding circles"), work,
                            on_done=lambda result: self._circles_found(result, generation),
                            on_error=self._failed, on_cancel=self._cancelled, show_dialog=False)

    def _circles_found(self, explained, generation=None) -> None:
        self._job = None
        if generation is not None and generation != self._generation:
            return
        self.ranking = explained
        self.model.set_rows(explained.connectors)  # the reasons now name the circles
        self.table.resizeRowsToContents()
        self._set_circles(explained.circles)
        self._done_status()

    def _done_status(self) -> None:
        self.compute_button.setEnabled(True)
        r = self.ranking
        how = _("exact") if r.pivots is None else _("estimated from {k} people").format(k=r.pivots)
        self.status.setText(_("{people} people ranked, {circles} circles (betweenness {how})").format(
            people=len(r.connectors), circles=len(self.circles), how=how))

    def _failed(self, message: str) -> None:
        self._job = None
        self.compute_button.setEnabled(True)
        self.status.setText(message)

    def _cancelled(self) -> None:
        self._job = None
        self.compute_button.setEnabled(True)
        self.status.setText(_("Cancelled."))

    # -- circles ---------------------------------------------------------------------------------------
    def _set_circles(self, found) -> None:
        self.circles = list(found)
        self.tree.clear()
        for circle in self.circles:
            top = QTreeWidgetItem([ngettext("{name} ({n} person)", "{name} ({n} people)", len(circle.members)).format(
                name=circle.name, n=len(circle.members))])
            top.setData(0, Qt.UserRole, ("circle", circle.number))
            for cid, name in zip(circle.members, circle.member_names):
                child = QTreeWidgetItem([name])
                child.setData(0, Qt.UserRole, ("contact", cid))
                top.addChild(child)
            self.tree.addTopLevelItem(top)

    def _show_circle(self, item, _previous=None) -> None:
        if item is None:
            return
        kind, value = item.data(0, Qt.UserRole)
        if kind == "circle":
            circle = next((c for c in self.circles if c.number == value), None)
            if circle:
                self.picture.show_circle(circle.members)
        else:
            self.picture.set_contact(value)

    def _open_member(self, item, _column=0) -> None:
        kind, value = item.data(0, Qt.UserRole)
        if kind == "contact":
            self.context.open_contact(value)

    def clear_personal_data(self) -> None:
        self._generation += 1
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self.compute_button.setEnabled(True)
        self.model.set_rows([])
        self.tree.clear()
        self.circles = []
        self.ranking = None
        self.picture.clear_personal_data()
        self.status.setText("")


class FirstMetModel(QAbstractTableModel):
    """Rows: months (newest first) then a total row; columns: sources, then total."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report = None

    def set_report(self, report) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def _months(self):
        return list(reversed(self.report.months)) if self.report else []

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() or not self.report else len(self.report.months) + 1

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() or not self.report else len(self.report.sources) + 1

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or not self.report:
            return None
        if orientation == Qt.Horizontal:
            sources = self.report.sources
            if section < len(sources):
                code = sources[section]
                return first_met_label("" if code == referrals.UNKNOWN_SOURCE else code)
            return _("Total")
        months = self._months()
        return months[section] if section < len(months) else _("Total")

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not self.report:
            return None
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role not in (Qt.DisplayRole, Qt.FontRole):
            return None
        months, sources = self._months(), self.report.sources
        total_row, total_col = index.row() >= len(months), index.column() >= len(sources)
        if role == Qt.FontRole:
            if total_row or total_col:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if total_row and total_col:
            return self.report.total
        if total_row:
            return self.report.by_source.get(sources[index.column()], 0)
        month = months[index.row()]
        if total_col:
            return self.report.by_month.get(month, 0)
        return self.report.counts.get((month, sources[index.column()]), 0)


class FirstMetView(QWidget):
    """How people first met us, by month and by source (a manager's view)."""

    PERIODS = ((12, lambda: _("Last 12 months")), (24, lambda: _("Last 24 months")), (0, lambda: _("All time")))

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>" + _("How people first met us") + "</b>"))
        bar.addStretch(1)
        self.period = QComboBox()
        for months, label in self.PERIODS:
            self.period.addItem(label(), months)
        self.period.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.period)
        layout.addLayout(bar)
        self.model = FirstMetModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.referrers = QLabel("")
        self.referrers.setWordWrap(True)
        layout.addWidget(self.referrers)
        self.reload()

    def reload(self) -> None:
        import datetime as dt

        months = self.period.currentData() or 0
        since = ""
        if months:
            today = dt.date.today()
            index = today.year * 12 + today.month - 1 - (months - 1)
            since = f"{index // 12:04d}-{index % 12 + 1:02d}"
        report = referrals.first_met(self.context.vault, since=since)
        self.model.set_report(report)
        if report.top_referrers:
            names = ", ".join(f"{name} ({n})" for _cid, name, n in report.top_referrers[:5])
            self.referrers.setText(_("Who brought the most people: {names}").format(names=names))
        else:
            self.referrers.setText("")

    def clear_personal_data(self) -> None:
        self.model.set_report(None)
        self.referrers.setText("")
