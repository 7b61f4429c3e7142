"""vCard dialects and CSV exports as other programs write them.

The CSV fixtures are written here from the column headers those programs document:
- Google Contacts "Google CSV" export (contacts.google.com > Export), current header set:
  First Name, Middle Name, Last Name, ..., Labels, E-mail 1 - Label, E-mail 1 - Value, Phone 1 - Label,
  Phone 1 - Value, Address 1 - Label, Address 1 - Street, ... (several values in one cell joined by " ::: ");
  and the older Google CSV (Given Name, Family Name, Group Membership, E-mail 1 - Type, ...).
- Outlook "Comma Separated Values" export (Outlook for Windows / Outlook.com): First Name, Last Name,
  Company, E-mail Address, Mobile Phone, Business Phone, Home Street, Home City, Home Postal Code,
  Home Country/Region, Birthday, Categories, Notes ...
"""

from __future__ import annotations

import base64

from boutique_book.core import contacts, moments
from boutique_book.interchange import csv_io
from boutique_book.interchange.importer import apply_plan, build_plan
from boutique_book.interchange.records import ReadResult
from boutique_book.interchange.vcard_read import read_vcard_bytes

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _import(vault, result: ReadResult, region="FR"):
    plan = build_plan(vault, result, region=region)
    apply_plan(vault, plan)
    return plan, {c.display_name: c for c in (contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts"))}


def test_android_21_quoted_printable_charsets_and_soft_breaks(vault):
    b64 = base64.b64encode(PNG).decode()
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=\r\nller\r\n"
        "TEL;CELL;PREF:+49 151 23456789\r\n"
        "TEL;HOME:030 1234567\r\n"
        "EMAIL;HOME:juergen@example.de\r\n"
        "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;Stra=C3=9Fe 1, Hinterhaus;Berlin;;10115;Deutschland\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:Mag gr=C3=BCnen Tee, keine Rosen=0D=0A2. Zeile\r\n"
        f"PHOTO;ENCODING=BASE64;JPEG:{b64[:40]}\r\n {b64[40:]}\r\n\r\n"
        "END:VCARD\r\n"
    ).encode("ascii")
    result = read_vcard_bytes(card, "android.vcf")
    assert result.problems == []
    plan, people = _import(vault, result, region="DE")
    c = people["Jürgen Müller"]
    assert [p.e164 for p in c.phones] == ["+4915123456789", "+49301234567"]
    assert [p.label for p in c.phones] == ["mobile", "home"]
    assert c.emails[0].address == "juergen@example.de"
    assert (c.addresses[0].street, c.addresses[0].city, c.addresses[0].country_code) == (
        "Straße 1, Hinterhaus", "Berlin", "DE")
    assert c.photo == PNG
    note = moments.for_contact(vault, c.id)[0].text
    assert "Mag grünen Tee, keine Rosen" in note and "2. Zeile" in note


def test_outlook_21_latin1_bytes_with_charset(vault):
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=Windows-1252:Dupré;Hélène\r\n"
            "FN:Hélène Dupré\r\nORG:Société Générale\r\nTEL;WORK;VOICE:+33 1 42 00 00 00\r\n"
            "ADR;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:;;12 all=E9e des Ch=EAnes;Orl=E9ans;;45000;France\r\n"
            "END:VCARD\r\n").encode("cp1252")
    result = read_vcard_bytes(card, "outlook.vcf")
    _plan, people = _import(vault, result)
    c = people["Hélène Dupré"]
    assert c.organisation == "Société Générale"
    assert c.addresses[0].street == "12 allée des Chênes" and c.addresses[0].city == "Orléans"
    assert c.addresses[0].country_code == "FR" and c.phones[0].label == "work"


