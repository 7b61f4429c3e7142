"""Templates for card inserts and letters, with merge fields and salutations by language and formality.

A template is a short text with `{fields}`; paragraphs are separated by a blank line, `{{` and `}}` are
literal braces. Shipped defaults live in `boutique_book/resources/templates/<name>.<language>.txt` (a small
header, `---`, then the body). Templates edited by the manager are stored in the vault (setting
"printing.templates") and win over a shipped one of the same name. A template using a field that does
not exist is refused, with a message naming the field.

The header may configure the signature block that ends every letter and card (see `signature_lines`):
`signature: closing, space, staff, boutique` (the parts, in order; `none` for a template that signs
itself), `closing:` / `closing-informal:` (else the language's own, by the customer's register), and
`signature-align: start|end` (start: the paragraph's own side; end: the other one, as 敬具 in Japanese).

Names: "letter.fr" is one template; "letter" means the family, and each recipient gets the variant in
their own language (falling back to English, then to any variant).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import asdict, dataclass

from ..core import settings
from ..core.errors import ValidationError
from ..core.model import Contact
from ..i18n import _
from .addresses import honorific_gender
from .resources import templates_dir

KINDS = ("card", "letter")
FORMATS = {"card": ("A6", "A5-folded"), "letter": ("A4", "Letter")}
STORE_KEY = "printing.templates"

FIELDS = {
    "salutation": "Chère Madame Dupont / Sehr geehrter Herr Müller / Dear Anna",
    "given_name": "given name",
    "family_name": "family name",
    "full_name": "name as shown in the book",
    "title": "title (Dr, Prof…)",
    "date": "today's date in the template's language",
    "boutique_name": "the boutique's name",
    "boutique_city": "the boutique's city",
    "boutique_address": "the boutique's address on one line",
    "boutique_phone": "the boutique's phone",
    "boutique_email": "the boutique's e-mail",
    "boutique_website": "the boutique's website",
    "staff_name": "the staff member printing",
}
SIGNATURE_PARTS = ("closing", "space", "staff", "boutique")
DEFAULT_SIGNATURE = "closing, space, staff, boutique"
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
# contact fields that may legitimately be empty (merged away, spaces tidied); the others are holes
OPTIONAL_FIELDS = {"title"}
CONTACT_FIELDS = ("given_name", "family_name", "full_name")


def _contact_field_label(name: str) -> str:
    return {"given_name": _("given name"), "family_name": _("family name"), "full_name": _("name")}[name]


class TemplateError(ValidationError):
    pass


@dataclass
class Template:
    name: str            # "letter.fr"
    kind: str            # card | letter
    language: str
    title: str
    body: str
    shipped: bool = False
    signature: str = ""          # "" = the default parts (or none when the body itself has {staff_name})
    closing: str = ""            # formal closing ("" = the language's own)
    closing_informal: str = ""
    signature_align: str = "start"

    @property
    def family(self) -> str:
        return self.name.rsplit(".", 1)[0] if "." in self.name else self.name

    @property
    def direction(self) -> str:
        return "rtl" if self.language.split("-")[0] in RTL_LANGUAGES else "ltr"

    def signature_parts(self) -> list[str]:
        spec = self.signature.strip().lower()
        if spec == "none" or (not spec and "staff_name" in fields_used(self.body)):
            return []
        return [p.strip() for p in (spec or DEFAULT_SIGNATURE).replace(";", ",").split(",") if p.strip()]


def fields_used(body: str) -> list[str]:
    names = []
    try:
        for _literal, field_name, spec, conversion in string.Formatter().parse(body):
            if field_name is None:
                continue
            if spec or conversion:
                raise TemplateError(_("The field “{{{name}}}” must be written without “:” or “!”.").format(
                    name=field_name))
            names.append(field_name)
    except ValueError as exc:
        raise TemplateError(_("The template has an unmatched brace ({reason}); write {{{{ and }}}} for a "
                              "literal brace.").format(reason=exc)) from None
    return names


def validate(template: Template) -> Template:
    if template.kind not in KINDS:
        raise TemplateError(_("Unknown kind of template “{kind}” (card or letter).").format(kind=template.kind))
    if not template.name.strip():
        raise TemplateError(_("The template needs a name."))
    if not template.body.strip():
        raise TemplateError(_("The template “{name}” is empty.").format(name=template.name))
    for name in fields_used(template.body):
        if name not in FIELDS:
            raise TemplateError(_("The template “{template}” uses an unknown field “{{{name}}}”. Known fields: "
                                  "{known}.").format(template=template.name, name=name,
                                                     known=", ".join(FIELDS)))
    for part in template.signature_parts():
        if part not in SIGNATURE_PARTS:
            raise TemplateError(_("The template “{template}” has an unknown signature part “{part}”. Known "
                                  "parts: {known}.").format(template=template.name, part=part,
                                                            known=", ".join(SIGNATURE_PARTS)))
    if template.signature_align not in ("start", "end"):
        raise TemplateError(_("The signature of “{template}” aligns “start” or “end”.").format(
            template=template.name))
    return template


def parse(name: str, text: str, shipped: bool = False) -> Template:
    header, sep, body = text.partition("\n---\n")
    if not sep:
        header, body = "", text
    meta = {}
    for line in header.splitlines():
        key, _colon, value = line.partition(":")
        if key.strip():
            meta[key.strip().lower()] = value.strip()
    language = meta.get("language") or (name.rsplit(".", 1)[1] if "." in name else "en")
    return Template(name, meta.get("kind", "letter"), language, meta.get("title", name), body.strip("\n"), shipped,
                    signature=meta.get("signature", ""), closing=meta.get("closing", ""),
                    closing_informal=meta.get("closing-informal", ""),
                    signature_align=meta.get("signature-align", "start") or "start")


def shipped() -> dict[str, Template]:
    found = {}
    folder = templates_dir()  # MissingResource if the installation has no templates folder
    if folder.is_dir():
        for path in sorted(folder.glob("*.txt")):
            name = path.stem
            found[name] = validate(parse(name, path.read_text(encoding="utf-8"), shipped=True))
    return found


def all_templates(vault=None) -> dict[str, Template]:
    found = shipped()
    if vault is not None:
        known = set(Template.__dataclass_fields__)
        for name, values in (settings.get(vault, STORE_KEY, {}) or {}).items():
            values = {k: v for k, v in values.items() if k in known}
            found[name] = Template(**{**values, "name": name, "shipped": False})
    return found


def save(vault, template: Template, actor: str | None = None) -> None:
    """Store a manager-edited template in the vault (refused if it uses an unknown field)."""
    validate(template)
    stored = dict(settings.get(vault, STORE_KEY, {}) or {})
    values = asdict(template)
    values.pop("shipped")
    values.pop("name")
    stored[template.name] = values
    settings.put(vault, STORE_KEY, stored, actor=actor or "manager")


def delete(vault, name: str, actor: str | None = None) -> bool:
    """Remove an edited template (a shipped default of the same name shows again)."""
    stored = dict(settings.get(vault, STORE_KEY, {}) or {})
    if name not in stored:
        return False
    del stored[name]
    settings.put(vault, STORE_KEY, stored, actor=actor or "manager")
    return True


def families(vault=None) -> list[str]:
    return sorted({t.family for t in all_templates(vault).values()})


def choose(name: str, language: str, vault=None) -> Template:
    """`letter.fr` exactly, or the variant of family `letter` in `language` (then English, then any)."""
    found = all_templates(vault)
    if name in found:
        return found[name]
    variants = {t.language: t for t in found.values() if t.family == name}
    if not variants:
        raise TemplateError(_("There is no template “{name}”. Templates: {known}.").format(
            name=name, known=", ".join(sorted(found)) or "—"))
    for lang in ((language or "").split("-")[0].split("_")[0], "en"):
        if lang in variants:
            return variants[lang]
    return variants[sorted(variants)[0]]


# -- salutations ------------------------------------------------------------------------------------

_FORMAL = {
    "fr": {"f": "Chère Madame {family}", "m": "Cher Monsieur {family}", "": "Madame, Monsieur"},
    "de": {"f": "Sehr geehrte Frau {family}", "m": "Sehr geehrter Herr {family}", "": "Guten Tag {full}"},
    "en": {"f": "Dear {honorific} {family}", "m": "Dear {honorific} {family}", "": "Dear {full}"},
    "it": {"f": "Gentile Signora {family}", "m": "Gentile Signor {family}", "": "Gentile {full}"},
    "es": {"f": "Estimada señora {family}", "m": "Estimado señor {family}", "": "Estimado/a {full}"},
    "ja": {"f": "{family_ja}様", "m": "{family_ja}様", "": "{family_ja}様"},
    "ar": {"f": "السيدة الفاضلة {full}", "m": "السيد الفاضل {full}", "": "حضرة {full}"},
}
_INFORMAL = {
    "fr": {"f": "Chère {given}", "m": "Cher {given}", "": "Bonjour {given}"},
    "de": {"f": "Liebe {given}", "m": "Lieber {given}", "": "Hallo {given}"},
    "en": {"f": "Dear {given}", "m": "Dear {given}", "": "Dear {given}"},
    "it": {"f": "Cara {given}", "m": "Caro {given}", "": "Ciao {given}"},
    "es": {"f": "Querida {given}", "m": "Querido {given}", "": "Hola {given}"},
    "ja": {"f": "{given}さん", "m": "{given}さん", "": "{given}さん"},
    "ar": {"f": "عزيزتي {given}", "m": "عزيزي {given}", "": "مرحبا {given}"},
}
_EN_HONORIFIC = {"f": "Mrs", "m": "Mr"}


def salutation(contact: Contact, language: str) -> str:
    """The greeting line for a contact in `language`, from their salutation field and formality.

    A salutation field holding a whole phrase ("Chère Hélène", "Dear Lady Grantham") is used as it is.
    """
    from ..core.text import is_east_asian

    language = (language or "en").split("-")[0].split("_")[0]
    own = (contact.salutation or "").strip()
    gender = honorific_gender(own)
    if own and not gender and len(own.split()) > 1:
        return own
    given = contact.given_name.strip()
    family = contact.family_name.strip()
    if not (given or family):
        return {"fr": "Madame, Monsieur", "de": "Sehr geehrte Damen und Herren", "it": "Gentili Signori",
                "es": "Estimados señores", "ja": f"{contact.organisation} 御中",
                "ar": f"السادة {contact.organisation}".strip()}.get(language, "Dear Sir or Madam")
    informal = contact.formality == "informal" and bool(given)
    table = (_INFORMAL if informal else _FORMAL).get(language, _INFORMAL["en"] if informal else _FORMAL["en"])
    if not informal and not family:
        return table[""].format(full=given, family=given, given=given, honorific="", family_ja=given)
    full = " ".join(p for p in (contact.title.strip(), given, family) if p)
    if is_east_asian(given + family):
        full = f"{family}{given}"
    honorific = own if (language == "en" and gender) else _EN_HONORIFIC.get(gender, "")
    if language == "en" and contact.title.strip() and not informal:
        honorific = contact.title.strip()
    family_ja = family if is_east_asian(family) else f"{family} "
    text = table[gender].format(family=family, given=given, full=full, honorific=honorific, family_ja=family_ja)
    return " ".join(text.split()) if language != "ja" else text.strip()


# Languages whose letters use the language's native digits: CLDR (through Babel) names the numbering
# system ("ar": native "arab"; CLDR's default for plain "ar" is Western digits), Unicode gives its ten
# digits (contiguous from its zero: ٠١٢٣٤٥٦٧٨٩).
NATIVE_DIGITS = {"ar"}
_ZERO = {"arab": "\u0660", "arabext": "\u06f0", "deva": "\u0966", "beng": "\u09e6", "thai": "\u0e50"}


def native_digits(text: str, language: str) -> str:
    """Western digits in `text` written with the language's native digits (CLDR), when it has them."""
    from babel import Locale

    if language not in NATIVE_DIGITS:
        return text
    zero = _ZERO.get(Locale.parse(language).other_numbering_systems.get("native", ""))
    if not zero:
        return text
    return text.translate({ord("0") + d: ord(zero) + d for d in range(10)})


