"""Names: display form, sort key, folding for search. Text is stored as typed (NFC)."""

from __future__ import annotations

import re
import unicodedata

# Family-name particles that sorting skips ("van der Berg" files under B, as most boutiques expect).
PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "le", "la",
    "ten", "ter", "zu", "d'", "dos", "das", "y", "af", "al", "el",
}

# Scripts written family-name first without a space.
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def fold(text: str) -> str:
    """Case- and accent-insensitive form (ß -> ss, Ø -> o, Zoë -> zoe)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("ø", "o").replace("ł", "l").replace("đ", "d").replace("æ", "ae").replace("œ", "oe")


def is_east_asian(text: str) -> bool:
    return bool(_EAST_ASIAN.search(text))


def display_name(given: str, family: str, organisation: str = "") -> str:
    given, family = nfc(given), nfc(family)
    if not given and not family:
        return nfc(organisation) or "—"
    if is_east_asian(given + family):
        return f"{family}{given}"
    return " ".join(part for part in (given, family) if part)


def strip_particles(family: str) -> str:
    words = family.split()
    while len(words) > 1 and (words[0].casefold() in PARTICLES):
        words = words[1:]
    if words and words[0].casefold().startswith(("d'", "d’")) and len(words[0]) > 2:
        words[0] = words[0][2:]
    return " ".join(words)


def sort_key(given: str, family: str, organisation: str = "") -> str:
    family = nfc(family)
    primary = strip_particles(family) if family else (nfc(given) or nfc(organisation))
    secondary = nfc(given) if family else ""
    return f"{fold(primary)}\x1f{fold(secondary)}\x1f{fold(family)}"


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


PHONE_LIKE = re.compile(r"^\+?[\d\s\-./()]{2,}$")


def looks_like_phone(query: str) -> bool:
    return bool(PHONE_LIKE.match(query.strip())) and len(digits(query)) >= 2
