"""Full-text search over contacts and moments (FTS5 in the vault).

Why this shape: ranking every match of a one-letter prefix with bm25 costs tens of ms at 100k rows,
while an unranked MATCH with LIMIT costs a few. So results come in tiers, each an unranked MATCH
with a LIMIT, concatenated without duplicates:
  1. exact name words,  2. name prefixes,  3. other spellings of the names (aliases: Latin spellings
  of Cyrillic/Greek/kana/Han names, umlauts written out, readings; see core.search_text),
  4. other contact fields (emails, phones, tags),  5. words inside shared moments.
Within the first three tiers, a small candidate window is sorted by the contact's sort key. So a hit on
the name as written always comes before a hit on another spelling of it.
A phone-like query looks at the phone digits (full number, national, with 00 or (0), as typed), then at
the last digits of each number (`tails`: the last 4, 5, ... digits, matched whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anyascii import anyascii

from . import phones as phone_lib
from .search_text import aliases
from .text import digits, looks_like_phone

SORT_WINDOW = 300  # name hits sorted alphabetically inside this window; beyond it, index order


@dataclass
class SearchFilters:
    tier: str | None = None
    kind: str | None = None
    tag: str | None = None
    due_only: bool = False
    due_ids: set[int] | None = field(default=None, repr=False)

    def active(self) -> bool:
        return bool(self.tier or self.kind or self.tag or self.due_only)


# -- index maintenance (called inside the writer's transaction) ---------------------------------

def index_row(names: list[str], phones: list[tuple[str, str]], details: list[str], tags: list[str]
              ) -> tuple[str, str, str, str, str]:
    """The five contact_fts columns: names as written, their other spellings, details (emails, phone
    digits, city, postcode), phone tails, tags. phones: (e164, raw) pairs."""
    words = list(details)
    tails: dict[str, None] = {}
    for e164, raw in phones:
        words.extend(phone_lib.search_tokens(e164, raw))
        tails.update(dict.fromkeys(phone_lib.tail_tokens(e164, raw)))
    return (" ".join(n for n in names if n), aliases(names), " ".join(w for w in words if w), " ".join(tails),
            " ".join(tags))


def contact_index_text(conn, contact_id: int) -> tuple[str, str, str, str, str] | None:
    row = conn.execute(
        "SELECT given_name, family_name, organisation, transliteration, display_name FROM contacts WHERE id=?",
        (contact_id,),
    ).fetchone()
    if row is None:
        return None
    details = [address for (address,) in conn.execute(
        "SELECT address FROM contact_emails WHERE contact_id=?", (contact_id,))]
    phones = conn.execute("SELECT e164, raw FROM contact_phones WHERE contact_id=?", (contact_id,)).fetchall()
    for city, postal in conn.execute(
        "SELECT city, postal_code FROM contact_addresses WHERE contact_id=?", (contact_id,)
    ):
        details.extend([city, postal])
    tags = [name for (name,) in conn.execute(
        "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id=t.id WHERE ct.contact_id=?", (contact_id,)
    )]
    return index_row(list(row), phones, details, tags)


def reindex_contact(conn, contact_id: int) -> None:
    conn.execute("DELETE FROM contact_fts WHERE rowid=?", (contact_id,))
    text = contact_index_text(conn, contact_id)
    if text is not None:
        conn.execute("INSERT INTO contact_fts(rowid, names, aliases, details, tails, tags) VALUES (?,?,?,?,?,?)",
                     (contact_id, *text))


def index_moment(conn, moment_id: int, contact_id: int, text: str, item: str = "") -> None:
    conn.execute("DELETE FROM moment_fts WHERE rowid=?", (moment_id,))
    conn.execute(
        "INSERT INTO moment_fts(rowid, text, contact_id) VALUES (?,?,?)",
        (moment_id, f"{text} {item}".strip(), contact_id),
    )


def unindex_moment(conn, moment_id: int) -> None:
    conn.execute("DELETE FROM moment_fts WHERE rowid=?", (moment_id,))


def unindex_contact(conn, contact_id: int) -> None:
    conn.execute("DELETE FROM contact_fts WHERE rowid=?", (contact_id,))
    conn.execute("DELETE FROM moment_fts WHERE contact_id=?", (contact_id,))


def rebuild_index(conn, progress=None) -> None:
    """Rebuild both FTS tables from the tables (used by migrations, bulk loads and erasure)."""
    conn.execute("DELETE FROM contact_fts")
    conn.execute("DELETE FROM moment_fts")
    ids = [r[0] for r in conn.execute("SELECT id FROM contacts")]
    for n, contact_id in enumerate(ids):
        reindex_contact(conn, contact_id)
        if progress and n % 1000 == 0:
            progress(n, len(ids))
    conn.execute(
        "INSERT INTO moment_fts(rowid, text, contact_id) "
        "SELECT id, trim(text || ' ' || item), contact_id FROM moments"
    )


# -- queries ------------------------------------------------------------------------------------

def _terms(query: str) -> list[str]:
    """The query's words. A word with no letter or digit ("+", "(", "-") searches nothing: it is dropped, so
    a symbols-only query browses instead of finding nobody (and cannot block the longer query typed next)."""
    return [t.replace('"', '""') for t in query.split() if any(ch.isalnum() for ch in t)]


def build_match(query: str) -> dict[str, str] | None:
    """FTS5 match expressions for each result tier, or None when the query has no words."""
    if looks_like_phone(query):
        number = digits(query)
        match = {"details": f'details : "{number}"*'}
        if len(number) >= phone_lib.TAIL_MIN:
            match["tails"] = f'tails : "{number}"'
        return match
    terms = _terms(query)
    if not terms:
        return None
    exact = " AND ".join(f'"{t}"' for t in terms)
    prefix = " AND ".join(f'"{t}"*' for t in terms)
    spelled = f"{{names aliases}} : ({prefix})"
    latin = _terms(anyascii(query)) if not query.isascii() else []
    if latin and latin != terms:  # "Петров" typed for a name written "Petrov"
        spelled = f"({spelled}) OR {{names aliases}} : ({' AND '.join(f'{chr(34)}{t}{chr(34)}*' for t in latin)})"
    return {
        "exact": f"names : ({exact})",
        "prefix": f"names : ({prefix})",
        "aliases": spelled,
        "any": f"{{names aliases details tags}} : ({prefix})",
        "moments": prefix,
    }


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list]:
    if not filters or not filters.active():
        return "", []
    clauses, params = [], []
    if filters.tier:
        clauses.append("c.tier = ?")
        params.append(filters.tier)
    if filters.kind:
        clauses.append("c.kind = ?")
        params.append(filters.kind)
    if filters.tag:
        clauses.append(
            "EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id=ct.tag_id "
            "WHERE ct.contact_id=c.id AND t.name=?)"
        )
        params.append(filters.tag)
    if filters.due_only:
        ids = sorted(filters.due_ids or ())
        clauses.append(f"c.id IN ({','.join(str(int(i)) for i in ids) or 'NULL'})")
    return " AND ".join(clauses), params


def _tier_ids(conn, table: str, match: str, limit: int, filters, sort: bool) -> list[int]:
    where, params = _filter_sql(filters)
    id_col = "contact_id" if table == "moment_fts" else "rowid"
    sub = f"SELECT {id_col} FROM {table} WHERE {table} MATCH ?"
    if not where and not sort:
        if table == "moment_fts":
            rows = conn.execute(f"SELECT DISTINCT contact_id FROM ({sub} LIMIT ?)", (match, limit * 4)).fetchall()
            return [r[0] for r in rows][:limit]
        return [r[0] for r in conn.execute(f"{sub} LIMIT ?", (match, limit))]
    window = max(limit, SORT_WINDOW) if sort else limit
    order = " ORDER BY c.sort_key, c.id" if sort else ""
    sql = (
        f"SELECT c.id FROM contacts c WHERE c.id IN ({sub} LIMIT ?)"
        f"{' AND ' + where if where else ''}{order} LIMIT ?"
    )
    # With a filter, look further into the match list so that filtered hits are still found.
    scan = window if not where else window * 50
    return [r[0] for r in conn.execute(sql, (match, scan, *params, window))]


def search_ids(conn, query: str, limit: int = 100, offset: int = 0, filters: SearchFilters | None = None) -> list[int]:
    """Contact ids matching `query`, best first: the page [offset, offset+limit)."""
    match = build_match(query)
    if match is None:
        return browse_ids(conn, limit, offset, filters)
    wanted = offset + limit
    seen: dict[int, None] = {}
    plan = [("contact_fts", match.get("exact"), True), ("contact_fts", match.get("prefix"), True),
            ("contact_fts", match.get("aliases"), True),
            ("contact_fts", match.get("any") or match.get("details"), False),
            ("contact_fts", match.get("tails"), False),
            ("moment_fts", match.get("moments"), False)]
    for table, expression, sort in plan:
        if expression is None:
            continue
        for contact_id in _tier_ids(conn, table, expression, wanted - len(seen), filters, sort):
            seen.setdefault(contact_id)
        if len(seen) >= wanted:
            break
    return list(seen)[offset:offset + limit]


def browse_ids(conn, limit: int, offset: int = 0, filters: SearchFilters | None = None) -> list[int]:
    where, params = _filter_sql(filters)
    sql = f"SELECT c.id FROM contacts c{' WHERE ' + where if where else ''} ORDER BY c.sort_key, c.id LIMIT ? OFFSET ?"
    return [r[0] for r in conn.execute(sql, (*params, limit, offset))]


def count_all(conn, filters: SearchFilters | None = None) -> int:
    where, params = _filter_sql(filters)
    return conn.execute(f"SELECT count(*) FROM contacts c{' WHERE ' + where if where else ''}", params).fetchone()[0]


def summaries(conn, ids: list[int]) -> list:
    """ContactSummary rows for ids, in the order given."""
    from .model import ContactSummary

    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT c.id, c.display_name, c.tier, c.kind, "
        f"(SELECT address FROM contact_emails e WHERE e.contact_id=c.id ORDER BY position LIMIT 1) "
        f"FROM contacts c WHERE c.id IN ({marks})",
        ids,
    ).fetchall()
    by_id = {r[0]: ContactSummary(r[0], r[1], r[2], r[3], r[4] or "") for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def search(conn, query: str, limit: int = 50, offset: int = 0, filters: SearchFilters | None = None):
    return summaries(conn, search_ids(conn, query, limit, offset, filters))


def floor_ids(conn, query: str, limit: int) -> list[int]:
    """The benchmark's floor for the same work: one bare MATCH per index the app queries (the contact index,
    then the moments' when the page is not full), without the app's ranking tiers."""
    match = build_match(query)
    if match is None:
        return []
    seen: dict[int, None] = {}
    expression = match.get("any") or match["details"]
    for (contact_id,) in conn.execute("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? LIMIT ?",
                                      (expression, limit)):
        seen.setdefault(contact_id)
    if match.get("moments") and len(seen) < limit:
        for (contact_id,) in conn.execute("SELECT contact_id FROM moment_fts WHERE moment_fts MATCH ? LIMIT ?",
                                          (match["moments"], limit * 4)):
            seen.setdefault(contact_id)
    return list(seen)[:limit]


def bare_match_ids(conn, query: str, limit: int) -> list[int]:
    """The floor the benchmark compares against: one unranked MATCH returning ids."""
    match = build_match(query)
    if match is None:
        return []
    expression = match.get("any") or match["details"]
    return [r[0] for r in conn.execute("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? LIMIT ?",
                                        (expression, limit))]
