"""Who to print for: contact ids from the current contact, a selection, a search, a tier or a card
season (the calendar hands a list of ids), turned into recipients plus a report of everyone left out
and why. Nobody is dropped silently: no postal address, an unusable address and no consent to mail are
each listed by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import jobs, search
from ..core.errors import ValidationError
from ..core.model import Address, Contact, Tier
from ..i18n import _, ngettext
from . import addresses


@dataclass
class Recipient:
    contact: Contact
    address: Address
    lines: list[str]


@dataclass
class Excluded:
    contact_id: int
    name: str
    reason: str
    kind: str            # "address" | "consent" | "missing" | "field"


@dataclass
class RecipientReport:
    recipients: list[Recipient] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    @property
    def no_address(self) -> list[Excluded]:
        return [e for e in self.excluded if e.kind == "address"]

    @property
    def no_consent(self) -> list[Excluded]:
        return [e for e in self.excluded if e.kind == "consent"]

    def summary(self) -> str:
        lines = [ngettext("{n} to print", "{n} to print", len(self.recipients)).format(n=len(self.recipients))]
        if self.no_address:
            lines.append(ngettext("{n} without a usable postal address", "{n} without a usable postal address",
                                  len(self.no_address)).format(n=len(self.no_address)))
        if self.no_consent:
            lines.append(ngettext("{n} excluded: no consent to postal mail", "{n} excluded: no consent to postal mail",
                                  len(self.no_consent)).format(n=len(self.no_consent)))
        holes = [e for e in self.excluded if e.kind == "field"]
        if holes:
            names = ", ".join(e.name for e in holes[:3]) + ("…" if len(holes) > 3 else "")
            lines.append(_("left out, the template uses a detail their card lacks: {names}").format(names=names))
        missing = [e for e in self.excluded if e.kind == "missing"]
        if missing:
            lines.append(ngettext("{n} no longer in the book", "{n} no longer in the book", len(missing)).format(n=len(missing)))
        return "; ".join(lines)

    def details(self) -> list[str]:
        return [f"{e.contact_id}\t{e.name}\t{e.reason}" for e in self.excluded]


@dataclass
class Sender:
    """The boutique, from the vault setting "boutique" (see printing.boutique: name, street, city,
    postal_code, region, country_code, phone, email, website, language, logo_png as base64, signing_line)."""

    name: str = ""
    address: Address = field(default_factory=Address)
    phone: str = ""
    email: str = ""
    website: str = ""
    language: str = "en"
    logo_png: bytes | None = None
    signing_line: str = ""
    details: dict = field(default_factory=dict)

    def lines(self, to_country: str = "") -> list[str]:
        """The sender's block; for mail going abroad (`to_country` another country) it ends with the
        boutique's country in capitals, so the destination's post can send it back (UPU: the return
        address names its country)."""
        if not (self.name or self.address.street):
            return []
        if not self.address.street:
            return [self.name]
        lines = addresses.format_lines(self.name, "", self.address, self.address.country_code, self.language)
        if self.abroad(to_country):
            lines.append(addresses.postal_upper(addresses.country_name(self.country, self.language)))
        return lines

    def abroad(self, to_country: str) -> bool:
        return bool(self.country and to_country and to_country.strip().upper() != self.country)

    def contact_line(self) -> str:
        """Phone · e-mail · website, for a letterhead."""
        return " · ".join(p for p in (self.phone, self.email, self.website) if p)

    @property
    def country(self) -> str:
        return self.address.country_code.upper()


BOUTIQUE_KEY = "boutique"


def sender(vault) -> Sender:
    from ..i18n import current_language
    from . import boutique

    values = boutique.get(vault)
    logo = None
    if values.get("logo_png"):
        import base64

        try:
            logo = base64.b64decode(values["logo_png"])
        except ValueError:
            logo = None
    return Sender(
        name=values["name"],
        address=Address(street=values["street"], city=values["city"], postal_code=values["postal_code"],
                        country_code=str(values["country_code"]).upper(), region=values["region"]),
        phone=values["phone"], email=values["email"], website=values["website"],
        language=values["language"] or current_language(), logo_png=logo,
        signing_line=values["signing_line"] or values["name"], details=values)


def set_sender(vault, values: dict, actor: str | None = None) -> None:
    """Store the boutique's details (checked by printing.boutique.set_details)."""
    from . import boutique

    boutique.set_details(vault, values, actor=actor)


# -- selections -----------------------------------------------------------------------------------

def ids_for_tier(vault, tier: str) -> list[int]:
    if tier not in {t.value for t in Tier}:
        raise ValidationError(_("Unknown tier “{tier}”.").format(tier=tier), field="tier")
    filters = search.SearchFilters(tier=tier)
    return search.browse_ids(vault.conn, search.count_all(vault.conn, filters) + 1, 0, filters)


