"""Reading vCard 2.1, 3.0 and 4.0 files as real programs write them.

vobject's tokenizer does the line grammar (unfolding, quoted-printable soft breaks, parameters,
groups); the cards are assembled and the values interpreted here, because vobject's value behaviours
are lossy on real files (an unescaped comma in a 2.1 NOTE cuts the note; a missing END:VCARD loses
every card after it). Each card is read on its own: a broken card becomes a Problem with its number
and first line, and the others still import.

Charsets: a file is decoded as UTF-8 (BOM or not) or UTF-16 (BOM, or NULs that say so); otherwise it
is held as Latin-1 (byte for byte) and every property is re-decoded with its own CHARSET parameter,
falling back to UTF-8 and then Windows-1252. Quoted-printable values are decoded to bytes first, then
with their CHARSET.
"""

from __future__ import annotations

import base64
import binascii
import io
import quopri
import re

from vobject.base import parseLine

from ..core.model import Address, Contact, Email, KeyDate, PartialDate, Phone
from ..core.text import is_east_asian
from ..i18n import _, ngettext
from .records import Problem, ReadResult, SourceRecord, country_code, read_file

from ..core.limits import MAX_PHOTO_BYTES  # noqa: E402  (one limit for the app and the import)

# TYPE values -> our labels (stored as typed; these are the usual ones)
_TYPE_LABELS = {"cell": "mobile", "mobile": "mobile", "iphone": "mobile", "home": "home", "work": "work",
                "fax": "fax", "pager": "pager", "main": "main", "other": "other", "car": "car",
                "text": "text", "video": "video", "textphone": "textphone", "school": "school"}
_IGNORED_TYPES = {"pref", "internet", "voice", "x400", "dom", "intl", "postal", "parcel", "msg", "bbs",
                  "modem", "isdn", "pcs", "x-internet"}
# Properties we read; any other one is counted in ReadResult.ignored_properties.
_STRUCTURE = {"BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "X-ABLABEL", "LABEL", "CLIENTPIDMAP",
              "X-ABUID", "X-ABSHOWAS"}
# A program's own bookkeeping about the card, not about the person: not kept and not reported.
_BOOKKEEPING = {"X-ABADR", "X-IMAGETYPE", "X-IMAGEHASH", "X-SHARED-PHOTO-DISPLAY-PREF", "X-ACTIVITY-ALERT",
                "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "X-MS-CARDPICTURE", "X-MOZILLA-HTML",
                "X-EVOLUTION-FILE-AS", "X-EVOLUTION-LIST", "X-EVOLUTION-LIST-SHOW-ADDRESSES",
                "X-EVOLUTION-BOOK-URI", "X-EVOLUTION-E164", "X-WAB-GENDER", "MAILER", "SOURCE", "NAME", "CLASS",
                "X-ABPERSONFLAGS", "X-MS-IMADDRESS-DISPLAY", "X-COUCHDB-UUID", "X-COUCHDB-REVISION",
                "X-GOOGLE-ETAG", "X-ANDROID-SYNC", "X-IRMC-LUID", "X-NOKIA-PND-ID", "SORT-STRING-ORDER",
                "X-ABCONTACTID", "X-ABGROUPMEMBER", "X-APPLE-SUBADMINISTRATIVEAREA", "X-APPLE-SUBLOCALITY"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}


# -- bytes -> text -------------------------------------------------------------------------------

