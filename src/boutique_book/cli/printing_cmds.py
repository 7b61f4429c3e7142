"""print labels / envelopes / letters (and card inserts): PDFs for the boutique's paper mail."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core import durable
from ..core.errors import BoutiqueBookError
from ..core.model import Tier
from ..i18n import _, ngettext
from .common import open_vault


def _selection(p) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--ids", help=_("contact numbers, e.g. 1,2,10-20"))
    group.add_argument("--tier", choices=[t.value for t in Tier], help=_("everyone in a tier"))
    group.add_argument("--query", help=_("everyone a search finds"))
    group.add_argument("--all", action="store_true", help=_("everyone in the book"))
    group.add_argument("--season", help=_("the contacts of a card season from the follow-up calendar"))
    p.add_argument("--year", type=int, help=_("year of the card season (default: the current one)"))
    p.add_argument("--mark-printed", action="store_true",
                   help=_("with --season: note a “card sent” moment on each printed card"))
    p.add_argument("--printer", help=_("apply this printer's calibration (see print calibrate)"))
    p.add_argument("--ignore-consent", action="store_true",
                   help=_("also print for contacts without consent to postal mail (e.g. a reply they asked for)"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help=_("where to write the PDF"))


def register(sub, common) -> None:
    p = sub.add_parser("print", help=_("print address labels, envelopes, letters and card inserts (PDF)"))
    psub = p.add_subparsers(dest="print_command", metavar="WHAT")
    p.set_defaults(handler=lambda args: (p.print_help(), 1)[1])

    q = psub.add_parser("labels", parents=[common], help=_("address labels on a label sheet"))
    q.add_argument("--sheet", default="L7160", help=_("L7160, L7163, L7161, 5160 or a saved custom sheet"))
    q.add_argument("--start", type=int, default=1, help=_("first free label on a half-used sheet (1 = top left)"))
    q.add_argument("--outlines", action="store_true", help=_("draw the label outlines (for a test print)"))
    _selection(q)
    q.set_defaults(handler=cmd_labels)

    q = psub.add_parser("envelopes", parents=[common], help=_("addressed envelopes"))
    q.add_argument("--size", default="DL", help=_("DL, C5, C6 or US10"))
    q.add_argument("--no-sender", action="store_true", help=_("leave out the boutique's address and logo"))
    _selection(q)
    q.set_defaults(handler=cmd_envelopes)

    q = psub.add_parser("letters", parents=[common], help=_("letters or card inserts from a template"))
    q.add_argument("--template", required=True,
                   help=_("a template family (letter, card: each person gets their language) or one variant "
                          "(letter.fr)"))
    q.add_argument("--format", help=_("A4, Letter, A6 or A5-folded (default: from the template)"))
    q.add_argument("--staff", default="", help=_("the name signing the letters"))
    _selection(q)
    q.set_defaults(handler=cmd_letters)

    q = psub.add_parser("templates", parents=[common], help=_("list the templates and their fields"))
    q.set_defaults(handler=cmd_templates)

    q = psub.add_parser("sheets", parents=[common], help=_("list the label sheets and envelope sizes"))
    q.set_defaults(handler=cmd_sheets)

    q = psub.add_parser("calibrate", parents=[common], help=_("save a printer's x/y nudge in millimetres"))
    q.add_argument("printer")
    q.add_argument("--x", type=float, default=0.0, help=_("millimetres to the right (negative: left)"))
    q.add_argument("--y", type=float, default=0.0, help=_("millimetres down (negative: up)"))
    q.set_defaults(handler=cmd_calibrate)


def _ids(vault, args) -> list[int]:
    from ..printing import recipients

    if args.ids:
        return recipients.parse_ids(args.ids)
    if args.tier:
        return recipients.ids_for_tier(vault, args.tier)
    if args.query:
        return recipients.ids_for_query(vault, args.query)
    if args.all:
        return recipients.ids_for_all(vault)
    return _season_ids(vault, args.season, args.year)


def _season_ids(vault, season: str, year: int | None) -> list[int]:
    from ..printing import recipients

    return recipients.ids_for_season(vault, season, year)


def _write(path: str, data: bytes) -> None:
    """Through the save path (core.durable): a cancelled or failed run never leaves half a PDF."""
    durable.save_bytes(Path(path).expanduser(), data, make_parents=True)


def _report(result, what: str, path: str) -> int:
    forms = {"labels": ngettext("Wrote {n} label to {path}.", "Wrote {n} labels to {path}.", result.count),
             "envelopes": ngettext("Wrote {n} envelope to {path}.", "Wrote {n} envelopes to {path}.", result.count),
             "documents": ngettext("Wrote {n} document to {path}.", "Wrote {n} documents to {path}.", result.count)}
    print(forms[what].format(n=result.count, path=path))
    for excluded in result.report.excluded:
        print(_("Not printed: {name} (no. {id}): {reason}").format(
            name=excluded.name or "—", id=excluded.contact_id, reason=excluded.reason), file=sys.stderr)
    return 0


def _run(args, what: str, job) -> int:
    """Open the vault, run the job, write the PDF, then (for a season, when asked) note the cards."""
    import datetime as dt

    from ..printing import jobs

    with open_vault(args) as vault:
        result = job(vault, _ids(vault, args))
        _write(args.output, result.pdf)
        if args.season and args.mark_printed:
            year = args.year or dt.date.today().year
            jobs.mark_cards_printed(vault, [r.contact.id for r in result.report.recipients], args.season, year)
    return _report(result, what, args.output)


def cmd_labels(args) -> int:
    from ..printing import jobs

    return _run(args, "labels", lambda vault, ids: jobs.print_labels(
        vault, ids, args.sheet, args.start, args.printer, args.outlines, require_consent=not args.ignore_consent))


def cmd_envelopes(args) -> int:
    from ..printing import jobs

    return _run(args, "envelopes", lambda vault, ids: jobs.print_envelopes(
        vault, ids, args.size, not args.no_sender, args.printer, require_consent=not args.ignore_consent))


def cmd_letters(args) -> int:
    from ..printing import jobs

    return _run(args, "documents", lambda vault, ids: jobs.print_documents(
        vault, ids, args.template, args.format, args.staff, args.printer, require_consent=not args.ignore_consent))


def cmd_templates(args) -> int:
    from ..printing import templates

    with open_vault(args) as vault:
        found = templates.all_templates(vault)
    for name, template in sorted(found.items()):
        origin = _("shipped") if template.shipped else _("edited")
        print(f"{name}\t{template.kind}\t{template.language}\t{origin}\t{template.title}")
    print(_("Fields: {fields}").format(fields=", ".join("{" + f + "}" for f in templates.FIELDS)))
    return 0


def cmd_sheets(args) -> int:
    from ..printing import sheets

    with open_vault(args) as vault:
        for code, sheet in sheets.all_sheets(vault).items():
            print(f"{code}\t{sheet.per_page}\t{sheet.description}")
    for code, size in sheets.ENVELOPES.items():
        print(f"{code}\t{_('envelope')}\t{size.description}")
    return 0


def cmd_calibrate(args) -> int:
    from ..printing import sheets

    with open_vault(args) as vault:
        sheets.set_calibration(vault, args.printer, args.x, args.y, actor="cli")
    print(_("Saved: {printer} prints {x} mm right, {y} mm down.").format(printer=args.printer, x=args.x, y=args.y))
    return 0
