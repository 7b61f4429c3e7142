"""CSV: Google Contacts and Outlook exports recognised by their headers; any other file through a
column mapping (guessed from the headers, adjustable in the import dialog).

A mapping is a list with one target per column. Targets:
  scalars   given_name, middle_name, family_name, full_name, title, suffix, nickname, organisation,
            job_title, phonetic_given, phonetic_family, birthday, anniversary, notes, tags, tier, kind,
            language, country, salutation, ignore
  repeated  phone:<slot>, phone_label:<slot>, email:<slot>, email_label:<slot>,
            street:<slot>, street2:<slot>, street3:<slot>, po_box:<slot>, extended:<slot>, city:<slot>,
            region:<slot>, postal_code:<slot>, country_name:<slot>, address_label:<slot>
A slot groups the columns of one phone/email/address; when a slot has no label column and its name
is a label word (home, work, mobile, other, fax) it becomes the label.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from ..core.csv_cells import FORMULA_STARTS, escape_cell, unescape_cell  # noqa: F401 (re-exported)
from ..core.model import Address, Contact, Email, KeyDate, PartialDate, Phone
from ..i18n import N_, _, ngettext
from .records import Problem, ReadResult, SourceRecord, country_code, read_file
from .vcard_read import decode_bytes, label_from, name_after_details, name_from_fn, parse_date

SCALAR_TARGETS = ("given_name", "middle_name", "family_name", "full_name", "title", "suffix", "nickname",
                  "organisation", "job_title", "phonetic_given", "phonetic_family", "birthday", "anniversary",
                  "notes", "tags", "tier", "kind", "language", "country", "salutation", "ignore")
REPEATED_TARGETS = ("phone", "phone_label", "email", "email_label", "street", "street2", "street3", "po_box",
                    "extended", "city", "region", "postal_code", "country_name", "address_label")
# The simple choices offered in the mapping step of the dialog (target, label for people).
SIMPLE_CHOICES = [
    ("ignore", N_("(ignore)")), ("given_name", N_("Given name")), ("family_name", N_("Family name")),
    ("full_name", N_("Full name")), ("organisation", N_("Organisation")), ("title", N_("Title (Mr, Dr)")),
    ("phone:1", N_("Phone")), ("phone:mobile", N_("Mobile phone")), ("phone:work", N_("Work phone")),
    ("phone:home", N_("Home phone")), ("email:1", N_("Email")), ("email:work", N_("Work email")),
    ("street:1", N_("Street")), ("postal_code:1", N_("Postal code")), ("city:1", N_("City")),
    ("region:1", N_("Region")),
    ("country_name:1", N_("Country")), ("birthday", N_("Birthday")), ("tags", N_("Tags")), ("notes", N_("Notes")),
    ("tier", N_("Tier")), ("language", N_("Language")), ("salutation", N_("Salutation")),
]

# -- header recognition ----------------------------------------------------------------------------

_GOOGLE_SCALARS = {
    "first name": "given_name", "given name": "given_name", "middle name": "middle_name",
    "additional name": "middle_name", "last name": "family_name", "family name": "family_name",
    "name": "full_name", "name prefix": "title", "name suffix": "suffix", "nickname": "nickname",
    "phonetic first name": "phonetic_given", "given name yomi": "phonetic_given",
    "phonetic last name": "phonetic_family", "family name yomi": "phonetic_family",
    "organization name": "organisation", "organization title": "job_title", "birthday": "birthday",
    "notes": "notes", "labels": "tags", "group membership": "tags", "language": "language",
    "tier": "tier", "kind": "kind", "country": "country", "salutation": "salutation",
}
_GOOGLE_SLOT = re.compile(r"^(e-mail|phone|address|organization|event) (\d+) - (.+)$")
_GOOGLE_PARTS = {
    ("e-mail", "value"): "email", ("e-mail", "type"): "email_label", ("e-mail", "label"): "email_label",
    ("phone", "value"): "phone", ("phone", "type"): "phone_label", ("phone", "label"): "phone_label",
    ("address", "street"): "street", ("address", "city"): "city", ("address", "po box"): "po_box",
    ("address", "region"): "region", ("address", "postal code"): "postal_code",
    ("address", "country"): "country_name", ("address", "extended address"): "extended",
    ("address", "type"): "address_label", ("address", "label"): "address_label",
    ("organization", "name"): "organisation", ("organization", "title"): "job_title",
}

_OUTLOOK = {
    "title": "title", "first name": "given_name", "middle name": "middle_name", "last name": "family_name",
    "suffix": "suffix", "nickname": "nickname", "company": "organisation", "job title": "job_title",
    "given yomi": "phonetic_given", "surname yomi": "phonetic_family", "birthday": "birthday",
    "anniversary": "anniversary", "notes": "notes", "categories": "tags", "language": "language",
    "e-mail address": "email:1", "e-mail 2 address": "email:2", "e-mail 3 address": "email:3",
    "mobile phone": "phone:mobile", "home phone": "phone:home", "home phone 2": "phone:home2",
    "business phone": "phone:work", "business phone 2": "phone:work2", "other phone": "phone:other",
    "primary phone": "phone:main", "company main phone": "phone:main2", "car phone": "phone:car",
    "pager": "phone:pager", "business fax": "phone:workfax", "home fax": "phone:homefax",
    "other fax": "phone:fax",
}
for _prefix, _slot in (("business", "work"), ("home", "home"), ("other", "other")):
    _OUTLOOK.update({f"{_prefix} street": f"street:{_slot}", f"{_prefix} street 2": f"street2:{_slot}",
                     f"{_prefix} street 3": f"street3:{_slot}", f"{_prefix} city": f"city:{_slot}",
                     f"{_prefix} state": f"region:{_slot}", f"{_prefix} postal code": f"postal_code:{_slot}",
                     f"{_prefix} country/region": f"country_name:{_slot}",
                     f"{_prefix} country": f"country_name:{_slot}",
                     f"{_prefix} address po box": f"po_box:{_slot}"})
_SLOT_LABELS = {"mobile": "mobile", "home": "home", "home2": "home", "work": "work", "work2": "work",
                "other": "other", "main": "main", "main2": "main", "car": "car", "pager": "pager",
                "workfax": "work fax", "homefax": "home fax", "fax": "fax"}

# Generic guesses (several languages) for any other CSV.
_GENERIC = {
    "given_name": ("first name", "firstname", "given name", "given", "prénom", "prenom", "vorname", "nome",
                   "nombre", "名"),
    "family_name": ("last name", "lastname", "surname", "family name", "family", "nom de famille", "nom",
                    "nachname", "cognome", "apellido", "apellidos", "姓"),
    "full_name": ("name", "full name", "display name", "nom complet", "contact", "名前", "氏名"),
    "organisation": ("company", "organisation", "organization", "société", "societe", "firma", "azienda",
                     "empresa"),
    "title": ("title", "civilité", "civilite", "anrede", "prefix"),
    "phone:1": ("phone", "telephone", "téléphone", "tel", "tél", "telefon", "telefono", "teléfono", "電話"),
    "phone:mobile": ("mobile", "cell", "portable", "handy", "cellulare", "móvil", "movil", "携帯"),
    "email:1": ("email", "e-mail", "mail", "courriel", "correo", "メール"),
    "street:1": ("street", "address", "adresse", "rue", "straße", "strasse", "indirizzo", "dirección",
                 "direccion", "住所"),
    "postal_code:1": ("zip", "postcode", "postal code", "zip code", "code postal", "cp", "plz", "cap",
                      "código postal", "郵便番号"),
    "city:1": ("city", "town", "ville", "stadt", "ort", "città", "citta", "ciudad", "市区町村"),
    "region:1": ("state", "region", "région", "province", "bundesland", "provincia", "都道府県"),
    "country_name:1": ("country", "pays", "land", "paese", "país", "pais", "国"),
    "birthday": ("birthday", "birth date", "date of birth", "anniversaire", "date de naissance", "geburtstag",
                 "compleanno", "cumpleaños", "誕生日"),
    "tags": ("tags", "tag", "categories", "category", "groups", "labels", "étiquettes"),
    "notes": ("notes", "note", "remarks", "commentaire", "commentaires", "bemerkung", "memo"),
    "tier": ("tier", "cercle"),
    "language": ("language", "langue", "sprache", "lingua", "idioma"),
    "salutation": ("salutation", "greeting", "formule"),
}
_GENERIC_LOOKUP = {alias: target for target, aliases in _GENERIC.items() for alias in aliases}


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().strip("\ufeff").strip('"').casefold())


def detect_format(headers: list[str]) -> str:
    """'google', 'outlook' or 'generic'."""
    normed = {_norm(h) for h in headers}
    if any(_GOOGLE_SLOT.match(h) for h in normed) and ({"first name", "given name", "name", "last name",
                                                        "family name"} & normed):
        return "google"
    if {"first name", "last name"} <= normed and ({"e-mail address", "mobile phone", "business phone",
                                                   "home street", "business street"} & normed):
        return "outlook"
    return "generic"


def guess_mapping(headers: list[str], fmt: str | None = None) -> list[str]:
    fmt = fmt or detect_format(headers)
    mapping = []
    for header in headers:
        h = _norm(header)
        target = "ignore"
        if fmt == "google":
            match = _GOOGLE_SLOT.match(h)
            if match:
                kind, slot, part = match.groups()
                base = _GOOGLE_PARTS.get((kind, part))
                if base in ("organisation", "job_title"):
                    target = base if slot == "1" else "ignore"
                elif base:
                    target = f"{base}:{slot}"
            else:
                target = _GOOGLE_SCALARS.get(h, "ignore")
        elif fmt == "outlook":
            target = _OUTLOOK.get(h, "ignore")
            if h == "e-mail type" or h.endswith("display name"):
                target = "ignore"
        else:
            target = _GENERIC_LOOKUP.get(h, "ignore")
        mapping.append(target)
    # The same generic target twice (two "Phone" columns): give each its own slot.
    seen: dict[str, int] = {}
    for n, target in enumerate(mapping):
        if ":" in target and fmt == "generic":
            seen[target] = seen.get(target, 0) + 1
            if seen[target] > 1:
                mapping[n] = f"{target}{seen[target]}"
    return mapping


# -- reading ---------------------------------------------------------------------------------------

@dataclass
class CsvTable:
    source: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)   # (line number, cells)
    format: str = "generic"
    # Rows refused because a quote opened in them is never closed where it should be: (line, reason).
    broken: list[tuple[int, str]] = field(default_factory=list)


def sniff_delimiter(first_line: str) -> str:
    counts = {}
    for sep in (",", ";", "\t"):
        inside, n = False, 0
        for ch in first_line:
            if ch == '"':
                inside = not inside
            elif ch == sep and not inside:
                n += 1
        counts[sep] = n
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def decode_csv(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding name used)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    text, latin1 = decode_bytes(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (data[:4000].count(b"\x00") > len(data[:4000]) // 4 and data):
        return text, "utf-16"
    if latin1:
        return data.decode("cp1252", errors="replace"), "cp1252"
    return text, "utf-8"


def read_table(data: bytes, source: str, encoding: str | None = None, delimiter: str | None = None) -> CsvTable:
    text, used = decode_csv(data, encoding)
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = delimiter or sniff_delimiter(first_line)
    table = CsvTable(source, used, delimiter, [])
    physical = io.StringIO(text, newline="").readlines()
    start = 0  # index of the physical line the reader starts at
    while start < len(physical):
        reader = csv.reader(iter(physical[start:]), delimiter=delimiter)
        line = start + 1
        restart = None
        for cells in reader:
            end = start + reader.line_num  # physical lines consumed so far
            if not table.headers:
                table.headers = [c.strip() for c in cells]
            elif _swallowed_rows(cells, physical[line - 1:end], len(table.headers), delimiter):
                # A quote opened in this row runs over the rows after it (an unbalanced quote). Refuse this
                # row alone and read on from the next line, instead of folding the rest of the file into it.
                table.broken.append((line, _quote_problem()))
                restart = line  # 0-based index of the line after the broken one
                break
            elif any(c.strip() for c in cells):
                table.rows.append((line, cells))
            line = end + 1
        if restart is None:
            break
        start = restart
    table.format = detect_format(table.headers)
    return table


def _swallowed_rows(cells: list[str], lines: list[str], columns: int, delimiter: str) -> bool:
    """True when a quote opened in this row is not closed where the row ends: the reader ran to the end
    of the file inside it, or it spread over lines that are whole rows of their own (each of them, read
    alone, has as many cells as the header). A note written on several lines inside quotes is neither."""
    if len(lines) < 2 and '"' not in lines[0]:
        return False
    try:
        list(csv.reader(iter(lines), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "end of data" in str(exc):
            return True
    if len(lines) < 2 or columns < 2:
        return False
    return any(len(next(csv.reader([text], delimiter=delimiter), [])) == columns for text in lines[1:])


def _quote_problem() -> str:
    return _("a quote (\") opened in this row is never closed; this row is not imported "
             "(the rows after it are read on their own)")


def _split_multi(value: str) -> list[str]:
    """Google puts several values in one cell separated by ' ::: '."""
    return [v.strip() for v in value.split(":::") if v.strip()]


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
_EU_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2,4})?$")


def parse_csv_date(text: str) -> PartialDate | None:
    text = text.strip()
    if not text or text in ("0/0/00", "00/00/0000"):
        return None
    date = parse_date(text)
    if date:
        return date
    for pattern, order in ((_US_DATE, "mdy"), (_EU_DATE, "dmy")):
        match = pattern.match(text)
        if match:
            a, b, y = match.groups()
            month, day = (int(a), int(b)) if order == "mdy" else (int(b), int(a))
            if order == "mdy" and month > 12:  # 17/5/1980: day first after all
                month, day = day, month
            year = int(y) if y else None
            if year is not None and year < 100:
                year += 1900 if year > 30 else 2000
            try:
                return PartialDate(month, day, year)
            except ValueError:
                return None
    return None


def row_to_record(cells: list[str], mapping: list[str], source: str, ref: str) -> SourceRecord:
    contact = Contact()
    record = SourceRecord(source, ref, contact)
    slots: dict[str, dict[str, str]] = {}
    scalars: dict[str, list[str]] = {}
    for n, target in enumerate(mapping):
        if n >= len(cells) or target == "ignore":
            continue
        value = unescape_cell(cells[n].strip())
        if not value:
            continue
        if ":" in target:
            base, slot = target.split(":", 1)
            slots.setdefault(slot, {})[base] = value
        else:
            scalars.setdefault(target, []).append(value)

    def one(key):
        return " ".join(scalars.get(key, []))

    contact.given_name = " ".join(x for x in (one("given_name"), one("middle_name")) if x)
    contact.family_name = one("family_name")
    contact.organisation = one("organisation")
    contact.title = one("title")
    if not (contact.given_name or contact.family_name) and one("full_name"):
        contact.given_name, contact.family_name = name_from_fn(one("full_name"))
    if one("suffix"):
        record.notes.append(_("Name suffix: {text}").format(text=one("suffix")))
    if one("nickname"):
        record.notes.append(_("Nickname: {text}").format(text=one("nickname")))
    if one("job_title"):
        record.notes.append(_("Job title: {text}").format(text=one("job_title")))
    contact.transliteration = " ".join(x for x in (one("phonetic_family"), one("phonetic_given")) if x)
    for key in ("tier", "kind"):
        if one(key):
            setattr(contact, key, one(key).lower())
    if one("language"):
        contact.language = one("language").lower()[:8]
    if one("country"):
        contact.country = country_code(one("country")) or one("country").upper()
    contact.salutation = one("salutation")
    for key, kind in (("birthday", "birthday"), ("anniversary", "anniversary")):
        if one(key):
            date = parse_csv_date(one(key))
            if date:
                contact.dates.append(KeyDate(kind, date))
            else:
                record.warnings.append((
                    _("birthday “{value}” is not a date; kept in the imported note") if kind == "birthday" else
                    _("anniversary “{value}” is not a date; kept in the imported note")).format(value=one(key)))
                record.notes.append((_("Birthday: {value}") if kind == "birthday" else _("Anniversary: {value}")
                                     ).format(value=one(key)))
    for tags in scalars.get("tags", []):
        # Google joins labels with " ::: " (a label may hold a comma); Outlook and spreadsheets use ; or ,
        for tag in (tags.split(":::") if ":::" in tags else re.split(r"[;,]", tags)):
            tag = tag.strip().lstrip("* ").strip()
            if tag and tag.casefold() not in ("mycontacts", "starred"):
                contact.tags.append(tag)
    for note in scalars.get("notes", []):
        record.notes.append(note)
    for slot, parts in slots.items():
        slot_label = _SLOT_LABELS.get(slot.rstrip("0123456789") if slot[-1:].isdigit() and not slot.isdigit()
                                      else slot, "")
        if "phone" in parts:
            label = label_from([], parts["phone_label"]) if "phone_label" in parts else slot_label
            contact.phones.extend(Phone(v, label) for v in _split_multi(parts["phone"]))
        if "email" in parts:
            label = label_from([], parts["email_label"]) if "email_label" in parts else slot_label
            contact.emails.extend(Email(v, label) for v in _split_multi(parts["email"]))
        street = "\n".join(parts[k] for k in ("street", "street2", "street3", "extended", "po_box") if parts.get(k))
        if street or parts.get("city") or parts.get("postal_code"):
            country = parts.get("country_name", "")
            iso = country_code(country)
            if country and not iso:
                record.warnings.append(_("country “{country}” not recognised; kept in the imported note").format(
                    country=country))
                record.notes.append(_("Address country: {country}").format(country=country))
            label = label_from([], parts["address_label"]) if "address_label" in parts else slot_label
            contact.addresses.append(Address(street=street, city=parts.get("city", ""),
                                             postal_code=parts.get("postal_code", ""), country_code=iso,
                                             region=parts.get("region", ""), label=label,
                                             country_unknown=bool(country and not iso)))
    # Google labels such as "* Home" or "Mobile" come through label_from; keep them lower-case words.
    for item in (*contact.phones, *contact.emails, *contact.addresses):
        item.label = item.label.lstrip("* ").strip()
        if item.label.casefold() in ("home", "work", "mobile", "other", "main", "fax"):
            item.label = item.label.casefold()
    return record


def records_from_table(table: CsvTable, mapping: list[str] | None = None) -> ReadResult:
    mapping = mapping or guess_mapping(table.headers, table.format)
    result = ReadResult()
    if not table.headers:
        result.problems.append(Problem(table.source, _("file"), _("the file is empty")))
        return result
    if all(t == "ignore" for t in mapping):
        result.problems.append(Problem(table.source, _("file"), _("no column is mapped to a contact field")))
        return result
    for line, reason in table.broken:
        result.problems.append(Problem(table.source, _("line {line}").format(line=line), reason))
    for line, cells in table.rows:
        ref = _("line {line}").format(line=line)
        try:
            record = row_to_record(cells, mapping, table.source, ref)
        except Exception as exc:  # a broken row never sinks the file
            result.problems.append(Problem(table.source, ref,
                                           _("the row cannot be read ({why}); not imported").format(
                                               why=type(exc).__name__)))
            continue
        if len(cells) > len(table.headers) and any(c.strip() for c in cells[len(table.headers):]):
            record.warnings.append(ngettext("{n} cell beyond the last column ignored", "{n} cells beyond the last column ignored",
                         len(cells) - len(table.headers)).format(n=len(cells) - len(table.headers)))
        if not name_after_details(record):
            result.problems.append(Problem(table.source, ref, _("the row has no name, phone or email; not imported")))
            continue
        result.records.append(record)
    return result


def read_csv_bytes(data: bytes, source: str, mapping: list[str] | None = None, encoding: str | None = None,
                   delimiter: str | None = None) -> ReadResult:
    try:
        table = read_table(data, source, encoding, delimiter)
    except csv.Error as exc:
        result = ReadResult()
        result.problems.append(Problem(source, _("file"), _("not a readable CSV file ({why})").format(why=exc)))
        return result
    return records_from_table(table, mapping)


def read_csv_file(path, mapping=None, encoding=None, delimiter=None) -> ReadResult:
    return read_file(path, lambda data, name: read_csv_bytes(data, name, mapping, encoding, delimiter))


# -- writing ---------------------------------------------------------------------------------------

def _export_headers(max_phones: int, max_emails: int, max_addresses: int) -> list[str]:
    headers = ["First Name", "Last Name", "Name Prefix", "Organization Name", "Birthday", "Labels"]
    for n in range(1, max_emails + 1):
        headers += [f"E-mail {n} - Label", f"E-mail {n} - Value"]
    for n in range(1, max_phones + 1):
        headers += [f"Phone {n} - Label", f"Phone {n} - Value"]
    for n in range(1, max_addresses + 1):
        headers += [f"Address {n} - Label", f"Address {n} - Street", f"Address {n} - City",
                    f"Address {n} - Region", f"Address {n} - Postal Code", f"Address {n} - Country"]
    return headers + ["Tier", "Kind", "Language", "Country", "Salutation"]


def write_csv(contacts_iter, fh, max_phones=3, max_emails=3, max_addresses=2) -> int:
    """Google-Contacts-shaped columns (which Google, Outlook.com and this importer read back) plus the
    boutique's own. fh is a text file opened with encoding='utf-8-sig', newline=''. Every cell goes
    through escape_cell: no cell of the file starts with =, +, -, @, tab or CR (phone numbers come out as
    '+33 6…, which this importer reads back as +33 6…)."""
    from .vcard_write import country_name

    writer = csv.writer(fh)
    writer.writerow(_export_headers(max_phones, max_emails, max_addresses))
    n = 0
    for c in contacts_iter:
        birthday = c.birthday()
        row = [c.given_name, c.family_name, c.title, c.organisation, birthday.iso() if birthday else "",
               " ::: ".join(c.tags)]
        for k in range(max_emails):
            e = c.emails[k] if k < len(c.emails) else None
            row += [e.label, e.address] if e else ["", ""]
        for k in range(max_phones):
            p = c.phones[k] if k < len(c.phones) else None
            row += [p.label, p.raw] if p else ["", ""]
        for k in range(max_addresses):
            a = c.addresses[k] if k < len(c.addresses) else None
            row += ([a.label, a.street, a.city, a.region, a.postal_code, country_name(a.country_code)] if a
                    else [""] * 6)
        row += [c.tier, c.kind, c.language, c.country, c.salutation]
        writer.writerow([escape_cell(cell) for cell in row])
        n += 1
    return n
