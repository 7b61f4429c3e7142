"""Issue #19: address books written by real programs come in whole.

Each sample below is written the way its producer writes it (property order, parameter style, line
endings, charset habits), from the producer's own documentation or the RFC example it copies:
RFC 2426 §7 (the Frank Dawson / Tim Howes cards), RFC 6350 §6.4.1 (TEL as a tel: URI with ;ext=),
the vCard 2.1 specification (AGENT with a nested card), Android's VCardComposer (2.1, QUOTED-PRINTABLE,
TEL;CELL, X-ANDROID-CUSTOM), Apple Contacts / iPhone (3.0, itemN.X-ABLabel, X-ABShowAs, X-ABDATE),
Outlook 2003 (2.1, CRLF, PHOTO;TYPE=JPEG;ENCODING=BASE64 followed by a blank line), Evolution (3.0,
X-EVOLUTION-*), and Outlook's CSV export (column headers as Outlook writes them).
"""

from __future__ import annotations

import base64

import vobject

from boutique_book.core import contacts, moments, search
from boutique_book.interchange import csv_io
from boutique_book.interchange.exporter import export_contacts
from boutique_book.interchange.importer import apply_plan, build_plan, read_files
from boutique_book.interchange.vcard_read import read_vcard_bytes

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(64)) + b"\xff\xd9"


