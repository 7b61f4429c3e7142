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


def formality_label(code: str) -> str:
    return {"formal": _("Formal"), "informal": _("Informal")}.get(code, code)
