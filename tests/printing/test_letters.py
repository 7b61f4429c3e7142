"""Letters and cards a boutique would sign (issue #24), read back from the PDFs with pdfplumber: no holes,
a signature block, the right direction per paragraph, Arabic templates, kinsoku and hyphenation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from reportlab.lib.units import mm

from boutique_book.core.errors import BoutiqueBookError
from boutique_book.printing import jobs, layout, templates

from .conftest import all_text, logical, pdf_pages

STAFF = "Camille Laurent"
TODAY = dt.date(2025, 3, 5)
# JIS X 4051: no line starts with these, none ends with those
NO_START = set("、。，．：；？！）］｝〉》」』】〕ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ・々")
NO_END = set("（［｛〈《「『【〔")


def rows(pdf: bytes, page: int = 0):
    """Text lines of one page top to bottom: (baseline y from the top, x0, x1, text as drawn)."""
    width, height, chars = pdf_pages(pdf)[page]
    grouped: dict[float, list] = {}
    for ch in chars:
        grouped.setdefault(round(ch["matrix"][5], 1), []).append(ch)
    out = []
    for y in sorted(grouped, reverse=True):
        cs = sorted(grouped[y], key=lambda c: c["x0"])
        out.append((height - y, cs[0]["x0"], cs[-1]["x1"], "".join(c["text"] for c in cs)))
    return out


def body_rows(pdf: bytes, page: int = 0):
    """The lines below the place-and-date line of a letter (the body and the signature)."""
    return [r for r in rows(pdf, page) if r[0] > 105 * mm and r[3].strip()]


# -- the boutique's details: no holes -------------------------------------------------------------------

def test_letter_without_boutique_details_is_refused_naming_them(vault, add_person_plain):
    anne = add_person_plain("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame",
                            language="en")
    with pytest.raises(BoutiqueBookError) as caught:
        jobs.print_documents(vault, [anne], "letter", staff_name=STAFF, today=TODAY)
    message = str(caught.value)
    assert "\n" not in message
    for word in ("name", "street", "postcode", "city"):
        assert word in message, message
    assert "boutique_name" not in message and "postal_code" not in message     # people's words only


def test_template_field_left_empty_is_named(mail_vault, add_person):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", language="fr")
    templates.save(mail_vault, templates.Template("rappel.fr", "card", "fr", "Rappel",
                                                  "{salutation},\n\nAppelez-nous au {boutique_phone} ou écrivez à "
                                                  "{boutique_email}."))
    with pytest.raises(BoutiqueBookError) as caught:
        jobs.print_documents(mail_vault, [anne], "rappel", staff_name=STAFF)
    assert caught.value.fields == ["email"]              # the phone is set in the fixture, the e-mail is not
    assert "e-mail" in str(caught.value)
    from boutique_book.printing import boutique

    boutique.set_details(mail_vault, {"email": "bonjour@maison-laurent.fr"})
    text = all_text(jobs.print_documents(mail_vault, [anne], "rappel", staff_name=STAFF).pdf)
    assert any("bonjour@maison-laurent.fr" in line for line in text)


def test_envelope_gets_the_sender_or_is_refused(vault, add_person_plain):
    from boutique_book.printing import recipients

    anne = add_person_plain("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame")
    with pytest.raises(BoutiqueBookError) as caught:
        jobs.print_envelopes(vault, [anne], "DL")
    assert "name" in str(caught.value) and "street" in str(caught.value)
    assert jobs.print_envelopes(vault, [anne], "DL", with_sender=False).count == 1     # asked without sender
    recipients.set_sender(vault, {"name": "Maison Laurent", "street": "24 rue du Faubourg Saint-Honoré",
                                  "postal_code": "75008", "city": "Paris", "country_code": "FR"})
    text = all_text(jobs.print_envelopes(vault, [anne], "DL").pdf)
    assert {"Maison Laurent", "24 rue du Faubourg Saint-Honoré", "75008 PARIS", "Madame Anne Dupont"} <= set(text)


def test_mail_abroad_names_the_boutiques_country_in_the_sender_block(mail_vault, add_person):
    """The return address on an envelope or letter going abroad ends with the boutique's country, or the
    destination's post could not send it back; at home it does not (the post asks for none)."""
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame")
    amelia = add_person("Amelia", "Hughes", "12 George Street", "Edinburgh", "EH2 2AF", "GB", language="en")
    yumi = add_person("由美", "田中", "中央区銀座4-6-16", "東京都", "104-0061", "JP", language="ja")
    sender = ["Maison Laurent", "24 rue du Faubourg Saint-Honoré", "75008 PARIS"]
    envelopes = jobs.print_envelopes(mail_vault, [anne, amelia, yumi], "DL").pdf
    letters = jobs.print_documents(mail_vault, [anne, amelia, yumi], "letter", staff_name=STAFF, today=TODAY).pdf
    for pdf in (envelopes, letters):
        pages = [[r[3] for r in rows(pdf, n)] for n in range(3)]
        assert [page[:4] for page in pages] == [sender + [pages[0][3]], sender + ["FRANCE"], sender + ["FRANCE"]]
        assert pages[0][3] != "FRANCE" and "FRANCE" not in pages[0]       # domestic: no country at all
        assert "ROYAUME-UNI" in pages[1] and "JAPON" in pages[2]          # the recipient's country as before