def ids_for_query(vault, query: str, limit: int = 100000) -> list[int]:
    return search.search_ids(vault.conn, query, limit=limit)


def ids_for_all(vault) -> list[int]:
    return search.browse_ids(vault.conn, search.count_all(vault.conn) + 1, 0)


def ids_for_season(vault, season: str, year: int | None = None) -> list[int]:
    """The card list of a season from the follow-up calendar (core.calendar_seasons), name order."""
    import datetime as dt

    try:
        from ..core import calendar_seasons
    except ImportError:
        raise ValidationError(_("Card seasons need the follow-up calendar, which this version does not have.")) \
            from None
    return list(calendar_seasons.recipient_ids(vault, season, year or dt.date.today().year))


def parse_ids(text: str) -> list[int]:
    ids = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            low, _sep, high = part.partition("-")
            if not (low.strip().isdigit() and high.strip().isdigit()):
                raise ValidationError(_("“{part}” is not a contact number or range.").format(part=part))
            ids.extend(range(int(low), int(high) + 1))
        elif part.isdigit():
            ids.append(int(part))
        else:
            raise ValidationError(_("“{part}” is not a contact number.").format(part=part))
    return ids


_CONTACT_COLUMNS = ("id", "given_name", "family_name", "organisation", "title", "salutation", "formality",
                    "language", "country", "display_name")


def load_contacts(vault, ids: list[int]) -> tuple[dict[int, Contact], set[int]]:
    """Name, language and addresses of many contacts in a few queries (contacts.get costs six per
    contact), and which of them currently consent to postal mail (the newest consent record wins)."""
    found: dict[int, Contact] = {}
    consenting: set[int] = set()
    conn = vault.conn
    for offset in range(0, len(ids), 500):
        chunk = ids[offset:offset + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {', '.join(_CONTACT_COLUMNS)} FROM contacts WHERE id IN ({marks})", chunk):
            values = dict(zip(_CONTACT_COLUMNS, row))
            found[row[0]] = Contact(**values)
        for contact_id, label, street, city, area, region, postal, country in conn.execute(
                "SELECT contact_id, label, street, city, city_area, region, postal_code, country_code "
                f"FROM contact_addresses WHERE contact_id IN ({marks}) ORDER BY contact_id, position", chunk):
            if contact_id in found:
                found[contact_id].addresses.append(Address(street=street, city=city, postal_code=postal,
                                                           country_code=country, region=region, city_area=area,
                                                           label=label))
        latest: dict[int, bool] = {}
        for contact_id, granted in conn.execute(
                f"SELECT contact_id, granted FROM consents WHERE purpose='mail' AND contact_id IN ({marks}) "
                "ORDER BY id", chunk):
            latest[contact_id] = bool(granted)
        consenting.update(cid for cid, granted in latest.items() if granted)
    return found, consenting


def resolve(vault, contact_ids, sender_info: Sender | None = None, require_consent: bool = True,
            progress=None, cancelled=None) -> RecipientReport:
    """Load the contacts, keep those who can be mailed, report the others."""
    sender_info = sender_info or sender(vault)
    report = RecipientReport()
    seen: set[int] = set()
    ids = [i for i in contact_ids if not (i in seen or seen.add(i))]
    loaded: dict[int, Contact] = {}
    consenting: set[int] = set()
    for offset in range(0, len(ids), 500):
        jobs.check(cancelled)
        if progress:
            progress(offset // 2, len(ids))
        chunk_found, chunk_consent = load_contacts(vault, ids[offset:offset + 500])
        loaded.update(chunk_found)
        consenting |= chunk_consent
    for n, contact_id in enumerate(ids):
        if n % 50 == 0:
            jobs.check(cancelled)
            if progress:
                progress((len(ids) + n) // 2, len(ids))
        contact = loaded.get(contact_id)
        if contact is None:
            report.excluded.append(Excluded(contact_id, "", _("no longer in the book"), "missing"))
            continue
        if require_consent and contact_id not in consenting:
            report.excluded.append(Excluded(contact_id, contact.display_name, _("no consent to postal mail"),
                                            "consent"))
            continue
        address = addresses.postal_address(contact)
        why = addresses.problem(address)
        if why:
            report.excluded.append(Excluded(contact_id, contact.display_name, why, "address"))
            continue
        organisation = contact.organisation if (contact.given_name or contact.family_name) else ""
        lines = addresses.format_lines(addresses.recipient_name(contact), organisation, address,
                                       sender_info.country, sender_info.language)
        report.recipients.append(Recipient(contact, address, lines))
    if progress:
        progress(len(ids), len(ids))
    return report
