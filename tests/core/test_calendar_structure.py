"""Issue #17 "Structure": core/calendar.py split by concern, and no import circle through the calendar
modules (imports inside functions count: they are circles too, only deferred)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "boutique_book" / "core"


def _imports(path: Path) -> set[str]:
    """The core modules a module imports, at any depth of the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found |= {alias.name for alias in node.names}
    return {name for name in found if (CORE / f"{name}.py").exists()}


def _cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def test_no_import_circle_through_the_calendar_modules():
    graph = {p.stem: _imports(p) for p in CORE.glob("*.py")}
    calendar_modules = [name for name in graph if name.startswith("calendar")]
    assert {"calendar", "calendar_ics"} <= set(calendar_modules)
    for name in calendar_modules:
        assert _cycle_through(name, graph) is None, _cycle_through(name, graph)


def test_calendar_is_split_by_concern():
    sizes = {p.stem: len(p.read_text(encoding="utf-8").splitlines()) for p in CORE.glob("calendar*.py")}
    assert {"calendar_settings", "calendar_labels", "calendar_agenda", "calendar_actions"} <= set(sizes), sizes
    assert max(sizes.values()) < 500, sizes
    # the public names still answer through core.calendar
    from boutique_book.core import calendar

    for name in ("agenda", "mark_done", "skip", "snooze", "tier_rhythms", "set_tier_rhythm", "channel_label",
                 "export_ics", "AgendaItem", "due_contact_ids", "week_bounds", "resolve_case"):
        assert callable(getattr(calendar, name)), name