def decode_bytes(data: bytes) -> tuple[str, bool]:
    """(text, held_as_latin1). held_as_latin1 means each property must be re-decoded from bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), False
    sample = data[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without BOM: the NULs sit on the high bytes of ASCII letters.
        odd = sample[1::2].count(b"\x00")
        return data.decode("utf-16-le" if odd >= sample[0::2].count(b"\x00") else "utf-16-be", errors="replace"), False
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


def _redecode(raw: bytes, charset: str) -> str:
    for name in (charset, "utf-8"):
        if not name:
            continue
        try:
            return raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("cp1252", errors="replace")


# -- content lines ---------------------------------------------------------------------------------

class Prop:
    __slots__ = ("group", "name", "params", "types", "value", "line")

    def __init__(self, group, name, params, types, value, line):
        self.group, self.name, self.params, self.types, self.value, self.line = group, name, params, types, value, line

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0] if values else ""


# Android's vCard 2.1 export writes a custom label as TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=42=6F):
# (AOSP VCardBuilder), which no vCard grammar reads: turned into a parameter before parsing.
_ANDROID_CUSTOM_LABEL = re.compile(r";X-CUSTOM\((?:CHARSET=([^,()]*),)?(?:ENCODING=QUOTED-PRINTABLE,)?([^()]*)\)",
                                   re.IGNORECASE)


def _android_label(match: re.Match) -> str:
    charset, label = match.group(1) or "utf-8", match.group(2)
    if "ENCODING=QUOTED-PRINTABLE" in match.group(0).upper():
        label = _redecode(quopri.decodestring(label.encode("latin-1", errors="replace")), charset)
    label = label.replace("^", "^^").replace('"', "^'").replace("\n", "^n")
    return f';X-ANDROID-LABEL="{label}"'


def _make_prop(text: str, lineno: int, latin1: bool) -> Prop:
    head = text.split(":", 1)[0] if ")" in text else ""
    if "X-CUSTOM(" in head.upper():
        text = _ANDROID_CUSTOM_LABEL.sub(_android_label, head) + text[len(head):]
    name, raw_params, value, group = parseLine(text, lineno)
    params: dict[str, list[str]] = {}
    types: list[str] = []
    for entry in raw_params:
        if len(entry) == 1:  # 2.1 style: TEL;CELL;VOICE: or ;QUOTED-PRINTABLE
            single = entry[0].upper()
            if single in _ENCODINGS:
                params.setdefault("ENCODING", []).append(single)
            else:
                types.append(entry[0])
            continue
        key = entry[0].upper()
        values = [v for item in entry[1:] for v in str(item).split(",")]
        params.setdefault(key, []).extend(values)
        if key == "TYPE":
            types.extend(values)
    encoding = (params.get("ENCODING") or [""])[0].upper()
    charset = (params.get("CHARSET") or [""])[0]
    if encoding == "QUOTED-PRINTABLE":
        raw = value.encode("latin-1" if latin1 else "utf-8", errors="replace")
        value = _redecode(quopri.decodestring(raw.replace(b"\r\n", b"\n")), charset)
    elif latin1:
        value = _redecode(value.encode("latin-1", errors="replace"), charset)
    return Prop((group or "").upper(), name.upper(), params, [t.strip().lower() for t in types if t.strip()],
                value, lineno)


def split_components(value: str, sep: str = ";") -> list[str]:
    """Split on unescaped separators and unescape (\\n, \\, \\; \\\\)."""
    if "\\" not in value:
        return value.split(sep)
    parts, current, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            current.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    return split_components(value, "\x00")[0]


# -- values ----------------------------------------------------------------------------------------

def label_from(types: list[str], ablabel: str = "") -> str:
    if ablabel:
        match = _APPLE_LABEL.match(ablabel.strip())
        text = match.group(1) if match else ablabel.strip()
        return _TYPE_LABELS.get(text.casefold(), text)
    labels: list[str] = []
    for t in types:
        if t in _IGNORED_TYPES or t.startswith("x-") and t[2:] in _IGNORED_TYPES:
            continue
        label = _TYPE_LABELS.get(t, t[2:] if t.startswith("x-") else t)
        if label and label not in labels:
            labels.append(label)
    return " ".join(labels)


_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})(?:T.*)?$"),
    re.compile(r"^--(?P<m>\d{2})-?(?P<d>\d{2})$"),
)


def parse_date(text: str, omit_year: str = "") -> PartialDate | None:
    text = text.strip()
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            year = match.groupdict().get("y")
            year_n = int(year) if year else None
            # Apple writes a birthday without year as 1604 (X-APPLE-OMIT-YEAR=1604).
            if year_n is not None and (str(year_n) == omit_year or year_n == 1604):
                year_n = None
            try:
                return PartialDate(int(match.group("m")), int(match.group("d")), year_n)
            except ValueError:
                return None
    return None


def image_kind(data: bytes) -> str:
    """'jpeg', 'png', 'gif', 'webp', 'bmp', 'tiff' or 'heic' from the file's first bytes; '' if none."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:2] == b"BM" and len(data) > 26:
        return "bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "heic"
    return ""


class BadPhoto(ValueError):
    """The PHOTO value is not an image (broken base64, or bytes of something else)."""