def test_apple_grouped_labels_and_year_less_birthday(vault):
    card = ("BEGIN:VCARD\nVERSION:3.0\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\nN:Tanaka;Yuki;;;\nFN:Yuki Tanaka\n"
            "X-PHONETIC-FIRST-NAME:ゆき\nX-PHONETIC-LAST-NAME:たなか\n"
            "item1.TEL;type=pref:+81 3-1234-5678\nitem1.X-ABLabel:_$!<Mobile>!$_\n"
            "item2.TEL:+81 90-1234-5678\nitem2.X-ABLabel:Ginza boutique\n"
            "item3.EMAIL;type=INTERNET:yuki@example.jp\nitem3.X-ABLabel:_$!<Other>!$_\n"
            "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\nCATEGORIES:VIP,Tea ceremony\n"
            "URL:https://example.jp\nEND:VCARD\n").encode()
    result = read_vcard_bytes(card, "iphone.vcf")
    assert result.ignored_properties == {}  # the website is kept in the imported note (issue #19)
    assert "Website: https://example.jp" in result.records[0].notes
    plan, people = _import(vault, result)
    c = people["Yuki Tanaka"]
    assert [(p.e164, p.label) for p in c.phones] == [("+81312345678", "mobile"), ("+819012345678", "Ginza boutique")]
    assert c.emails[0].label == "other"
    assert c.birthday().iso() == "--04-15"
    assert c.tags == ["Tea ceremony", "VIP"]
    assert c.transliteration == "たなか ゆき"
    assert not any(line.startswith("properties not kept") for line in plan.report_lines())


def test_many_cards_one_bad_in_the_middle(vault):
    good = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n"
    text = good.format(n=1) + "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:nobody@example.com\r\nEND:VCARD\r\n" + \
        good.format(n=3) + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut\r\n" + good.format(n=5)
    result = read_vcard_bytes(text.encode(), "many.vcf")
    # A card with only an email is a person named after it (issue #19); the cut card is still refused.
    assert [r.contact.given_name for r in result.records] == ["Person", "nobody@example.com", "Person", "Person"]
    assert result.records[1].warnings == ["no name; named after its email “nobody@example.com”"]
    assert [p.line() for p in result.problems] == [
        "many.vcf: card 4 (line 15): the card has no END:VCARD before the next card; not imported",
    ]


GOOGLE = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,"
    "Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,Birthday,Notes,"
    "Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,"
    "Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address\n"
    "Zoë,,Martin,,,,Mme,,,,Maison Martin,Buyer,,1985-03-02,\"Likes silk, hates wool\",,* myContacts ::: VIP,"
    "* Home,zoe@example.fr,Work,zoe@maison.fr,Mobile,+33 6 12 34 56 78 ::: +33 1 40 00 00 00,Home,"
    "\"3 rue X\nParis\",3 rue du Bac,Paris,,,75007,France,\n"
    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n"
    ",,,,,,,,,,,,,,,,,Other,orphan@example.com,,,,,,,,,,,,,\n"
)

GOOGLE_OLD = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,"
    "Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
    "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value\n"
    "Marco Rossi,Marco,,Rossi,,,,,,,,,,,--06-01,,,,,,,,,,,,,,* myContacts,* Other,marco@example.it,Mobile,"
    "+39 333 123 4567\n"
)

OUTLOOK = (
    "Title,First Name,Middle Name,Last Name,Suffix,Company,Department,Job Title,Business Street,Business City,"
    "Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Business Phone,Home Phone,Mobile Phone,Birthday,Categories,"
    "E-mail Address,E-mail Type,E-mail Display Name,Notes\n"
    "Dr.,Anna,,Schmidt,,Klinik Nord,,Chefärztin,Hauptstr. 5,Hamburg,,20095,Germany,,,,,,+49 40 1234567,,"
    "+49 171 2345678,5/17/1980,Friends;VIP,anna@example.de,SMTP,Anna Schmidt,\n"
    "\"\",Ohne,,Datum,,,,,,,,,,,,,,,,,,0/0/00,,ohne@example.de,SMTP,,\n"
)


def test_google_csv(vault):
    table = csv_io.read_table(GOOGLE.encode("utf-8"), "google.csv")
    assert table.format == "google"
    result = csv_io.records_from_table(table)
    assert result.problems == []  # the row with only an email is a person named after it (issue #19)
    assert result.records[-1].warnings == ["no name; named after its email “orphan@example.com”"]
    _plan, people = _import(vault, result)
    c = people["Zoë Martin"]
    assert (c.title, c.organisation, c.birthday().iso()) == ("Mme", "Maison Martin", "1985-03-02")
    assert [(e.address, e.label) for e in c.emails] == [("zoe@example.fr", "home"), ("zoe@maison.fr", "work")]
    assert [p.e164 for p in c.phones] == ["+33612345678", "+33140000000"]
    assert c.tags == ["VIP"]
    assert (c.addresses[0].street, c.addresses[0].postal_code, c.addresses[0].country_code) == (
        "3 rue du Bac", "75007", "FR")
    assert any("Likes silk, hates wool" in m.text for m in moments.for_contact(vault, c.id))


