"""Templates for card inserts and letters, with merge fields and salutations by language and formality.

A template is a short text with `{fields}`; paragraphs are separated by a blank line, `{{` and `}}` are
literal braces. Shipped defaults live in `boutique_book/resources/templates/<name>.<language>.txt` (a small
header, `---`, then the body). Templates edited by the manager are stored in the vault (setting
"printing.templates") and win over a shipped one of the same name. A template using a field that does
not exist is refused, with a message naming the field.

Names: "letter.fr" is one template; "letter" means the family, and each recipient gets the variant in
their own language (falling back to English, then to any variant).
"""

from __future__ import annotations

import datetime as dt
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

    @property
    def family(self) -> str:
        return self.name.rsplit(".", 1)[0] if "." in self.name else self.name


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
    return Template(name, meta.get("kind", "letter"), language, meta.get("title", name), body.strip("\n"), shipped)


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
        for name, values in (settings.get(vault, STORE_KEY, {}) or {}).items():
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
}
_INFORMAL = {
    "fr": {"f": "Chère {given}", "m": "Cher {given}", "": "Bonjour {given}"},
    "de": {"f": "Liebe {given}", "m": "Lieber {given}", "": "Hallo {given}"},
    "en": {"f": "Dear {given}", "m": "Dear {given}", "": "Dear {given}"},
    "it": {"f": "Cara {given}", "m": "Caro {given}", "": "Ciao {given}"},
    "es": {"f": "Querida {given}", "m": "Querido {given}", "": "Hola {given}"},
    "ja": {"f": "{given}さん", "m": "{given}さん", "": "{given}さん"},
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
                "es": "Estimados señores", "ja": f"{contact.organisation} 御中"}.get(language, "Dear Sir or Madam")
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


def format_date(day: dt.date, language: str) -> str:
    from babel.dates import format_date as babel_format_date

    try:
        return babel_format_date(day, format="long", locale=language or "en")
    except (ValueError, LookupError):
        return babel_format_date(day, format="long", locale="en")


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


def merge(template: Template, values: dict[str, str]) -> str:
    validate(template)
    return template.body.format(**values)
