"""Everything a person's card shows, gathered in one call (what the counter needs before a conversation)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import contacts, followups, interests, links, moments
from .model import Contact, Moment, TierChange, Consent

GLANCE_KINDS = ("wish", "preference")


@dataclass
class Card:
    contact: Contact
    timeline: list[Moment]
    tier_history: list[TierChange]
    links: list[dict]
    consents: dict[str, Consent]
    open_cases: list[dict]
    wishes: list[Moment] = field(default_factory=list)
    last_purchase: Moment | None = None
    last_moment: Moment | None = None
    first_met_by: str = ""
    moment_count: int = 0
    followups: list[dict] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)  # labels in the UI language
    link_count: int = 0   # every link; `links` holds the newest `links_limit` of them when load() was given one


def load(vault, contact_id: int, timeline_limit: int = 200, language: str = "en",
         links_limit: int | None = None) -> Card:
    contact = contacts.get(vault, contact_id)
    if links_limit is None:
        known = links.for_contact(vault, contact_id)
        link_count = len(known)
    else:
        known, link_count = links.newest_for_contact(vault, contact_id, links_limit)
    timeline = moments.for_contact(vault, contact_id, limit=timeline_limit)
    wishes = moments.for_contact(vault, contact_id, limit=6, kinds=GLANCE_KINDS)
    purchases = moments.for_contact(vault, contact_id, limit=1, kinds=("purchase",))
    first_met_by = ""
    if contact.first_met_contact_id:
        first_met_by = vault.scalar("SELECT display_name FROM contacts WHERE id=?",
                                    (contact.first_met_contact_id,)) or ""
    return Card(
        contact=contact,
        timeline=timeline,
        tier_history=contacts.tier_history(vault, contact_id),
        links=known,
        link_count=link_count,
        consents=contacts.consents(vault, contact_id),
        open_cases=moments.open_cases(vault, contact_id),
        wishes=wishes,
        last_purchase=purchases[0] if purchases else None,
        last_moment=timeline[0] if timeline else None,
        first_met_by=first_met_by,
        moment_count=vault.scalar("SELECT count(*) FROM moments WHERE contact_id=?", (contact_id,)),
        followups=followups.for_contact(vault, contact_id),
        interests=[i.label for i in interests.for_contact(vault, contact_id, language)],
    )
