"""What each HQ export profile contains: the files, their columns, and the queries that fill them.

Every profile returns {file name: CSV text} plus counts. The column lists below ARE the contract: the
manager sees them (describe()) before anything is written, and the tests check that a bundle holds
exactly these files and columns.

- figures:       counts only, no row is about one person.
- pseudonymised: one row per contact keyed by a pseudonym = HMAC-SHA256(k, contact id). By default k is
                 a fresh random key for each export, so pseudonyms rotate and HQ cannot link two exports
                 row by row; only when the manager opts in is k = HMAC-SHA256(store secret, HQ public key),
                 stable for one store and one HQ key (the manifest says which). Rows are k-anonymised over
                 the quasi-identifiers (hq/anonymity.py: every combination shared by >= 5 rows, by
                 generalising then suppressing) and shuffled. No names, contact details, dates or notes.
- consenting:    contact details of the people whose current "share with HQ" consent is yes; moment texts
                 only when the manager ticks include_moments (the audit entry records that), with the names
                 of any contact of the book masked in them (those people did not consent).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass

from ..core.csv_cells import escape_cell
from ..core.jobs import check
from ..core.model import ConsentPurpose
from . import anonymity

PROFILES = ("figures", "pseudonymised", "consenting")

FIGURES_COLUMNS = ("measure", "value", "count")
PSEUDONYMISED_COLUMNS = ("pseudonym", "tier", "kind", "country", "language", "age_band", "first_met_source",
                         "moments", "followups")
CONTACT_COLUMNS = ("ref", "given_name", "family_name", "organisation", "title", "salutation", "kind", "tier",
                   "language", "country", "emails", "phones", "address", "birthday", "consent_recorded_at",
                   "consent_wording_version")
MOMENT_COLUMNS = ("ref", "occurred_on", "kind", "text", "item")


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    title: str
    summary: str
    files: dict  # file name -> columns


def describe(profile: str, include_moments: bool = False) -> ProfileInfo:
    """Exactly what a bundle of this profile will contain (shown to the manager before writing)."""
    if profile == "figures":
        return ProfileInfo(
            profile, "Figures",
            "Counts only, no personal data at all: contacts by tier, kind, language, first-met source and "
            "month created; follow-ups done, skipped, due today, overdue and upcoming; cards sent per "
            "season and how many were answered.",
            {"figures.csv": FIGURES_COLUMNS})
    if profile == "pseudonymised":
        return ProfileInfo(
            profile, "Pseudonymised",
            "One row per contact under a pseudonym that changes at every export (unless stable pseudonyms "
            "are chosen), in random order: tier, kind, country, language, age band, first-met source, number "
            "of moments and of follow-ups in bands (the lowest number of the band: moments 0, 1, 3, 10, 30; "
            "follow-ups 0, 1, 3). Every combination of these is shared by at least 5 people: rare "
            "values are generalised (country to region, rare sources to other) and what still stands alone "
            "is left out. No names, contact details, dates or notes.",
            {"contacts.csv": PSEUDONYMISED_COLUMNS})
    if profile == "consenting":
        files = {"contacts.csv": CONTACT_COLUMNS}
        summary = ("Full contact details (names, e-mails, phones, first address, birthday, tier, kind, "
                   "language, country) of the contacts whose current consent covers sharing with HQ, with "
                   "when that consent was recorded. ")
        if include_moments:
            files["moments.csv"] = MOMENT_COLUMNS
            summary += ("Their shared moments' texts ARE included (this is recorded in the audit log); names of "
                        "people of the book mentioned in them are masked.")
        else:
            summary += "No moment texts."
        return ProfileInfo(profile, "Consenting customers", summary, files)
    raise ValueError(f"unknown profile {profile!r}")


def _csv(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    # HQ opens these in a spreadsheet: inert cells (core.csv_cells); hq-open's JSON gives the exact values.
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


# -- figures --------------------------------------------------------------------------------------

def figures(conn, today: dt.date | None = None, cancelled=None) -> tuple[dict, dict]:
    today = today or dt.date.today()
    rows = []
    total = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    rows.append(("contacts", "all", total))
    for measure, expr in (("tier", "tier"), ("kind", "kind"), ("language", "language"),
                          ("first_met_source", "first_met_source"), ("created_month", "substr(created_at, 1, 7)")):
        check(cancelled)
        for value, count in conn.execute(f"SELECT {expr}, count(*) FROM contacts GROUP BY 1 ORDER BY 1"):
            rows.append((measure, value or "unknown", count))
    for status, count in conn.execute("SELECT status, count(*) FROM followup_events GROUP BY 1 ORDER BY 1"):
        rows.append(("followups_handled", status, count))
    # One-off follow-ups not handled yet: due today, overdue or upcoming. Recurring ones are counted as such.
    open_once = conn.execute(
        "SELECT f.start_date FROM followups f WHERE f.active=1 AND json_extract(f.rule, '$.type')='once' "
        "AND NOT EXISTS (SELECT 1 FROM followup_events e WHERE e.followup_id=f.id "
        "AND e.status IN ('done', 'skipped'))").fetchall()
    iso = today.isoformat()
    rows.append(("followups_open", "overdue", sum(1 for (d,) in open_once if d < iso)))
    rows.append(("followups_open", "due_today", sum(1 for (d,) in open_once if d == iso)))
    rows.append(("followups_open", "upcoming", sum(1 for (d,) in open_once if d > iso)))
    recurring = conn.execute(
        "SELECT count(*) FROM followups WHERE active=1 AND json_extract(rule, '$.type')<>'once'").fetchone()[0]
    rows.append(("followups_open", "recurring", recurring))
    # Card seasons: cards sent per season and year, and how many of those people sent one back.
    check(cancelled)
    for season, year, sent, answered in conn.execute(
            "SELECT s.season, s.season_year, count(*), "
            "sum(EXISTS (SELECT 1 FROM moments r WHERE r.contact_id=s.contact_id AND r.kind='card_received' "
            "AND r.season=s.season AND r.season_year=s.season_year)) "
            "FROM (SELECT DISTINCT contact_id, season, season_year FROM moments WHERE kind='card_sent' "
            "AND season<>'' AND season_year IS NOT NULL) s GROUP BY 1, 2 ORDER BY 2, 1"):
        rows.append(("cards_sent", f"{season} {year}", sent))
        rows.append(("cards_answered", f"{season} {year}", answered or 0))
    return {"figures.csv": _csv(FIGURES_COLUMNS, rows)}, {"contacts": total, "rows": len(rows)}


# -- pseudonymised --------------------------------------------------------------------------------

def pseudonym_key(store_secret: bytes, hq_public_key: str) -> bytes:
    return hmac.new(store_secret, b"boutique-book/hq-pseudonym/v1\x00" + hq_public_key.encode("ascii"),
                    hashlib.sha256).digest()


def pseudonym(key: bytes, contact_id: int) -> str:
    return hmac.new(key, str(int(contact_id)).encode("ascii"), hashlib.sha256).hexdigest()[:32]


def age_band(birthday: str | None, today: dt.date) -> str:
    """'30-39' from a birthday with a year; '' when unknown. Ten-year bands, '80+' at the top."""
    if not birthday or birthday.startswith("--"):
        return ""
    try:
        born = dt.date.fromisoformat(birthday)
    except ValueError:
        return ""
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < 0:
        return ""
    if age < 20:
        return "<20"
    if age >= 80:
        return "80+"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def pseudonymised(conn, key: bytes, today: dt.date | None = None, progress=None, cancelled=None,
                  k: int = anonymity.K) -> tuple[dict, dict, dict]:
    """One row per contact, k-anonymised (hq/anonymity.py) and shuffled. Returns (files, counts, anonymity
    manifest). `key` is the pseudonym key: a fresh random one per export unless the manager opted in to
    stable pseudonyms (export.build decides)."""
    today = today or dt.date.today()
    total = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    cursor = conn.execute(
        "SELECT c.id, c.tier, c.kind, c.country, c.language, "
        "(SELECT value FROM contact_dates d WHERE d.contact_id=c.id AND d.kind='birthday' ORDER BY d.id LIMIT 1), "
        "c.first_met_source, coalesce(m.n, 0), coalesce(f.n, 0) FROM contacts c "
        "LEFT JOIN (SELECT contact_id, count(*) AS n FROM moments GROUP BY contact_id) m ON m.contact_id=c.id "
        "LEFT JOIN (SELECT contact_id, count(*) AS n FROM followups GROUP BY contact_id) f ON f.contact_id=c.id")
    done = 0
    bands: dict[str, str] = {}
    rows = []
    while True:
        batch = cursor.fetchmany(5000)
        if not batch:
            break
        check(cancelled)
        for cid, tier, kind, country, language, birthday, source, n_moments, n_followups in batch:
            band = bands.get(birthday)
            if band is None:
                band = bands[birthday] = age_band(birthday, today)
            # Quasi-identifiers first (anonymity.QUASI_IDENTIFIERS order), then what rides along.
            rows.append((tier, kind, country, language, band, source,
                         anonymity.count_band(n_moments, anonymity.MOMENT_BANDS),
                         anonymity.count_band(n_followups, anonymity.FOLLOWUP_BANDS), pseudonym(key, cid)))
        done += len(batch)
        if progress:
            progress(done, total)
    check(cancelled)
    result = anonymity.anonymise(rows, k, with_counts=True)
    out_rows = [(r[8], *r[:8]) for r in result.rows]
    # No order that could follow the contact numbers (or anything else HQ could line up with the book).
    secrets.SystemRandom().shuffle(out_rows)
    counts = {"contacts": len(out_rows), "suppressed": result.suppressed}
    return {"contacts.csv": _csv(PSEUDONYMISED_COLUMNS, out_rows)}, counts, result.manifest()


# -- consenting -----------------------------------------------------------------------------------

def consenting_ids(conn) -> list[tuple[int, str, str]]:
    """(contact id, recorded_at, wording version) of contacts whose newest share_hq consent is yes."""
    return conn.execute(
        "SELECT c.contact_id, c.recorded_at, c.wording_version FROM consents c "
        "JOIN (SELECT contact_id, max(id) AS last FROM consents WHERE purpose=? GROUP BY contact_id) n "
        "ON n.last = c.id WHERE c.granted=1 ORDER BY c.contact_id", (ConsentPurpose.SHARE_HQ.value,)).fetchall()


NAME_MASK = "[name]"
_WORD = re.compile(r"\w+")


def _is_cjk(token: str) -> bool:
    return any(ord(ch) >= 0x2E80 for ch in token)


def name_tokens(conn) -> tuple[frozenset, frozenset]:
    """(word tokens, CJK tokens) of every contact's given name, family name and transliteration, folded.
    The book knows its contacts' names; these are what a moment text must not carry out of the store."""
    words, cjk = set(), set()
    for row in conn.execute("SELECT given_name, family_name, transliteration FROM contacts"):
        for part in row:
            for token in _WORD.findall(part or ""):
                token = token.casefold()
                if _is_cjk(token):
                    cjk.add(token)
                elif len(token) >= 2 and not token.isdigit():
                    words.add(token)
    return frozenset(words), frozenset(cjk)


