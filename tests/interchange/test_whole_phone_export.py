"""Issue #19, done when: the import report of a whole phone export has no line a person would call a loss.
Every card is in, every phone is a phone.

The two files are written the way the phones write them:
- Android "Export to .vcf storage" (AOSP VCardComposer, vCard 2.1): CRLF, QUOTED-PRINTABLE with
  CHARSET=UTF-8 for anything not ASCII, TEL;CELL / TEL;HOME, custom labels as TEL;X-CUSTOM(...), SIM
  contacts without a name, X-ANDROID-CUSTOM rows (nickname, relation), PHOTO;ENCODING=BASE64;JPEG with the
  base64 on indented lines and an empty line after it, a Japanese contact with SOUND;X-IRMC-N reading.
- iPhone "Share contact" / iCloud export (vCard 3.0): LF, itemN groups with X-ABLabel (Apple's _$!<…>!$_ and
  custom labels), X-ABShowAs:COMPANY, X-ABADR, X-SOCIALPROFILE, IMPP, X-ABRELATEDNAMES, X-ABDATE,
  BDAY 1604 + X-APPLE-OMIT-YEAR, PHOTO;ENCODING=b;TYPE=JPEG.
Both are imported in a French store, as a French customer's phone would be.
"""

from __future__ import annotations

import base64
import quopri
import re

import pytest

from boutique_book.core import contacts, moments
from boutique_book.interchange.importer import apply_plan, build_plan, read_files

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(200)) + b"\xff\xd9"


def _qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii").replace("=\n", "")


def _android_photo() -> str:
    data = base64.b64encode(JPEG).decode()
    return "PHOTO;ENCODING=BASE64;JPEG:" + data[:60] + "\r\n" + "".join(
        f" {data[i:i + 76]}\r\n" for i in range(60, len(data), 76)) + "\r\n"


ANDROID = "".join([
    "BEGIN:VCARD\r\nVERSION:2.1\r\n",
    f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('Müller')};{_qp('Jürgen')};;;\r\n",
    f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('Jürgen Müller')}\r\n",
    "TEL;CELL:+49 151 23456789\r\nTEL;HOME:030 1234567\r\n",
    f"TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,{_qp('Büro Genève')}):+41 22 700 12 34\r\n",
    "EMAIL;HOME:juergen@example.de\r\n",
    f"ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;{_qp('Unter den Linden 5')};Berlin;;10117;Deutschland\r\n",
    "ORG:Mueller GmbH\r\nTITLE:Einkauf\r\nURL:http://mueller.example.de\r\nBDAY:1975-03-14\r\n",
    f"X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:vnd.android.cursor.item/nickname;{_qp('Jürgi')};1;;;;;;;;;;;;;\r\n",
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Anna;14;;;;;;;;;;;;;\r\n",
    _android_photo(),
    "END:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Dubois;Claire;;;\r\nFN:Claire Dubois\r\nTEL;CELL:06 12 34 56 78\r\n",
    "TEL;WORK:01 40 20 50 50\r\nEMAIL;WORK:claire@example.fr\r\nNOTE:Taille 38\\, aime le bleu\r\nEND:VCARD\r\n",
    # SIM contacts: a number and nothing else, and a service number
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:;;;;\r\nFN:\r\nTEL;CELL:0698765432\r\nEND:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:;Messagerie;;;\r\nFN:Messagerie\r\nTEL;CELL:888\r\nEND:VCARD\r\n",
    # A friend in New York, saved with 00 as dialled from France, and an office with an extension
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Miller;Ann;;;\r\nFN:Ann Miller\r\nTEL;CELL:00 1 212 555 7777\r\n",
    "TEL;WORK:+1 212 555 0100 ext. 42\r\nADR;WORK:;;1 Fifth Ave;New York;NY;10003;United States of America\r\n",
    "END:VCARD\r\n",
    # A Japanese customer, reading on SOUND;X-IRMC-N (docomo/au habit kept by Android)
    "BEGIN:VCARD\r\nVERSION:2.1\r\n",
    f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('山田')};{_qp('花子')};;;\r\n",
    f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('山田 花子')}\r\n",
    f"SOUND;X-IRMC-N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('ヤマダ')};{_qp('ハナコ')};;;\r\n",
    "TEL;CELL:+81 90-1234-5678\r\nEND:VCARD\r\n",
    # A company saved by its name only
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:;;;;\r\nFN:Atelier Soie\r\nORG:Atelier Soie\r\nTEL;WORK:04 78 00 00 00\r\n",
    "END:VCARD\r\n",
])

