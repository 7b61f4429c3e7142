"""Search reach (issue #19): contact_fts gains `aliases` (other spellings of the names: Latin spellings of
Cyrillic, Greek, kana, Hangul and Han names, umlauts written out, kana readings swapped, via anyascii) and
`tails` (the last 4+ digits of each phone); `details` gains the 00 and (0) forms of each number.

Frozen: the table and the text indexed for each contact are built by this file alone (anyascii and
phonenumbers are libraries, not this program's code). Later changes to how contacts are indexed go
into a new migration, never into this one; core.search keeps the index in sync from then on.
"""

from __future__ import annotations

import re
import unicodedata

SQL = """
DROP TABLE IF EXISTS contact_fts;
CREATE VIRTUAL TABLE contact_fts USING fts5(
    names, aliases, details, tails, tags,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3'
);
"""


# -- the text indexed per contact, as of this migration -------------------------------------------

def _digits(text):
    return "".join(ch for ch in text if ch.isdigit())


_EXTENSION = re.compile(
    r"\s*(?:;\s*ext=|,?\s*(?:ext\.?|extension|x|poste|durchwahl|dw\.?|int\.?|interno|内線)\s*[:.]?\s*|#)(\d{1,7})\s*$",
    re.IGNORECASE)


def _number_part(raw):
    match = _EXTENSION.search(raw or "")
    if not match or len(_digits(raw[:match.start()])) < 3:
        return raw or ""
    return raw[:match.start()]


def _phone_tokens(e164, raw):
    import phonenumbers

    tokens = {_digits(_number_part(raw))}
    if e164:
        international = _digits(e164)
        tokens.update((international, "00" + international))
        try:
            number = phonenumbers.parse(e164, None)
            national = str(number.national_number)
            tokens.update((national, f"{number.country_code}0{national}"))
            tokens.add(_digits(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)))
        except phonenumbers.NumberParseException:
            pass
    return sorted(t for t in tokens if t)


def _tails(e164, raw):
    number = _digits(e164) if e164 else _digits(_number_part(raw))
    return [number[-n:] for n in range(4, len(number))]


def _fold(text):
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
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_PAIRS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("ηυ", "iv"), ("γγ", "ng"), ("γκ", "gk"))
_GREEK_SPOKEN = (("μπ", "b"), ("ντ", "d"), ("γκ", "g"))
_CYRILLIC_VARIANTS = ((re.compile(r"iy\b"), "y"), (re.compile(r"iy\b"), "ij"), (re.compile(r"ks"), "x"),
                      (re.compile(r"kh"), "h"))
_KANA = re.compile(r"[\u30a1-\u30f6\u3041-\u3096]")
_HAN_HANGUL = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SCRIPTS = re.compile(r"[\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0590-\u06ff]")
_WORD = re.compile(r"\w+", re.UNICODE)


def _spellings(text):
    from anyascii import anyascii

    if not text:
        return []
    forms = []
    if _GREEK.search(text):
        lower = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)).lower()
        for pair, latin in _GREEK_PAIRS:
            lower = lower.replace(pair, latin)
        forms.append(anyascii(lower))
        spoken = lower
        for pair, latin in _GREEK_SPOKEN:
            spoken = spoken.replace(pair, latin)
        if spoken != lower:
            forms.append(anyascii(spoken))
    elif _SCRIPTS.search(text):
        if _KANA.search(text):
            forms.append("".join(chr(ord(ch) - 0x60) if 0x30A1 <= ord(ch) <= 0x30F6 else
                                 chr(ord(ch) + 0x60) if 0x3041 <= ord(ch) <= 0x3096 else ch for ch in text))
        latin = anyascii(_HAN_HANGUL.sub(lambda m: f" {anyascii(m.group(0))} ", text))
        forms.append(latin)
        if re.search(r"[\u0400-\u04ff]", text):
            low = latin.lower()
            forms.extend(pattern.sub(repl, low) for pattern, repl in _CYRILLIC_VARIANTS if pattern.search(low))
    written_out = text.translate(_WRITTEN_OUT)
    if written_out != text:
        forms.append(written_out)
    lowered = text.casefold()
    if _DIGRAPH_BACK.search(lowered):
        forms.append(_DIGRAPH_BACK.sub(lambda m: (m.group(1) or m.group(2))[0], lowered))
    return forms


def _aliases(names):
    own = {word for name in names if name for word in _WORD.findall(_fold(name))}
    extra = {}
    for name in names:
        for form in _spellings(name or ""):
            for word in _WORD.findall(_fold(form)):
                if word not in own:
                    extra.setdefault(word)
    return " ".join(extra)


def upgrade(conn):
    emails, phones, places, tags = {}, {}, {}, {}
    for cid, address in conn.execute("SELECT contact_id, address FROM contact_emails"):
        emails.setdefault(cid, []).append(address)
    for cid, e164, raw in conn.execute("SELECT contact_id, e164, raw FROM contact_phones"):
        phones.setdefault(cid, []).append((e164, raw))
    for cid, city, postal in conn.execute("SELECT contact_id, city, postal_code FROM contact_addresses"):
        places.setdefault(cid, []).extend((city, postal))
    for cid, name in conn.execute(
            "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id=ct.tag_id"):
        tags.setdefault(cid, []).append(name)
    rows = []
    for cid, *names in conn.execute(
            "SELECT id, given_name, family_name, organisation, transliteration, display_name FROM contacts"):
        words = list(emails.get(cid, []))
        tails = {}
        for e164, raw in phones.get(cid, []):
            words.extend(_phone_tokens(e164, raw))
            tails.update(dict.fromkeys(_tails(e164, raw)))
        words.extend(places.get(cid, []))
        rows.append((cid, " ".join(n for n in names if n), _aliases(names), " ".join(w for w in words if w),
                     " ".join(tails), " ".join(tags.get(cid, []))))
        if len(rows) >= 2000:
            conn.executemany("INSERT INTO contact_fts(rowid, names, aliases, details, tails, tags) "
                             "VALUES (?,?,?,?,?,?)", rows)
            rows = []
    conn.executemany("INSERT INTO contact_fts(rowid, names, aliases, details, tails, tags) VALUES (?,?,?,?,?,?)",
                     rows)