def parse_photo(prop: Prop) -> bytes | None:
    """The image bytes; None for a link (an offline app fetches nothing); BadPhoto when the value
    is not a readable image."""
    value = prop.value.strip()
    encoding = prop.param("ENCODING").upper()
    if value.lower().startswith("data:"):
        head, _sep, payload = value.partition(",")
        if not _sep:
            raise BadPhoto(value[:40])
        payload = payload.replace("\\", "")
        if ";base64" not in head.lower():
            from urllib.parse import unquote_to_bytes

            return _checked_image(unquote_to_bytes(payload))
        value, encoding = payload, "B"
    if encoding in ("B", "BASE64") or re.fullmatch(r"[A-Za-z0-9+/=\s]{16,}", value):
        compact = re.sub(r"\s+", "", value)
        compact += "=" * (-len(compact.rstrip("=")) % 4) if "=" not in compact else ""
        try:
            data = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            raise BadPhoto("base64") from None
        return _checked_image(data)
    return None  # a URL: offline app, not fetched


def _checked_image(data: bytes) -> bytes:
    if not image_kind(data):
        raise BadPhoto("not an image")
    return data


def decode_param(value: str) -> str:
    """RFC 6868 parameter value escapes: ^n newline, ^' double quote, ^^ caret."""
    if "^" not in value:
        return value
    return re.sub(r"\^(\^|n|N|')", lambda m: {"^": "^", "n": "\n", "N": "\n", "'": '"'}[m.group(1)], value)


def name_from_fn(fn: str) -> tuple[str, str]:
    """(given, family) guessed from a formatted name when N is missing."""
    fn = fn.strip()
    if " " not in fn:
        return (fn, "") if not is_east_asian(fn) else ("", fn)
    given, _sep, family = fn.rpartition(" ")
    return given.strip(), family.strip()


# -- one card --------------------------------------------------------------------------------------

