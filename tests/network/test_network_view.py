"""The network screens: drawing, clicking a person, ranking off the UI thread, first-met table."""

from __future__ import annotations

from PySide6.QtCore import Qt

from boutique_book.ui.context import AppContext
from boutique_book.ui.network_view import CONTACT_ROLE, ConnectorsView, FirstMetView, NeighbourhoodView


def _context(book, opened):
    return AppContext(vault=book.vault, open_contact=opened.append)


def test_neighbourhood_draws_everyone_and_click_opens_the_person(qtbot, book):
    opened = []
    view = NeighbourhoodView(_context(book, opened), book.xavier)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    shapes = {}
    for item in view.scene().items():
        cid = item.data(CONTACT_ROLE)
        if cid is not None and item.zValue() == 2:
            shapes[int(cid)] = item
    assert set(shapes) == set(view.hood.nodes) == {book.xavier, *book.a, *book.b, *book.c, book.club}
    labels = {item.text() for item in view.scene().items() if hasattr(item, "text")}
    assert {"Xavier Bridge", "Golf Club", "Carla1 Client"} <= labels
    target = shapes[book.c[0]]
    point = view.mapFromScene(target.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point)
    assert opened == [book.c[0]]
    view.clear_personal_data()
    assert not view.scene().items()


def test_connectors_view_ranks_off_the_ui_thread(qtbot, book):
    opened = []
    view = ConnectorsView(_context(book, opened))
    qtbot.addWidget(view)
    view.compute()
    qtbot.waitUntil(lambda: view._job is None and view.model.rowCount() > 0, timeout=30000)
    assert view.model.data(view.model.index(0, 1)) == "Xavier Bridge"
    assert "referred 3 customers" in view.model.data(view.model.index(0, 5))
    circles = [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]
    assert "Golf Club (5 people)" in circles and "Opera (5 people)" in circles
    golf = view.tree.topLevelItem(circles.index("Golf Club (5 people)"))
    view.tree.setCurrentItem(golf)
    assert set(view.picture.hood.nodes) == set(book.a)
    view._open_member(golf.child(0))
    assert opened and opened[0] in book.a
    view.clear_personal_data()
    assert view.model.rowCount() == 0 and view.tree.topLevelItemCount() == 0


def test_first_met_view_table(qtbot, book):
    view = FirstMetView(AppContext(vault=book.vault))
    qtbot.addWidget(view)
    model = view.model
    assert model.rowCount() == 2  # this month + total
    total = model.data(model.index(model.rowCount() - 1, model.columnCount() - 1))
    assert total == 15
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "Walked in" and headers[-1] == "Total"
    assert "Rosa Root (1)" in view.referrers.text()
    view.clear_personal_data()
    assert model.rowCount() == 0


def test_large_book_path_finds_circles_in_a_second_job(qtbot, book, monkeypatch):
    """Above the size where rank() skips circles, the view shows the ranking then finds circles."""
    from boutique_book.network import connectors

    monkeypatch.setattr(connectors, "CIRCLES_IN_RANKING_MAX_EDGES", 0)
    view = ConnectorsView(AppContext(vault=book.vault))
    qtbot.addWidget(view)
    first = []  # what the first job showed (the circles job may replace it before the next poll)
    shown = view._ranked

    def ranked(ranking, generation=None):
        shown(ranking, generation)
        first.append((ranking, view.model.data(view.model.index(0, 5))))

    view._ranked = ranked
    view.compute()
    qtbot.waitUntil(lambda: bool(first), timeout=30000)
    ranking, reason = first[0]
    assert ranking.circles == [] and ranking.method.startswith("skipped")
    assert reason == "referred 3 customers; knows 5 people"
    qtbot.waitUntil(lambda: view._job is None and view.tree.topLevelItemCount() > 0, timeout=30000)
    reason = view.model.data(view.model.index(0, 5))  # rewritten once the circles are known
    assert "Golf Club" in reason and "Opera" in reason and view.model.data(view.model.index(0, 1)) == "Xavier Bridge"
    circles = [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]
    assert "Opera (5 people)" in circles
    assert view.compute_button.isEnabled()


def test_lock_while_ranking_drops_the_result(qtbot, book):
    view = ConnectorsView(AppContext(vault=book.vault))
    qtbot.addWidget(view)
    view.compute()
    job = view._job
    view.clear_personal_data()
    qtbot.waitUntil(lambda: not job.thread.isRunning(), timeout=30000)
    qtbot.wait(50)
    assert view.model.rowCount() == 0 and view.tree.topLevelItemCount() == 0
