"""Phone numbers: stored as typed plus E.164 (phonenumbers: Google's metadata beats any regex).

A number that cannot be read (no country code and no country to read it with, or a wrong length) can
still be kept as typed, with an empty E.164: `Phone.kept` says so (set by the importer, and on every
phone read back from the vault without E.164). Its digits are indexed for search like any other."""

from __future__ import annotations

import re

import phonenumbers

from .errors import ValidationError
from .text import digits
from ..translation import _

# An extension as address books write it: "tel:+1-418-656-9254;ext=102", "+1 418 656 9254 ext. 102",
# "x102", "poste 102", "Durchwahl 102", "内線102".
_EXTENSION = re.compile(
    r"\s*(?:;\s*ext=|,?\s*(?:ext\.?|extension|x|poste|durchwahl|dw\.?|int\.?|interno|内線)\s*[:.]?\s*|#)(\d{1,7})\s*$",
    re.IGNORECASE)


def split_extension(raw: str) -> tuple[str, str]:
    """(number, extension) of a number as written; extension '' when there is none."""
    match = _EXTENSION.search(raw or "")
    if not match or len(digits(raw[:match.start()])) < 3:
        return raw, ""
    return raw[:match.start()].rstrip(" ,;"), match.group(1)


def _prepared(raw: str) -> str:
    """The number as phonenumbers should read it: no tel: scheme, the international 00 as +."""
    text = raw.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    stripped = text.lstrip(" (")
    if stripped.startswith("00") and not stripped.startswith("000"):
        text = "+" + stripped[2:].lstrip(" -./)")
    return text


def normalise(raw: str, region: str = "") -> str:
    """E.164 form of a valid number, or raise ValidationError explaining why. The extension, if any,
    is not part of E.164 (it stays in the number as typed)."""
    raw = raw.strip()
    if not raw:
        raise ValidationError(_("The phone number is empty."), field="phone")
    number_part, _ext = split_extension(raw)
    try:
        number = phonenumbers.parse(_prepared(number_part), (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        message = (_("“{raw}” is not a phone number.") if raw.startswith("+") or region
                   else _("“{raw}” is not a phone number (start it with + and the country code)."))
        raise ValidationError(message.format(raw=raw), field="phone") from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("“{raw}” has the wrong number of digits for its country.").format(raw=raw), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_valid_in(raw: str, region: str) -> bool:
    """True when the number is a real, assigned-range number read with `region` (stricter than normalise)."""
    number_part, _ext = split_extension(raw)
    try:
        number = phonenumbers.parse(_prepared(number_part), (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def display(e164: str, raw: str = "", home_region: str = "") -> str:
    """International format, or national format when the number is from the store's country; the
    extension is shown after it."""
    if not e164:
        return raw
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return raw or e164
    region = phonenumbers.region_code_for_number(number)
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if region == (home_region or "").upper() else (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    extension = split_extension(raw)[1]
    text = phonenumbers.format_number(number, fmt)
    return f"{text} ext. {extension}" if extension else text


def search_tokens(e164: str, raw: str) -> list[str]:
    """Digit strings under which a number is found: full international digits, the same with the 00
    prefix and with the (0) written after the country code, the national number with and without the
    trunk 0, and the digits as typed (without an extension)."""
    number_part = split_extension(raw)[0]
    tokens = {digits(number_part)}
    if e164:
        international = digits(e164)
        tokens.add(international)
        tokens.add("00" + international)
        try:
            number = phonenumbers.parse(e164, None)
            national = str(number.national_number)
            tokens.add(national)
            tokens.add(f"{number.country_code}0{national}")
            # National dialling form: keeps the trunk prefix only where the country uses one (0 in FR).
            tokens.add(digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)))
        except phonenumbers.NumberParseException:
            pass
    return sorted(t for t in tokens if t)


TAIL_MIN = 4


def tail_tokens(e164: str, raw: str) -> list[str]:
    """The last 4, 5, … digits of a number (staff type the end of a number they half remember)."""
    number = digits(e164) if e164 else digits(split_extension(raw)[0])
    return [number[-n:] for n in range(TAIL_MIN, len(number))]