def format_date(day: dt.date, language: str) -> str:
    """The long date in `language` (CLDR pattern and month names; native digits where NATIVE_DIGITS)."""
    from ..core.formatting import letter_date  # one style for letters (core.formatting)

    text = letter_date(day, language or "en")
    return native_digits(text, (language or "").split("-")[0].split("_")[0])


def place_date(city: str, day: dt.date, language: str) -> str:
    """The place-and-date line of a letter: "Paris, le 5 mars 2025", "Paris, 5 March 2025", "باريس، ٥ مارس ٢٠٢٥"."""
    date = format_date(day, language)
    if not city:
        return date
    if language == "fr":
        return f"{city}, le {date}"
    if language in ("ar", "fa"):
        return f"{city}، {date}"
    if language == "ja":
        return f"{city}、{date}"
    return f"{city}, {date}"


# -- signature block ---------------------------------------------------------------------------------
# (letter formal, letter informal, card formal, card informal), by language
CLOSINGS = {
    "en": ("With our warmest regards,", "Warm regards,", "Warmly,", "See you very soon,"),
    "fr": ("Avec nos salutations les plus chaleureuses,", "Bien chaleureusement,", "Bien chaleureusement,",
           "Avec toute notre amitié,"),
    "de": ("Mit herzlichen Grüßen", "Herzliche Grüße", "Herzlich,", "Alles Liebe,"),
    "it": ("Con i più cordiali saluti,", "Un caro saluto,", "Un caro saluto,", "Un abbraccio,"),
    "es": ("Con nuestros más cordiales saludos,", "Un saludo muy cordial,", "Un saludo muy cordial,",
           "Un abrazo,"),
    "ja": ("敬具", "敬具", "心を込めて", "心を込めて"),       # 敬具 answers the 拝啓 the letters open with
    "ar": ("مع أطيب التحيات،", "مع خالص المودة،", "مع أطيب التمنيات،", "مع خالص المودة،"),
}


