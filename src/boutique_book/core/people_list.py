"""What a row of the people list shows: what tells two people apart at a glance.

`rows(conn, ids)` returns one `ListRow` per id (in the order given): the name, tier and kind, the first
address's city, the date of the last moment that was not a card (a visit, a purchase, a story...), the last
four digits of the first phone, the first email, and how many OTHER contacts carry exactly the same display
name (so the list can say "same name as 6 others"). Read from `list_rows` and `list_names` (migration m0160),
which triggers keep exact on every write: one lookup per row, or one range for a browsed page
(`rows_from`); no query here scans the whole book or a child table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NOT_A_VISIT = ("card_sent", "card_received")


@dataclass(frozen=True)
class ListRow:
    id: int
    display_name: str
    tier: str
    kind: str
    city: str = ""
    last_visit: dt.date | None = None
    phone_tail: str = ""      # the last four digits of the first phone ("5610"), never the whole number
    email: str = ""
    same_name: int = 0        # other contacts with exactly this display name

    @property
    def detail(self) -> str:
        """The email, else the phone's last digits: how the list told rows apart before."""
        return self.email or (f"…{self.phone_tail}" if self.phone_tail else "")


_COLUMNS = ("SELECT r.id, r.display_name, r.tier, r.kind, r.city, r.last_visit, r.phone, r.email, "
            "(SELECT n.n FROM list_names n WHERE n.sort_key = r.sort_key AND n.display_name = r.display_name) "
            "FROM list_rows r ")


def rows(conn, ids: list[int]) -> list[ListRow]:
    """One row per id, in the order given (ids not in the book are left out)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    by_id = {row.id: row for row in _rows(conn.execute(f"{_COLUMNS}WHERE r.id IN ({marks})", ids))}
    return [by_id[i] for i in ids if i in by_id]


def rows_from(conn, first_id: int, count: int) -> list[ListRow]:
    """`count` rows in the list's own order (sort_key, id), from first_id on: one range of adjacent pages,
    for browsing the whole book. Empty when first_id is not in the book."""
    return _rows(conn.execute(
        f"{_COLUMNS}WHERE (r.sort_key, r.id) >= (SELECT sort_key, id FROM list_rows WHERE id = ?) "
        "ORDER BY r.sort_key, r.id LIMIT ?", (first_id, count)))


def _rows(found) -> list[ListRow]:
    out = []
    for cid, name, tier, kind, city, last, phone, email, named in found:
        digits = "".join(ch for ch in (phone or "") if ch.isdigit())
        try:
            last_date = dt.date.fromisoformat(str(last)[:10]) if last else None
        except ValueError:
            last_date = None
        out.append(ListRow(cid, name, tier, kind, city or "", last_date, digits[-4:] if len(digits) >= 4 else "",
                           email or "", max(int(named or 1) - 1, 0)))
    return out