def _import(vault, tmp_path, name, text, region=None, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    plan = build_plan(vault, read_files([path]), region=region)
    report = apply_plan(vault, plan)
    return plan, report


def _people(vault):
    return {c.display_name: c for c in (contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts"))}


def _notes(vault, contact):
    return "\n".join(m.text for m in moments.for_contact(vault, contact.id))


def _store_in(vault, region):
    with vault.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('home_region', ?)", (region,))


# -- 1. FN and ORG without N: a person, not an organisation ---------------------------------------

RFC2426 = (  # RFC 2426 §7, verbatim apart from CRLF line ends
    "BEGIN:vCard\r\nVERSION:3.0\r\nFN:Frank Dawson\r\nORG:Lotus Development Corporation\r\n"
    "ADR;TYPE=WORK,POSTAL,PARCEL:;;6544 Battleford Drive\r\n ;Raleigh;NC;27613-3502;U.S.A.\r\n"
    "TEL;TYPE=VOICE,MSG,WORK:+1-919-676-9515\r\nTEL;TYPE=FAX,WORK:+1-919-676-9564\r\n"
    "EMAIL;TYPE=INTERNET,PREF:Frank_Dawson@Lotus.com\r\nEMAIL;TYPE=INTERNET:fdawson@earthlink.net\r\n"
    "URL:http://home.earthlink.net/~fdawson\r\nEND:vCard\r\n"
    "\r\n"
    "BEGIN:vCard\r\nVERSION:3.0\r\nFN:Tim Howes\r\nORG:Netscape Communications Corp.\r\n"
    "ADR;TYPE=WORK:;;501 E. Middlefield Rd.;Mountain View;\r\n CA; 94043;U.S.A.\r\n"
    "TEL;TYPE=VOICE,MSG,WORK:+1-415-937-3419\r\nTEL;TYPE=FAX,WORK:+1-415-528-4164\r\n"
    "EMAIL;TYPE=INTERNET:howes@netscape.com\r\nEND:vCard\r\n"
)


def test_fn_and_org_without_n_is_a_person_and_exports_as_one(vault, manager_session, tmp_path):
    plan, _report = _import(vault, tmp_path, "rfc2426.vcf", RFC2426, region="US")
    people = _people(vault)
    frank, tim = people["Frank Dawson"], people["Tim Howes"]
    assert (frank.given_name, frank.family_name, frank.organisation) == ("Frank", "Dawson",
                                                                         "Lotus Development Corporation")
    assert (tim.given_name, tim.family_name) == ("Tim", "Howes")
    assert frank.addresses[0].country_code == "US"  # "U.S.A." (item 5)
    assert "Website: http://home.earthlink.net/~fdawson" in _notes(vault, frank)
    assert not [line for line in plan.report_lines() if "not" in line]
    out = tmp_path / "out.vcf"
    export_contacts(vault, out, "vcard4", session=manager_session)
    text = out.read_text("utf-8")
    assert "KIND:org" not in text and "N:Dawson;Frank;;;" in text


def test_apple_company_card_stays_an_organisation(vault, tmp_path):
    card = ("BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//Mac OS X 10.15.7//EN\nN:;;;;\nFN:Maison Kayser\n"
            "ORG:Maison Kayser;\nX-ABShowAs:COMPANY\nEND:VCARD\n")
    _import(vault, tmp_path, "mac.vcf", card)
    kayser = _people(vault)["Maison Kayser"]
    assert (kayser.given_name, kayser.family_name, kayser.organisation) == ("", "", "Maison Kayser")


# -- 2. cards with only a phone or only an email ------------------------------------------------------

ANDROID_NAMELESS = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;CELL:+33 6 12 34 56 78\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nEMAIL;HOME:claire.dubois@example.fr\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:;;;;\r\nFN:\r\nTEL;WORK:+33 1 40 20 50 50\r\nEND:VCARD\r\n"
)


def test_cards_with_only_a_phone_or_an_email_are_imported(vault, tmp_path):
    plan, report = _import(vault, tmp_path, "android.vcf", ANDROID_NAMELESS, region="FR")
    assert len(report.created) == 3 and plan.counts()["not_imported"] == 0
    people = _people(vault)
    assert people["+33 6 12 34 56 78"].phones[0].e164 == "+33612345678"
    assert people["claire.dubois@example.fr"].emails[0].address == "claire.dubois@example.fr"
    assert people["+33 1 40 20 50 50"].phones[0].label == "work"
    lines = plan.report_lines()
    assert "android.vcf: card 1 (line 1): warning: no name; named after its phone “+33 6 12 34 56 78”" in lines
    assert "android.vcf: card 2 (line 5): warning: no name; named after its email “claire.dubois@example.fr”" in lines


# -- 3. numbers without a country code, 00 and (0) -------------------------------------------------

ANDROID_US = (  # an Android phone bought in Canada: national numbers, as the dialer stores them
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Tremblay;Luc;;;\r\nFN:Luc Tremblay\r\nTEL;CELL:905-555-1234\r\n"
    "TEL;HOME:(905) 555-1235\r\nTEL;WORK:555 555 1111\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Miller;Ann;;;\r\nFN:Ann Miller\r\nTEL;CELL:00-1-212-555-7777\r\n"
    "TEL;WORK:+49 (0)151 23456789\r\nEND:VCARD\r\n"
)


def test_numbers_without_country_code_stay_phones_and_are_found(vault, tmp_path):
    plan, _report = _import(vault, tmp_path, "android.vcf", ANDROID_US, region="")
    people = _people(vault)
    luc, ann = people["Luc Tremblay"], people["Ann Miller"]
    # No country anywhere (no address, no import region, no store region): kept as written, as phones.
    assert [(p.raw, p.e164, p.label) for p in luc.phones] == [
        ("905-555-1234", "", "mobile"), ("(905) 555-1235", "", "home"), ("555 555 1111", "", "work")]
    assert "Phone" not in _notes(vault, luc)
    lines = "\n".join(plan.report_lines())
    assert "warning: phone “905-555-1234” not recognised" in lines and "kept as written" in lines
    # International numbers written with 00 or with the trunk (0) are read.
    assert [p.e164 for p in ann.phones] == ["+12125557777", "+4915123456789"]
    assert "Ann Miller" not in lines
    for query in ("905-555-1234", "9055551234", "(905) 555-1235", "5551111"):
        assert luc.id in search.search_ids(vault.conn, query), query


def test_with_a_region_national_numbers_are_read(vault, tmp_path):
    _import(vault, tmp_path, "android.vcf", ANDROID_US, region="CA")
    luc = _people(vault)["Luc Tremblay"]
    assert [p.e164 for p in luc.phones][:2] == ["+19055551234", "+19055551235"]


# -- 4. the card's own address country comes first ------------------------------------------------

BERLIN = (  # Thunderbird / Evolution style 3.0 card of a Berlin customer, imported in a French store
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Ximian//NONSGML Evolution//EN\r\nN:Schulz;Petra;;;\r\n"
    "FN:Petra Schulz\r\nTEL;TYPE=HOME:030 1234567\r\nTEL;TYPE=CELL:0151 23456789\r\n"
    "ADR;TYPE=HOME:;;Unter den Linden 5;Berlin;;10117;Deutschland\r\n"
    "X-EVOLUTION-FILE-AS:Schulz\\, Petra\r\nEND:VCARD\r\n"
)


def test_address_country_decides_how_a_national_number_reads(vault, tmp_path):
    _store_in(vault, "FR")
    plan, _report = _import(vault, tmp_path, "evolution.vcf", BERLIN)
    petra = _people(vault)["Petra Schulz"]
    assert [p.e164 for p in petra.phones] == ["+49301234567", "+4915123456789"]
    assert petra.addresses[0].country_code == "DE"
    assert plan.counts()["warnings"] == 0 and not plan.report_lines()
    # An edit later reads the numbers the same (they are stored in international form).
    contacts.update(vault, petra)
    assert [p.e164 for p in contacts.get(vault, petra.id).phones] == ["+49301234567", "+4915123456789"]


# -- 5. countries named in words --------------------------------------------------------------------

def test_country_names_as_programs_write_them(vault, tmp_path):
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Person;{n};;;\r\nFN:{n} Person\r\nADR;TYPE=HOME:;;1 Main St;Springfield;"
        f";12345;{country}\r\nEND:VCARD\r\n"
        for n, country in (("Apple", "United States of America"), ("Evolution", "USA"), ("Outlook", "U.S.A."),
                           ("Lotus", "United States"), ("Gmail", "US"), ("German", "Vereinigte Staaten"),
                           ("French", "États-Unis"), ("Japanese", "アメリカ合衆国"), ("British", "UK"),
                           ("Allemagne", "Allemagne")))
    plan, _report = _import(vault, tmp_path, "countries.vcf", cards, region="US")
    got = {c.given_name: c.addresses[0].country_code for c in _people(vault).values()}
    assert got == {"Apple": "US", "Evolution": "US", "Outlook": "US", "Lotus": "US", "Gmail": "US", "German": "US",
                   "French": "US", "Japanese": "US", "British": "GB", "Allemagne": "DE"}
    assert not [line for line in plan.report_lines() if "country" in line]


# -- 6. the extension of a tel: URI ------------------------------------------------------------------

RFC6350_TEL = (  # RFC 6350 §6.4.1 example values
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon Perreault\r\nN:Perreault;Simon;;;ing. jr,M.Sc.\r\n"
    "TEL;VALUE=uri;PREF=1;TYPE=\"voice,home\":tel:+1-555-555-5555;ext=5555\r\n"
    "TEL;VALUE=uri;TYPE=home:tel:+33-01-23-45-67\r\n"
    "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102\r\nEND:VCARD\r\n"
)


def test_tel_uri_extension_is_kept_and_exported(vault, manager_session, tmp_path):
    _import(vault, tmp_path, "rfc6350.vcf", RFC6350_TEL, region="FR")
    simon = _people(vault)["Simon Perreault"]
    work = simon.phones[2]
    assert (work.e164, work.label) == ("+14186569254", "work")
    assert work.raw.endswith("ext. 102")
    for fmt, expected in (("vcard4", "tel:+14186569254;ext=102"), ("vcard3", "+14186569254 ext. 102")):
        out = tmp_path / f"out-{fmt}.vcf"
        export_contacts(vault, out, fmt, session=manager_session)
        text = out.read_bytes().decode("utf-8").replace("\r\n ", "")
        assert expected in text, fmt
        again = read_vcard_bytes(out.read_bytes(), out.name).records[0].contact
        assert any(p.raw.endswith("ext. 102") for p in again.phones), fmt


# -- 7. AGENT, photos, CSV quotes, label escaping, RFC 6350 dates --------------------------------------

AGENT_21 = (  # vCard 2.1 specification §2.4.4: the agent is a whole card inside the card
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Dupont;Marie\r\nFN:Marie Dupont\r\nTEL;WORK;VOICE:+33 1 44 55 66 77\r\n"
    "AGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:Friday;Fred\r\nTEL;WORK;VOICE:+1-213-555-1234\r\n"
    "TEL;WORK;FAX:+1-213-555-5678\r\nEND:VCARD\r\n"
    "EMAIL;INTERNET:marie@example.fr\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Martin;Paul\r\nFN:Paul Martin\r\nEND:VCARD\r\n"
)


def test_agent_card_stays_with_its_person(vault, tmp_path):
    plan, report = _import(vault, tmp_path, "agent.vcf", AGENT_21, region="FR")
    people = _people(vault)
    assert set(people) == {"Marie Dupont", "Paul Martin"}
    marie = people["Marie Dupont"]
    assert [p.e164 for p in marie.phones] == ["+33144556677"]
    assert [e.address for e in marie.emails] == ["marie@example.fr"]
    assert "Agent: Fred Friday, +1-213-555-1234, +1-213-555-5678" in _notes(vault, marie)
    assert plan.counts()["not_imported"] == 0


def test_agent_inline_in_30(vault, tmp_path):
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
            "AGENT:BEGIN:VCARD\\nFN:Susan Thomas\\nTEL:+1-919-555-1234\\nEMAIL\\;INTERNET:sthomas@host.com\\nEND:VCARD\\n\r\n"
            "END:VCARD\r\n")
    _import(vault, tmp_path, "agent3.vcf", card, region="US")
    jane = _people(vault)["Jane Doe"]
    assert "Agent: Susan Thomas, +1-919-555-1234, sthomas@host.com" in _notes(vault, jane)


