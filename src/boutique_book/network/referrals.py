"""Who brought whom, and how people first met us.

A person's referrer is their first_met_contact_id when set, else the oldest `referred_by` link they
have (from them to the referrer). The chain follows referrers back to the first contact, the one nobody
brought; a loop (A says B brought them, B says A) stops the chain where it would repeat."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..core.errors import NotFound
from ..core.jobs import check
from ..core.model import LinkType
from .graph import rows

UNKNOWN_SOURCE = "unknown"


@dataclass
class Step:
    contact_id: int
    name: str
    first_met_source: str
    created_at: str


def _person(source, contact_id: int) -> Step:
    found = rows(source, "SELECT id, display_name, first_met_source, created_at FROM contacts WHERE id=?",
                 (contact_id,))
    if not found:
        raise NotFound(f"No contact with number {contact_id}.")
    return Step(*found[0])


def referrer_of(source, contact_id: int) -> int | None:
    met_by = rows(source, "SELECT first_met_contact_id FROM contacts WHERE id=?", (contact_id,))
    if met_by and met_by[0][0] is not None and met_by[0][0] != contact_id:
        return met_by[0][0]
    link = rows(source, "SELECT to_id FROM links WHERE from_id=? AND type=? ORDER BY id LIMIT 1",
                (contact_id, LinkType.REFERRED_BY.value))
    return link[0][0] if link else None


def chain(source, contact_id: int, limit: int = 100) -> list[Step]:
    """[the person, who brought them, who brought that one, ..., the first contact]."""
    steps = [_person(source, contact_id)]
    seen = {contact_id}
    current = contact_id
    while len(steps) < limit:
        referrer = referrer_of(source, current)
        if referrer is None or referrer in seen:
            break
        steps.append(_person(source, referrer))
        seen.add(referrer)
        current = referrer
    return steps


def brought(source, contact_id: int, depth: int = 6, cap: int = 500) -> list[tuple[int, Step]]:
    """Everyone this person brought, and whom they brought in turn: [(generation, step), ...] depth-first,
    oldest first within a generation. Stops at `cap` people."""
    _person(source, contact_id)
    result: list[tuple[int, Step]] = []
    seen = {contact_id}

    def children(cid):
        found = rows(source,
                     "SELECT c.id, c.display_name, c.first_met_source, c.created_at FROM contacts c "
                     "WHERE c.first_met_contact_id=? OR (c.first_met_contact_id IS NULL AND c.id IN "
                     "(SELECT from_id FROM links WHERE to_id=? AND type=?)) ORDER BY c.created_at, c.id",
                     (cid, cid, LinkType.REFERRED_BY.value))
        return [Step(*r) for r in found]

    def walk(cid, generation):
        if generation > depth:
            return
        for step in children(cid):
            if step.contact_id in seen or len(result) >= cap:
                continue
            seen.add(step.contact_id)
            result.append((generation, step))
            walk(step.contact_id, generation + 1)

    walk(contact_id, 1)
    return result


@dataclass
class FirstMetReport:
    months: list                       # "YYYY-MM", oldest first
    sources: list                      # first_met_source values, most frequent first ("unknown" for blank)
    counts: dict                       # (month, source) -> number of people
    by_source: dict = field(default_factory=dict)   # source -> total
    by_month: dict = field(default_factory=dict)    # month -> total
    top_referrers: list = field(default_factory=list)  # [(contact id, name, people brought)]
    total: int = 0


def first_met(source, since: str = "", until: str = "", progress=None, cancelled=None) -> FirstMetReport:
    """How people first met us, per month of their card's creation and per first-met source.
    since/until: "YYYY-MM" bounds, inclusive (blank: open)."""
    check(cancelled)
    data = rows(source,
                "SELECT substr(created_at, 1, 7) AS month, first_met_source, count(*) FROM contacts "
                "WHERE kind NOT IN ('institution', 'event') GROUP BY month, first_met_source")
    counts: Counter = Counter()
    for month, met, n in data:
        if (since and month < since) or (until and month > until):
            continue
        counts[(month, met or UNKNOWN_SOURCE)] += n
    check(cancelled)
    by_source: Counter = Counter()
    by_month: Counter = Counter()
    for (month, met), n in counts.items():
        by_source[met] += n
        by_month[month] += n
    referrers = rows(source,
                     "SELECT r.id, r.display_name, count(*) AS n FROM contacts c JOIN contacts r "
                     "ON r.id = c.first_met_contact_id GROUP BY r.id ORDER BY n DESC, r.sort_key LIMIT 10")
    if progress:
        progress(1, 1)
    return FirstMetReport(sorted(by_month), [s for s, _n in sorted(by_source.items(), key=lambda i: (-i[1], i[0]))],
                          dict(counts), dict(by_source), dict(by_month), [tuple(r) for r in referrers],
                          sum(counts.values()))
