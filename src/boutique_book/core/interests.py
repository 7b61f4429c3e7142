"""Interests: a small shared vocabulary (with synonyms in the six languages), the interests a person holds,
and the staff member's own end of the connection (their interests, languages and what they are happy to share).

Rules kept here so the CLI and the window cannot differ:
- a person's interest is only ever added by staff (typed, or a suggestion staff confirmed: see
  core.interest_suggestions); nothing is pulled from outside the book;
- a staff member's profile is edited only by that staff member or by the manager;
- the vocabulary (new interests, new synonyms) is edited only by the manager.
Staff profiles stay inside the boutique: no HQ profile and no person export reads these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import changelog
from .errors import ValidationError
from .manager import require
from .model import utc_now
from .text import fold, nfc
from ..translation import _

LANGUAGES = ("en", "fr", "de", "it", "es", "ja")
MAX_TERM = 60
MAX_SHARES = 500


class InterestError(ValidationError):
    """A term outside the vocabulary, a profile edited by someone else...: input the person can correct."""

    def __init__(self, message, field="interests"):
        super().__init__(message, field)


@dataclass(frozen=True)
class Interest:
    id: int
    key: str
    label: str  # the preferred term in the asked language (English when it has none)


def folded_term(term: str) -> str:
    return " ".join(fold(nfc(term)).split())


def label(conn, interest_id: int, language: str = "en") -> str:
    row = conn.execute(
        "SELECT term FROM interest_terms WHERE interest_id=? "
        "ORDER BY (language=?) DESC, (language='en') DESC, preferred DESC, term LIMIT 1",
        (interest_id, language)).fetchone()
    return row[0] if row else ""


def _interests(conn, ids, language: str) -> list[Interest]:
    result = []
    for interest_id in ids:
        key = conn.execute("SELECT key FROM interests WHERE id=?", (interest_id,)).fetchone()
        if key:
            result.append(Interest(interest_id, key[0], label(conn, interest_id, language)))
    return sorted(result, key=lambda i: fold(i.label))


def vocabulary(vault, language: str = "en") -> list[tuple[Interest, list[str]]]:
    """Every interest with its terms in all languages (preferred first)."""
    conn = vault.conn
    out = []
    for interest in _interests(conn, [r[0] for r in conn.execute("SELECT id FROM interests")], language):
        terms = [r[0] for r in conn.execute(
            "SELECT term FROM interest_terms WHERE interest_id=? ORDER BY language, preferred DESC, term",
            (interest.id,))]
        out.append((interest, terms))
    return out


def resolve(conn, term: str) -> int | None:
    """The interest a term names, in any language (exact synonym, case and accents folded)."""
    folded = folded_term(term)
    if not folded:
        return None
    row = conn.execute("SELECT interest_id FROM interest_terms WHERE folded=? ORDER BY interest_id LIMIT 1",
                       (folded,)).fetchone()
    if row:
        return row[0]
    row = conn.execute("SELECT id FROM interests WHERE key=?", (folded.replace(" ", "_"),)).fetchone()
    return row[0] if row else None


def resolve_all(conn, terms) -> list[int]:
    ids, unknown = [], []
    for term in terms:
        term = term.strip()
        if not term:
            continue
        found = resolve(conn, term)
        if found is None:
            unknown.append(term)
        elif found not in ids:
            ids.append(found)
    if unknown:
        raise InterestError(
            "Not in the shared vocabulary: {terms}. The manager can add it (interests vocabulary --add).".format(
                terms=", ".join(unknown)))
    return ids


def add_to_vocabulary(vault, session, terms_by_language: dict[str, list[str]]) -> int:
    """Manager only: a new interest, or new synonyms for the interest one of the terms already names."""
    require(session, vault)
    cleaned = {lang: [nfc(t)[:MAX_TERM] for t in terms if nfc(t)] for lang, terms in terms_by_language.items()}
    cleaned = {lang: terms for lang, terms in cleaned.items() if terms}
    if not cleaned:
        raise ValidationError(_("Give at least one term."), field="terms")
    for lang in cleaned:
        if lang not in LANGUAGES:
            raise ValidationError(f"Terms are kept in the six languages of the app ({', '.join(LANGUAGES)}).",
                                  field="language")
    with vault.transaction() as conn:
        existing = [resolve(conn, t) for terms in cleaned.values() for t in terms]
        existing = sorted({e for e in existing if e is not None})
        if len(existing) > 1:
            raise InterestError("These terms already name different interests; add them one interest at a time.")
        if existing:
            interest_id = existing[0]
        else:
            first = next(iter(cleaned.get("en") or next(iter(cleaned.values()))))
            key = folded_term(first).replace(" ", "_")
            interest_id = conn.execute("INSERT INTO interests(key, created_at) VALUES (?,?)",
                                       (key, utc_now())).lastrowid
        for lang, terms in cleaned.items():
            has_preferred = conn.execute("SELECT 1 FROM interest_terms WHERE interest_id=? AND language=? "
                                         "AND preferred=1", (interest_id, lang)).fetchone()
            for position, term in enumerate(terms):
                conn.execute("INSERT OR IGNORE INTO interest_terms(interest_id, language, term, folded, preferred) "
                             "VALUES (?,?,?,?,?)",
                             (interest_id, lang, term, folded_term(term), int(not has_preferred and position == 0)))
        changelog.audit(conn, session.actor, "vocabulary_changed", interest=interest_id)
    return interest_id


# --- a person's interests -----------------------------------------------------------------------------------

def for_contact(vault, contact_id: int, language: str = "en") -> list[Interest]:
    conn = vault.conn
    return _interests(conn, [r[0] for r in conn.execute(
        "SELECT interest_id FROM contact_interests WHERE contact_id=?", (contact_id,))], language)


def add_to_contact(vault, contact_id: int, terms, by: int | None = None) -> list[int]:
    with vault.transaction() as conn:
        if not conn.execute("SELECT 1 FROM contacts WHERE id=?", (contact_id,)).fetchone():
            raise InterestError(f"There is no contact number {contact_id}.")
        ids = resolve_all(conn, terms)
        for interest_id in ids:
            conn.execute("INSERT OR IGNORE INTO contact_interests(contact_id, interest_id, added_at, added_by) "
                         "VALUES (?,?,?,?)", (contact_id, interest_id, utc_now(), by))
            conn.execute("DELETE FROM contact_interest_dismissed WHERE contact_id=? AND interest_id=?",
                         (contact_id, interest_id))
        if ids:
            changelog.record(conn, "contact", contact_id, "interests_added", by, str(len(ids)))
    return ids


def remove_from_contact(vault, contact_id: int, terms, by: int | None = None) -> None:
    with vault.transaction() as conn:
        ids = resolve_all(conn, terms)
        for interest_id in ids:
            conn.execute("DELETE FROM contact_interests WHERE contact_id=? AND interest_id=?",
                         (contact_id, interest_id))
        changelog.record(conn, "contact", contact_id, "interests_removed", by, str(len(ids)))


def update_contact(vault, contact_id: int, *, add=(), add_ids=(), remove_ids=(), dismiss_ids=(),
                   by: int | None = None) -> None:
    """One act on a person's interests (typed terms, confirmed suggestions, removals, dismissed suggestions),
    in one transaction: all of it is saved or none."""
    with vault.transaction() as conn:
        if not conn.execute("SELECT 1 FROM contacts WHERE id=?", (contact_id,)).fetchone():
            raise InterestError(f"There is no contact number {contact_id}.")
        added = resolve_all(conn, add) + [i for i in add_ids]
        for interest_id in added:
            conn.execute("INSERT OR IGNORE INTO contact_interests(contact_id, interest_id, added_at, added_by) "
                         "VALUES (?,?,?,?)", (contact_id, interest_id, utc_now(), by))
            conn.execute("DELETE FROM contact_interest_dismissed WHERE contact_id=? AND interest_id=?",
                         (contact_id, interest_id))
        for interest_id in remove_ids:
            conn.execute("DELETE FROM contact_interests WHERE contact_id=? AND interest_id=?",
                         (contact_id, interest_id))
        for interest_id in dismiss_ids:
            conn.execute("INSERT OR IGNORE INTO contact_interest_dismissed(contact_id, interest_id) VALUES (?,?)",
                         (contact_id, interest_id))
        changelog.record(conn, "contact", contact_id, "interests_changed", by,
                         f"+{len(added)} -{len(remove_ids)} ~{len(dismiss_ids)}")


def dismiss_suggestion(vault, contact_id: int, interest_id: int, by: int | None = None) -> None:
    with vault.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO contact_interest_dismissed(contact_id, interest_id) VALUES (?,?)",
                     (contact_id, interest_id))
        changelog.record(conn, "contact", contact_id, "interest_suggestion_dismissed", by)


# --- the staff member's end ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffProfile:
    staff_id: int
    name: str
    interests: list[Interest]
    languages: list[str]  # language codes
    shares: str  # a few things they are happy to tell (a hobby, a favourite place)


def _may_edit_staff(conn, staff_id: int, acting_staff_id: int | None, session) -> None:
    if session is not None:
        require(session)
        return
    if acting_staff_id != staff_id:
        raise InterestError("Only the staff member themselves or the manager can change a staff profile.")


def _staff_name(conn, staff_id: int) -> str:
    row = conn.execute("SELECT name FROM staff WHERE id=?", (staff_id,)).fetchone()
    if not row:
        raise InterestError("There is no such staff member.")
    return row[0]


def staff_profile(vault, staff_id: int, language: str = "en") -> StaffProfile:
    conn = vault.conn
    name = _staff_name(conn, staff_id)
    row = conn.execute("SELECT languages, shares FROM staff_profiles WHERE staff_id=?", (staff_id,)).fetchone()
    ids = [r[0] for r in conn.execute("SELECT interest_id FROM staff_interests WHERE staff_id=?", (staff_id,))]
    languages = [c for c in (row[0].split(",") if row else []) if c]
    return StaffProfile(staff_id, name, _interests(conn, ids, language), languages, row[1] if row else "")


def set_staff_profile(vault, staff_id: int, *, interests=None, languages=None, shares: str | None = None,
                      acting_staff_id: int | None = None, session=None) -> StaffProfile:
    """Replace the given parts of a staff profile. Only that staff member (acting_staff_id) or the manager
    (session) may do it."""
    with vault.transaction() as conn:
        _staff_name(conn, staff_id)
        _may_edit_staff(conn, staff_id, acting_staff_id, session)
        if interests is not None:
            ids = resolve_all(conn, interests)
            conn.execute("DELETE FROM staff_interests WHERE staff_id=?", (staff_id,))
            conn.executemany("INSERT INTO staff_interests(staff_id, interest_id) VALUES (?,?)",
                             [(staff_id, i) for i in ids])
        current = conn.execute("SELECT languages, shares FROM staff_profiles WHERE staff_id=?",
                               (staff_id,)).fetchone() or ("", "")
        new_languages = current[0]
        if languages is not None:
            codes = []
            for code in languages:
                code = code.strip().lower().replace("_", "-").split("-")[0]
                if code and code not in codes:
                    if not (2 <= len(code) <= 3 and code.isalpha()):
                        raise ValidationError(f"“{code}” is not a language code (e.g. fr, en, ja).", field="languages")
                    codes.append(code)
            new_languages = ",".join(codes)
        new_shares = current[1] if shares is None else nfc(shares)[:MAX_SHARES]
        conn.execute("INSERT OR REPLACE INTO staff_profiles(staff_id, languages, shares, updated_at) "
                     "VALUES (?,?,?,?)", (staff_id, new_languages, new_shares, utc_now()))
        changelog.record(conn, "staff", staff_id, "profile_changed", acting_staff_id)
    return staff_profile(vault, staff_id)


def erase_staff_profile(vault, session, staff_id: int) -> None:
    """Manager only: remove everything a staff member told about themselves (interests, languages, shares)
    and mark them inactive. Their name stays on the moments they signed (who wrote what is the book's record)."""
    require(session, vault)
    with vault.transaction() as conn:
        _staff_name(conn, staff_id)
        conn.execute("DELETE FROM staff_interests WHERE staff_id=?", (staff_id,))
        conn.execute("DELETE FROM staff_profiles WHERE staff_id=?", (staff_id,))
        conn.execute("UPDATE staff SET active=0 WHERE id=?", (staff_id,))
        changelog.audit(conn, session.actor, "staff_profile_erased", staff=staff_id)


def holders(conn, interest_ids) -> dict[int, int]:
    """How many people in the book hold each interest (index-only count per interest)."""
    ids = list(interest_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    counts = dict(conn.execute(f"SELECT interest_id, count(*) FROM contact_interests WHERE interest_id IN ({marks}) "
                               "GROUP BY interest_id", ids).fetchall())
    return {i: counts.get(i, 0) for i in ids}
