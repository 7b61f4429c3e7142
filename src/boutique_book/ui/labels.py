"""Translated labels for stored codes (tiers, kinds, channels, moment kinds...)."""

from ..i18n import _


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
