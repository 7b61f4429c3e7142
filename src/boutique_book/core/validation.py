"""Validation at the boundary: every problem named with the field it belongs to."""

from __future__ import annotations

import re

from . import limits, phones
from .errors import ValidationError
from .model import Channel, Contact, Kind, Tier, DATE_KINDS
from .text import nfc
from ..translation import _, ngettext
from .labels import contact_field_label

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def validate_email(address: str) -> str:
    address = nfc(address)
    if not EMAIL.match(address):
        raise ValidationError(_("“{address}” is not an email address (expected name@example.com).").format(address=address),
                              field="email")
    return address


def contact_problems(contact: Contact, home_region: str = "") -> list[ValidationError]:
    """All problems at once, so a form can mark every field; normalises the contact in place."""
    problems: list[ValidationError] = []
    for attr in ("given_name", "family_name", "organisation", "transliteration", "title", "salutation",
                 "first_met_note"):
        setattr(contact, attr, nfc(getattr(contact, attr)))
    for attr in ("given_name", "family_name", "organisation", "transliteration", "title", "salutation"):
        if len(getattr(contact, attr)) > limits.MAX_NAME_CHARS:
            problems.append(ValidationError(ngettext("{field} is too long (at most {n} character).", "{field} is too long (at most {n} characters).",
                     limits.MAX_NAME_CHARS).format(
                field=contact_field_label(attr), n=limits.MAX_NAME_CHARS), field=attr))
    if contact.photo and len(contact.photo) > limits.MAX_PHOTO_BYTES:
        problems.append(ValidationError(_("The photo is too large (at most {n} MB).").format(n=limits.MAX_PHOTO_BYTES // (1024 * 1024)),
                                        field="photo"))
    if not (contact.given_name or contact.family_name or contact.organisation):
        problems.append(ValidationError(_("Give at least a name (given, family or organisation)."), field="name"))
    if contact.tier not in {t.value for t in Tier}:
        problems.append(ValidationError(f"Unknown tier “{contact.tier}”.", field="tier"))
    if contact.kind not in {k.value for k in Kind}:
        problems.append(ValidationError(f"Unknown kind “{contact.kind}”.", field="kind"))
    if contact.preferred_channel and contact.preferred_channel not in {c.value for c in Channel}:
        problems.append(ValidationError(f"Unknown channel “{contact.preferred_channel}”.", field="channel"))
    if contact.formality not in ("formal", "informal"):
        problems.append(ValidationError("Formality is formal or informal.", field="formality"))
    contact.country = (contact.country or "").upper()
    if contact.country and not re.fullmatch(r"[A-Z]{2}", contact.country):
        problems.append(ValidationError(_("Country is a two-letter code such as FR or JP."), field="country"))
    for n, email in enumerate(contact.emails):
        try:
            email.address = validate_email(email.address)
        except ValidationError as exc:
            exc.field = f"email:{n}" if n else "email"
            problems.append(exc)
    region = contact.country or home_region
    for n, phone in enumerate(contact.phones):
        try:
            phone.raw = nfc(phone.raw)
            phone.e164 = phones.normalise(phone.raw, region)
        except ValidationError as exc:
            if phone.kept and phone.raw:
                phone.e164 = ""  # an imported number kept as written: not an error to fix now
                continue
            exc.field = f"phone:{n}" if n else "phone"
            problems.append(exc)
    for address in contact.addresses:
        if not (address.country_unknown and not address.country_code):
            address.country_code = (address.country_code or contact.country or home_region).upper()
        for attr in ("street", "city", "postal_code", "region", "city_area", "label"):
            setattr(address, attr, nfc(getattr(address, attr)))
    for key_date in contact.dates:
        if key_date.kind not in DATE_KINDS:
            problems.append(ValidationError(f"Unknown kind of date “{key_date.kind}”.", field="dates"))
    contact.tags = sorted({nfc(t) for t in contact.tags if nfc(t)}, key=str.casefold)
    return problems


def validate_contact(contact: Contact, home_region: str = "") -> Contact:
    problems = contact_problems(contact, home_region)
    if problems:
        raise problems[0]
    return contact
