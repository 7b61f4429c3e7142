"""ICS export: parses (icalendar, and vobject as an independent parser), stable UIDs, no notes."""

import datetime as dt

import vobject
from icalendar import Calendar

from boutique_book.core import calendar, moments
from boutique_book.core.model import Moment
from boutique_book.cli import main

D = dt.date


def _events(data: bytes):
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_ics_parses_carries_only_name_and_reason_and_keeps_uids(vault, make_person, staff_id, tmp_path):
    anne = make_person("Anne", birthday="--03-14", channel="card")
    moments.add(vault, Moment(anne, "SECRET-NOTE about her divorce", D(2026, 1, 2)), by=staff_id)
    calendar.add_followup(vault, anne, D(2026, 3, 12), reason="Call about the coat", channel="call", time="09:30")
    bruno = make_person("Bruno", birthday="--03-13")
    path = tmp_path / "agenda.ics"
    first = calendar.export_ics(vault, D(2026, 3, 9), D(2026, 3, 15), path=path, today=D(2026, 3, 9))
    assert path.read_bytes() == first
    events = _events(first)
    summaries = sorted(str(e["SUMMARY"]) for e in events.values())
    assert summaries == ["Anne Test — Birthday", "Anne Test — Call about the coat", "Bruno Test — Birthday"]
    assert b"SECRET-NOTE" not in first and b"DESCRIPTION" not in first
    timed = next(e for e in events.values() if "coat" in str(e["SUMMARY"]))
    assert timed.decoded("DTSTART").tzinfo is not None
    all_day = next(e for e in events.values() if "Bruno" in str(e["SUMMARY"]))
    assert all_day.decoded("DTSTART") == D(2026, 3, 13)

    # Independent parser.
    parsed = vobject.readOne(first.decode())
    assert len(parsed.vevent_list) == 3

    # Re-export: same UIDs; a snoozed item keeps its UID and moves; a skip reason never leaks.
    [bruno_item] = calendar.agenda(vault, D(2026, 3, 9), D(2026, 3, 15), today=D(2026, 3, 9)).find(bruno, "birthday")
    calendar.snooze(vault, bruno_item, D(2026, 3, 15), by=staff_id, note="SNOOZE-NOTE", today=D(2026, 3, 9))
    second = _events(calendar.export_ics(vault, D(2026, 3, 9), D(2026, 3, 15), today=D(2026, 3, 9)))
    assert set(second) == set(events)
    moved = next(e for e in second.values() if "Bruno" in str(e["SUMMARY"]))
    assert moved.decoded("DTSTART") == D(2026, 3, 15)
    [anne_item] = calendar.agenda(vault, D(2026, 3, 9), D(2026, 3, 15), today=D(2026, 3, 9)).find(anne, "birthday")
    calendar.skip(vault, anne_item, "SKIP-REASON private", by=staff_id)
    third = calendar.export_ics(vault, D(2026, 3, 9), D(2026, 3, 15), today=D(2026, 3, 9))
    assert b"SKIP-REASON" not in third and b"SNOOZE-NOTE" not in third
    assert len(_events(third)) == 2


def test_cli_agenda_and_export(vault, vault_path, passphrase, make_person, staff_id, monkeypatch, capsys, tmp_path):
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    anne = make_person("Anne", birthday=f"--{tomorrow:%m-%d}", channel="card", by=staff_id)
    calendar.add_followup(vault, anne, today, reason="Call about the coat", channel="call", owner=staff_id)
    vault.close()
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    assert main(["agenda", "--vault", str(vault_path), "--days", "3", "--staff", "Camille Laurent"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("Anne Test\tBirthday\tcard\tCamille Laurent" in line for line in out)
    # a person reads the agenda: the list date style of the interface language (core.formatting), not ISO
    from boutique_book.core.formatting import list_date

    assert any(line.startswith(list_date(today)) and "Call about the coat" in line for line in out)
    assert not any(line.startswith(today.isoformat()) for line in out)
    assert main(["agenda", "--vault", str(vault_path), "--staff", "Nobody"]) == 1
    assert "Nobody" in capsys.readouterr().err
    target = tmp_path / "out.ics"
    assert main(["export-ics", "--vault", str(vault_path), "-o", str(target), "--days", "3"]) == 0
    assert len(Calendar.from_ical(target.read_bytes()).walk("VEVENT")) == 2
