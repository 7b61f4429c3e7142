"""Staff members: who is at the counter; every change is stamped with one."""

from __future__ import annotations

from . import changelog
from .errors import ValidationError
from .model import Staff, utc_now
from .text import nfc
from ..translation import _


def add(vault, name: str, role: str = "staff") -> int:
    name = nfc(name)
    if not name:
        raise ValidationError(_("A staff member needs a name."), field="name")
    with vault.transaction() as conn:
        existing = conn.execute("SELECT id FROM staff WHERE name=?", (name,)).fetchone()
        if existing:
            return existing[0]
        cur = conn.execute("INSERT INTO staff(name, role, created_at) VALUES (?,?,?)", (name, role, utc_now()))
        changelog.record(conn, "staff", cur.lastrowid, "create", None)
        return cur.lastrowid


def all_staff(vault, active_only: bool = True) -> list[Staff]:
    sql = "SELECT id, name, role, active FROM staff"
    if active_only:
        sql += " WHERE active=1"
    return [Staff(r[0], r[1], r[2], bool(r[3])) for r in vault.query(sql + " ORDER BY name")]


def by_name(vault, name: str) -> Staff | None:
    row = vault.conn.execute("SELECT id, name, role, active FROM staff WHERE name=?", (nfc(name),)).fetchone()
    return Staff(row[0], row[1], row[2], bool(row[3])) if row else None


def name_of(vault, staff_id: int | None) -> str:
    if staff_id is None:
        return ""
    return vault.scalar("SELECT name FROM staff WHERE id=?", (staff_id,)) or ""