def test_no_double_space_or_space_before_punctuation(mail_vault, add_person):
    anne = add_person("Anne", "Smith", "1 Bond Street", "London", "W1S 1DN", "GB", language="en")
    templates.save(mail_vault, templates.Template("thanks.en", "card", "en", "Thanks",
                                                  "Dear {given_name} {title}, thank you {title}.\n\n"
                                                  "See you soon at {boutique_name} ."))
    pdf = jobs.print_documents(mail_vault, [anne], "thanks", staff_name=STAFF).pdf
    text = all_text(pdf)
    assert "Dear Anne, thank you." in text
    for line in text:
        assert "  " not in line and not re.search(r"\s[,.;]", line), line


def test_person_without_the_name_a_template_uses_is_reported_not_printed_with_a_hole(mail_vault, add_person):
    org = add_person("", "", "8 rue Royale", "Paris", "75008", organisation="Cercle de l'Union", language="fr")
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", language="fr")
    templates.save(mail_vault, templates.Template("prenom.fr", "card", "fr", "Prénom", "Chère {given_name},\n\nMerci."))
    result = jobs.print_documents(mail_vault, [org, anne], "prenom", staff_name=STAFF)
    assert result.count == 1
    assert [e.contact_id for e in result.report.excluded] == [org]
    assert "given name" in result.report.excluded[0].reason
    assert not any(line.startswith("Chère ,") or line == "Chère," for line in all_text(result.pdf))


# -- signature block ------------------------------------------------------------------------------------

def test_letter_is_signed_closing_room_to_sign_staff_boutique(mail_vault, add_person):
    anne = add_person("Anne", "Smith", "1 Bond Street", "London", "W1S 1DN", "GB", language="en")
    pdf = jobs.print_documents(mail_vault, [anne], "letter", staff_name=STAFF, today=TODAY).pdf
    lines = body_rows(pdf)
    texts = [r[3] for r in lines]
    closing = texts.index("With our warmest regards,")
    staff = texts.index(STAFF)
    assert texts[staff + 1] == "Maison Laurent"                           # the boutique line under the name
    assert staff == closing + 1                                           # nothing but room in between
    assert lines[staff][0] - lines[closing][0] >= 14 * mm                 # room for a handwritten signature


