"""Domain types. Plain dataclasses; validation lives in core.validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Tier(str, Enum):
    FAMILY = "family"
    FRIENDS = "friends"
    ACQUAINTANCES = "acquaintances"


class Kind(str, Enum):
    CUSTOMER = "customer"
    PROSPECT = "prospect"
    LOCAL = "local"
    PARTNER = "partner"
    SUPPLIER = "supplier"
    STAFF = "staff"
    INSTITUTION = "institution"
    EVENT = "event"


class Channel(str, Enum):
    CALL = "call"
    CARD = "card"
    LETTER = "letter"
    EMAIL = "email"
    VISIT = "visit"
    SMS = "sms"
    MESSAGING = "messaging"


class MomentKind(str, Enum):
    STORY = "story"
    VISIT = "visit"
    PURCHASE = "purchase"
    WISH = "wish"
    PREFERENCE = "preference"
    GIFT_GIVEN = "gift_given"
    GIFT_RECEIVED = "gift_received"
    CARD_SENT = "card_sent"
    CARD_RECEIVED = "card_received"
    COMPLAINT = "complaint"
    FAMILY_EVENT = "family_event"
    CALL = "call"
    COFFEE = "coffee"


class LinkType(str, Enum):
    SPOUSE = "spouse"          # symmetric
    PARENT_OF = "parent_of"    # from is parent of to
    FAMILY = "family"          # symmetric
    FRIEND = "friend"          # symmetric
    COLLEAGUE = "colleague"    # symmetric
    REFERRED_BY = "referred_by"  # from was referred by to
    MEMBER_OF = "member_of"    # from is member of to (an institution)
    WORKS_AT = "works_at"
    MET_AT = "met_at"          # from was introduced at to (an event)


SYMMETRIC_LINKS = {LinkType.SPOUSE, LinkType.FAMILY, LinkType.FRIEND, LinkType.COLLEAGUE}


class ConsentPurpose(str, Enum):
    MAIL = "mail"
    PHONE = "phone"
    EMAIL = "email"
    BIRTHDAY = "birthday"
    SHARE_HQ = "share_hq"


class FirstMet(str, Enum):
    WALK_IN = "walk_in"
    REFERRAL = "referral"
    EVENT = "event"
    CONCIERGE = "concierge"
    TOURISM = "tourism"
    ONLINE = "online"
    PRESS = "press"
    OTHER = "other"


DATE_KINDS = ("birthday", "anniversary", "first_purchase", "name_day", "other")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date whose year may be unknown (a birthday told without the year)."""

    month: int
    day: int
    year: int | None = None

    def __post_init__(self):
        # 29 February is valid without a year; with a year it must exist.
        probe_year = self.year if self.year is not None else 2000
        dt.date(probe_year, self.month, self.day)

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        text = text.strip()
        if text.startswith("--"):
            month, day = text[2:].replace("-", "")[:2], text[2:].replace("-", "")[2:4]
            return cls(int(month), int(day))
        value = dt.date.fromisoformat(text)
        return cls(value.month, value.day, value.year)

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def in_year(self, year: int) -> dt.date:
        """This date's anniversary in `year`; 29 February falls on 28 February in common years."""
        if self.month == 2 and self.day == 29:
            try:
                return dt.date(year, 2, 29)
            except ValueError:
                return dt.date(year, 2, 28)
        return dt.date(year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso()


@dataclass
class Phone:
    raw: str
    label: str = ""
    e164: str = ""
    # Kept as written although it cannot be read as a number (imported; see core.phones). Not compared:
    # the same number is the same phone whether or not it was read.
    kept: bool = field(default=False, compare=False)


@dataclass
class Email:
    address: str
    label: str = ""


@dataclass
class Address:
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country_code: str = ""
    region: str = ""
    city_area: str = ""
    label: str = ""
    # An imported address whose written country nobody knows ("Nowhereland"): the text is kept in the imported
    # note, and the address stays without a country instead of taking the store's (it is not a domestic one).
    # Not stored; only the save that imports it (or merges it in) honours it.
    country_unknown: bool = field(default=False, compare=False, repr=False)

    def is_usable(self) -> bool:
        return bool(self.street.strip() and self.city.strip() and self.country_code.strip())


@dataclass
class KeyDate:
    kind: str
    date: PartialDate
    label: str = ""
    lead_days: int = 0


@dataclass
class Consent:
    purpose: str
    granted: bool
    wording_version: str = "1"
    recorded_at: str = ""
    recorded_by: int | None = None
    recorded_by_name: str = ""


@dataclass
class Contact:
    given_name: str = ""
    family_name: str = ""
    organisation: str = ""
    transliteration: str = ""
    title: str = ""
    salutation: str = ""
    formality: str = "formal"
    kind: str = Kind.CUSTOMER.value
    tier: str = Tier.ACQUAINTANCES.value
    language: str = ""
    country: str = ""
    preferred_channel: str = ""
    first_met_source: str = ""
    first_met_note: str = ""
    first_met_contact_id: int | None = None
    photo: bytes | None = None
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    dates: list[KeyDate] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    id: int | None = None
    display_name: str = ""
    sort_key: str = ""
    created_at: str = ""
    updated_at: str = ""

    def birthday(self) -> PartialDate | None:
        for key_date in self.dates:
            if key_date.kind == "birthday":
                return key_date.date
        return None


@dataclass
class ContactSummary:
    """One row of a list: enough to show, nothing more."""

    id: int
    display_name: str
    tier: str
    kind: str
    detail: str = ""


@dataclass
class Moment:
    contact_id: int
    text: str
    occurred_on: dt.date
    kind: str = MomentKind.STORY.value
    item: str = ""
    amount_minor: int | None = None
    currency: str = ""
    season: str = ""
    season_year: int | None = None
    staff_id: int | None = None
    staff_name: str = ""
    people: list[int] = field(default_factory=list)
    id: int | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Staff:
    id: int
    name: str
    role: str = "staff"
    active: bool = True


@dataclass
class Link:
    from_id: int
    to_id: int
    type: str
    note: str = ""
    since: str = ""
    id: int | None = None


@dataclass
class TierChange:
    from_tier: str | None
    to_tier: str
    changed_at: str
    changed_by: int | None
    changed_by_name: str
    reason: str


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
