"""Phone numbers: stored as typed plus E.164 (phonenumbers: Google's metadata beats any regex)."""

from __future__ import annotations

import phonenumbers

from .errors import ValidationError
from .text import digits


def normalise(raw: str, region: str = "") -> str:
    """E.164 form of a valid number, or raise ValidationError explaining why."""
    raw = raw.strip()
    if not raw:
        raise ValidationError("The phone number is empty.", field="phone")
    try:
        number = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        hint = "" if raw.startswith("+") or region else " (start it with + and the country code)"
        raise ValidationError(f"“{raw}” is not a phone number{hint}.", field="phone") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(f"“{raw}” has the wrong number of digits for its country.", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str, raw: str = "", home_region: str = "") -> str:
    """International format, or national format when the number is from the store's country."""
    if not e164:
        return raw
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return raw or e164
    region = phonenumbers.region_code_for_number(number)
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if region == (home_region or "").upper() else (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


def search_tokens(e164: str, raw: str) -> list[str]:
    """Digit strings under which a number is found: full international digits, the national number
    with and without the trunk 0, and the digits as typed."""
    tokens = {digits(raw)}
    if e164:
        tokens.add(digits(e164))
        try:
            number = phonenumbers.parse(e164, None)
            tokens.add(str(number.national_number))
            # National dialling form: keeps the trunk prefix only where the country uses one (0 in FR).
            tokens.add(digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)))
        except phonenumbers.NumberParseException:
            pass
    return sorted(t for t in tokens if t)