def test_old_google_csv(vault):
    table = csv_io.read_table(GOOGLE_OLD.encode(), "old.csv")
    assert table.format == "google"
    _plan, people = _import(vault, csv_io.records_from_table(table))
    c = people["Marco Rossi"]
    assert c.emails[0].label == "other" and c.phones[0].e164 == "+393331234567" and c.birthday().iso() == "--06-01"
    assert c.tags == []  # "* myContacts" is Google's own group


def test_outlook_csv_utf16_with_bom(vault):
    data = OUTLOOK.encode("utf-16")  # Outlook for Windows writes UTF-16 with a BOM when asked for Unicode
    table = csv_io.read_table(data, "outlook.csv")
    assert table.format == "outlook" and table.encoding == "utf-16"
    _plan, people = _import(vault, csv_io.records_from_table(table))
    c = people["Anna Schmidt"]
    assert c.title == "Dr." and c.organisation == "Klinik Nord"
    assert [(p.e164, p.label) for p in c.phones] == [("+49401234567", "work"), ("+491712345678", "mobile")]
    assert (c.addresses[0].street, c.addresses[0].city, c.addresses[0].country_code, c.addresses[0].label) == (
        "Hauptstr. 5", "Hamburg", "DE", "work")
    assert c.birthday().iso() == "1980-05-17" and c.tags == ["Friends", "VIP"]
    assert people["Ohne Datum"].dates == []


def test_generic_csv_windows_1252_semicolons_french_headers(vault):
    data = ("Prénom;Nom;Téléphone;Courriel;Ville;Code postal;Pays;Anniversaire\r\n"
            "Amélie;Dubois;01 42 00 00 01;amelie@example.fr;Lyon;69002;France;15.04.\r\n"
            "Benoît;Lefèvre;;;;;;\r\n").encode("cp1252")
    table = csv_io.read_table(data, "excel.csv")
    assert (table.delimiter, table.encoding, table.format) == (";", "cp1252", "generic")
    mapping = csv_io.guess_mapping(table.headers, table.format)
    assert mapping == ["given_name", "family_name", "phone:1", "email:1", "city:1", "postal_code:1",
                       "country_name:1", "birthday"]
    _plan, people = _import(vault, csv_io.records_from_table(table, mapping))
    c = people["Amélie Dubois"]
    assert c.phones[0].e164 == "+33142000001" and c.addresses[0].city == "Lyon"
    assert c.birthday().iso() == "--04-15"
    assert "Benoît Lefèvre" in people


def test_generic_csv_with_a_chosen_mapping_and_utf8_bom(vault):
    data = "\ufeffwho,how to reach,notes\nJean Valjean,jean@example.fr,owes a candlestick\n".encode("utf-8")
    table = csv_io.read_table(data, "list.csv")
    assert table.headers == ["who", "how to reach", "notes"]
    assert csv_io.guess_mapping(table.headers) == ["ignore", "ignore", "notes"]
    assert [p.reason for p in csv_io.records_from_table(table).problems] == ["the row has no name, phone or email; not imported"]
    assert csv_io.records_from_table(table, ["ignore"] * 3).problems[0].reason == (
        "no column is mapped to a contact field")
    _plan, people = _import(vault, csv_io.records_from_table(table, ["full_name", "email:1", "notes"]))
    assert people["Jean Valjean"].emails[0].address == "jean@example.fr"


def test_in_file_duplicates_fold_and_existing_contacts_merge(vault):
    contacts.add(vault, contacts.Contact(given_name="Zoë", family_name="Martin",
                                         emails=[contacts.Email("zoe@example.fr")]))
    data = ("First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\n"
            "Zoe,Martin,ZOE@example.fr,+33 6 11 11 11 11\n"
            "Paul,Roux,paul@example.fr,\n"
            "Paul,Roux,,\n"
            "P.,Roux,paul@example.fr,+33 6 22 22 22 22\n")
    table = csv_io.read_table(data.encode(), "dups.csv")
    plan = build_plan(vault, csv_io.records_from_table(table, ["given_name", "family_name", "email:1", "phone:1"]),
                      region="FR")
    assert [i.action for i in plan.items] == ["merge", "create", "create", "fold"]
    assert plan.items[2].similar_to == [] and plan.counts()["merge"] == 2
    report = apply_plan(vault, plan)
    zoe = contacts.get(vault, report.merged[0])
    assert zoe.given_name == "Zoë" and [p.e164 for p in zoe.phones] == ["+33611111111"]
    paul = contacts.get(vault, report.created[0])
    assert [p.e164 for p in paul.phones] == ["+33622222222"]