def card_to_record(props: list[Prop], source: str, ref: str, ignored: dict[str, int]) -> SourceRecord:
    contact = Contact()
    record = SourceRecord(source, ref, contact)
    labels = {p.group: p.value for p in props if p.name == "X-ABLABEL" and p.group}
    fn = ""
    n_seen = False
    kind_org = False
    phonetic: dict[str, str] = {}
    sort_as = ""
    for p in props:
        name = p.name
        ablabel = labels.get(p.group, "") if p.group else ""
        ablabel = ablabel or decode_param(p.param("X-ANDROID-LABEL"))
        try:
            if name == "FN":
                fn = fn or unescape(p.value).strip()
            elif name == "N":
                if n_seen:  # ALTID alternatives: keep the first
                    continue
                n_seen = True
                parts = split_components(p.value) + [""] * 5
                family, given, middle, prefix, suffix = (x.strip() for x in parts[:5])
                sort_as = ", ".join(x.strip() for x in p.params.get("SORT-AS", []) if x.strip())
                contact.family_name = family
                contact.given_name = " ".join(x for x in (given, middle) if x)
                contact.title = prefix
                if suffix:
                    record.notes.append(_("Name suffix: {text}").format(text=suffix))
            elif name == "ORG":
                if not contact.organisation:
                    contact.organisation = ", ".join(x.strip() for x in split_components(p.value) if x.strip())
            elif name == "KIND":
                kind_org = p.value.strip().lower() == "org"
            elif name == "X-ABSHOWAS":
                kind_org = kind_org or p.value.strip().upper() == "COMPANY"
            elif name == "TEL":
                raw = unescape(p.value).strip()
                if raw.lower().startswith("tel:"):
                    raw = raw[4:]
                number, _sep, extension = raw.partition(";ext=")
                raw = number.split(";")[0].strip()  # other tel: URI parameters (isub, phone-context)
                extension = extension.split(";")[0].strip()
                if extension:
                    raw = f"{raw} ext. {extension}"
                typed = p.param("X-BOUTIQUE-RAW").strip()
                if typed and "".join(ch for ch in typed if ch.isdigit())[-6:] == \
                        "".join(ch for ch in raw if ch.isdigit())[-6:]:
                    raw = typed
                if raw:
                    contact.phones.append(Phone(raw, label_from(p.types, ablabel)))
            elif name == "EMAIL":
                address = unescape(p.value).strip()
                if address.lower().startswith("mailto:"):
                    address = address[7:]
                if address:
                    contact.emails.append(Email(address, label_from(p.types, ablabel)))
            elif name == "ADR":
                parts = [x.strip() for x in split_components(p.value)] + [""] * 7
                box, ext, street, city, region, code, country = parts[:7]
                lines = [x for x in (street, ext, box) if x]
                country_iso = country_code(country)
                if country and not country_iso:
                    record.warnings.append(_("country “{country}” not recognised; kept in the imported note").format(country=country))
                    record.notes.append(_("Address country: {country}").format(country=country))
                address = Address(street="\n".join(lines), city=city, postal_code=code, country_code=country_iso,
                                  region=region, label=label_from(p.types, ablabel),
                                  country_unknown=bool(country and not country_iso))
                if any((address.street, address.city, address.postal_code, address.region, country)):
                    contact.addresses.append(address)
            elif name in ("BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY",
                          "X-MS-ANNIVERSARY"):
                kind = "birthday" if name == "BDAY" else "anniversary"
                date = parse_date(unescape(p.value), p.param("X-APPLE-OMIT-YEAR"))
                if date is None:
                    record.warnings.append((_("birthday “{value}” is not a date; kept in the imported note") if kind == "birthday" else
                                            _("anniversary “{value}” is not a date; kept in the imported note")
                                            ).format(value=p.value.strip()))
                    record.notes.append((_("Birthday: {value}") if kind == "birthday" else _("Anniversary: {value}")).format(
                        value=p.value.strip()))
                elif not any(d.kind == kind for d in contact.dates):
                    contact.dates.append(KeyDate(kind, date, lead_days=_lead(p)))
            elif name == "CATEGORIES":
                contact.tags.extend(t.strip() for t in split_components(p.value, ",") if t.strip())
            elif name == "NOTE":
                text = unescape(p.value).strip()
                if text:
                    record.notes.append(text)
            elif name == "NICKNAME":
                text = unescape(p.value).strip()
                if text:
                    record.notes.append(_("Nickname: {text}").format(text=text))
            elif name == "PHOTO":
                if contact.photo is None:
                    try:
                        photo = parse_photo(p)
                    except BadPhoto:
                        record.warnings.append(_("the photo is damaged (not a readable image); not kept"))
                        continue
                    if photo and len(photo) <= MAX_PHOTO_BYTES:
                        contact.photo = photo
                    elif photo:
                        record.warnings.append(_("photo larger than 2 MB not kept"))
                    elif p.value.strip():
                        record.notes.append(_("Photo link: {url}").format(url=unescape(p.value).strip()))
            elif name == "LANG":
                contact.language = contact.language or unescape(p.value).strip().split("-")[0].lower()[:8]
            elif name in _PHONETIC and name != "SOUND":
                text = unescape(p.value).strip()
                if text:
                    phonetic.setdefault(name, text)
            elif name == "SOUND" and "x-irmc-n" in p.types:  # Japanese phones: the name's reading
                reading = " ".join(x.strip() for x in split_components(p.value) if x.strip())
                if reading:
                    phonetic.setdefault("SOUND", reading)
            elif name == "AGENT":
                text = unescape(p.value).strip()
                if text:
                    record.notes.append(_("Agent: {text}").format(text=agent_summary(text, source)))
            elif name == "X-ABDATE":  # Apple's other dates, labelled: anniversary or any own label
                date = parse_date(unescape(p.value), p.param("X-APPLE-OMIT-YEAR"))
                label = label_from(p.types, ablabel)
                if date is None:
                    record.notes.append(_("Date: {text}").format(text=" ".join(x for x in (label, p.value) if x)))
                elif label.casefold() == "anniversary" and not any(d.kind == "anniversary" for d in contact.dates):
                    contact.dates.append(KeyDate("anniversary", date))
                else:
                    contact.dates.append(KeyDate("other", date, label))
            elif name in _BOOKKEEPING:
                pass
            elif name in _AS_NOTES:
                text = _note_value(p, ablabel)
                if text:
                    record.notes.append(_AS_NOTES[name]().format(text=text))
            elif name.startswith("X-BOUTIQUE-"):
                _boutique_property(record, name[len("X-BOUTIQUE-"):], p)
            elif name == "TITLE" or name == "ROLE":
                text = unescape(p.value).strip()
                if text:
                    record.notes.append((_("Job title: {text}") if name == "TITLE" else _("Role: {text}")).format(text=text))
            elif name not in _STRUCTURE:
                ignored[name] = ignored.get(name, 0) + 1
        except Exception as exc:  # one odd property never sinks the card
            record.warnings.append(_("{name} on line {line} could not be read ({why})").format(
                name=name, line=p.line, why=type(exc).__name__))
    if not (contact.given_name or contact.family_name) and fn:
        # FN alone names a person (RFC 2426's own examples have FN and ORG but no N) unless the card
        # says it is an organisation (KIND:org, Apple's X-ABShowAs:COMPANY) or FN is the organisation.
        if kind_org or fn == contact.organisation:
            contact.organisation = contact.organisation or fn
        else:
            contact.given_name, contact.family_name = name_from_fn(fn)
    if kind_org and not contact.organisation:
        contact.organisation = fn
    reading = " ".join(phonetic[k] for k in _PHONETIC if k in phonetic) or sort_as
    if reading and not contact.transliteration:
        contact.transliteration = reading
    return record


