"""Suggested interests: the vocabulary's terms found in what a person shared (moments, tags).

Offline and deterministic: the person's own texts are folded (case, accents) and every vocabulary term is
looked for as a whole word or phrase, so "art" is not found inside "party" and "golf" is not found in "golfe".
An optional plural "s" is accepted ("choirs" names "choir"). Terms written in scripts without spaces
(Japanese, Chinese) are looked for as they are, since those scripts have no word boundaries to respect.
A suggestion becomes an interest only when staff confirm it (core.interests.add_to_contact); a dismissed one
is not offered again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .interests import label
from .text import fold, is_east_asian

# Moments whose text says something about the person (what they bought or a card sent says little).
TELLING_KINDS = ("story", "preference", "wish", "family_event", "coffee", "visit", "card_received")
MAX_MOMENTS = 200


@dataclass(frozen=True)
class Suggestion:
    interest_id: int
    label: str
    evidence: str  # a short quote around the first place it was found


def _term_pattern(folded: str) -> re.Pattern:
    if is_east_asian(folded):
        return re.compile(re.escape(folded))
    words = [re.escape(w) for w in folded.split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"s?(?![\w])")


@lru_cache(maxsize=4)
def _patterns(vocabulary_state: tuple) -> list[tuple[int, re.Pattern]]:
    return [(interest_id, _term_pattern(folded)) for interest_id, folded in vocabulary_state]


def _vocabulary(conn) -> list[tuple[int, re.Pattern]]:
    state = tuple(conn.execute("SELECT interest_id, folded FROM interest_terms ORDER BY interest_id, folded"))
    return _patterns(state)


def find_in_text(conn, text: str) -> dict[int, tuple[int, int]]:
    """Interest id -> (start, end) of its first mention in the folded text."""
    folded = fold(text)
    found: dict[int, tuple[int, int]] = {}
    for interest_id, pattern in _vocabulary(conn):
        if interest_id in found:
            continue
        match = pattern.search(folded)
        if match:
            found[interest_id] = match.span()
    return found


def _quote(text: str, span: tuple[int, int], width: int = 60) -> str:
    # fold() keeps the length for almost every character; the quote is only a hint for staff.
    start = max(0, span[0] - width // 2)
    if start:  # begin at a word, not inside one
        space = text.find(" ", start, span[0])
        start = space + 1 if space >= 0 else start
    quote = text[start:start + width].strip()
    return ("…" if start else "") + quote + ("…" if start + width < len(text) else "")


def suggest(vault, contact_id: int, language: str = "en") -> list[Suggestion]:
    conn = vault.conn
    held = {r[0] for r in conn.execute(
        "SELECT interest_id FROM contact_interests WHERE contact_id=? UNION "
        "SELECT interest_id FROM contact_interest_dismissed WHERE contact_id=?", (contact_id, contact_id))}
    marks = ",".join("?" * len(TELLING_KINDS))
    texts = [r[0] for r in conn.execute(
        f"SELECT text FROM moments WHERE contact_id=? AND kind IN ({marks}) ORDER BY occurred_on DESC, id DESC "
        f"LIMIT {MAX_MOMENTS}", (contact_id, *TELLING_KINDS))]
    texts += [r[0] for r in conn.execute(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id=ct.tag_id WHERE ct.contact_id=?", (contact_id,))]
    suggestions: dict[int, Suggestion] = {}
    for text in texts:
        for interest_id, span in find_in_text(conn, text).items():
            if interest_id not in held and interest_id not in suggestions:
                suggestions[interest_id] = Suggestion(interest_id, label(conn, interest_id, language),
                                                      _quote(text, span))
    return sorted(suggestions.values(), key=lambda s: fold(s.label))
