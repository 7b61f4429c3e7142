"""Translated labels for stored codes (tiers, kinds, channels, moment kinds, first-met sources, seasons,
contact-field labels, countries and languages). Qt-free: screens, PDFs and the CLI's human output all name a
stored code through here, so nothing internal (snake_case keys, ISO codes) reaches a person (#22).
ui.labels re-exports it for the screens."""

from __future__ import annotations

from ..i18n import _, current_language


def tier_label(code: str) -> str:
    return {"family": _("Family"), "friends": _("Friends"), "acquaintances": _("Acquaintances")}.get(code, code)


def kind_label(code: str) -> str:
    return {"customer": _("Customer"), "prospect": _("Prospect"), "local": _("Local"), "partner": _("Partner"),
            "supplier": _("Supplier"), "staff": _("Staff"), "institution": _("Institution"),
            "event": _("Event")}.get(code, code)


def channel_label(code: str) -> str:
    return {"call": _("Call"), "card": _("Card"), "letter": _("Letter"), "email": _("Email"), "visit": _("Visit"),
            "sms": _("Text message"), "messaging": _("Messaging app"), "": _("No preference")}.get(code, code)


def moment_kind_label(code: str) -> str:
    return {"story": _("Story"), "visit": _("Visit"), "purchase": _("Purchase"), "wish": _("Wish"),
            "preference": _("Preference"), "gift_given": _("Gift given"), "gift_received": _("Gift received"),
            "card_sent": _("Card sent"), "card_received": _("Card received"), "complaint": _("Complaint"),
            "family_event": _("Family event"), "call": _("Call"), "coffee": _("Coffee together")}.get(code, code)


def relation_label(code: str) -> str:
    return {"spouse": _("Spouse / partner"), "parent_of": _("Parent of"), "child_of": _("Child of"),
            "family": _("Family"), "friend": _("Friend"), "colleague": _("Colleague"),
            "referred_by": _("Referred by"), "referred": _("Referred"), "member_of": _("Member of"),
            "has_member": _("Member"), "works_at": _("Works at"), "employs": _("Employs"),
            "met_at": _("Introduced at"), "introduced": _("Introduced here")}.get(code, code)


def first_met_label(code: str) -> str:
    return {"walk_in": _("Walked in"), "referral": _("Referred by a person"), "event": _("At an event"),
            "concierge": _("Hotel concierge"), "tourism": _("Tourism"), "online": _("Online"),
            "press": _("Press"), "other": _("Other"), "": _("Not recorded")}.get(code, code)


def consent_label(code: str) -> str:
    return {"mail": _("Mail"), "phone": _("Phone"), "email": _("Email"), "birthday": _("Birthday greetings"),
            "share_hq": _("Share with HQ")}.get(code, code)


def date_kind_label(code: str) -> str:
    return {"birthday": _("Birthday"), "anniversary": _("Anniversary"), "first_purchase": _("First purchase"),
            "name_day": _("Name day"), "other": _("Date")}.get(code, code)


TIERS = ("family", "friends", "acquaintances")
KINDS = ("customer", "prospect", "local", "partner", "supplier", "staff", "institution", "event")
CHANNELS = ("", "call", "card", "letter", "email", "visit", "sms", "messaging")
MOMENT_KINDS = ("story", "visit", "purchase", "wish", "preference", "gift_given", "gift_received", "card_sent",
                "card_received", "complaint", "family_event", "call", "coffee")
CONSENT_PURPOSES = ("mail", "phone", "email", "birthday", "share_hq")


def season_label(name: str) -> str:
    """A card season as the seasons window names it ("Christmas card"); a season the boutique added keeps
    the name it was given."""
    from .calendar_labels import SEASON_LABELS

    return _(SEASON_LABELS[name]) if name in SEASON_LABELS else name


# Contact-field labels as vCard and the demo store them ("mobile", "home", "CELL"...); anything else is a word
# a person typed and is shown as typed.
def _field_label(label: str, blank: str) -> str:
    words = {"mobile": _("Mobile"), "cell": _("Mobile"), "home": _("Home"), "work": _("Work"), "fax": _("Fax"),
             "other": _("Other"), "main": _("Main"), "pref": _("Preferred"), "voice": _("Phone"),
             "internet": _("Email")}
    text = (label or "").strip()
    return words.get(text.lower(), text) if text else blank


def phone_label(label: str) -> str:
    return _field_label(label, _("Phone"))


def email_label(label: str) -> str:
    return _field_label(label, _("Email"))


def address_label(label: str) -> str:
    return _field_label(label, _("Address"))


def country_name(code: str, language: str | None = None) -> str:
    """ "FR" -> "France" / "Frankreich" / "フランス" (CLDR); an unknown code is shown as stored."""
    from babel import Locale, UnknownLocaleError

    code = (code or "").strip().upper()
    if not code:
        return ""
    try:
        return Locale.parse(language or current_language()).territories.get(code, code)
    except (ValueError, UnknownLocaleError):
        return code