# Reading aids: phonetic names (Apple, Android, Google) and sort strings, family name first.
_PHONETIC = ("X-PHONETIC-LAST-NAME", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-MIDDLE-NAME", "SORT-STRING",
             "SOUND", "X-PHONETIC-ORG")

# Properties with no field of their own that carry something a person wrote: kept in the imported note.
_AS_NOTES = {
    "URL": lambda: _("Website: {text}"), "IMPP": lambda: _("Chat: {text}"),
    "X-SOCIALPROFILE": lambda: _("Social profile: {text}"), "X-AIM": lambda: _("Chat: {text}"),
    "X-JABBER": lambda: _("Chat: {text}"), "X-SKYPE": lambda: _("Chat: {text}"),
    "X-SKYPE-USERNAME": lambda: _("Chat: {text}"), "X-MSN": lambda: _("Chat: {text}"),
    "X-YAHOO": lambda: _("Chat: {text}"), "X-ICQ": lambda: _("Chat: {text}"),
    "X-GOOGLE-TALK": lambda: _("Chat: {text}"), "X-GADUGADU": lambda: _("Chat: {text}"),
    "X-QQ": lambda: _("Chat: {text}"), "X-WECHAT": lambda: _("Chat: {text}"),
    "RELATED": lambda: _("Related: {text}"), "X-ABRELATEDNAMES": lambda: _("Related: {text}"),
    "X-SPOUSE": lambda: _("Spouse: {text}"), "X-EVOLUTION-SPOUSE": lambda: _("Spouse: {text}"),
    "X-MS-SPOUSE": lambda: _("Spouse: {text}"), "X-ASSISTANT": lambda: _("Assistant: {text}"),
    "X-EVOLUTION-ASSISTANT": lambda: _("Assistant: {text}"), "X-MS-ASSISTANT": lambda: _("Assistant: {text}"),
    "X-MANAGER": lambda: _("Manager: {text}"), "X-EVOLUTION-MANAGER": lambda: _("Manager: {text}"),
    "X-MS-MANAGER": lambda: _("Manager: {text}"), "X-ABDATE": lambda: _("Date: {text}"),
    "X-EVOLUTION-BLOG-URL": lambda: _("Website: {text}"), "X-GENDER": lambda: _("Gender: {text}"),
    "GENDER": lambda: _("Gender: {text}"), "X-MAIDENNAME": lambda: _("Maiden name: {text}"),
    "X-ANDROID-CUSTOM": lambda: "{text}", "EXPERTISE": lambda: _("Expertise: {text}"),
    "HOBBY": lambda: _("Hobby: {text}"), "INTEREST": lambda: _("Interest: {text}"),
}
_ANDROID_CUSTOM = {"vnd.android.cursor.item/nickname": lambda: _("Nickname: {text}"),
                   "vnd.android.cursor.item/relation": lambda: _("Related: {text}"),
                   "vnd.android.cursor.item/contact_event": lambda: _("Date: {text}")}


def _note_value(p: Prop, ablabel: str) -> str:
    value = unescape(p.value).strip()
    if p.name == "X-ANDROID-CUSTOM":
        # vnd.android.cursor.item/nickname;Nick;1;;;;;;;;;;;;;  (kind; value; type; label; ...)
        parts = split_components(p.value)
        kind, text = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
        if not text:
            return ""
        template = _ANDROID_CUSTOM.get(kind)
        return template().format(text=text) if template else text
    if p.name == "X-SOCIALPROFILE" and not value:
        value = p.param("X-USER")
    label = label_from(p.types, ablabel)
    return f"{value} ({label})" if value and label and p.name not in ("URL", "X-EVOLUTION-BLOG-URL") else value


