"""agenda, export-ics: the follow-up calendar from the command line."""

from __future__ import annotations

import datetime as dt

from ..core import calendar, staff
from ..core.errors import BoutiqueBookError
from ..core.formatting import list_date, list_datetime
from ..i18n import _, ngettext
from .common import open_vault



def register(sub, common) -> None:
    p = sub.add_parser("agenda", parents=[common], help=_("print what is due (and overdue), one line each"))
    p.add_argument("--days", type=int, default=7, help=_("how many days from today (default 7)"))
    p.add_argument("--staff", help=_("only this staff member's follow-ups"))
    p.add_argument("--channel", action="append", default=[], help=_("only this channel (call, card, ...)"))
    p.add_argument("--all", action="store_true", help=_("list every overdue item, not only the most recent"))
    p.set_defaults(handler=cmd_agenda)

    p = sub.add_parser("export-ics", parents=[common], help=_("write the agenda to an iCalendar (.ics) file"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--days", type=int, default=30, help=_("how many days from today (default 30)"))
    p.add_argument("--staff", help=_("only this staff member's follow-ups"))
    p.add_argument("--channel", action="append", default=[])
    p.set_defaults(handler=cmd_export_ics)


def _period(args) -> tuple[dt.date, dt.date]:
    if args.days < 1 or args.days > 3660:
        raise BoutiqueBookError(_("--days must be between 1 and 3660."))
    today = dt.date.today()
    return today, today + dt.timedelta(days=args.days - 1)


def _staff(vault, name):
    if not name:
        return None
    found = staff.by_name(vault, name)
    if found is None:
        raise BoutiqueBookError(_("No staff member called “{name}”.").format(name=name))
    return found.id


def _status(status: str) -> str:
    return {"due": _("due"), "overdue": _("overdue"), "snoozed": _("snoozed"), "done": _("done"),
            "skipped": _("skipped")}.get(status, status)


def cmd_agenda(args) -> int:
    start, end = _period(args)
    with open_vault(args) as vault:
        staff_id = _staff(vault, args.staff)
        names = {s.id: s.name for s in staff.all_staff(vault, active_only=False)}
        agenda = calendar.agenda(vault, start, end, staff_id=staff_id, channels=args.channel,
                                 overdue_limit=None if args.all else 200)
    for case in agenda.cases:
        print("\t".join([list_datetime(case["opened_at"]), _("complaint"), case["display_name"], case["text"],
                         case["owner"]]))
    for item in agenda.items():
        when = list_date(item.on) + (f" {item.time}" if item.time else "")
        print("\t".join([when, _status(item.status), item.display_name, item.reason,
                         calendar.channel_label(item.channel), names.get(item.owner_id, "")]))
    if agenda.overdue_hidden:
        print(ngettext("… and {n} more overdue (use --all, --staff or --channel)",
                       "… and {n} more overdue (use --all, --staff or --channel)", agenda.overdue_hidden).format(
            n=agenda.overdue_hidden))
    return 0


def cmd_export_ics(args) -> int:
    start, end = _period(args)
    with open_vault(args) as vault:
        staff_id = _staff(vault, args.staff)
        data = calendar.export_ics(vault, start, end, path=args.output, staff_id=staff_id, channels=args.channel)
    print(_("Wrote {path} ({size} KiB).").format(path=args.output, size=max(1, len(data) // 1024)))
    return 0
