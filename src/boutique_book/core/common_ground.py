"""Common ground: what the staff member at the counter genuinely shares with the person in front of them.

A connection has two ends. For one staff member and one person:
- the interests both hold, most specific first: an interest held by few people in the book outranks a
  common one (rarity = how many people hold it, counted on the interest index, so it stays a few index
  look-ups at 100,000 people);
- whether they share a language;
- which colleagues share something else ("Matteo also: choir singing");
- what the person last volunteered, so staff can answer in kind.
Everything comes from the book itself; nothing is looked up elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from ..i18n import _
from . import interests as interest_lib
from .interest_suggestions import TELLING_KINDS
from .text import fold

MAX_COLLEAGUES = 2
HINT_CHARS = 80


@dataclass(frozen=True)
class Shared:
    interest_id: int
    label: str
    holders: int  # people in the book who hold it


@dataclass(frozen=True)
class Colleague:
    staff_id: int
    name: str
    shared: list[Shared]


@dataclass
class CommonGround:
    contact_id: int
    staff_id: int | None
    shared: list[Shared] = field(default_factory=list)
    language: str = ""  # a language code both speak, or ""
    colleagues: list[Colleague] = field(default_factory=list)
    last_shared_on: dt.date | None = None
    last_shared: str = ""

    @property
    def empty(self) -> bool:
        return not (self.shared or self.language or self.colleagues or self.last_shared)


def _rank(conn, interest_ids, language: str) -> list[Shared]:
    counts = interest_lib.holders(conn, interest_ids)
    items = [Shared(i, interest_lib.label(conn, i, language), counts[i]) for i in interest_ids]
    return sorted(items, key=lambda s: (s.holders, fold(s.label)))


def _staff_interests(conn, staff_id: int) -> set[int]:
    return {r[0] for r in conn.execute("SELECT interest_id FROM staff_interests WHERE staff_id=?", (staff_id,))}


def _staff_languages(conn, staff_id: int) -> list[str]:
    row = conn.execute("SELECT languages FROM staff_profiles WHERE staff_id=?", (staff_id,)).fetchone()
    return [c for c in (row[0].split(",") if row else []) if c]


def _contact_language(conn, contact_id: int) -> str:
    row = conn.execute("SELECT language FROM contacts WHERE id=?", (contact_id,)).fetchone()
    if row is None:
        raise interest_lib.InterestError(f"There is no contact number {contact_id}.")
    return (row[0] or "").split("-")[0].lower()


def _contact_interests(conn, contact_id: int) -> set[int]:
    return {r[0] for r in conn.execute("SELECT interest_id FROM contact_interests WHERE contact_id=?",
                                       (contact_id,))}


def compute(vault, contact_id: int, staff_id: int | None, language: str = "en") -> CommonGround:
    conn = vault.conn
    contact_language = _contact_language(conn, contact_id)
    held = _contact_interests(conn, contact_id)
    result = CommonGround(contact_id, staff_id)
    if staff_id is not None:
        mine = _staff_interests(conn, staff_id)
        result.shared = _rank(conn, held & mine, language)
        if contact_language and contact_language in _staff_languages(conn, staff_id):
            result.language = contact_language
    else:
        mine = set()
    if held:
        colleagues = []
        for other_id, name in conn.execute("SELECT id, name FROM staff WHERE active=1 ORDER BY name"):
            if other_id == staff_id:
                continue
            theirs = (_staff_interests(conn, other_id) & held) - mine
            if theirs:
                colleagues.append(Colleague(other_id, name, _rank(conn, theirs, language)))
        colleagues.sort(key=lambda c: (c.shared[0].holders, fold(c.name)))
        result.colleagues = colleagues[:MAX_COLLEAGUES]
    marks = ",".join("?" * len(TELLING_KINDS))
    row = conn.execute(f"SELECT occurred_on, text FROM moments WHERE contact_id=? AND kind IN ({marks}) "
                       "ORDER BY occurred_on DESC, id DESC LIMIT 1", (contact_id, *TELLING_KINDS)).fetchone()
    if row:
        result.last_shared_on = dt.date.fromisoformat(row[0][:10])
        text = " ".join(row[1].split())
        result.last_shared = text if len(text) <= HINT_CHARS else text[:HINT_CHARS - 1].rstrip() + "…"
    return result


def language_name(code: str, ui_language: str = "en") -> str:
    from . import labels

    return labels.language_name(code, ui_language)  # names from the UI language's own CLDR data


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def summary(ground: CommonGround, ui_language: str = "en", date_text=None) -> str:
    """The one line the card shows (and the CLI prints first)."""
    parts = []
    mine = [s.label for s in ground.shared]
    if ground.language:
        mine.append(_("speaks {language}").format(language=language_name(ground.language, ui_language)))
    if mine:
        parts.append(_("In common: {items}").format(items=", ".join(mine)))
    for colleague in ground.colleagues:
        parts.append(_("{name} also: {items}").format(name=first_name(colleague.name),
                                                       items=", ".join(s.label for s in colleague.shared[:2])))
    if ground.last_shared:
        when = date_text(ground.last_shared_on) if date_text and ground.last_shared_on else ""
        parts.append((_("Last told us ({date}): “{text}”") if when else _("Last told us: “{text}”")).format(
            date=when, text=ground.last_shared))
    return " · ".join(parts)


# --- who should reach out -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class OwnerSuggestion:
    staff_id: int
    name: str
    shared: list[Shared]
    language: str
    reason: str


def _specificity(holders: int, people: int) -> float:
    """Rarer interests weigh more: an inverse-frequency weight over the people of the book."""
    return 1.0 + math.log((people + 1) / (holders + 1))


def suggest_owner(vault, contact_id: int, language: str = "en") -> OwnerSuggestion | None:
    """The colleague with the strongest common ground who also speaks the person's language (when the book
    knows it and a colleague speaks it), with the reason. None when nobody shares anything."""
    _contact_language(vault.conn, contact_id)  # an unknown contact is refused with its number
    return suggest_owners(vault, [contact_id], language).get(contact_id)


def suggest_owners(vault, contact_ids, language: str = "en") -> dict[int, OwnerSuggestion]:
    """suggest_owner for many people at once (a card season's list): the staff, their interests and
    languages, the book's size and the interests' rarity are read once, the people's interests and
    languages in batches, so a list of thousands costs a few queries, not a few per person.
    People nobody shares anything with are absent from the result."""
    conn = vault.conn
    ids = list(dict.fromkeys(int(i) for i in contact_ids))
    if not ids:
        return {}
    staff_rows = conn.execute("SELECT id, name FROM staff WHERE active=1 ORDER BY name").fetchall()
    if not staff_rows:
        return {}
    staff_held = {sid: _staff_interests(conn, sid) for sid, _name in staff_rows}
    staff_speaks = {sid: set(_staff_languages(conn, sid)) for sid, _name in staff_rows}
    people = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    languages: dict[int, str] = {}
    held: dict[int, set[int]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for cid, lang in conn.execute(f"SELECT id, language FROM contacts WHERE id IN ({marks})", chunk):
            languages[cid] = (lang or "").split("-")[0].lower()
        for cid, interest_id in conn.execute(
                f"SELECT contact_id, interest_id FROM contact_interests WHERE contact_id IN ({marks})", chunk):
            held[cid].add(interest_id)
    relevant = set().union(*staff_held.values()) & set().union(*held.values())
    counts = interest_lib.holders(conn, relevant)
    labels = {i: interest_lib.label(conn, i, language) for i in relevant}
    weight = {i: _specificity(counts[i], people) for i in relevant}
    names: dict[str, str] = {}
    out: dict[int, OwnerSuggestion] = {}
    for cid in ids:
        if cid not in languages:
            continue
        contact_language = languages[cid]
        theirs = held[cid]
        candidates = []
        for staff_id, name in staff_rows:
            speaks = bool(contact_language) and contact_language in staff_speaks[staff_id]
            common = theirs & staff_held[staff_id] if theirs else set()
            if common or speaks:  # nothing shared and no language: not a candidate (most people, quickly)
                candidates.append((speaks, sum(weight[i] for i in common), staff_id, name, common))
        if not candidates:
            continue
        if any(c[0] for c in candidates):
            candidates = [c for c in candidates if c[0]]
        speaks, _score, staff_id, name, common = max(candidates, key=lambda c: (c[1], -c[2]))
        shared = sorted((Shared(i, labels[i], counts[i]) for i in common), key=lambda s: (s.holders, fold(s.label)))
        label_text = ", ".join(s.label for s in shared[:3])
        if speaks and contact_language not in names:
            names[contact_language] = language_name(contact_language, language)
        spoken = names[contact_language] if speaks else ""
        if speaks and shared:
            reason = _("{name} speaks {language} and shares {items}").format(
                name=first_name(name), language=spoken, items=label_text)
        elif speaks:
            reason = _("{name} speaks {language}").format(name=first_name(name), language=spoken)
        else:
            reason = _("{name} shares {items}").format(name=first_name(name), items=label_text)
        out[cid] = OwnerSuggestion(staff_id, name, shared, contact_language if speaks else "", reason)
    return out