def agent_summary(text: str, source: str) -> str:
    """An AGENT (the person's assistant or secretary) as one line: name, phones, emails."""
    if "BEGIN:VCARD" not in text.upper():
        return text  # a URI or a plain name
    inner = read_vcard_text(text, source)
    if not inner.records:
        return " ".join(text.split())
    record = inner.records[0]
    c = record.contact
    from ..core.text import display_name

    parts = [display_name(c.given_name, c.family_name, c.organisation) if (c.given_name or c.family_name or
                                                                          c.organisation) else ""]
    parts += [p.raw for p in c.phones] + [e.address for e in c.emails]
    return ", ".join(x for x in parts if x and x != "—")


# Boutique Book's own fields travel as X-BOUTIQUE-* properties (other programs keep or ignore them).
BOUTIQUE_FIELDS = {"TIER": "tier", "KIND": "kind", "SALUTATION": "salutation", "FORMALITY": "formality",
                   "COUNTRY": "country", "CHANNEL": "preferred_channel", "LANGUAGE": "language",
                   "TRANSLITERATION": "transliteration", "FIRST-MET": "first_met_source",
                   "FIRST-MET-NOTE": "first_met_note"}


def _lead(p: Prop) -> int:
    value = p.param("X-BOUTIQUE-LEAD")
    return int(value) if value.isdigit() and int(value) < 400 else 0


def _boutique_property(record: SourceRecord, key: str, p: Prop) -> None:
    contact = record.contact
    if key == "DATE":
        date = parse_date(unescape(p.value))
        kind = (p.types or ["other"])[0]
        if date is not None:
            contact.dates.append(KeyDate(kind, date, decode_param(p.param("X-LABEL")), _lead(p)))
        return
    attr = BOUTIQUE_FIELDS.get(key)
    if attr is None:
        return
    value = unescape(p.value).strip()
    if attr in ("tier", "kind", "formality", "preferred_channel", "first_met_source", "language"):
        value = value.lower()
    elif attr == "country":
        value = value.upper()
    setattr(contact, attr, value)


def card_ref(number: int, line: int) -> str:
    return _("card {number} (line {line})").format(number=number, line=line)


def _crude_prop(text: str, lineno: int, latin1: bool) -> Prop | None:
    """NAME[;anything]:value for a line the vCard grammar refuses (odd parameters), or None."""
    match = re.match(r"^(?:([\w-]+)\.)?([\w-]+)(?:;[^:]*)?:(.*)$", text, re.DOTALL)
    if not match:
        return None
    group, name, value = match.groups()
    if latin1:
        value = _redecode(value.encode("latin-1", errors="replace"), "")
    return Prop((group or "").upper(), name.upper(), {}, [], value, lineno)


def name_after_details(record: SourceRecord) -> bool:
    """A card or row without any name (phones export them all the time) is named after its first email,
    else its first phone, and says so in the report. False when there is nothing to name it after."""
    c = record.contact
    if c.given_name or c.family_name or c.organisation:
        return True
    if c.emails:
        c.given_name = c.emails[0].address
        record.warnings.append(_("no name; named after its email “{address}”").format(address=c.given_name))
        return True
    if c.phones:
        c.given_name = c.phones[0].raw
        record.warnings.append(_("no name; named after its phone “{number}”").format(number=c.given_name))
        return True
    return False


def _finish_card(lines, number, start, source, result, latin1, agents=()):
    ref = card_ref(number, start)
    props = []
    card_warnings = []
    for text, lineno in lines:
        try:
            props.append(_make_prop(text, lineno, latin1))
        except Exception:
            crude = _crude_prop(text, lineno, latin1)
            if crude is None:
                card_warnings.append(_("line {line} cannot be read and was left out").format(line=lineno))
            else:  # TEL;odd(parameters):+33 6… keeps its number; only the options are lost
                props.append(crude)
                card_warnings.append(_("line {line}: its options cannot be read; the value is kept").format(
                    line=lineno))
    record = card_to_record(props, source, ref, result.ignored_properties)
    record.warnings[:0] = card_warnings
    for agent_lines in agents:
        text = "\n".join(line for line, _lineno in agent_lines)
        record.notes.append(_("Agent: {text}").format(text=agent_summary(text, source)))
    if not props:
        result.problems.append(Problem(source, ref, _("the card is empty; not imported")))
        return
    if not name_after_details(record):
        result.problems.append(Problem(source, ref, _("the card has no name, phone or email; not imported")))
        return
    result.records.append(record)


