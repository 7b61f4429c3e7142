"""import, export, duplicates, merge, person-export."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.errors import BoutiqueBookError
from ..core.model import Tier
from ..i18n import _, ngettext
from .common import manager_session, open_vault, staff_id


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help=_("import contacts from vCard or CSV files"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help=_("show what would happen; write nothing"))
    p.add_argument("--region", help=_("country for phone numbers written without +country code (e.g. FR)"))
    p.add_argument("--staff", help=_("staff member making the change"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", parents=[common], help=_("export contacts to vCard or CSV"))
    p.add_argument("--format", choices=["vcard4", "vcard3", "csv"], default="vcard4")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--tier", choices=[t.value for t in Tier])
    group.add_argument("--query", help=_("export the contacts this search finds"))
    group.add_argument("--ids", help=_("comma-separated contact numbers"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--staff", help=_("name of the manager, for the audit log"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("duplicates", parents=[common], help=_("list likely duplicate contacts"))
    p.add_argument("--threshold", type=int, default=88, help=_("name similarity in percent (default 88)"))
    p.set_defaults(handler=cmd_duplicates)

    p = sub.add_parser("merge", parents=[common], help=_("merge contact OTHER into contact KEEP"))
    p.add_argument("keep", type=int)
    p.add_argument("other", type=int)
    p.add_argument("--staff", help=_("staff member making the change"))
    p.set_defaults(handler=cmd_merge)

    p = sub.add_parser("person-export", parents=[common],
                       help=_("export everything stored about one person (JSON and PDF)"))
    p.add_argument("contact_id", type=int, metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--staff", help=_("name of the manager, for the audit log"))
    p.set_defaults(handler=cmd_person_export)


def _print_plan(plan, dry_run: bool) -> None:
    counts = plan.counts()
    if dry_run:
        print(_("Dry run: nothing was written."))
    print(_("{create} to create, {merge} to merge into existing contacts, {skip} already in the book, "
            "{not_imported} not importable, {warnings} warnings.").format(**counts)
          if dry_run else
          _("{create} created, {merge} merged into existing contacts, {skip} skipped (already in the book), "
            "{not_imported} not imported, {warnings} warnings.").format(**counts))
    for line in plan.report_lines():
        print(line)


def cmd_import(args) -> int:
    from ..interchange.importer import apply_plan, build_plan, read_files

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        raise BoutiqueBookError(_("No such file: {path}").format(path=missing[0]))
    region = (args.region or "").upper() or None
    with open_vault(args) as vault:
        read = read_files(args.files)
        if args.dry_run:
            plan = build_plan(vault, read, region=region)
        else:
            # One user action, one transaction: the staff member, the plan (built inside the write
            # transaction, so nothing another process saves meanwhile is duplicated) and every write.
            with vault.transaction():
                by = staff_id(vault, args.staff)
                plan = build_plan(vault, read, region=region)
                apply_plan(vault, plan, by=by, actor=args.staff or "cli")
    _print_plan(plan, args.dry_run)
    if not plan.items:
        raise BoutiqueBookError(_("Nothing could be imported from {files}.").format(
            files=", ".join(Path(f).name for f in args.files)))
    return 0


def cmd_export(args) -> int:
    from ..interchange.exporter import export_contacts

    ids = None
    if args.ids:
        try:
            ids = [int(x) for x in args.ids.split(",") if x.strip()]
        except ValueError:
            raise BoutiqueBookError(_("--ids takes numbers separated by commas.")) from None
    with open_vault(args) as vault:
        session = manager_session(vault, args)
        n = export_contacts(vault, args.output, args.format, ids=ids, tier=args.tier, query=args.query,
                            session=session)
    print(ngettext("Exported {n} contact to {path}", "Exported {n} contacts to {path}", n).format(n=n, path=args.output))
    return 0


def cmd_duplicates(args) -> int:
    from ..interchange.duplicates import find_duplicates

    with open_vault(args) as vault:
        pairs = find_duplicates(vault, threshold=args.threshold)
    for pair in pairs:
        print(f"{pair.a}\t{pair.b}\t{pair.score}\t{pair.names[0]} / {pair.names[1]}\t{'; '.join(pair.reasons)}")
    print(ngettext("{n} likely duplicate pair.", "{n} likely duplicate pairs.", len(pairs)).format(n=len(pairs)), file=sys.stderr)
    return 0


def cmd_merge(args) -> int:
    from ..interchange.merge import merge

    with open_vault(args) as vault:
        merge(vault, args.keep, args.other, by=staff_id(vault, args.staff))
    print(_("Merged {other} into {keep}.").format(other=args.other, keep=args.keep))
    return 0


def cmd_person_export(args) -> int:
    from ..interchange.person_export import export_person

    with open_vault(args) as vault:
        session = manager_session(vault, args)
        json_path, pdf_path = export_person(vault, args.contact_id, args.output, session=session)
    print(json_path)
    print(pdf_path)
    return 0
