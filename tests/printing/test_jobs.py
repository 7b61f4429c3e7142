"""Print jobs end to end from a vault: scripts survive, consent and missing addresses are reported,
letters greet people properly, envelopes and cards have the right sizes, cancel leaves nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from boutique_book.core.jobs import Cancelled
from boutique_book.core.model import Contact
from boutique_book.printing import addresses, jobs, recipients, sheets, templates

from .conftest import all_text, lines_of, logical, pdf_pages
from .test_labels import chars_by_cell


def test_japanese_arabic_cyrillic_addresses_come_out_as_they_went_in(mail_vault, add_person):
    ja = add_person("太郎", "山田", "中央区銀座4-6-16", "東京都", "104-0061", "JP", language="ja")
    ar = add_person("محمد", "الحسن", "شارع الشيخ زايد 12", "دبي", "", "AE", language="ar")
    ru = add_person("Анна", "Иванова", "ул. Петровка 5", "Москва", "125009", "RU", language="ru")
    result = jobs.print_labels(mail_vault, [ja, ar, ru], "L7160")
    assert result.count == 3 and not result.report.excluded
    cells = chars_by_cell(sheets.sheet("L7160"), result.pdf)
    text = [logical(line) for key in sorted(cells) for line in lines_of(cells[key])]
    for line in ("山田太郎 様", "中央区銀座4-6-16", "東京都", "〒104-0061",       # Japanese, local order
                 "محمد الحسن", "شارع الشيخ زايد 12", "دبي",                    # Arabic, shaped then read back
                 "Анна Иванова", "125009"):
        assert line in text, (line, text)
    # Russian post writes street and town in capitals (address data's upper-casing rule)
    assert "УЛ. ПЕТРОВКА 5" in text and "МОСКВА" in text
    # international mail: the country in the sender's language (French boutique), in capitals
    assert {"JAPON", "ÉMIRATS ARABES UNIS", "RUSSIE"} <= set(text)


def test_arabic_is_shaped_not_isolated_letters(mail_vault, add_person):
    ar = add_person("محمد", "الحسن", "شارع الشيخ زايد", "دبي", "", "AE")
    pdf = jobs.print_labels(mail_vault, [ar], "L7160").pdf
    chars = "".join(c["text"] for _w, _h, cs in pdf_pages(pdf) for c in cs)
    assert any("\ufe70" <= ch <= "\ufefc" for ch in chars)          # contextual forms were used
    assert not any("\u0600" <= ch <= "\u06ff" for ch in chars)       # no unjoined base letters


def test_address_formats_follow_the_destination():
    from boutique_book.core.model import Address

    us = addresses.format_lines("Emily Brown", "", Address("10 Madison Avenue", "New York", "10022", "US",
                                                           region="NY"), "FR", "fr")
    assert us == ["Emily Brown", "10 Madison Avenue", "NEW YORK, NY 10022", "ÉTATS-UNIS"]
    de = addresses.format_lines("Herr Jürgen Müller", "", Address("Maximilianstraße 3", "München", "80331", "DE"),
                                "DE", "de")
    assert de == ["Herr Jürgen Müller", "Maximilianstraße 3", "80331 MÜNCHEN"]      # domestic: no country line
    gb = addresses.format_lines("James Smith", "", Address("1 Bond Street", "London", "W1S 1DN", "GB"), "DE", "de")
    assert gb == ["James Smith", "1 Bond Street", "LONDON", "W1S 1DN", "VEREINIGTES KÖNIGREICH"]
    romaji = addresses.format_lines("Yamada Taro", "", Address("4-6-16 Ginza, Chuo-ku", "Tokyo", "104-0061", "JP"),
                                    "US", "en")
    assert romaji[0] == "Yamada Taro" and romaji[-1] == "JAPAN"     # Latin text: Latin order, name first
    gr = addresses.format_lines("Νίκος", "", Address("Ερμού 25", "Αθήνα", "105 63", "GR"), "GR", "el")
    assert gr[-1] == "105 63 ΑΘΗΝΑ"                                   # Greek capitals drop the tonos


def test_contacts_without_usable_address_or_consent_are_reported_not_dropped(mail_vault, add_person):
    ok = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame")
    no_address = add_person("Zoë", "Bérard")
    no_city = add_person("Léa", "Moreau", "3 rue de la Paix", "", "75002")
    refused = add_person("Jérôme", "Giraud", "1 quai des Chartrons", "Bordeaux", "33000", consent=False)
    never_asked = add_person("Noël", "Fontaine", "5 rue Royale", "Paris", "75008", consent=None)
    result = jobs.print_envelopes(mail_vault, [ok, no_address, no_city, refused, never_asked, 99999], "DL")
    assert result.count == 1
    report = result.report
    assert {e.contact_id for e in report.no_address} == {no_address, no_city}
    assert {e.contact_id for e in report.no_consent} == {refused, never_asked}
    assert [e.contact_id for e in report.excluded if e.kind == "missing"] == [99999]
    reasons = {e.contact_id: e.reason for e in report.excluded}
    assert reasons[no_address] == "no postal address" and "city" in reasons[no_city]
    assert "2 without a usable postal address" in report.summary()
    assert "2 excluded: no consent to postal mail" in report.summary()


def test_french_letter_says_madame(mail_vault, add_person):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame", language="fr")
    result = jobs.print_documents(mail_vault, [anne], "letter", staff_name="Camille Laurent",
                                  today=dt.date(2025, 3, 5))
    text = all_text(result.pdf)
    assert "Chère Madame Dupont," in text
    assert "Madame Anne Dupont" in text                      # the address block in the window
    assert "Paris, le 5 mars 2025" in text                   # date in the recipient's language
    assert "Maison Laurent" in text
    width, height, _chars = pdf_pages(result.pdf)[0]
    assert (round(width), round(height)) == (595, 842)


def test_each_recipient_gets_their_own_language(mail_vault, add_person):
    ids = [add_person("Jürgen", "Müller", "Maximilianstraße 3", "München", "80331", "DE", salutation="Herr",
                      language="de"),
           add_person("Anna", "Smith", "1 Bond Street", "London", "W1S 1DN", "GB", formality="informal",
                      language="en"),
           add_person("花子", "佐藤", "北区梅田1-1-3", "大阪府", "530-0001", "JP", language="ja")]
    text = all_text(jobs.print_documents(mail_vault, ids, "card", fmt="A6", staff_name="Camille Laurent").pdf)
    assert "Sehr geehrter Herr Müller," in text
    assert "Dear Anna," in text
    assert "佐藤様" in text


@pytest.mark.parametrize("language,contact,expected", [
    ("fr", Contact(given_name="Anne", family_name="Dupont", salutation="Madame"), "Chère Madame Dupont"),
    ("fr", Contact(given_name="Paul", family_name="Morel", salutation="Monsieur"), "Cher Monsieur Morel"),
    ("fr", Contact(given_name="Paul", family_name="Morel", salutation="Monsieur", formality="informal"), "Cher Paul"),
    ("de", Contact(given_name="Jürgen", family_name="Müller", salutation="Herr"), "Sehr geehrter Herr Müller"),
    ("de", Contact(given_name="Käthe", family_name="Weiß", salutation="Frau"), "Sehr geehrte Frau Weiß"),
    ("en", Contact(given_name="Anna", family_name="Smith", formality="informal"), "Dear Anna"),
    ("en", Contact(given_name="Anna", family_name="Smith", salutation="Ms"), "Dear Ms Smith"),
    ("it", Contact(given_name="Giulia", family_name="Rossi", salutation="Signora"), "Gentile Signora Rossi"),
    ("es", Contact(given_name="Álvaro", family_name="García", salutation="Señor"), "Estimado señor García"),
    ("ja", Contact(given_name="太郎", family_name="山田"), "山田様"),
    ("fr", Contact(given_name="Hélène", family_name="Roy", salutation="Chère Hélène, chère amie"),
     "Chère Hélène, chère amie"),
])
def test_salutations(language, contact, expected):
    assert templates.salutation(contact, language) == expected


def test_template_with_unknown_field_is_refused_naming_it(mail_vault):
    bad = templates.Template("thanks.fr", "card", "fr", "Merci", "{salutation},\nMerci {prenom} !")
    with pytest.raises(templates.TemplateError) as caught:
        templates.save(mail_vault, bad)
    assert "{prenom}" in str(caught.value) and "thanks.fr" in str(caught.value)
    assert "thanks.fr" not in templates.all_templates(mail_vault)


def test_manager_template_is_stored_in_the_vault_and_used(mail_vault, add_person):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame", language="fr")
    templates.save(mail_vault, templates.Template("noel.fr", "card", "fr", "Noël",
                                                  "{salutation},\nJoyeux Noël de la part de {boutique_name} !"),
                   actor="manager")
    assert mail_vault.scalar("SELECT count(*) FROM audit_log WHERE action='settings'") >= 1
    text = all_text(jobs.print_documents(mail_vault, [anne], "noel", fmt="A5-folded", staff_name="Léa").pdf)
    assert "Joyeux Noël de la part de Maison Laurent !" in text
    assert templates.delete(mail_vault, "noel.fr") and "noel.fr" not in templates.all_templates(mail_vault)


def test_shipped_templates_cover_six_languages():
    found = templates.shipped()
    for family in ("letter", "card"):
        assert {t.language for t in found.values() if t.family == family} >= {"en", "fr", "de", "it", "es", "ja"}


@pytest.mark.parametrize("code,size_mm", [("DL", (220, 110)), ("C5", (229, 162)), ("C6", (162, 114)),
                                          ("US10", (241.3, 104.775))])
def test_envelope_sizes_and_sender_block(mail_vault, add_person, code, size_mm):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame")
    pdf = jobs.print_envelopes(mail_vault, [anne], code).pdf
    width, height, chars = pdf_pages(pdf)[0]
    assert (round(width, 1), round(height, 1)) == (round(size_mm[0] / 25.4 * 72, 1), round(size_mm[1] / 25.4 * 72, 1))
    assert all(0 <= c["x0"] and c["x1"] <= width and 0 <= c["top"] and c["bottom"] <= height for c in chars)
    text = all_text(pdf)
    assert "Maison Laurent" in text and "Madame Anne Dupont" in text
    assert "Maison Laurent" not in all_text(jobs.print_envelopes(mail_vault, [anne], code, with_sender=False).pdf)


def test_card_formats(mail_vault, add_person):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame", language="fr")
    a6 = pdf_pages(jobs.print_documents(mail_vault, [anne], "card", staff_name="Léa").pdf)[0]
    assert (round(a6[0]), round(a6[1])) == (298, 420)
    folded = pdf_pages(jobs.print_documents(mail_vault, [anne], "card", fmt="A5-folded", staff_name="Léa").pdf)[0]
    assert (round(folded[0]), round(folded[1])) == (595, 420)
    assert all(c["x0"] >= folded[0] / 2 for c in folded[2])      # the message sits on the inside right page


def test_progress_and_cancel(demo_vault):
    ids = recipients.ids_for_all(demo_vault)
    seen = []
    result = jobs.print_labels(demo_vault, ids, "L7160", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and seen == sorted(seen)
    assert result.count + len(result.report.excluded) == len(ids)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        jobs.print_labels(demo_vault, ids, "L7160", cancelled=cancelled)


def test_selection_helpers(demo_vault):
    friends = recipients.ids_for_tier(demo_vault, "friends")
    assert friends and len(set(friends)) == len(friends)
    assert recipients.parse_ids("1, 3-5,9") == [1, 3, 4, 5, 9]
    found = recipients.ids_for_query(demo_vault, "Dupont")
    assert all("Dupont" in c for c in [demo_vault.scalar("SELECT family_name FROM contacts WHERE id=?", (i,))
                                       for i in found[:5]])


def test_mark_cards_printed_adds_a_moment_and_marks_the_season_list(mail_vault, add_person):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008")
    with mail_vault.transaction() as conn:      # a season list as the calendar keeps it (tables of m0003)
        conn.execute("INSERT OR IGNORE INTO seasons(name, rule) VALUES ('Noël', '{}')")
        conn.execute("INSERT INTO season_recipients(season_id, year, contact_id) "
                     "SELECT id, 2025, ? FROM seasons WHERE name='Noël'", (anne,))
    assert jobs.mark_cards_printed(mail_vault, [anne], "Noël", 2025) == 1
    assert mail_vault.scalar("SELECT kind FROM moments WHERE contact_id=? AND season='Noël' AND season_year=2025",
                             (anne,)) == "card_sent"
    assert mail_vault.scalar("SELECT status FROM season_recipients WHERE contact_id=?", (anne,)) == "printed"


def test_cli_prints_labels_and_reports_exclusions(mail_vault, add_person, vault_path, passphrase, tmp_path,
                                                  monkeypatch, capsys):
    from boutique_book.cli import main
    from boutique_book.core.kdf import KdfParams  # noqa: F401  (fixture vault uses fast KDF)

    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame")
    zoe = add_person("Zoë", "Bérard")
    mail_vault.close()
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    out = tmp_path / "labels.pdf"
    assert main(["--vault", str(vault_path), "print", "labels", "--sheet", "L7163", "--start", "3",
                 "--ids", f"{anne},{zoe}", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Wrote 1 label to" in captured.out and "Zoë Bérard" in captured.err
    assert "Madame Anne Dupont" in all_text(out.read_bytes())
    assert main(["--vault", str(vault_path), "print", "letters", "--template", "nope", "--ids", str(anne),
                 "-o", str(tmp_path / "x.pdf")]) == 1
    assert not (tmp_path / "x.pdf").exists()