def _outlook_photo_card(name, payload):
    lines = [payload[i:i + 72] for i in range(0, len(payload), 72)]
    return ("BEGIN:VCARD\r\nVERSION:2.1\r\n" f"N:{name};Anna\r\nFN:Anna {name}\r\n"
            "PHOTO;TYPE=JPEG;ENCODING=BASE64:\r\n" + "".join(f" {line}\r\n" for line in lines) + "\r\n"
            "EMAIL;PREF;INTERNET:" f"anna.{name.lower()}@example.com\r\n"
            "REV:20070911T154213Z\r\nEND:VCARD\r\n")


def test_photos_are_validated(vault, tmp_path):
    good = base64.b64encode(JPEG).decode()
    broken = good[:40] + "!!**" + good[44:]          # damaged in transit
    not_image = base64.b64encode(b"This is not a picture at all, just text." * 3).decode()
    text = (_outlook_photo_card("Good", good) + _outlook_photo_card("Broken", broken)
            + _outlook_photo_card("Text", not_image))
    plan, _report = _import(vault, tmp_path, "outlook2003.vcf", text, region="FR")
    people = _people(vault)
    assert people["Anna Good"].photo == JPEG
    assert people["Anna Broken"].photo is None and people["Anna Text"].photo is None
    lines = plan.report_lines()
    assert "outlook2003.vcf: card 2 (line 12): warning: the photo is damaged (not a readable image); not kept" in lines
    assert "outlook2003.vcf: card 3 (line 23): warning: the photo is damaged (not a readable image); not kept" in lines