def mask_names(text: str, names: tuple[frozenset, frozenset]) -> tuple[str, int]:
    """Replace every word that is a contact's name by NAME_MASK (CJK runs, written without spaces, are
    searched for names of up to 4 characters). Over-masking a common word that is also a name is the price
    of never letting a name through. Returns (masked text, number of names masked)."""
    words, cjk = names
    masked = 0

    def word(match):
        nonlocal masked
        token = match.group(0)
        folded = token.casefold()
        if folded in words:
            masked += 1
            return NAME_MASK
        if cjk and _is_cjk(token):
            out, i = [], 0
            while i < len(token):
                for size in (4, 3, 2, 1):
                    if token[i:i + size].casefold() in cjk:
                        out.append(NAME_MASK)
                        masked += 1
                        i += size
                        break
                else:
                    out.append(token[i])
                    i += 1
            return "".join(out)
        return token

    result = _WORD.sub(word, text or "")
    return result, masked


def consenting(conn, include_moments: bool = False, progress=None, cancelled=None) -> tuple[dict, dict]:
    people = consenting_ids(conn)
    contact_rows, moment_rows = [], []
    names = name_tokens(conn) if include_moments else None
    masked = 0
    for n, (cid, consent_at, wording) in enumerate(people):
        if n % 500 == 0:
            check(cancelled)
            if progress:
                progress(n, len(people))
        row = conn.execute(
            "SELECT given_name, family_name, organisation, title, salutation, kind, tier, language, country "
            "FROM contacts WHERE id=?", (cid,)).fetchone()
        emails = "; ".join(r[0] for r in conn.execute(
            "SELECT address FROM contact_emails WHERE contact_id=? ORDER BY position, id", (cid,)))
        phones = "; ".join(r[0] or r[1] for r in conn.execute(
            "SELECT e164, raw FROM contact_phones WHERE contact_id=? ORDER BY position, id", (cid,)))
        address = conn.execute(
            "SELECT street, postal_code, city, region, country_code FROM contact_addresses WHERE contact_id=? "
            "ORDER BY position, id LIMIT 1", (cid,)).fetchone()
        birthday = conn.execute(
            "SELECT value FROM contact_dates WHERE contact_id=? AND kind='birthday' ORDER BY id LIMIT 1",
            (cid,)).fetchone()
        ref = f"c{cid}"
        contact_rows.append((ref, *row, emails, phones, ", ".join(p for p in (address or ()) if p),
                             birthday[0] if birthday else "", consent_at, wording))
        if include_moments:
            for occurred_on, kind, text, item in conn.execute(
                    "SELECT occurred_on, kind, text, item FROM moments WHERE contact_id=? ORDER BY occurred_on, id",
                    (cid,)):
                text, n_text = mask_names(text, names)
                item, n_item = mask_names(item, names)
                masked += n_text + n_item
                moment_rows.append((ref, occurred_on, kind, text, item))
    files = {"contacts.csv": _csv(CONTACT_COLUMNS, contact_rows)}
    counts = {"contacts": len(contact_rows)}
    if include_moments:
        files["moments.csv"] = _csv(MOMENT_COLUMNS, moment_rows)
        counts["moments"] = len(moment_rows)
        counts["names_masked"] = masked
    return files, counts
