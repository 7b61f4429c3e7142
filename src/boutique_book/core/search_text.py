"""The other spellings under which staff look a name up, indexed beside the name as written (issue #19).

- Latin spellings of other scripts: Cyrillic, Greek, kana, Hangul, Han (anyascii: Unicode's romanisation
  tables, no dictionary, no network), with the common variants staff type ("Dmitry" beside "Dmitriy",
  Greek "ou" rather than anyascii's letter-by-letter "oy").
- Umlauts and other letters written out: "Müller" is also "Mueller", "Sørensen" also "Soerensen"; and the
  other way round, "Mueller" is also found by "müller" (folded "muller").
- Japanese readings: a reading in katakana is also indexed in hiragana and in romaji, and the other way round.

The tokenizer already folds case and accents ("zoe" finds "Zoë"), so only spellings it cannot reach are added.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii



def fold(text: str) -> str:
    """Case- and accent-insensitive, as the index tokenizer folds: accents go on Latin letters only (the
    voicing marks of kana are letters of their own: だ is not た)."""
    out = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(ch) and out and ord(out[-1]) < 0x0250:
            continue
        out.append(ch)
    folded = unicodedata.normalize("NFC", "".join(out))
    return folded.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d").replace(
        "æ", "ae").replace("œ", "oe")

_WRITTEN_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "oe", "å": "aa", "æ": "ae",
                              "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "Ø": "Oe", "Å": "Aa", "Æ": "Ae"})
_DIGRAPH_BACK = re.compile(r"(?<=[a-z])(ae|oe|ue)|^(ae|oe|ue)(?=[a-z])")
# Greek pairs that read as one sound (ELOT 743 / everyday Latin spellings of names).
_GREEK_PAIRS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("ηυ", "iv"), ("γγ", "ng"), ("γκ", "gk"))
_GREEK_SPOKEN = (("μπ", "b"), ("ντ", "d"), ("γκ", "g"))
# Cyrillic: anyascii writes й as "y" ("Dmitriy"); people also write "Dmitry", "Dmitrij"; кс -> x.
_CYRILLIC_VARIANTS = ((re.compile(r"iy\b"), "y"), (re.compile(r"iy\b"), "ij"), (re.compile(r"ks"), "x"),
                      (re.compile(r"kh"), "h"))
_KATAKANA = re.compile(r"[\u30a1-\u30f6]")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_HAN_HANGUL = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SCRIPT_RANGES = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
                            r"\u0590-\u06ff]")


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _greek(text: str) -> list[str]:
    lower = _strip_marks(text).lower()
    for pair, latin in _GREEK_PAIRS:
        lower = lower.replace(pair, latin)
    forms = [anyascii(lower)]
    spoken = lower
    for pair, latin in _GREEK_SPOKEN:
        spoken = spoken.replace(pair, latin)
    if spoken != lower:
        forms.append(anyascii(spoken))
    return forms


def _kana_swapped(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0x30A1 <= code <= 0x30F6:
            out.append(chr(code - 0x60))
        elif 0x3041 <= code <= 0x3096:
            out.append(chr(code + 0x60))
        else:
            out.append(ch)
    return "".join(out)


def spellings(text: str) -> list[str]:
    """Other ways of writing `text` (names, readings), not folded."""
    if not text:
        return []
    forms: list[str] = []
    if re.search(r"[\u0370-\u03ff\u1f00-\u1fff]", text):
        forms.extend(_greek(text))
    elif _SCRIPT_RANGES.search(text):
        if _KATAKANA.search(text) or _HIRAGANA.search(text):
            forms.append(_kana_swapped(text))
        # Han and Hangul: one syllable per character, as separate words ("王伟" -> "wang wei").
        spaced = _HAN_HANGUL.sub(lambda m: f" {anyascii(m.group(0))} ", text)
        latin = anyascii(spaced)
        forms.append(latin)
        if re.search(r"[\u0400-\u04ff]", text):
            low = latin.lower()
            forms.extend(pattern.sub(repl, low) for pattern, repl in _CYRILLIC_VARIANTS if pattern.search(low))
    written_out = text.translate(_WRITTEN_OUT)
    if written_out != text:
        forms.append(written_out)
    folded = text.casefold()
    if _DIGRAPH_BACK.search(folded):
        forms.append(_DIGRAPH_BACK.sub(lambda m: (m.group(1) or m.group(2))[0], folded))
    return forms


_WORD = re.compile(r"\w+", re.UNICODE)


def aliases(names: list[str]) -> str:
    """Folded words under which the names are also found, minus the words the names already give."""
    own = {word for name in names if name for word in _WORD.findall(fold(name))}
    extra: dict[str, None] = {}
    for name in names:
        for form in spellings(name or ""):
            for word in _WORD.findall(fold(form)):
                if word not in own:
                    extra.setdefault(word)
    return " ".join(extra)
