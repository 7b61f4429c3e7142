"""Shared moments: dated notes of what a person shared, stamped with the staff member."""

from __future__ import annotations

import datetime as dt

from . import changelog, limits, search
from .errors import NotFound, ValidationError
from .model import Moment, MomentKind, utc_now
from .text import nfc
from ..translation import _, ngettext
from .formatting import number_text


def validate(moment: Moment) -> None:
    """Check (and normalise) a moment before anything is written; ValidationError says what is wrong."""
    _validate(moment)


def _validate(moment: Moment) -> None:
    moment.text = nfc(moment.text)
    moment.item = nfc(moment.item)
    if not moment.text:
        raise ValidationError(_("A moment needs some text."), field="text")
    if len(moment.text) > limits.MAX_MOMENT_CHARS:
        raise ValidationError(_("A moment holds at most {most} characters (this one has {n}); shorten it or "
                                "split it.").format(most=number_text(limits.MAX_MOMENT_CHARS),
                                                    n=number_text(len(moment.text))), field="text")
    if len(moment.item or "") > limits.MAX_ITEM_CHARS:
        raise ValidationError(ngettext("The item is too long (at most {n} character).", "The item is too long (at most {n} characters).",
                                       limits.MAX_ITEM_CHARS).format(n=limits.MAX_ITEM_CHARS),
                              field="item")
    if moment.kind not in {k.value for k in MomentKind}:
        raise ValidationError(f"Unknown kind of moment “{moment.kind}”.", field="kind")
    if isinstance(moment.occurred_on, str):
        moment.occurred_on = dt.date.fromisoformat(moment.occurred_on)


def add(vault, moment: Moment, by: int | None = None) -> int:
    _validate(moment)
    staff_id = moment.staff_id if moment.staff_id is not None else by
    now = utc_now()
    with vault.transaction() as conn:
        if not conn.execute("SELECT 1 FROM contacts WHERE id=?", (moment.contact_id,)).fetchone():
            raise NotFound(f"No contact with number {moment.contact_id}.")
        cur = conn.execute(
            "INSERT INTO moments(contact_id, occurred_on, kind, text, item, amount_minor, currency, season, "
            "season_year, staff_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (moment.contact_id, moment.occurred_on.isoformat(), moment.kind, moment.text, moment.item,
             moment.amount_minor, moment.currency, moment.season, moment.season_year, staff_id, now, now))
        moment_id = cur.lastrowid
        conn.executemany("INSERT OR IGNORE INTO moment_people(moment_id, contact_id) VALUES (?,?)",
                         [(moment_id, p) for p in moment.people if p != moment.contact_id])
        search.index_moment(conn, moment_id, moment.contact_id, moment.text, moment.item)
        if moment.kind == MomentKind.COMPLAINT.value:
            conn.execute("INSERT INTO cases(contact_id, moment_id, owner_staff_id, opened_at) VALUES (?,?,?,?)",
                         (moment.contact_id, moment_id, staff_id, now))
        changelog.record(conn, "moment", moment_id, "create", by, f"contact={moment.contact_id}")
    moment.id, moment.staff_id = moment_id, staff_id
    return moment_id


def update(vault, moment: Moment, by: int | None = None) -> None:
    _validate(moment)
    with vault.transaction() as conn:
        cur = conn.execute(
            "UPDATE moments SET occurred_on=?, kind=?, text=?, item=?, amount_minor=?, currency=?, season=?, "
            "season_year=?, updated_at=? WHERE id=?",
            (moment.occurred_on.isoformat(), moment.kind, moment.text, moment.item, moment.amount_minor,
             moment.currency, moment.season, moment.season_year, utc_now(), moment.id))
        if not cur.rowcount:
            raise NotFound("That moment no longer exists.")
        search.index_moment(conn, moment.id, moment.contact_id, moment.text, moment.item)
        changelog.record(conn, "moment", moment.id, "update", by, f"contact={moment.contact_id}")


def delete(vault, moment_id: int, by: int | None = None) -> None:
    with vault.transaction() as conn:
        row = conn.execute("SELECT contact_id FROM moments WHERE id=?", (moment_id,)).fetchone()
        if row is None:
            raise NotFound("That moment no longer exists.")
        search.unindex_moment(conn, moment_id)
        conn.execute("DELETE FROM moments WHERE id=?", (moment_id,))
        changelog.record(conn, "moment", moment_id, "delete", by, f"contact={row[0]}")


_COLUMNS = ("m.id, m.contact_id, m.occurred_on, m.kind, m.text, m.item, m.amount_minor, m.currency, m.season, "
            "m.season_year, m.staff_id, coalesce(s.name, ''), m.created_at, m.updated_at")


def _from_row(r) -> Moment:
    return Moment(id=r[0], contact_id=r[1], occurred_on=dt.date.fromisoformat(r[2]), kind=r[3], text=r[4], item=r[5],
                  amount_minor=r[6], currency=r[7], season=r[8], season_year=r[9], staff_id=r[10],
                  staff_name=r[11], created_at=r[12], updated_at=r[13])


def for_contact(vault, contact_id: int, limit: int | None = None, kinds: tuple[str, ...] = ()) -> list[Moment]:
    """Timeline, newest first."""
    sql = f"SELECT {_COLUMNS} FROM moments m LEFT JOIN staff s ON s.id=m.staff_id WHERE m.contact_id=?"
    params: list = [contact_id]
    if kinds:
        sql += f" AND m.kind IN ({','.join('?' * len(kinds))})"
        params.extend(kinds)
    sql += " ORDER BY m.occurred_on DESC, m.id DESC"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [_from_row(r) for r in vault.query(sql, params)]


def get(vault, moment_id: int) -> Moment:
    row = vault.conn.execute(
        f"SELECT {_COLUMNS} FROM moments m LEFT JOIN staff s ON s.id=m.staff_id WHERE m.id=?", (moment_id,)).fetchone()
    if row is None:
        raise NotFound("That moment no longer exists.")
    return _from_row(row)


def open_cases(vault, contact_id: int | None = None) -> list[dict]:
    sql = ("SELECT c.id, c.contact_id, c.opened_at, coalesce(m.text, ''), coalesce(s.name, '') FROM cases c "
           "LEFT JOIN moments m ON m.id=c.moment_id LEFT JOIN staff s ON s.id=c.owner_staff_id "
           "WHERE c.resolved_at IS NULL")
    params: tuple = ()
    if contact_id is not None:
        sql += " AND c.contact_id=?"
        params = (contact_id,)
    return [{"id": r[0], "contact_id": r[1], "opened_at": r[2], "text": r[3], "owner": r[4]}
            for r in vault.query(sql + " ORDER BY c.opened_at", params)]
