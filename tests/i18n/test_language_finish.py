"""Language finish (#22): plurals through ngettext wherever a count is shown, each language's punctuation in
its catalog (French no-break space before : ; ! ?), gender-neutral hints.

The catalog-wide checks live in tools/i18n.py `problems()` (run on every catalog by test_catalogs.py and by
`python tools/i18n.py check`); here their positive controls, and the slips of the issue read back from the code
that shows them.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from boutique_book import i18n

ROOT = Path(__file__).resolve().parents[2]
NB = "\u00a0"


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool_finish", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def test_french_spacing_check_positive_control():
    slips = tool.french_spacing_slips
    assert slips("Courrier: non demandé") == [":"]          # the slip: no space at all
    assert slips("Courrier : non demandé") == [":"]         # an ordinary space lets the line break before ":"
    assert slips("Supprimer {name} ?") == ["?"]
    assert slips("Attention ; rien n'a été écrit !") == [";", "!"]
    assert slips(f"Courrier{NB}: non demandé") == []
    assert slips(f"Supprimer {{name}}{NB}?") == []
    assert slips("\u202f".join(["Vraiment", "?"])) == []
    # machine words and placeholders are not prose
    for text in ("aucune vCard (pas de ligne BEGIN:VCARD)", "la clé ed25519:…", "à {time:%H:%M}", "à 12:30",
                 "Contacts (*.vcf);;Tous les fichiers (*)", "voir https://example.org/a?b=c"):
        assert slips(text) == [], text


def test_count_check_positive_control():
    assert tool.count_without_plural("{n} people moved.")
    assert tool.count_without_plural("{n} phone(s)")
    assert tool.count_without_plural("Show all {count} moments")
    assert not tool.count_without_plural("Move {name} to:")
    catalog = Catalog(locale="fr")
    catalog.add("{n} people moved.", "{n} personnes déplacées.")
    catalog.add("Mail: {text}", "Courrier : {text}")
    catalog.add(("{n} person moved.", "{n} people moved."), ("{n} personne déplacée.", "{n} personnes déplacées."))
    found = tool.problems(catalog)
    assert any("ngettext" in p and "{n} people moved." in p for p in found)
    assert any("no-break space" in p and "Courrier" in p for p in found)
    assert len(found) == 2, found  # the plural message is fine


@pytest.mark.parametrize("language, one, two", [
    ("en", "1 person on the list", "2 people on the list"),
    ("fr", "1 personne sur la liste", "2 personnes sur la liste"),
    ("de", "1 Person auf der Liste", "2 Personen auf der Liste"),
    ("es", "1 persona en la lista", "2 personas en la lista"),
    ("it", "1 persona nella lista", "2 persone nella lista"),
    ("ja", "リストに 1 人", "リストに 2 人"),
])
def test_one_person_is_singular_in_every_language(language, one, two):
    i18n.set_language(language)
    form = ("{n} person on the list", "{n} people on the list")
    assert i18n.ngettext(*form, 1).format(n=1) == one
    assert i18n.ngettext(*form, 2).format(n=2) == two


def test_print_summary_counts_one_person_in_the_singular():
    from boutique_book.printing.recipients import Excluded, RecipientReport

    report = RecipientReport(excluded=[Excluded(1, "Léa Roux", "", "consent"), Excluded(2, "Ana", "", "address"),
                                       Excluded(3, "Jo", "", "address")])
    i18n.set_language("fr")
    assert report.summary() == f"0 à imprimer; 2 sans adresse postale utilisable; 1 exclu{NB}: pas de consentement au courrier postal"


def test_card_consent_line_follows_french_typography(vault):
    from boutique_book.core import card as core_card
    from boutique_book.core import contacts
    from boutique_book.core.model import Contact
    from boutique_book.ui.card_view import render

    cid = contacts.add(vault, Contact(given_name="Léa", family_name="Roux"))
    i18n.set_language("fr")
    html = render(core_card.load(vault, cid, language="fr"))
    assert f"Courrier{NB}: non demandé" in html or f"Courrier&nbsp;: non demandé" in html
    assert "Courrier: " not in html and "Courrier : " not in html


def test_search_hint_does_not_assume_a_gender():
    i18n.set_language("fr")
    hint = i18n._("Type a name, a phone number or a word they said.")
    assert "elle" not in hint.split() and "qu’elle" not in hint and "qu'elle" not in hint
    assert "la personne" in hint
