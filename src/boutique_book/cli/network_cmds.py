"""connectors, circles, referrals, first-met: the network (issue #9) from the command line."""

from __future__ import annotations

import sys

from ..core.errors import BoutiqueBookError
from ..core.formatting import list_datetime, list_month
from ..core.labels import first_met_label
from ..i18n import _, ngettext
from .common import open_vault


def register(sub, common) -> None:
    p = sub.add_parser("connectors", parents=[common], help=_("rank the people who connect the book, with why"))
    p.add_argument("--top", type=int, default=20, help=_("how many to print (default 20)"))
    p.add_argument("--pivots", type=int, default=None,
                   help=_("sampled pivots for betweenness (default: exact up to 2,000 contacts, else 128)"))
    p.add_argument("--with-circles", action="store_true",
                   help=_("find circles first so every reason names them (slow above 60,000 links)"))
    p.set_defaults(handler=cmd_connectors)

    p = sub.add_parser("circles", parents=[common], help=_("print each circle of people and its members"))
    p.add_argument("--min-size", type=int, default=3, help=_("smallest circle to show (default 3)"))
    p.add_argument("--members", type=int, default=0, help=_("members to print per circle (default all)"))
    p.set_defaults(handler=cmd_circles)

    p = sub.add_parser("referrals", parents=[common], help=_("who brought this person, and whom they brought"))
    p.add_argument("contact_id", type=int, metavar="ID")
    p.set_defaults(handler=cmd_referrals)

    p = sub.add_parser("first-met", parents=[common], help=_("how people first met us, by month and by source"))
    p.add_argument("--since", default="", metavar="YYYY-MM")
    p.add_argument("--until", default="", metavar="YYYY-MM")
    p.set_defaults(handler=cmd_first_met)


def _progress_to_stderr(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{100 * done // total:3d}%", end="", file=sys.stderr, flush=True)


def cmd_connectors(args) -> int:
    from ..network import connectors

    if args.top < 1:
        raise BoutiqueBookError(_("--top must be at least 1."))
    with open_vault(args, write=False) as vault:
        found = connectors.circles(vault) if args.with_circles else None
        ranking = connectors.rank(vault, top=args.top, pivots=args.pivots if args.pivots else "auto",
                                  circles_found=found, progress=_progress_to_stderr)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    if not ranking.connectors:
        print(_("No links yet: add links between people on their cards."))
        return 0
    for c in ranking.connectors:
        print(f"{c.rank:>3}. {c.name} (#{c.contact_id})  {c.score:.2f}  {c.reason}")
    return 0


def cmd_circles(args) -> int:
    from ..network import connectors

    with open_vault(args, write=False) as vault:
        found = connectors.circles(vault, min_size=max(1, args.min_size), progress=_progress_to_stderr)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    if not found:
        print(_("No circles yet: add links between people on their cards."))
        return 0
    for circle in found:
        print(ngettext("{name} ({n} person)", "{name} ({n} people)", len(circle.members)).format(
            name=circle.name, n=len(circle.members)))
        shown = circle.members if not args.members else circle.members[:args.members]
        for cid, name in zip(shown, circle.member_names):
            print(f"    {name} (#{cid})")
        if len(shown) < len(circle.members):
            print("    " + ngettext("… and {n} more", "… and {n} more", len(circle.members) - len(shown)).format(
                n=len(circle.members) - len(shown)))
    return 0


def _source(code: str) -> str:
    """How a person first met us, in words ("Walked in"), never the stored key ("walk_in")."""
    return first_met_label(code) if code and code != "unknown" else _("source unknown")


def cmd_referrals(args) -> int:
    from ..network import referrals

    with open_vault(args, write=False) as vault:
        steps = referrals.chain(vault, args.contact_id)
        children = referrals.brought(vault, args.contact_id)
    print(_("Who brought {name}:").format(name=steps[0].name))
    if len(steps) == 1:
        print("    " + _("nobody recorded: first met us directly ({source})").format(
            source=_source(steps[0].first_met_source)))
    for n, step in enumerate(steps):
        arrow = "    " + ("   " * n) + ("← " if n else "")
        print(f"{arrow}{step.name} (#{step.contact_id}, {list_datetime(step.created_at)}, "
              f"{_source(step.first_met_source)})")
    print(_("Whom {name} brought:").format(name=steps[0].name))
    if not children:
        print("    " + _("nobody yet"))
    for generation, step in children:
        print("    " + "   " * (generation - 1) + f"→ {step.name} (#{step.contact_id}, {list_datetime(step.created_at)})")
    return 0


def cmd_first_met(args) -> int:
    from ..network import referrals

    with open_vault(args, write=False) as vault:
        report = referrals.first_met(vault, since=args.since, until=args.until)
    if not report.total:
        print(_("Nobody in this period."))
        return 0
    names = [_source(s) for s in report.sources]
    width = max(7, *(len(name) for name in names))
    months = {month: list_month(month) for month in report.months}
    first = max(8, len(_("month")) + 1, len(_("total")) + 1, *(len(m) + 1 for m in months.values()))
    print(_("month").ljust(first) + "".join(name.rjust(width + 1) for name in names) + _("total").rjust(8))
    for month in report.months:
        cells = "".join(str(report.counts.get((month, s), 0)).rjust(width + 1) for s in report.sources)
        print(months[month].ljust(first) + cells + str(report.by_month[month]).rjust(8))
    print(_("total").ljust(first) + "".join(str(report.by_source[s]).rjust(width + 1) for s in report.sources)
          + str(report.total).rjust(8))
    if report.top_referrers:
        print()
        print(_("Who brought the most people:"))
        for cid, name, n in report.top_referrers:
            print(f"    {name} (#{cid}): {n}")
    return 0
