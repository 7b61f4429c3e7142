"""The agenda as an iCalendar file (RFC 5545) for Outlook, Apple Calendar and Thunderbird.

Only the person's display name and the reason go into an event: no notes, no phone numbers, no
addresses, no skip reasons. UIDs are derived from the vault's store id and the item's key (source,
reference, contact, planned date), so exporting again updates the same events instead of duplicating
them; a snoozed item keeps its UID and moves. Items without a time are all-day events; items with a time
are written in UTC (no VTIMEZONE needed; calendars show them in local time).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from icalendar import Calendar, Event

from ..i18n import _
from . import calendar_agenda, calendar_settings, durable

_NAMESPACE = uuid.UUID("5b0d1c2e-8f3a-4e6b-9c7d-1a2b3c4d5e6f")  # fixed forever: UIDs depend on it
PRODID = "-//Boutique Book//Agenda//EN"


def item_uid(store_id: str, key: str) -> str:
    return f"{uuid.uuid5(_NAMESPACE, f'{store_id}|{key}')}@boutique-book"


def build_calendar(vault, start: dt.date, end: dt.date, today: dt.date | None = None, staff_id: int | None = None,
                   channels=(), name: str | None = None) -> Calendar:
    agenda = calendar_agenda.agenda(vault, start, end, today=today, staff_id=staff_id, channels=channels, include_handled=False)
    store_id = vault.scalar("SELECT value FROM meta WHERE key='store_id'") or "boutique"
    tz = calendar_settings.timezone(vault)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or _("Boutique Book agenda"))
    for item in agenda.items():
        event = Event()
        event.add("uid", item_uid(store_id, item.key))
        event.add("dtstamp", stamp)
        event.add("summary", f"{item.display_name} — {item.reason}")
        starts = item.starts_at(tz)
        if starts is not None:
            event.add("dtstart", starts.astimezone(dt.timezone.utc))
            event.add("dtend", (starts + dt.timedelta(minutes=30)).astimezone(dt.timezone.utc))
        else:
            event.add("dtstart", item.on)
            event.add("dtend", item.on + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar


def export_ics(vault, start: dt.date, end: dt.date, path: str | Path | None = None, **kwargs) -> bytes:
    """The agenda from start to end (with what is overdue) as .ics bytes; written to `path` if given
    (through the save path, core.durable: atomic, fsynced, 0600; SaveFailed on any OSError)."""
    data = build_calendar(vault, start, end, **kwargs).to_ical()
    if path is not None:
        durable.save_bytes(path, data)
    return data
