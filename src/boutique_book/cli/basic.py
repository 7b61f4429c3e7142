"""init, demo, add-contact, search, passwd."""

from __future__ import annotations

import sys

from ..core import contacts, demo, search
from ..core import generations
from ..core.errors import BoutiqueBookError
from ..core.model import Contact, Email, Phone, Tier
from ..core.opening import create_book, open_book
from ..i18n import _
from .common import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, open_vault, secret, staff_id, vault_path


def register(sub, common) -> None:
    p = sub.add_parser("init", parents=[common], help=_("create a new vault"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", parents=[common], help=_("fill a vault with realistic demo data"))
    p.add_argument("--contacts", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--moments-per-contact", type=float, default=10.0)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("add-contact", parents=[common], help=_("add one contact"))
    p.add_argument("--given", default="")
    p.add_argument("--family", default="")
    p.add_argument("--email", action="append", default=[])
    p.add_argument("--phone", action="append", default=[])
    p.add_argument("--country", default="")
    p.add_argument("--tier", choices=[t.value for t in Tier], default=Tier.ACQUAINTANCES.value)
    p.add_argument("--note", help=_("becomes a shared moment"))
    p.add_argument("--staff", help=_("staff member making the change"))
    p.set_defaults(handler=cmd_add_contact)

    p = sub.add_parser("search", parents=[common], help=_("print the matching contacts, best first"))
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("passwd", parents=[common], help=_("change the vault passphrase"))
    p.set_defaults(handler=cmd_passwd)


def cmd_init(args) -> int:
    path = vault_path(args)
    vault = create_book(path, secret(PASSPHRASE_ENV, _("New vault passphrase: "), confirm=True, new=True))
    vault.close()
    print(_("Created vault {path}").format(path=path))
    return 0


def cmd_demo(args) -> int:
    path = vault_path(args)
    passphrase = secret(PASSPHRASE_ENV, _("Vault passphrase: "), confirm=not path.exists(), new=not path.exists())
    vault = open_book(path, passphrase) if path.exists() else create_book(path, passphrase)
    with vault:
        counts = demo.generate(vault, args.contacts, seed=args.seed, moments_per_contact=args.moments_per_contact)
        from ..printing import boutique

        boutique.complete_demo(vault)       # the demo boutique's logo (its details come with core.demo)
    print(_("Added {contacts} contacts, {moments} moments, {links} links, {followups} follow-ups.").format(**counts))
    return 0


def cmd_add_contact(args) -> int:
    if not (args.given or args.family):
        raise BoutiqueBookError(_("Give --given or --family."))
    with open_vault(args) as vault, vault.transaction():  # one action: staff, contact and note together
        by = staff_id(vault, args.staff)
        contact = Contact(given_name=args.given, family_name=args.family, tier=args.tier, country=args.country,
                          emails=[Email(e) for e in args.email], phones=[Phone(p) for p in args.phone])
        contact_id = contacts.add_with_note(vault, contact, args.note or None, by=by)
    print(contact_id)
    return 0


def cmd_search(args) -> int:
    with open_vault(args, write=False) as vault:
        for row in search.search(vault.conn, " ".join(args.query), limit=args.limit):
            print(f"{row.id}\t{row.display_name}\t{row.tier}\t{row.detail}")
    return 0


def cmd_passwd(args) -> int:
    with open_vault(args) as vault:  # under the single-writer lock
        changed = generations.change(vault, secret(NEW_PASSPHRASE_ENV, _("New passphrase: "), confirm=True, new=True))
    print(_("Passphrase changed."))
    if changed.backup is not None:
        print(_("A fresh verified backup with the new passphrase: {path}").format(path=changed.backup.path))
    else:
        print(_("boutique-book: warning: {problem}").format(problem=changed.backup_error), file=sys.stderr)
    return 0
