"""What a row of the people list shows: what tells two people apart at a glance.

`rows(conn, ids)` returns one `ListRow` per id (in the order given): the name, tier and kind, the first
address's city, the date of the last moment that was not a card (a visit, a purchase, a story...), the last
four digits of the first phone, the first email, and how many OTHER contacts carry exactly the same display
name (so the list can say "same name as 6 others"). One page (200 ids) costs a few indexed lookups per row:
no query here scans the whole book.
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


def rows(conn, ids: list[int]) -> list[ListRow]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = conn.execute(
        f"SELECT c.id, c.display_name, c.tier, c.kind, "
        f" (SELECT a.city FROM contact_addresses a WHERE a.contact_id=c.id AND a.city <> '' "
        f"  ORDER BY a.position LIMIT 1), "
        f" (SELECT m.occurred_on FROM moments m WHERE m.contact_id=c.id AND m.kind NOT IN ('card_sent', "
        f"  'card_received') ORDER BY m.occurred_on DESC LIMIT 1), "
        f" (SELECT coalesce(nullif(p.e164, ''), p.raw) FROM contact_phones p WHERE p.contact_id=c.id "
        f"  ORDER BY p.position LIMIT 1), "
        f" (SELECT e.address FROM contact_emails e WHERE e.contact_id=c.id ORDER BY e.position LIMIT 1), "
        f" (SELECT count(*) FROM contacts d WHERE d.sort_key=c.sort_key AND d.display_name=c.display_name "
        f"  AND d.id <> c.id) "
        f"FROM contacts c WHERE c.id IN ({marks})",
        ids,
    ).fetchall()
    by_id = {}
    for cid, name, tier, kind, city, last, phone, email, same in found:
        digits = "".join(ch for ch in (phone or "") if ch.isdigit())
        try:
            last_date = dt.date.fromisoformat(str(last)[:10]) if last else None
        except ValueError:
            last_date = None
        by_id[cid] = ListRow(cid, name, tier, kind, city or "", last_date, digits[-4:] if len(digits) >= 4 else "",
                             email or "", int(same or 0))
    return [by_id[i] for i in ids if i in by_id]
