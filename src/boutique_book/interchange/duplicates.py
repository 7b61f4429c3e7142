"""Likely duplicates: the same normalised phone (E.164) or email, or similar names.

Names are compared accent- and case-insensitively with rapidfuzz's token_sort_ratio, so
"Zoë Martin" / "MARTIN Zoe" (given and family swapped) match. To scale, names are never compared
all against all: each contact goes into two blocks, keyed by the sorted first three letters and the
sorted last three letters of its name words (a typo at either end still shares one block), and only
pairs inside a block are scored (rapidfuzz.process.extract of each name against the names after it, in C;
no numpy, which the frozen app leaves out). Blocks larger than BLOCK_CAP are
split by their full folded name. A name carried by more than COMMON_NAME contacts is not used as evidence
(in a book of 100,000 there are many different Jean Martins); those are matched by phone and email only.
Pairs dismissed as "not the same person" are left out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..core import changelog
from ..core.jobs import check
from ..core.model import utc_now
from ..core.text import fold
from ..i18n import _

NAME_THRESHOLD = 88
BLOCK_CAP = 2000
# A folded name carried by more contacts than this (a very common name in a large book) is no evidence
# that two of them are the same person: those contacts are matched by phone and email only.
COMMON_NAME = 12


@dataclass
class DuplicatePair:
    a: int
    b: int
    score: int
    reasons: list[str] = field(default_factory=list)
    names: tuple[str, str] = ("", "")


def _name_text(given: str, family: str, organisation: str) -> str:
    text = f"{given} {family}" if (given or family) else organisation
    return " ".join(fold(text).replace("-", " ").replace(".", " ").split())


def _blocks(names: dict[int, str]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = {}
    for cid, text in names.items():
        words = [w for w in text.split() if len(w) >= 2] or text.split()
        if not words:
            continue
        head = "h:" + " ".join(sorted(w[:3] for w in words))
        tail = "t:" + " ".join(sorted(w[-3:] for w in words))
        blocks.setdefault(head, []).append(cid)
        blocks.setdefault(tail, []).append(cid)
    return blocks


def find_duplicates(vault, threshold: int = NAME_THRESHOLD, progress=None, cancelled=None,
                    contact_ids=None) -> list[DuplicatePair]:
    """Candidate pairs, most likely first. contact_ids limits the search to pairs touching those ids."""
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    focus = set(contact_ids) if contact_ids is not None else None

    def add(a, b, score, reason):
        if a == b:
            return
        if focus is not None and a not in focus and b not in focus:
            return
        key = (min(a, b), max(a, b))
        pair = pairs.setdefault(key, DuplicatePair(key[0], key[1], 0))
        pair.score = max(pair.score, score)
        if reason not in pair.reasons:
            pair.reasons.append(reason)

    for value, ids in _groups(vault, "SELECT e164, group_concat(DISTINCT contact_id) FROM contact_phones "
                                     "WHERE e164<>'' GROUP BY e164 HAVING count(DISTINCT contact_id) > 1"):
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                add(a, b, 100, _("same phone {number}").format(number=value))
    for value, ids in _groups(vault, "SELECT lower(address), group_concat(DISTINCT contact_id) FROM contact_emails "
                                     "GROUP BY lower(address) HAVING count(DISTINCT contact_id) > 1"):
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                add(a, b, 100, _("same email {address}").format(address=value))
    check(cancelled)

    names = {cid: _name_text(g, f, o) for cid, g, f, o in
             vault.query("SELECT id, given_name, family_name, organisation FROM contacts")}
    carried = Counter(" ".join(sorted(text.split())) for text in names.values())
    names = {cid: text for cid, text in names.items() if carried[" ".join(sorted(text.split()))] <= COMMON_NAME}
    blocks = list(_blocks(names).values())
    for n, ids in enumerate(blocks):
        if len(ids) < 2:
            continue
        if n % 500 == 0:
            check(cancelled)
            if progress:
                progress(n, len(blocks))
        chunks = [ids] if len(ids) <= BLOCK_CAP else list(_split_by_name(ids, names))
        for chunk in chunks:
            if len(chunk) < 2:
                continue
            texts = [names[i] for i in chunk]
            for i, text in enumerate(texts[:-1]):
                for _match, score, j in process.extract(text, texts[i + 1:], scorer=fuzz.token_sort_ratio,
                                                         score_cutoff=threshold, limit=None):
                    add(chunk[i], chunk[i + 1 + j], int(score), _("similar names ({score}%)").format(score=int(score)))
    dismissed = set(vault.query("SELECT a, b FROM duplicate_dismissals"))
    result = [p for key, p in pairs.items() if key not in dismissed]
    shown = {r[0]: r[1] for r in vault.query("SELECT id, display_name FROM contacts")} if result else {}
    for pair in result:
        pair.names = (shown.get(pair.a, ""), shown.get(pair.b, ""))
    result.sort(key=lambda p: (-p.score, -len(p.reasons), p.a, p.b))
    if progress:
        progress(len(blocks), len(blocks))
    return result


def _groups(vault, sql):
    for value, ids in vault.query(sql):
        yield value, sorted({int(x) for x in str(ids).split(",")})


def _split_by_name(ids, names):
    groups: dict[str, list[int]] = {}
    for cid in ids:
        groups.setdefault(" ".join(sorted(names[cid].split())), []).append(cid)
    return groups.values()


def dismiss(vault, a: int, b: int, by: int | None = None) -> None:
    """Mark a pair as two different people: it no longer shows in the duplicates list."""
    a, b = min(a, b), max(a, b)
    with vault.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO duplicate_dismissals(a, b, dismissed_at, dismissed_by) VALUES (?,?,?,?)",
                     (a, b, utc_now(), by))
        changelog.record(conn, "contact", a, "not_duplicate", by, f"other={b}")