# Outlook's CSV export header (File > Import and Export > Export to a file > Comma Separated Values), the
# columns up to E-mail Address as Outlook writes them.
OUTLOOK_HEADER = ("\"Title\",\"First Name\",\"Middle Name\",\"Last Name\",\"Suffix\",\"Company\",\"Department\","
                  "\"Job Title\",\"Business Street\",\"Business City\",\"Business Postal Code\","
                  "\"Business Country/Region\",\"Mobile Phone\",\"E-mail Address\"\r\n")


def _outlook_row(n):
    return f"\"\",\"Given{n}\",\"\",\"Family{n}\",\"\",\"\",\"\",\"\",\"\",\"Paris\",\"75001\",\"France\",\"+33 6 00 00 {n // 100:02d} {n % 100:02d}\",\"p{n}@example.fr\"\r\n"


def test_csv_unbalanced_quote_refuses_one_row_not_the_file(vault, tmp_path):
    rows = [_outlook_row(n) for n in range(1, 1001)]
    # Row 3 was typed in a spreadsheet with a quote opening the name cell that is never closed: read as CSV,
    # that cell runs to the end of the file (a thousand rows folded into one given name before #19).
    rows[2] = "\"\",\"Bobby,Smith,,,,,,Paris,75001,France,,bob@example.fr\r\n"
    text = OUTLOOK_HEADER + "".join(rows)
    path = tmp_path / "outlook.csv"
    path.write_text(text, encoding="utf-8")
    read = read_files([path])
    assert [p.line() for p in read.problems] == [
        "outlook.csv: line 4: a quote (\") opened in this row is never closed; this row is not imported "
        "(the rows after it are read on their own)"]
    assert len(read.records) == 999
    assert all(len(r.contact.given_name) < 20 for r in read.records)
    assert [r.ref for r in read.records][2:4] == ["line 5", "line 6"]
    plan = build_plan(vault, read, region="FR")
    report = apply_plan(vault, plan)
    assert len(report.created) == 999


