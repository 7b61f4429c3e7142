"""Erasure reaches every table, as an attacker holding the counter passphrase would look (issue #18,
problem 4, audited again in session 4): after `erase`, the decrypted vault -- every table through SQL
(the audit log, FTS shadow tables, list_rows/list_names of m0160, moment_overflow of m0140, the interest
tables of m0080, the change log) and every page of the file and its -wal, live or free -- holds neither the
person's name, its transliteration, e-mail, phone number, nor their moment texts.

The person is given everything the book can hold about someone since session 2: a Cyrillic name (its
Latin spelling goes into the search index), interests and a dismissed suggestion, a moment moved to
moment_overflow, a follow-up, links both ways, a referral, consents and a withdrawal, edits (change log),
an import from a file named after them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from boutique_book.core import (contacts, followups, interest_suggestions, interests, links, moments, privacy,
                                search)
from boutique_book.core.model import Contact, Email, Moment, Phone
from hq_fixtures import session  # noqa: F401  (fixture)
from pages import decrypted_pages, vault_key

GIVEN, FAMILY = "Фёкла", "Зябликова"
EMAIL = "fyokla.zyab@erase-me.example"
PHONE = "+33 6 41 52 63 74"
MOMENT = "Gnomonique zebrulette for her sister"
OVERFLOW = "Pterodactylous overflowing letter"
# What must be gone, lower-cased bytes: names (and their search spellings), e-mail, the phone in every
# form it is stored or indexed in (raw, E.164, national digits), moment words.
NEEDLES = [GIVEN, FAMILY, "fyokla", "zyablikova", EMAIL, "erase-me", PHONE, "641526374", "41 52 63 74",
           "gnomonique", "zebrulette", "pterodactylous"]


def _needles():
    return [n.lower().encode() for n in NEEDLES]


def _tables_dump(vault) -> tuple[bytes, list[str]]:
    conn = vault.connect()
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = []
        for table in tables:
            if table.endswith("_fts"):
                continue  # virtual tables: their content is in the shadow tables dumped here
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                out.extend(v if isinstance(v, bytes) else str(v).encode() for v in row)
        return b"\n".join(out).lower(), tables
    finally:
        conn.close()


def _found(blob: bytes) -> list[bytes]:
    return [n for n in _needles() if n in blob]


@pytest.fixture
def everything(vault, staff_id, tmp_path):
    from boutique_book.core import demo
    from boutique_book.interchange.importer import import_files

    demo.generate(vault, 30, seed=11, moments_per_contact=1)
    card = tmp_path / f"{GIVEN} {FAMILY}.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{FAMILY};{GIVEN};;;\r\nFN:{GIVEN} {FAMILY}\r\n"
                    f"EMAIL:{EMAIL}\r\nTEL:{PHONE}\r\nEND:VCARD\r\n", encoding="utf-8")
    _plan, report = import_files(vault, [card], by=staff_id)
    [cid] = report.created
    person = contacts.get(vault, cid)
    person.language, person.country = "ru", "FR"
    contacts.update(vault, person, by=staff_id)                       # change log
    contacts.set_tier(vault, cid, "friends", by=staff_id, reason="Loyal")
    contacts.record_consent(vault, cid, "share_hq", True, by=staff_id)
    privacy.withdraw_consent(vault, cid, "share_hq", by=staff_id)
    moment_id = moments.add(vault, Moment(cid, MOMENT + ", she loves sailing", dt.date(2024, 3, 2)), by=staff_id)
    with vault.transaction() as conn:  # a text moved out of the row by m0140 (an old import's long note)
        conn.execute("INSERT INTO moment_overflow(moment_id, contact_id, text, moved_at) VALUES (?,?,?,?)",
                     (moment_id, cid, OVERFLOW + " " + MOMENT, "2024-03-02T10:00:00Z"))
    interests.add_to_contact(vault, cid, ["opera"], by=staff_id)
    suggested = interest_suggestions.suggest(vault, cid)  # "sailing" in the moment
    assert suggested
    interests.dismiss_suggestion(vault, cid, suggested[0].interest_id, by=staff_id)
    followups.add(vault, cid, dt.date.today(), reason="Call back", by=staff_id)
    links.add(vault, cid, 3, "friend", by=staff_id)
    links.add(vault, 4, cid, "referred_by", by=staff_id)
    other = contacts.get(vault, 5)
    other.first_met_contact_id = cid
    contacts.update(vault, other, by=staff_id)
    return vault, cid


def test_erasure_leaves_nothing_in_any_table_page_or_wal(everything, session, passphrase):  # noqa: F811
    vault, cid = everything
    vault.checkpoint()
    before, tables = _tables_dump(vault)
    # The detectors see the person everywhere first (positive control), and the new tables are there.
    assert _found(before) == _needles()
    for table in ("audit_log", "change_log", "list_rows", "list_names", "moment_overflow", "contact_interests",
                  "contact_fts_data", "moment_fts_data", "erasure_register"):
        assert table in tables
    assert search.search_ids(vault.conn, "Zyablikova") == [cid]
    key = vault_key(vault.path, passphrase)
    assert _found(b"".join(decrypted_pages(vault.path, key)).lower()) == _needles()

    result = privacy.erase_contact(vault, session, cid, vacuum=False)
    assert result["scrubbed"] is True

    after, _tables = _tables_dump(vault)
    assert _found(after) == [], "left in the tables"
    assert vault.scalar("SELECT count(*) FROM list_names WHERE display_name LIKE ?", (f"%{FAMILY}%",)) == 0
    for table in ("list_rows", "moment_overflow", "contact_interests", "contact_interest_dismissed"):
        assert vault.scalar(f"SELECT count(*) FROM {table} WHERE {'id' if table == 'list_rows' else 'contact_id'}=?",
                            (cid,)) == 0, table
    pages = b"".join(decrypted_pages(vault.path, key)).lower()  # live and free pages, and -wal frames
    assert _found(pages) == [], "left in the file's pages"
    # The audit log says what happened with numbers only.
    audit = " ".join(str(v) for v in vault.conn.execute("SELECT * FROM audit_log")).lower()
    assert "erasure" in audit and not re.search(r"\.vcf", audit)
    assert search.search_ids(vault.conn, "Zyablikova") == [] and search.search_ids(vault.conn, "641526374") == []


# -- the CLI, as the counter and the manager use it -------------------------------------------------------

COUNTER_PASS = "counter passphrase"
MANAGER_PASS = "manager passphrase 1"


def _run(*args, manager=True):
    import os
    import subprocess
    import sys

    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": COUNTER_PASS}
    env.pop("BOUTIQUE_BOOK_MANAGER_PASSPHRASE", None)
    if manager:
        env["BOUTIQUE_BOOK_MANAGER_PASSPHRASE"] = MANAGER_PASS
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


def _shop(tmp_path):
    from boutique_book.core import manager
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault

    path = tmp_path / "shop" / "shop.vault"
    with Vault.create(path, COUNTER_PASS, KdfParams.fast()) as vault:
        manager.unlock(vault, MANAGER_PASS, params=KdfParams.fast())
        gone = contacts.add(vault, Contact(given_name=GIVEN, family_name=FAMILY, emails=[Email(EMAIL)],
                                           phones=[Phone(PHONE)]))
        kept = contacts.add(vault, Contact(given_name="Kept", family_name="Person"))
    return path, gone, kept


def test_a_lost_book_restored_by_the_counter_keeps_the_erasures_a_later_backup_remembers(tmp_path):
    """Session 4 audit: without the manager, the counter may restore when there is no book (recovery). On
    2fad6a9 the erasure register lived only in the book being replaced, so moving the book away (or losing
    it) and restoring an older USB backup brought an erased person back, although the backup made right
    after the erasure remembered it. Now a restore also reads the registers of the other copies it knows."""
    from boutique_book.core.vault import Vault

    path, gone, kept = _shop(tmp_path)
    usb = tmp_path / "usb"
    assert _run("backup", "--vault", str(path), "--to", str(usb)).returncode == 0   # still has the person
    erased = _run("erase", "--vault", str(path), str(gone), "--yes")
    assert erased.returncode == 0, erased.stderr
    assert _run("backup", "--vault", str(path)).returncode == 0                     # remembers the erasure
    away = tmp_path / "elsewhere"
    away.mkdir()
    for side in path.parent.glob(path.name + "*"):
        side.rename(away / side.name)
    [older] = usb.glob("*.vault")
    restored = _run("restore", "--vault", str(path), str(older), manager=False)
    assert restored.returncode == 0, restored.stderr
    assert "1 erased again" in restored.stdout, restored.stdout
    with Vault.open(path, COUNTER_PASS) as vault:
        assert not contacts.exists(vault, gone) and contacts.exists(vault, kept)
        assert search.search_ids(vault.conn, "Zyablikova") == []


def test_erase_names_the_clear_exports_and_hq_exports_that_may_hold_the_person(tmp_path, hq_keys):
    """The files a manager exported in clear are out of the book's reach (it never records where they were
    saved): erase says how many there were and when, and asks to tell HQ when the person went to HQ in a
    consenting profile."""
    from boutique_book.core.vault import Vault

    path, gone, _kept = _shop(tmp_path)
    with Vault.open(path, COUNTER_PASS) as vault:
        contacts.record_consent(vault, gone, "share_hq", True)
    out = tmp_path / "out"
    out.mkdir()
    assert _run("export", "--vault", str(path), "--format", "csv", "-o", str(out / "all.csv")).returncode == 0
    assert _run("person-export", "--vault", str(path), str(gone), "-o", str(out)).returncode == 0
    assert _run("hq-key", "--vault", str(path), "import", str(hq_keys[0])).returncode == 0
    sent = _run("hq-export", "--vault", str(path), "--profile", "consenting", "--to", str(out))
    assert sent.returncode == 0, sent.stderr
    erased = _run("erase", "--vault", str(path), str(gone), "--yes")
    assert erased.returncode == 0, erased.stderr
    assert "1 export of contacts, 1 export of this person's data" in erased.stdout, erased.stdout
    assert "1 consenting-profile export to HQ: ask HQ to erase them too" in erased.stdout
    assert str(out) not in erased.stdout.split("exported in clear")[1]  # counts and a date, never a path
    # A person added after the last export: nothing to say about exports.
    with Vault.open(path, COUNTER_PASS) as vault:
        later = contacts.add(vault, Contact(given_name="Added", family_name="Later"))
    quiet = _run("erase", "--vault", str(path), str(later), "--yes")
    assert quiet.returncode == 0 and "exported in clear" not in quiet.stdout and "HQ" not in quiet.stdout
