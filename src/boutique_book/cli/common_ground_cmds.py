"""staff interests, contact interests, interests vocabulary, common-ground."""

from __future__ import annotations

from ..core import common_ground, interest_suggestions, interests
from ..core import staff as staff_lib
from ..core.errors import BoutiqueBookError
from ..i18n import _, current_language, ngettext
from .common import open_vault


def _terms(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [t.strip() for t in value.split(",") if t.strip()]


def register(sub, common) -> None:
    p = sub.add_parser("staff", parents=[common], help=_("a staff member's own profile (interests, languages)"))
    staff_sub = p.add_subparsers(dest="staff_command", metavar="WHAT", required=True)
    q = staff_sub.add_parser("interests", parents=[common],
                             help=_("show or set a staff member's interests, languages and what they share"))
    q.add_argument("name", metavar="NAME")
    q.add_argument("--set", dest="set_terms", metavar="A,B,C", help=_("replace the interests"))
    q.add_argument("--languages", metavar="fr,en", help=_("replace the languages spoken"))
    q.add_argument("--shares", metavar="TEXT", help=_("a few things they are happy to tell customers"))
    q.add_argument("--show", action="store_true", help=_("print the profile (the default)"))
    q.add_argument("--staff", help=_("who makes the change (default: the staff member named); "
                                     "anyone else needs the manager passphrase"))
    q.set_defaults(handler=cmd_staff_interests)
    q = staff_sub.add_parser("erase-profile", parents=[common],
                             help=_("manager: erase what a staff member told about themselves"))
    q.add_argument("name", metavar="NAME")
    q.add_argument("--staff", help=_("name of the manager, for the audit log"))
    q.set_defaults(handler=cmd_staff_erase)

    p = sub.add_parser("contact", parents=[common], help=_("a person's interests"))
    contact_sub = p.add_subparsers(dest="contact_command", metavar="WHAT", required=True)
    q = contact_sub.add_parser("interests", parents=[common],
                               help=_("show, add or remove a person's interests; list suggestions"))
    q.add_argument("contact_id", type=int, metavar="ID")
    q.add_argument("--add", metavar="A,B", help=_("add interests (also confirms a suggestion)"))
    q.add_argument("--remove", metavar="A,B", help=_("remove interests"))
    q.add_argument("--suggest", action="store_true", help=_("list interests found in what the person shared"))
    q.add_argument("--staff", help=_("staff member making the change"))
    q.set_defaults(handler=cmd_contact_interests)

    p = sub.add_parser("interests", parents=[common], help=_("the shared vocabulary of interests"))
    interests_sub = p.add_subparsers(dest="interests_command", metavar="WHAT", required=True)
    q = interests_sub.add_parser("vocabulary", parents=[common],
                                 help=_("list the vocabulary; the manager adds interests or synonyms"))
    q.add_argument("--add", metavar="A,B", help=_("terms naming one interest (new, or synonyms of one)"))
    q.add_argument("--term-language", default="en", metavar="LANG", help=_("language of the terms given"))
    q.add_argument("--staff", help=_("name of the manager, for the audit log"))
    q.set_defaults(handler=cmd_vocabulary)

    p = sub.add_parser("common-ground", parents=[common],
                       help=_("what a staff member shares with a person, best first"))
    p.add_argument("contact_id", type=int, metavar="ID")
    p.add_argument("--staff", required=True, help=_("the staff member at the counter"))
    p.set_defaults(handler=cmd_common_ground)


def _staff_or_fail(vault, name: str):
    found = staff_lib.by_name(vault, name)
    if found is None:
        raise BoutiqueBookError(_("There is no staff member called “{name}”.").format(name=name))
    return found


def _manager(vault, args):
    from .hq_cmds import _session

    return _session(vault, args)


def _print_profile(profile) -> None:
    language = current_language()
    print(profile.name)
    print("  " + _("Interests: {items}").format(items=", ".join(i.label for i in profile.interests) or "—"))
    print("  " + _("Languages: {items}").format(
        items=", ".join(common_ground.language_name(c, language) for c in profile.languages) or "—"))
    print("  " + _("Happy to share: {text}").format(text=profile.shares or "—"))


def cmd_staff_interests(args) -> int:
    with open_vault(args) as vault:
        member = _staff_or_fail(vault, args.name)
        changing = any(v is not None for v in (args.set_terms, args.languages, args.shares))
        if changing:
            acting = member.id
            session = None
            if args.staff and args.staff != member.name:
                acting = _staff_or_fail(vault, args.staff).id
                session = _manager(vault, args)
            interests.set_staff_profile(vault, member.id, interests=_terms(args.set_terms),
                                        languages=_terms(args.languages), shares=args.shares,
                                        acting_staff_id=acting, session=session)
        _print_profile(interests.staff_profile(vault, member.id, current_language()))
    return 0


def cmd_staff_erase(args) -> int:
    with open_vault(args) as vault:
        member = _staff_or_fail(vault, args.name)
        interests.erase_staff_profile(vault, _manager(vault, args), member.id)
    print(_("Erased the profile of {name} (interests, languages, what they share); "
            "they are no longer offered at the counter.").format(name=member.name))
    return 0


def cmd_contact_interests(args) -> int:
    language = current_language()
    with open_vault(args) as vault:
        by = None
        if args.staff:
            by = staff_lib.add(vault, args.staff)
        if args.add:
            interests.add_to_contact(vault, args.contact_id, _terms(args.add), by=by)
        if args.remove:
            interests.remove_from_contact(vault, args.contact_id, _terms(args.remove), by=by)
        held = interests.for_contact(vault, args.contact_id, language)
        print(_("Interests: {items}").format(items=", ".join(i.label for i in held) or "—"))
        if args.suggest:
            found = interest_suggestions.suggest(vault, args.contact_id, language)
            if not found:
                print(_("No suggestion: nothing they shared names an interest of the vocabulary."))
            for suggestion in found:
                print("  " + _("Suggested: {interest} (from “{quote}”)").format(
                    interest=suggestion.label, quote=suggestion.evidence))
    return 0


def cmd_vocabulary(args) -> int:
    language = current_language()
    with open_vault(args) as vault:
        if args.add:
            terms = _terms(args.add)
            interests.add_to_vocabulary(vault, _manager(vault, args), {args.term_language: terms})
        for interest, terms in interests.vocabulary(vault, language):
            print(f"{interest.label}: {', '.join(terms)}")
    return 0


def cmd_common_ground(args) -> int:
    from ..core.formatting import list_date

    language = current_language()
    with open_vault(args) as vault:
        member = _staff_or_fail(vault, args.staff)
        ground = common_ground.compute(vault, args.contact_id, member.id, language)
        owner = common_ground.suggest_owner(vault, args.contact_id, language)
    if not ground.shared and not ground.language:
        print(_("{name} shares no interest or language with this person yet.").format(name=member.name))
    else:
        print(_("{name} shares, most specific first:").format(name=member.name))
        for item in ground.shared:
            print("  " + item.label + " — " + ngettext("{n} person in the book", "{n} people in the book",
                                                      item.holders).format(n=item.holders))
        if ground.language:
            print("  " + _("speaks {language}").format(
                language=common_ground.language_name(ground.language, language)))
    for colleague in ground.colleagues:
        print(_("{name} also: {items}").format(name=colleague.name,
                                               items=", ".join(s.label for s in colleague.shared)))
    if ground.last_shared:
        print(_("Last told us ({date}): “{text}”").format(
            date=list_date(ground.last_shared_on, language), text=ground.last_shared))
    if owner:
        print(_("Best placed to reach out: {reason}.").format(reason=owner.reason))
    return 0