def test_cli_letters_need_someone_to_sign(mail_vault, add_person, vault_path, passphrase, tmp_path, monkeypatch,
                                          capsys):
    from boutique_book.cli import main

    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", salutation="Madame", language="fr")
    mail_vault.close()
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    out = tmp_path / "letter.pdf"
    assert main(["--vault", str(vault_path), "print", "letters", "--template", "letter", "--ids", str(anne),
                 "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--staff" in err and err.count("\n") == 1 and not out.exists()
    assert main(["--vault", str(vault_path), "print", "letters", "--template", "card", "--ids", str(anne),
                 "--staff", "Léonie Marchand", "-o", str(out)]) == 0
    text = all_text(out.read_bytes())
    assert "Léonie Marchand" in text and "Bien chaleureusement," in text


def test_closing_follows_language_and_register_and_the_template_can_change_it(mail_vault, add_person):
    formal = add_person("Jürgen", "Müller", "Maximilianstraße 3", "München", "80331", "DE", salutation="Herr",
                        language="de")
    friend = add_person("Greta", "Becker", "Jungfernstieg 7", "Hamburg", "20095", "DE", salutation="Frau",
                        language="de", formality="informal")
    text = all_text(jobs.print_documents(mail_vault, [formal, friend], "letter", staff_name=STAFF).pdf)
    assert "Mit herzlichen Grüßen" in text and "Herzliche Grüße" in text
    custom = templates.parse("gruss.de", "kind: card\nlanguage: de\nsignature: closing, staff\n"
                                         "closing: Bis bald in der Boutique!\n---\n{salutation},\n\nDanke.")
    templates.save(mail_vault, custom)
    text = all_text(jobs.print_documents(mail_vault, [formal], "gruss", staff_name=STAFF).pdf)
    assert text[-2:] == ["Bis bald in der Boutique!", STAFF]              # no boutique line: not asked for
    with pytest.raises(templates.TemplateError):
        templates.validate(templates.parse("x.de", "signature: closing, stamp\n---\nHallo"))


def test_a_manager_template_that_signs_itself_gets_no_second_signature(mail_vault, add_person):
    anne = add_person("Anne", "Dupont", "12 avenue Montaigne", "Paris", "75008", language="fr")
    templates.save(mail_vault, templates.Template("mot.fr", "card", "fr", "Mot",
                                                  "{salutation},\n\nÀ bientôt !\n\n{staff_name}"))
    text = all_text(jobs.print_documents(mail_vault, [anne], "mot", staff_name=STAFF).pdf)
    assert text.count(STAFF) == 1 and "Bien chaleureusement," not in text


# -- direction ------------------------------------------------------------------------------------------

def test_english_letter_to_an_arabic_name_stays_left_aligned(mail_vault, add_person):
    mohammed = add_person("محمد", "الحسن", "1 Bond Street", "London", "W1S 1DN", "GB", language="en")
    pdf = jobs.print_documents(mail_vault, [mohammed], "letter", staff_name=STAFF, today=TODAY).pdf
    lines = body_rows(pdf)
    assert any("Dear" in r[3] for r in lines)
    left = 25 * mm
    for top, x0, _x1, text in lines:
        assert abs(x0 - left) < 0.5, (text, x0 / mm)        # every body line starts at the left margin


def test_english_card_to_an_arabic_name_stays_left_aligned(mail_vault, add_person):
    mohammed = add_person("محمد", "الحسن", "1 Bond Street", "London", "W1S 1DN", "GB", language="en",
                          formality="informal")
    for fmt, left in (("A6", 12 * mm), ("A5-folded", None)):
        pdf = jobs.print_documents(mail_vault, [mohammed], "card", fmt=fmt, staff_name=STAFF).pdf
        width = pdf_pages(pdf)[0][0]
        left = 12 * mm if left is not None else width / 2 + 12 * mm
        lines = [r for r in rows(pdf) if r[3].strip()]
        assert any(r[3].startswith("Dear ") for r in lines) and any(r[3] == STAFF for r in lines)
        assert len(lines) >= 5
        for _top, x0, _x1, text in lines:
            assert abs(x0 - left) < 0.5, (fmt, text, x0 / mm)           # every line at the card's left margin


def test_arabic_letter_and_card_are_right_aligned_shaped_with_arabic_digits(mail_vault, add_person):
    fatima = add_person("فاطمة", "منصور", "شارع الكورنيش 4", "أبو ظبي", "", "AE", language="ar")
    pdf = jobs.print_documents(mail_vault, [fatima], "letter", staff_name=STAFF, today=TODAY).pdf
    width = pdf_pages(pdf)[0][0]
    lines = body_rows(pdf)
    assert len(lines) >= 6
    for _top, _x0, x1, text in lines:
        assert abs(x1 - (width - 20 * mm)) < 0.5, (logical(text), x1 / mm)   # each line ends at the right margin
    text = all_text(pdf)
    assert "حضرة فاطمة منصور،" in text                                    # the salutation, in Arabic
    assert "Paris، ٥ مارس ٢٠٢٥" in text                                  # CLDR date, Arabic digits
    assert "مع أطيب التحيات،" in text and STAFF in text
    chars = "".join(c["text"] for _w, _h, cs in pdf_pages(pdf) for c in cs)
    assert any("\ufe70" <= ch <= "\ufefc" for ch in chars)               # shaped (contextual forms)
    card = jobs.print_documents(mail_vault, [fatima], "card", staff_name=STAFF).pdf
    card_width = pdf_pages(card)[0][0]
    card_lines = [r for r in rows(card) if r[3].strip()]
    assert all(abs(x1 - (card_width - 12 * mm)) < 0.5 for _t, _x0, x1, _s in card_lines)
    assert "شكرا لزيارتكم ولثقتكم بنا." in " ".join(all_text(card))


def test_shipped_templates_include_arabic():
    found = templates.shipped()
    assert {"letter.ar", "card.ar"} <= set(found)
    assert found["letter.ar"].direction == "rtl" and found["letter.en"].direction == "ltr"


def test_arabic_date_from_cldr_with_arabic_digits():
    assert templates.format_date(dt.date(2025, 3, 5), "ar") == "٥ مارس ٢٠٢٥"
    assert templates.format_date(dt.date(2025, 3, 5), "fr") == "5 mars 2025"


def test_a_long_card_stays_inside_the_card_in_every_script(mail_vault, add_person):
    """A manager's long card text, a long name: shrunk and wrapped, never past the card's 12 mm margins."""
    people = [add_person("Marie-Charlotte-Éléonore", "de La Rochefoucauld-Montmorency", "12 avenue Montaigne",
                         "Paris", "75008", language="fr"),
              add_person("由美子", "長谷川", "中央区銀座4-6-16", "東京都", "104-0061", "JP", language="ja"),
              add_person("فاطمة الزهراء", "عبد الرحمن", "شارع الكورنيش 4", "أبو ظبي", "", "AE", language="ar")]
    bodies = {"fr": "Merci pour votre visite et pour votre confiance renouvelée au fil des saisons. " * 9,
              "ja": JAPANESE * 3,
              "ar": "شكرا لزيارتكم ولثقتكم بنا. كان من دواعي سرورنا رؤيتكم، ونتطلع إلى استقبالكم مجددا. " * 8}
    for language, body in bodies.items():
        templates.save(mail_vault, templates.Template(f"long.{language}", "card", language, "Long",
                                                      "{salutation},\n\n" + body.strip()))
    for fmt in ("A6", "A5-folded"):
        pdf = jobs.print_documents(mail_vault, people, "long", fmt=fmt, staff_name=STAFF).pdf
        pages = pdf_pages(pdf)
        assert len(pages) == 3
        for width, height, chars in pages:
            left = (width / 2 if fmt == "A5-folded" else 0) + 12 * mm
            assert len(chars) > 200
            for ch in chars:
                assert ch["x0"] >= left - 0.5 and ch["x1"] <= width - 12 * mm + 0.5, (fmt, ch["text"], ch["x0"] / mm)
                assert ch["top"] >= 12 * mm - 0.5 and ch["bottom"] <= height - 12 * mm + 0.5, (fmt, ch["text"])
        text = " ".join(all_text(pdf))
        assert STAFF in text and "…" not in text                     # everything printed, signed, nothing cut


# -- line breaking --------------------------------------------------------------------------------------

JAPANESE = ("先日はご来店いただき、誠にありがとうございました。「新作」のコートは（カシミヤ）、"
            "お客様のサイズでご用意しております。またお目にかかれる日を、スタッフ一同心よりお待ちしております。")


def test_japanese_lines_never_start_or_end_with_a_forbidden_character():
    for width_pt in range(60, 400, 7):
        pieces = layout.wrap(JAPANESE, width_pt, 10.0, "serif")
        assert "".join(pieces) == JAPANESE
        for piece in pieces:
            assert piece[0] not in NO_START, (width_pt, pieces)
            assert piece[-1] not in NO_END, (width_pt, pieces)
            assert layout.fonts.width(piece, 10.0, "serif") <= width_pt + 0.01


def test_japanese_card_and_letter_in_the_pdf_obey_kinsoku(mail_vault, add_person):
    ids = [add_person(given, family, "中央区銀座4-6-16", "東京都", "104-0061", "JP", language="ja")
           for given, family in (("花子", "佐藤"), ("翔", "高橋"), ("美咲", "渡辺"), ("由美", "田中"))]
    seen = 0
    for family, fmt in (("card", "A6"), ("card", "A5-folded"), ("letter", "A4")):
        pdf = jobs.print_documents(mail_vault, ids, family, fmt=fmt, staff_name=STAFF).pdf
        for page in range(len(pdf_pages(pdf))):
            page_rows = rows(pdf, page)
            wrapped = [text for _top, _x0, _x1, text in page_rows if re.search(r"[ぁ-んァ-ン]", text)]
            assert len(wrapped) >= 3, (family, fmt, wrapped)                 # the Japanese body is there
            seen += len(wrapped)
            for _top, _x0, _x1, text in page_rows:
                assert text[0] not in NO_START and text[-1] not in NO_END, (family, fmt, text)
    assert seen >= 3 * 4 * 3


def test_latin_words_wrap_whole_and_an_overflowing_word_is_hyphenated():
    text = "Unverwechselbarkeit"
    width = layout.fonts.width("Unverwechsel-", 10, "serif") + 1
    pieces = layout.wrap(text, width, 10, "serif", language="de")
    assert pieces == ["Unverwechsel-", "barkeit"]                         # at a syllable, with a hyphen
    plain = layout.wrap(text, width, 10, "serif")                         # labels: no made-up hyphen
    assert "".join(plain) == text and len(plain) == 2
    sentence = "Merci pour votre visite et pour votre confiance extraordinairement fidèle."
    pieces = layout.wrap(sentence, 120, 10, "serif", language="fr")
    assert " ".join(pieces) == sentence                                  # ordinary words are never split
    assert all(layout.fonts.width(p, 10, "serif") <= 120 for p in pieces)


# -- the demo book --------------------------------------------------------------------------------------

def test_demo_book_has_a_complete_boutique_and_prints_in_four_languages(demo_vault):
    from boutique_book.printing import boutique

    boutique.complete_demo(demo_vault)
    details = boutique.get(demo_vault)
    assert boutique.missing(details, [f for f in boutique.FIELDS if f != "region"]) == [] and details["logo_png"]
    wanted = {}
    for language in ("fr", "en", "ja", "ar"):
        wanted[language] = demo_vault.scalar(
            "SELECT c.id FROM contacts c JOIN consents k ON k.contact_id=c.id AND k.purpose='mail' AND k.granted=1 "
            "JOIN contact_addresses a ON a.contact_id=c.id WHERE c.language=? AND c.given_name<>'' "
            "ORDER BY c.id LIMIT 1", (language,))
    for family in ("letter", "card"):
        result = jobs.print_documents(demo_vault, list(wanted.values()), family, staff_name=STAFF)
        assert result.count == 4, result.report.details()
        text = all_text(result.pdf)
        assert text.count(STAFF) == 4
        assert not any("  " in line or re.search(r"\s[,.]", line) for line in text)
    envelope = all_text(jobs.print_envelopes(demo_vault, [wanted["ar"]], "DL").pdf)
    assert "Maison Laurent" in envelope and "ÉMIRATS ARABES UNIS" in envelope



def test_cli_boutique_set_and_show(vault, vault_path, passphrase, tmp_path, monkeypatch, capsys):
    from PIL import Image

    from boutique_book.cli import main

    vault.close()
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (30, 40, 50)).save(logo)
    base = ["--vault", str(vault_path), "boutique"]
    assert main(base + ["set", "--name", "Maison Laurent", "--street", "24 rue du Faubourg Saint-Honoré",
                        "--postcode", "75008", "--city", "Paris", "--country", "France", "--phone", "01 42 65 18 30",
                        "--email", "bonjour@maison-laurent.fr", "--website", "www.maison-laurent.fr",
                        "--logo", str(logo)]) == 0
    capsys.readouterr()
    assert main(base + ["show"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[:4] == ["Maison Laurent", "24 rue du Faubourg Saint-Honoré", "75008 PARIS", "France"]
    assert "phone: +33 1 42 65 18 30" in shown and any(line.startswith("logo: a picture") for line in shown)
    assert "FR" not in shown
    assert main(base + ["set", "--email", "not-an-address"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not-an-address" in err and "Traceback" not in err
    assert main(base + ["set", "--country", "Narnia"]) == 1
    assert "Narnia" in capsys.readouterr().err
    assert main(base + ["show"]) == 0
    assert "e-mail: bonjour@maison-laurent.fr" in capsys.readouterr().out       # nothing lost by a refused change
    assert main(base + ["set", "--street", ""]) == 0                           # emptied: named as still missing
    assert "street" in capsys.readouterr().out
    assert main(base + ["show"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[:3] == ["Maison Laurent", "75008 PARIS", "France"]           # the town is not hidden with it