def test_csv_quote_never_closed_until_the_end(vault, tmp_path):
    rows = [_outlook_row(n) for n in range(1, 6)]
    rows[1] = "\"\",\"Bobby,Smith,,,,,,Paris,75001,France,,bob@example.fr\r\n"
    table = csv_io.read_table((OUTLOOK_HEADER + "".join(rows)).encode(), "outlook.csv")
    assert [line for line, _why in table.broken] == [3]
    assert [line for line, _cells in table.rows] == [2, 4, 5, 6]


def test_csv_note_on_several_lines_is_not_a_quote_error():
    text = OUTLOOK_HEADER + _outlook_row(1) + (
        "\"\",\"Zoë\",\"\",\"Martin\",\"\",\"Maison, Martin\",\"\",\"\",\"3 rue du Bac\n2e étage, porte gauche\","
        "\"Paris\",\"75007\",\"France\",\"\",\"zoe@example.fr\"\r\n") + _outlook_row(2)
    table = csv_io.read_table(text.encode(), "outlook.csv")
    assert table.broken == [] and len(table.rows) == 3


def test_date_label_with_a_newline_does_not_break_the_export(vault, manager_session, tmp_path):
    from boutique_book.core.model import Contact, KeyDate, PartialDate

    contact = Contact(given_name="Hana", family_name="Sato")
    contact.dates = [KeyDate("other", PartialDate(4, 1, 2019), 'Shop opening\n"Ginza" store', 0),
                     KeyDate("birthday", PartialDate(2, 29, 1980))]
    contacts.add(vault, contact)
    for fmt in ("vcard4", "vcard3"):
        out = tmp_path / f"hana-{fmt}.vcf"
        export_contacts(vault, out, fmt, session=manager_session)
        data = out.read_bytes()
        # Every physical line is a property or a continuation (no raw line break inside a parameter).
        for line in data.decode("utf-8").split("\r\n"):
            assert not line or line.startswith(" ") or ":" in line, line
        card = vobject.readOne(data.decode("utf-8"))  # another program reads it
        assert card.fn.value == "Hana Sato"
        again = read_vcard_bytes(data, out.name).records[0].contact
        assert [(d.kind, d.label) for d in again.dates if d.kind == "other"] == [
            ("other", 'Shop opening\n"Ginza" store')]
        if fmt == "vcard4":  # RFC 6350 §4.3.1: basic format
            assert "BDAY:19800229" in data.decode() and "X-BOUTIQUE-DATE;TYPE=other" in data.decode()
            assert ":20190401" in data.decode()
        assert again.birthday().iso() == "1980-02-29"
