"""No internal word on paper or in the CLI's human output (#22): stored keys (snake_case, codes such as
`walk_in`, `christmas`), ISO timestamps and country codes where a name belongs are named through core.labels
and core.formatting. The scanner has a positive control; then it reads real PDFs and real CLI runs."""

from __future__ import annotations

import io
import re

import pytest

from boutique_book import i18n
from boutique_book.core import labels

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")
STORED_CODES = (set(labels.TIERS) | set(labels.KINDS) | set(labels.MOMENT_KINDS) | {"christmas", "new_year", "easter"}
                | {"walk_in", "referral", "concierge", "formal", "informal"}
                | {"create", "update", "delete", "tier", "consent", "tag", "untag", "merge"})  # change-log actions


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def internal_words(text: str, country_codes=()) -> list[str]:
    """What a person should not read: snake_case keys, ISO dates/timestamps, stored lower-case codes standing
    alone, and the given country codes standing alone where the country's name belongs."""
    found = SNAKE.findall(text) + ISO_TIME.findall(text)
    found += [w for w in re.findall(r"(?<![\w@/.-])[a-z_]+(?![\w@/.-])", text) if w in STORED_CODES]
    found += [c for c in country_codes if re.search(rf"(?<![\w+]){re.escape(c)}(?!\w)", text)]
    return found


def test_scanner_positive_control():
    bad = ("Carla (#3, 2026-11-22T10:00:00+00:00, walk_in)\nSeason: christmas\nKind customer, tier acquaintances\n"
           "12 rue de la Paix, 75002 Paris, FR")
    found = internal_words(bad, country_codes=("FR",))
    for word in ("walk_in", "2026-11-22T10:00:00+00:00", "christmas", "customer", "acquaintances", "FR"):
        assert word in found, word
    good = "Carla (#3, Nov 22, 2026, Walked in)\nChristmas card\nCustomer, Acquaintances\n75002 Paris, France"
    assert internal_words(good, country_codes=("FR",)) == []


def _pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_cli_network_output_names_sources_and_dates(vault, vault_path, passphrase, monkeypatch, capsys):
    from boutique_book.cli import main
    from boutique_book.core import contacts
    from boutique_book.core.model import Contact

    host = contacts.add(vault, Contact(given_name="Rosa", family_name="Root", first_met_source="walk_in"))
    contacts.add(vault, Contact(given_name="Carla", family_name="Client", first_met_source="referral",
                                first_met_contact_id=host))
    vault.close()
    monkeypatch.setenv("BOUTIQUE_BOOK_PASSPHRASE", passphrase)
    for command in (["referrals", str(host + 1)], ["first-met"]):
        assert main([*command, "--vault", str(vault_path)]) == 0
        out = capsys.readouterr().out
        assert out.strip()
        assert internal_words(out) == [], (command, out)


def test_print_dialog_names_the_season(qtbot, vault):
    from boutique_book.ui.print_view import PrintView

    view = PrintView.__new__(PrintView)  # only the season box is looked at
    from PySide6.QtWidgets import QComboBox

    view.season = QComboBox()
    view.context = type("Ctx", (), {"vault": vault})()
    PrintView._fill_seasons(view)
    texts = [view.season.itemText(i) for i in range(view.season.count())]
    assert "Christmas card" in texts and "christmas" not in texts
    view.season.setCurrentIndex(texts.index("Christmas card"))
    assert PrintView._season_name(view) == "christmas"  # kept by its code for the recipients and the marks


def test_card_names_countries_and_field_labels(vault):
    """Demo contacts' "mobile / home" and typed ones' "Phone / Email / Address" read alike; "FR" is "France"."""
    from boutique_book.core import card as core_card
    from boutique_book.core import contacts
    from boutique_book.core.model import Address, Contact, Email, Phone
    from boutique_book.ui.card_view import render

    cid = contacts.add(vault, Contact(given_name="Léa", family_name="Roux",
                                      phones=[Phone(raw="+33 6 12 34 56 78", label="mobile")],
                                      emails=[Email(address="lea@example.org", label="home")],
                                      addresses=[Address(label="home", street="12 rue de la Paix", city="Paris",
                                                         postal_code="75002", country_code="FR")]))
    html = render(core_card.load(vault, cid))
    assert ">Mobile<" in html and ">Home<" in html and ">mobile<" not in html and ">home<" not in html
    assert "France" in html and "<br>FR<" not in html and not html.rstrip().endswith("FR")
    i18n.set_language("fr")
    html = render(core_card.load(vault, cid, language="fr"))
    assert "France" in html and "Domicile" in html


