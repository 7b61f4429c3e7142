"""boutique set / show: the boutique's own details (sender of envelopes, letterhead, signing line)."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import BoutiqueBookError
from ..i18n import _, current_language
from .common import open_vault

# option -> stored detail
OPTIONS = {"name": "name", "street": "street", "postcode": "postal_code", "city": "city", "region": "region",
           "country": "country_code", "phone": "phone", "email": "email", "website": "website",
           "language": "language", "signing_line": "signing_line"}


def register(sub, common) -> None:
    p = sub.add_parser("boutique", help=_("the boutique's name, address, phone, e-mail, website, logo"))
    psub = p.add_subparsers(dest="boutique_command", metavar="WHAT")
    p.set_defaults(handler=lambda args: (p.print_help(), 1)[1])

    q = psub.add_parser("set", parents=[common], help=_("set the boutique's details (printed on letters, cards "
                                                          "and envelopes)"))
    q.add_argument("--name", help=_("the boutique's name"))
    q.add_argument("--street", help=_("street and number (a second line after a line break)"))
    q.add_argument("--postcode", help=_("postcode"))
    q.add_argument("--city", help=_("town or city"))
    q.add_argument("--region", help=_("state, province or emirate, where the post asks for one"))
    q.add_argument("--country", help=_("country: its name or two-letter code (France, FR)"))
    q.add_argument("--phone", help=_("phone number"))
    q.add_argument("--email", help=_("e-mail address"))
    q.add_argument("--website", help=_("website (www.example.com)"))
    q.add_argument("--language", help=_("language of the boutique's own lines (fr, en, …)"))
    q.add_argument("--signing-line", dest="signing_line",
                   help=_("the line under the staff member's name (default: the boutique's name)"))
    logo = q.add_mutually_exclusive_group()
    logo.add_argument("--logo", metavar="FILE.png", help=_("the logo, a PNG or JPEG picture"))
    logo.add_argument("--no-logo", action="store_true", help=_("remove the logo"))
    q.add_argument("--staff", help=_("who makes the change, for the audit log"))
    q.set_defaults(handler=cmd_set)

    q = psub.add_parser("show", parents=[common], help=_("show the boutique's details"))
    q.set_defaults(handler=cmd_show)


def cmd_set(args) -> int:
    from ..printing import boutique

    values = {key: getattr(args, option) for option, key in OPTIONS.items() if getattr(args, option) is not None}
    if args.street is not None:
        values["street"] = args.street.replace("\\n", "\n")
    if args.logo:
        path = Path(args.logo).expanduser()
        try:
            values["logo_png"] = path.read_bytes()
        except OSError as exc:
            raise BoutiqueBookError(_("Cannot read the logo {path}: {reason}").format(
                path=path.name, reason=exc.strerror or exc)) from None
    if args.no_logo:
        values["logo_png"] = ""
    if not values:
        raise BoutiqueBookError(_("Nothing to set: give at least one of --name, --street, --postcode, --city, "
                                  "--country, --phone, --email, --website, --logo."))
    with open_vault(args) as vault:
        details = boutique.set_details(vault, values, actor=args.staff or "staff")
    _print(details)
    absent = boutique.missing(details, boutique.SENDER_NEEDS)
    if absent:
        names = boutique.labels()
        print(_("Still missing for letters and envelopes: {fields}.").format(
            fields=", ".join(names[f] for f in absent)))
    return 0


def cmd_show(args) -> int:
    from ..printing import boutique

    with open_vault(args) as vault:
        details = boutique.get(vault)
    _print(details)
    return 0


def _print(details: dict) -> None:
    from ..printing import boutique

    for line in boutique.describe(details, current_language()):
        print(line)