MAX_LOGICAL_LINE = 4 * 1024 * 1024  # characters: a 2 MB photo in base64 is 2.8 M


def logical_lines(text: str):
    """vobject's getLogicalLines (unfolding, vCard 2.1 quoted-printable soft breaks, the same line numbers),
    in linear time: vobject's copies the whole logical line at every continuation, so a 10 MB folded NOTE
    took minutes (issue #17 problem 12). Memory stays bounded: the text is walked in place, and a logical
    line longer than MAX_LOGICAL_LINE is cut there (any such value is over every limit anyway: a note over
    core.limits.MAX_MOMENT_CHARS is not imported, a photo over MAX_PHOTO_BYTES is not kept)."""
    parts: list[str] = []
    size = 0
    qp = False
    line_number = 0
    start_number = 0
    pos, end_of_text = 0, len(text)
    while pos < end_of_text:
        end = text.find("\n", pos)
        end = end_of_text if end < 0 else end + 1
        line = text[pos:end].rstrip("\r\n")
        pos = end
        line_number += 1
        if line.rstrip() == "":
            if parts:
                yield "".join(parts), start_number
            start_number = line_number
            parts, qp = [], False
            continue
        if qp:
            parts += ["\n", line]
            qp = False
        elif line[0] in " \t":
            if size < MAX_LOGICAL_LINE:
                parts.append(line[1:])
                size += len(line) - 1
        elif parts:
            yield "".join(parts), start_number
            start_number = line_number
            parts, size = [line], len(line)
        else:
            parts, size = [line], len(line)
        last = parts[-1]
        if last and last[-1] == "=" and (len(parts) <= 3 and "quoted-printable" in "".join(parts).lower()
                                          or "quoted-printable" in parts[0].lower()):
            qp = True
    if parts:
        yield "".join(parts), start_number


def read_vcard_text(text: str, source: str, latin1: bool = False, first_card: int = 1) -> ReadResult:
    result = ReadResult()
    number = first_card - 1
    current: list | None = None
    agents: list[list] = []
    nested: list | None = None  # a vCard 2.1 AGENT: a whole card inside the card, on its own lines
    depth = 0
    start = 0
    outside = 0
    try:
        logical = list(logical_lines(text))
    except Exception as exc:
        result.problems.append(Problem(source, _("file"), _("the file cannot be read as vCard ({why})").format(
            why=type(exc).__name__)))
        return result
    for line, lineno in logical:
        lineno = max(lineno, 1)  # vobject numbers lines from 1, but gives the first one as 0
        stripped = line.strip()
        upper = stripped.upper()
        if nested is not None:
            depth += {"BEGIN:VCARD": 1, "END:VCARD": -1}.get(upper, 0)
            nested.append((line, lineno))
            if depth == 0:
                agents.append(nested)
                nested = None
            continue
        if upper == "BEGIN:VCARD" and current and re.fullmatch(r"(?:[\w-]+\.)?AGENT(;[^:]*)?:\s*",
                                                               current[-1][0].strip(), re.IGNORECASE):
            current.pop()  # the AGENT line itself; the nested card follows
            nested, depth = [(line, lineno)], 1
            continue
        if upper == "BEGIN:VCARD":
            if current is not None:
                result.problems.append(Problem(source, card_ref(number, start),
                                               _("the card has no END:VCARD before the next card; not imported")))
            number += 1
            current, start, agents = [], lineno, []
            continue
        if current is None:
            if stripped:
                outside += 1
            continue
        if upper == "END:VCARD":
            _finish_card(current, number, start, source, result, latin1, agents)
            current = None
            continue
        if stripped:
            current.append((line, lineno))
    if current is not None:
        result.problems.append(Problem(source, card_ref(number, start),
                                       _("the card ends without END:VCARD (file cut short?); not imported")))
    if number == first_card - 1:
        result.problems.append(Problem(source, _("file"), _("no vCard found in this file (no BEGIN:VCARD line)")))
    elif outside:
        result.problems.append(Problem(source, _("file"), ngettext("{n} line outside any card was ignored", "{n} lines outside any card were ignored",
                                                                      outside).format(n=outside),
                                       "warning"))
    return result


def read_vcard_bytes(data: bytes, source: str) -> ReadResult:
    text, latin1 = decode_bytes(data)
    return read_vcard_text(text, source, latin1)


def read_vcard_file(path) -> ReadResult:
    return read_file(path, read_vcard_bytes)
