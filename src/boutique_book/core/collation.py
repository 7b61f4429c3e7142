"""Sorting names the way people of a language expect, without ICU (a sort key, not a full UCA).

    sorted(names, key=collation_key("de"))

Rules (primary level = the letter, then accents break ties, then case):
- en, fr, it, de, and every language not listed below: accents and umlauts sort with their base letter
  ("Ö" with "O": DIN 5007-1, the dictionary order German phone books and lists use; "É" with "E"),
  ß = ss, æ = ae, œ = oe, ø = o, ł = l, đ = d, þ = th. Case and accents only decide between otherwise equal
  names ("Muller" < "Müller" < "MULLER"-like ties).
- es: ñ is its own letter between n and o ("Nuñez" after "Nuno..."); ch and ll are not separate letters
  (the RAE abolished that in 1994).
- sv, fi: å, ä, ö after z (in that order); ü sorts as y; da, nb, nn, no: æ, ø, å after z.
- ja: full-width Latin is folded to ASCII and katakana to hiragana, so "ｻﾄｳ", "サトウ" and "さとう" sort
  together; kanji sort by code point (their reading is not known to the app — the transliteration field
  is the better key for kanji names).
Spaces, hyphens and apostrophes are ignored at the primary level ("Le Blanc" with "Leblanc").
"""

from __future__ import annotations

import unicodedata
from typing import Callable

_EXPANSIONS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "ð": "d", "ı": "i"}
_IGNORED = set(" -‐‑‒–—'’‘.·,")
# Letters placed after z: mapped to private code points above "z" so they sort after it, in this order.
_AFTER_Z = {
    "sv": ("å", "ä", "ö"), "fi": ("å", "ä", "ö"),
    "da": ("æ", "ø", "å"), "nb": ("æ", "ø", "å"), "nn": ("æ", "ø", "å"), "no": ("æ", "ø", "å"),
}
_TAIL = "\U000F0000"  # first code point of a private-use plane: beyond every letter we compare


def _language(code: str | None) -> str:
    return (code or "en").replace("-", "_").split("_")[0].lower()


def _primary_char(ch: str, language: str) -> str:
    """The primary weight of one (lower-case, NFC) character."""
    after = _AFTER_Z.get(language)
    if after and ch in after:
        return chr(ord(_TAIL) + after.index(ch))
    if language in ("sv", "fi") and ch == "ü":
        return "y"
    if language in ("da", "nb", "nn", "no") and ch in ("ä", "ö"):
        return chr(ord(_TAIL) + (0 if ch == "ä" else 1))  # ä with æ, ö with ø
    if language == "es" and ch == "ñ":
        return "n" + _TAIL  # after every n..., before o
    if ch in _EXPANSIONS:
        return _EXPANSIONS[ch]
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base


def _kana_fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width Latin -> ASCII, half-width kana -> full-width
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def sort_key(text: str, language: str | None = "en") -> tuple:
    """(primary, secondary, tertiary): letters, then accents, then case."""
    language = _language(language)
    text = unicodedata.normalize("NFC", text or "")
    if language == "ja":
        text = _kana_fold(text)
    folded = text.casefold() if language != "ja" else text.lower()
    primary = "".join(_primary_char(ch, language) for ch in folded if ch not in _IGNORED)
    secondary = unicodedata.normalize("NFD", text.lower())  # lower(), not casefold(): ß stays after ss
    tertiary = tuple(not ch.islower() for ch in text)  # lower case first, as in most dictionaries
    return primary, secondary, tertiary


def collation_key(language: str | None = None) -> Callable[[str], tuple]:
    """A key function for sorted(); language defaults to the interface language."""
    if language is None:
        from ..i18n import current_language

        language = current_language()
    return lambda text: sort_key(text, language)


def sort_names(names, language: str | None = None) -> list[str]:
    return sorted(names, key=collation_key(language))


def register_sqlite_collation(conn, language: str | None = None, name: str = "BB_LOCALE") -> None:
    """`... ORDER BY display_name COLLATE BB_LOCALE` on this connection, in `language`'s order."""
    key = collation_key(language)

    def compare(a: str, b: str) -> int:
        ka, kb = key(a or ""), key(b or "")
        return (ka > kb) - (ka < kb)

    conn.create_collation(name, compare)