def language_name(code: str, language: str | None = None) -> str:
    """ "fr" -> "French" / "français" / "フランス語" (CLDR); an unknown code is shown as stored."""
    from babel import Locale, UnknownLocaleError

    code = (code or "").strip()
    if not code:
        return ""
    try:
        return Locale.parse(language or current_language()).languages.get(code.replace("-", "_").split("_")[0], code)
    except (ValueError, UnknownLocaleError):
        return code


def language_names(language: str | None = None) -> dict[str, str]:
    """{code: name} of the two-letter languages CLDR names in `language` (the interface's by default)."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(language or current_language()).languages
    except (ValueError, UnknownLocaleError):
        names = Locale.parse("en").languages
    return {code: name for code, name in names.items() if len(code) == 2}


def language_code(text: str, language: str | None = None) -> str | None:
    """What a person typed for a language ("French", "français", "フランス語", or the code "fr") -> its code;
    None when it names no language."""
    text = (text or "").strip()
    if not text:
        return None
    for lang in dict.fromkeys((language or current_language(), "en")):
        names = language_names(lang)
        if text.lower() in names:
            return text.lower()
        by_name = {name.casefold(): code for code, name in names.items()}
        if text.casefold() in by_name:
            return by_name[text.casefold()]
    return None


def formality_label(code: str) -> str:
    return {"formal": _("Formal"), "informal": _("Informal")}.get(code, code)


# The change log's actions on a contact (core.changelog.record) and the field names an "update" lists: what the
# person-export PDF's change history shows, in words (#22).
CHANGE_ACTIONS = ("create", "update", "delete", "tier", "tag", "untag", "consent", "interests_added",
                  "interests_removed", "interests_changed", "interest_suggestion_dismissed", "not_duplicate",
                  "merge", "merged_into")


def change_label(action: str) -> str:
    return {"create": _("Added to the book"), "update": _("Card changed"), "delete": _("Removed from the book"),
            "tier": _("Tier changed"), "tag": _("Tag added"), "untag": _("Tag removed"),
            "consent": _("Consent recorded"), "interests_added": _("Interests added"),
            "interests_removed": _("Interests removed"), "interests_changed": _("Interests changed"),
            "interest_suggestion_dismissed": _("Suggested interest set aside"),
            "not_duplicate": _("Marked as a different person"), "merge": _("Merged with a duplicate card"),
            "merged_into": _("Merged into another card")}.get(action, action.replace("_", " ").capitalize())


def contact_field_label(name: str) -> str:
    """A contact's stored field name ("given_name") as the card names it ("Given name")."""
    return {"given_name": _("Given name"), "family_name": _("Family name"), "organisation": _("Organisation"),
            "transliteration": _("Transliteration"), "title": _("Title"), "salutation": _("Salutation"),
            "formality": _("Formality"), "kind": _("Kind"), "tier": _("Tier"), "language": _("Language"),
            "country": _("Country"), "preferred_channel": _("Preferred channel"),
            "first_met_source": _("First met"), "first_met_note": _("First met note"),
            "first_met_contact_id": _("Referred by"), "photo": _("Photo"), "phones": _("Phones"),
            "emails": _("Emails"), "addresses": _("Addresses"), "dates": _("Key dates"),
            "tags": _("Tags")}.get(name, name.replace("_", " ").capitalize())


def change_detail(action: str, detail: str) -> str:
    """The change log's detail in words: field names named, tier codes named, counts counted. Values are never
    logged (only field names, codes and counts), so nothing is lost by naming them."""
    from ..i18n import ngettext

    detail = (detail or "").strip()
    if not detail:
        return ""
    if action == "update":
        return ", ".join(contact_field_label(name) for name in detail.split(",") if name)
    if action == "tier" and "->" in detail:
        old, new = detail.split("->", 1)
        if not old or old == "None":
            return tier_label(new)
        return _("from {old} to {new}").format(old=tier_label(old), new=tier_label(new))
    if action == "consent" and "=" in detail:
        purpose, answer = detail.split("=", 1)
        return _("{label}: {value}").format(label=consent_label(purpose),
                                            value=_("yes") if answer == "yes" else _("no"))
    if action in ("interests_added", "interests_removed") and detail.isdigit():
        n = int(detail)
        return ngettext("{n} interest", "{n} interests", n).format(n=n)
    if action == "interests_changed":
        counts = dict(zip("+-~", (0, 0, 0)))
        for part in detail.split():
            if part[:1] in counts and part[1:].isdigit():
                counts[part[:1]] = int(part[1:])
        return _("{added} added, {removed} removed, {dismissed} set aside").format(
            added=counts["+"], removed=counts["-"], dismissed=counts["~"])
    if action in ("merge", "merged_into", "not_duplicate") and "=" in detail:
        other = detail.split("=", 1)[1]
        return _("card no. {number}").format(number=other)
    return detail