def closing(template: Template, contact: Contact) -> str:
    informal = contact.formality == "informal"
    own = template.closing_informal if informal and template.closing_informal else template.closing
    if own:
        return own
    language = template.language.split("-")[0].split("_")[0]
    row = CLOSINGS.get(language, CLOSINGS["en"])
    return row[(2 if template.kind == "card" else 0) + (1 if informal else 0)]


@dataclass
class SignatureLine:
    text: str
    part: str            # closing | space | staff | boutique


def signature_lines(template: Template, contact: Contact, staff_name: str, sender) -> list[SignatureLine]:
    """The closing, room for the handwritten signature, the staff member's name, the boutique's line —
    in the order the template asks for."""
    out = []
    for part in template.signature_parts():
        if part == "closing":
            out.append(SignatureLine(closing(template, contact), part))
        elif part == "space":
            out.append(SignatureLine("", part))
        elif part == "staff":
            out.append(SignatureLine(staff_name.strip(), part))
        elif part == "boutique":
            out.append(SignatureLine(sender.signing_line or sender.name, part))
    return out


def needs(template: Template) -> tuple[list[str], bool]:
    """What printing `template` needs: (boutique details, whether a staff name is needed)."""
    from .boutique import needs_for

    used = fields_used(template.body)
    parts = template.signature_parts()
    details = needs_for(used) + (["name"] if "boutique" in parts else [])
    return details, "staff_name" in used or "staff" in parts


