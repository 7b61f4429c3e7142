"""Writing contacts as vCard 4.0 (RFC 6350) or 3.0 (RFC 2426), UTF-8, CRLF, folded at 75 octets.

Standard properties carry what address books understand (N, FN, ORG, TEL, EMAIL, ADR, BDAY,
ANNIVERSARY, CATEGORIES, PHOTO, LANG); Boutique Book's own fields (tier, kind, salutation, ...)
travel as X-BOUTIQUE-* so that a re-import into Boutique Book loses nothing. Labels that are not a
standard TYPE are written as Apple-style grouped X-ABLabel (item1.TEL + item1.X-ABLabel), which
Apple, Google and Android read.
"""

from __future__ import annotations

import base64
import functools

from ..core.model import Contact
from ..core.phones import split_extension
from .vcard_read import BOUTIQUE_FIELDS

_LABEL_TYPES = {"mobile": "cell", "home": "home", "work": "work", "fax": "fax", "pager": "pager",
                "main": "main", "other": "other", "text": "text", "video": "video", "car": "car"}


def escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def param_value(value: str) -> str:
    """A parameter value: RFC 6868 escapes for what a parameter cannot hold (^n newline, ^' double
    quote, ^^ caret), then quoted. A label typed on two lines no longer breaks the card."""
    value = value.replace("^", "^^").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "^n")
    return '"' + value.replace('"', "^'") + '"'


def date_text(date, version: str) -> str:
    """RFC 6350 §4.3.1 (4.0): basic format 19800229, --0229 without a year; RFC 2426 (3.0): 1980-02-29."""
    if date.year is None:
        return f"--{date.month:02d}{date.day:02d}" if version == "4.0" else f"--{date.month:02d}-{date.day:02d}"
    if version == "4.0":
        return f"{date.year:04d}{date.month:02d}{date.day:02d}"
    return date.iso()


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out, current, size, limit = [], [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"


def image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"GIF8"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "jpeg"


@functools.lru_cache(maxsize=1)
def _english_countries() -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse("en").territories)


def country_name(code: str) -> str:
    return _english_countries().get((code or "").upper(), code or "")


def _typed(name: str, label: str, value: str, version: str, group_no: list[int]) -> list[str]:
    words = label.split()
    types = [_LABEL_TYPES[w.casefold()] for w in words if w.casefold() in _LABEL_TYPES]
    standard = bool(words) and len(types) == len(words)
    if version == "3.0" and name == "EMAIL":
        types = ["internet"] + types
    params = f";TYPE={','.join(types)}" if types and standard else ""
    if label and not standard:
        group_no[0] += 1
        group = f"item{group_no[0]}"
        return [f"{group}.{name}{params}:{value}", f"{group}.X-ABLabel:{escape(label)}"]
    return [f"{name}{params}:{value}"]


def _date_value(date, version: str) -> tuple[str, str]:
    """(params, value)."""
    if date.year is None:
        if version == "4.0":
            return "", f"--{date.month:02d}{date.day:02d}"
        return ";X-APPLE-OMIT-YEAR=1604", f"1604-{date.month:02d}-{date.day:02d}"
    return "", date_text(date, version)


def contact_to_vcard(contact: Contact, version: str = "4.0", uid: str = "") -> str:
    if version not in ("4.0", "3.0"):
        raise ValueError(version)
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if uid:
        lines.append(f"UID:{escape(uid)}")
    lines.append(f"FN:{escape(contact.display_name or contact.organisation or '')}")
    lines.append("N:" + ";".join(escape(x) for x in (contact.family_name, contact.given_name, "", contact.title, "")))
    if contact.organisation:
        lines.append(f"ORG:{escape(contact.organisation)}")
    if version == "4.0" and not (contact.given_name or contact.family_name) and contact.organisation:
        lines.append("KIND:org")
    group_no = [0]
    for phone in contact.phones:
        value = phone.e164 or phone.raw
        # The number as typed rides along in a parameter so that Boutique Book gets it back verbatim.
        raw = phone.raw.replace('"', "").replace("\n", " ")
        name = f'TEL;X-BOUTIQUE-RAW="{raw}"' if phone.e164 and raw and raw != phone.e164 else "TEL"
        extension = split_extension(phone.raw)[1]
        if version == "4.0" and phone.e164:
            uri = f"tel:{phone.e164}" + (f";ext={extension}" if extension else "")
            lines.extend(_typed(name + ";VALUE=uri", phone.label, uri, version, group_no))
        else:
            if phone.e164 and extension:
                value = f"{phone.e164} ext. {extension}"
            lines.extend(_typed(name, phone.label, escape(value), version, group_no))
    for email in contact.emails:
        lines.extend(_typed("EMAIL", email.label, escape(email.address), version, group_no))
    for address in contact.addresses:
        parts = ("", "", address.street, address.city, address.region, address.postal_code,
                 country_name(address.country_code))
        lines.extend(_typed("ADR", address.label, ";".join(escape(x) for x in parts), version, group_no))
    for key_date in contact.dates:
        params, value = _date_value(key_date.date, version)
        if key_date.lead_days:
            params += f";X-BOUTIQUE-LEAD={int(key_date.lead_days)}"
        if key_date.kind == "birthday" and not any(line.startswith("BDAY") for line in lines):
            lines.append(f"BDAY{params}:{value}")
        elif key_date.kind == "anniversary" and not any(
                line.startswith(("ANNIVERSARY", "X-ANNIVERSARY")) for line in lines):
            lines.append(f"{'ANNIVERSARY' if version == '4.0' else 'X-ANNIVERSARY'}{params}:{value}")
        else:
            label = f";X-LABEL={param_value(key_date.label)}" if key_date.label else ""
            lead = f";X-BOUTIQUE-LEAD={int(key_date.lead_days)}" if key_date.lead_days else ""
            lines.append(f"X-BOUTIQUE-DATE;TYPE={key_date.kind}{label}{lead}:{date_text(key_date.date, version)}")
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in contact.tags))
    if contact.language and version == "4.0":
        lines.append(f"LANG:{escape(contact.language)}")
    for key, attr in BOUTIQUE_FIELDS.items():
        value = getattr(contact, attr) or ""
        if value:
            lines.append(f"X-BOUTIQUE-{key}:{escape(str(value))}")
    if contact.photo:
        kind = image_type(contact.photo)
        data = base64.b64encode(contact.photo).decode("ascii")
        if version == "4.0":
            lines.append(f"PHOTO:data:image/{kind};base64,{data}")
        else:
            lines.append(f"PHOTO;ENCODING=b;TYPE={kind.upper()}:{data}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)