IPHONE = "\n".join([
    "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN", "N:Petrov;Dmitri;;;",
    "FN:Dmitri Petrov", "ORG:Petrov Trading;", "item1.TEL;type=CELL;type=VOICE;type=pref:+7 916 123-45-67",
    "item2.TEL:+33 6 11 22 33 44", "item2.X-ABLabel:Paris", "item3.EMAIL;type=INTERNET;type=HOME;type=pref:dmitri@example.ru",
    "item4.ADR;type=HOME;type=pref:;;Tverskaya 1;Moscow;;125009;Russia", "item4.X-ABADR:ru",
    "item5.X-ABRELATEDNAMES;type=pref:Olga", "item5.X-ABLabel:_$!<Spouse>!$_",
    "item6.X-ABDATE;type=pref:2010-06-12", "item6.X-ABLabel:_$!<Anniversary>!$_",
    "X-SOCIALPROFILE;type=instagram;x-user=dmitri.p:x-apple:dmitri.p",
    "IMPP;X-SERVICE-TYPE=Telegram;type=HOME;type=pref:x-apple:dmitri_p",
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-02", "X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson",
    "PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(JPEG).decode(), "END:VCARD",
    "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN", "N:;;;;", "FN:Maison Kayser",
    "ORG:Maison Kayser;", "item1.TEL;type=WORK:01 44 00 00 00", "X-ABShowAs:COMPANY", "END:VCARD",
    "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN", "N:Nakamura;Yui;;;",
    "FN:Yui Nakamura", "X-PHONETIC-FIRST-NAME:ゆい", "X-PHONETIC-LAST-NAME:なかむら",
    "item1.TEL;type=CELL:090-8765-4321", "item1.X-ABLabel:_$!<Mobile>!$_",
    "item2.ADR;type=HOME:;;Ginza 4-6-16;Chuo-ku;Tokyo;104-0061;Japan", "END:VCARD",
    "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN", "N:;;;;", "FN:",
    "item1.EMAIL;type=INTERNET:unknown.sender@example.com", "END:VCARD", "",
])

LOSS = re.compile(r"not imported|not kept|left out|properties not kept|cannot be read", re.IGNORECASE)


@pytest.mark.parametrize("name, text, cards", [("android.vcf", ANDROID, 7), ("iphone.vcf", IPHONE, 4)])
def test_whole_phone_export_comes_in_whole(vault, tmp_path, name, text, cards):
    with vault.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('home_region', 'FR')")
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    plan = build_plan(vault, read_files([path]))
    report = apply_plan(vault, plan)
    lines = plan.report_lines()
    assert not [line for line in lines if LOSS.search(line)], lines
    assert len(report.created) == cards == contacts.count(vault)
    people = [contacts.get(vault, cid) for cid in report.created]
    tel_lines = len(re.findall(r"^(?:item\d+\.)?TEL[;:]", text, re.MULTILINE))
    assert sum(len(c.phones) for c in people) == tel_lines  # every phone is a phone
    # The only warnings left say what was done, not what was lost.
    for line in lines:
        assert "named after" in line or "kept as written" in line, line


def test_android_fields_land_where_they_belong(vault, tmp_path):
    with vault.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('home_region', 'FR')")
    path = tmp_path / "android.vcf"
    path.write_bytes(ANDROID.encode("utf-8"))
    apply_plan(vault, build_plan(vault, read_files([path])))
    people = {c.display_name: c for c in (contacts.get(vault, r[0]) for r in vault.query("SELECT id FROM contacts"))}
    jurgen = people["Jürgen Müller"]
    assert [(p.e164, p.label) for p in jurgen.phones] == [
        ("+4915123456789", "mobile"), ("+49301234567", "home"), ("+41227001234", "Büro Genève")]
    assert jurgen.photo == JPEG and jurgen.birthday().iso() == "1975-03-14"
    notes = "\n".join(m.text for m in moments.for_contact(vault, jurgen.id))
    for text in ("Nickname: Jürgi", "Related: Anna", "Website: http://mueller.example.de", "Job title: Einkauf"):
        assert text in notes
    assert people["0698765432"].phones[0].e164 == "+33698765432"
    assert [(p.raw, p.e164) for p in people["Messagerie"].phones] == [("888", "")]
    ann = people["Ann Miller"]
    assert [p.e164 for p in ann.phones] == ["+12125557777", "+12125550100"]
    assert ann.phones[1].raw.endswith("ext. 42") and ann.addresses[0].country_code == "US"
    assert people["山田花子"].transliteration == "ヤマダ ハナコ"
    assert people["Atelier Soie"].organisation == "Atelier Soie" and not people["Atelier Soie"].given_name