def holes(template: Template, values: dict[str, str]) -> list[str]:
    """The contact fields `template` uses that are empty for this person (people's words)."""
    return [_contact_field_label(f) for f in dict.fromkeys(fields_used(template.body))
            if f in CONTACT_FIELDS and not str(values.get(f, "")).strip()]


def merge_values(contact: Contact, template: Template, sender, staff_name: str = "",
                 today: dt.date | None = None) -> dict[str, str]:
    today = today or dt.date.today()
    address = sender.address
    one_line = ", ".join(p for p in (address.street.replace("\n", ", "),
                                     " ".join(p for p in (address.postal_code, address.city) if p)) if p)
    return {
        "salutation": salutation(contact, template.language),
        "given_name": contact.given_name,
        "family_name": contact.family_name,
        "full_name": contact.display_name,
        "title": contact.title,
        "date": format_date(today, template.language),
        "boutique_name": sender.name,
        "boutique_city": address.city,
        "boutique_address": one_line,
        "boutique_phone": sender.phone,
        "boutique_email": sender.email,
        "boutique_website": sender.website,
        "staff_name": staff_name,
    }


_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_SPACE_BEFORE = re.compile(r"[ \t]+([,.،])")


def tidy(text: str) -> str:
    """After merging: one space where an optional field left two, none before a comma or full stop, no
    space at either end of a line."""
    lines = []
    for line in text.split("\n"):
        line = _SPACE_BEFORE.sub(r"\1", _SPACES.sub(" ", line)).strip()
        lines.append(line)
    return "\n".join(lines)


def merge(template: Template, values: dict[str, str]) -> str:
    validate(template)
    return tidy(template.body.format(**values))