def test_person_export_pdf_is_in_their_language_with_the_boutique_at_the_top(vault, manager_session, tmp_path):
    """The PDF a customer receives (right of access): their language, human labels, their dates, the boutique's
    name and address at the top. Before #22 it was English with formal/customer/acquaintances/story/ISO times."""
    import datetime as dt

    from boutique_book.core import contacts, moments
    from boutique_book.core.model import Address, Contact, Moment, Phone
    from boutique_book.interchange.person_export import export_person
    from boutique_book.printing.recipients import set_sender

    set_sender(vault, {"name": "Maison Lumière", "street": "8 rue du Faubourg Saint-Honoré", "city": "Paris",
                       "postal_code": "75008", "country_code": "FR"})
    cid = contacts.add(vault, Contact(given_name="Léa", family_name="Roux", language="fr", country="FR",
                                      kind="customer", tier="acquaintances", formality="formal",
                                      first_met_source="walk_in",
                                      phones=[Phone(raw="+33 6 12 34 56 78", label="mobile")],
                                      addresses=[Address(label="home", street="12 rue de la Paix", city="Paris",
                                                         postal_code="75002", country_code="FR")]))
    moments.add(vault, Moment(cid, "Aime les foulards en soie", dt.date(2025, 12, 13), kind="story"))
    # the change history: a card edit (field names), a tier change (codes) and a consent (purpose=answer)
    lea = contacts.get(vault, cid)
    lea.given_name, lea.phones = "Léa-Marie", [Phone(raw="+33 6 12 34 56 79", label="mobile")]
    contacts.update(vault, lea)
    contacts.set_tier(vault, cid, "friends")
    contacts.record_consent(vault, cid, "mail", True)
    _json, pdf = export_person(vault, cid, tmp_path, session=manager_session)
    text = _pdf_text(pdf.read_bytes())
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "Maison Lumière" and "Faubourg Saint-Honoré" in lines[1]
    assert "13 décembre 2025" in text                 # their date style, not 2025-12-13
    for word in ("Client", "Connaissances", "Anecdote", "Vouvoiement", "France", "Mobile"):
        assert word in text, word
    history = text[text.index("Historique des modifications"):].replace("\u00a0", " ").replace("\u202f", " ")
    for word in ("Ajouté au carnet", "Fiche modifiée", "Prénom, Téléphones", "Niveau modifié",
                 "de Connaissances à Amis", "Consentement enregistré", "Courrier : oui"):
        assert word in history, (word, history)
    assert internal_words(text, country_codes=("FR",)) == [], text
    assert i18n.current_language() == "en"            # the interface language is back afterwards


@pytest.mark.parametrize("language", ["en", "fr", "de", "it", "es", "ja"])
def test_every_change_log_action_and_field_has_a_human_label(language):
    from boutique_book.core.contacts import _SCALARS

    i18n.set_language(language)
    for action in labels.CHANGE_ACTIONS:
        assert internal_words(labels.change_label(action)) == [], action
    named = labels.change_detail("update", ",".join((*_SCALARS, "phones", "emails", "addresses", "dates", "tags")))
    assert internal_words(named) == [] and "_" not in named, named
    assert internal_words(labels.change_detail("tier", "acquaintances->family")) == []
    assert internal_words(labels.change_detail("interests_changed", "+1 -2 ~0")) == []


def test_card_at_a_glance_reads_in_the_language_with_its_punctuation_and_dates(vault):
    """An open complaint showed its ISO opening date on the card; 'Préférence: …' glued an English colon."""
    import datetime as dt

    from boutique_book.core import card as core_card
    from boutique_book.core import contacts, moments
    from boutique_book.core.model import Contact, Moment
    from boutique_book.ui.card_view import render

    cid = contacts.add(vault, Contact(given_name="Léa", family_name="Roux"))
    moments.add(vault, Moment(cid, "Ourlet décousu", dt.date(2026, 3, 2), kind="complaint"))
    moments.add(vault, Moment(cid, "Aime la soie ivoire", dt.date(2026, 3, 1), kind="preference"))
    i18n.set_language("fr")
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(render(core_card.load(vault, cid, language="fr")))
    text = document.toPlainText().replace("\u00a0", " ")  # Qt's plain text turns the no-break space into a space
    glance = text[text.index("EN BREF") if "EN BREF" in text else text.index("En bref"):]
    assert "Préférence : Aime la soie ivoire" in glance, glance
    assert ISO_TIME.findall(text) == [], text
