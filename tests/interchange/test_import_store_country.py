"""Issue #19: a number written without a country code is read with the card's own address country, then the
import's region, then the store's. A real store names its country in the boutique's details (Settings ▸
Boutique details, `boutique-book boutique set --country`); only the demo book had a "store region" before, so
every real store's import fell through to "not recognised" for the national numbers of its own customers.

And the report says what it did in a person's words (no stored codes such as "acquaintances", no field keys).
"""

from __future__ import annotations

import os
import subprocess
import sys

from boutique_book.core import contacts, settings
from boutique_book.interchange.importer import apply_plan, build_plan
from boutique_book.interchange.vcard_read import read_vcard_bytes
from boutique_book.interchange.csv_io import read_csv_bytes

PASS = "store pass 123"

# Android 2.1 export of a Berlin boutique's customer (no address on the card, as most phone contacts have none).
ANDROID_DE = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Weber;Anna;;;\r\nFN:Anna Weber\r\nTEL;HOME:030 1234567\r\n"
              "TEL;CELL:0151 23456789\r\nEND:VCARD\r\n")


def _run(*args):
    env = {**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": PASS, "BOUTIQUE_BOOK_MANAGER_PASSPHRASE": "manager pw 1"}
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_the_boutique_country_reads_national_numbers(tmp_path):
    book = str(tmp_path / "berlin.vault")
    assert _run("init", "--vault", book).returncode == 0
    card = tmp_path / "android.vcf"
    card.write_bytes(ANDROID_DE.encode())
    # Before the boutique says where it is, nothing tells which country "030 1234567" belongs to.
    before = _run("import", "--vault", book, "--dry-run", str(card))
    assert "warning: phone “030 1234567” not recognised" in before.stdout, before.stdout + before.stderr
    assert _run("boutique", "set", "--vault", book, "--country", "Deutschland").returncode == 0
    done = _run("import", "--vault", book, str(card))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "1 created, 0 merged into existing contacts, 0 skipped (already in the book), 0 not imported, 0 warnings."]
    shown = _run("search", "--vault", book, "1234567")
    assert "Anna Weber" in shown.stdout, shown.stdout + shown.stderr


def test_store_country_order(vault):
    assert contacts.home_region(vault) == ""
    settings.put(vault, "boutique", {"name": "Haus Weber", "country_code": "de"})
    assert contacts.home_region(vault) == "DE"
    plan = build_plan(vault, read_vcard_bytes(ANDROID_DE.encode(), "android.vcf"))
    apply_plan(vault, plan)
    (anna,) = [contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts")]
    assert [p.e164 for p in anna.phones] == ["+49301234567", "+4915123456789"]
    # the import's own region still comes before the store's
    plan = build_plan(vault, read_vcard_bytes(ANDROID_DE.replace("Weber", "Meier").replace("030 1234567", "01 42 68 53 00")
                                              .replace("TEL;CELL:0151 23456789\r\n", "").encode(), "fr.vcf"),
                      region="FR")
    apply_plan(vault, plan)
    meier = [contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts WHERE family_name='Meier'")][0]
    assert [p.e164 for p in meier.phones] == ["+33142685300"]
    # the demo book's own setting is kept as it was
    with vault.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('home_region', 'FR')")
    assert contacts.home_region(vault) == "FR"


def test_report_names_what_it_did_in_words(vault):
    """A list typed by hand (a tier the book does not have) and a card from another Boutique Book with a kind
    this one does not know and a name pasted 600 characters long: the report names them in words."""
    text = "Given,Family,Email,Tier\r\nAnn,Long,long@example.fr,VIP\r\n"
    lines = build_plan(vault, read_csv_bytes(text.encode(), "staff.csv"), region="FR").report_lines()
    assert lines == ["staff.csv: line 2: warning: tier “vip” unknown; set to Acquaintances"]
    card = (f"BEGIN:VCARD\r\nVERSION:4.0\r\nN:Long;{'A' * 600};;;\r\nFN:{'A' * 600} Long\r\n"
            "X-BOUTIQUE-KIND:boss\r\nEND:VCARD\r\n")
    lines = build_plan(vault, read_vcard_bytes(card.encode(), "book.vcf"), region="FR").report_lines()
    assert "book.vcf: card 1 (line 1): warning: kind “boss” unknown; set to Customer" in lines, lines
    assert "book.vcf: card 1 (line 1): warning: Given name cut to 500 characters" in lines, lines


def test_an_address_in_a_country_nobody_knows_does_not_become_the_stores(vault):
    """It used to take the store's country (a French store printed "Townsville, Nowhereland" as a French
    address) while the report said the country was kept in the note."""
    settings.put(vault, "boutique", {"name": "Maison", "country_code": "FR"})
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Away;Far;;;\r\nFN:Far Away\r\n"
            "ADR;TYPE=HOME:;;1 Long Road;Townsville;;12345;Nowhereland\r\n"
            "ADR;TYPE=WORK:;;2 rue du Bac;Paris;;75007;\r\nEND:VCARD\r\n")
    csv_text = ("Given Name,Family Name,Address 1 - Street,Address 1 - City,Address 1 - Postal Code,"
                "Address 1 - Country\r\nNear,Away,3 Short Lane,Townsville,12345,Nowhereland\r\n")
    for read in (read_vcard_bytes(card.encode(), "phone.vcf"), read_csv_bytes(csv_text.encode(), "google.csv")):
        plan = build_plan(vault, read)
        assert any("country “Nowhereland” not recognised" in line for line in plan.report_lines())
        apply_plan(vault, plan)
    people = {c.given_name: c for c in (contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts"))}
    assert [a.country_code for a in people["Far"].addresses] == ["", "FR"]  # no country written: the store's
    assert [a.country_code for a in people["Near"].addresses] == [""]
