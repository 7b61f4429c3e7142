"""The contact form in sections with searchable country and language pickers (#22: one long ungrouped column
almost the height of the screen; language and country were free-text ISO codes)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDialog, QGroupBox, QLineEdit

from boutique_book.i18n import LANGUAGES

SECTIONS = {"identity": {"given_name", "name", "organisation", "salutation", "kind", "tier", "dates"},
            "reach": {"phone", "email"},
            "address": {"country", "street", "postal_code", "city", "region"},
            "preferences": {"language", "channel", "formality"}}


@pytest.fixture
def english():
    yield
    from boutique_book.ui.settings_view import apply_language

    apply_language("en")


def _form(qtbot, window, contact=None):
    from boutique_book.ui.contact_form import ContactForm

    form = ContactForm(window.context, contact, parent=window)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def _pick(qtbot, picker, typed: str):
    """Type part of a name into the picker and take the first suggestion, as a person does."""
    picker.lineEdit().clear()
    qtbot.keyClicks(picker.lineEdit(), typed)
    completer = picker.completer()
    assert completer.completionCount() >= 1, typed
    completer.setCurrentRow(0)
    chosen = completer.currentCompletion()
    completer.activated[str].emit(chosen)  # what Enter on the suggestion sends
    return chosen


def test_the_form_is_in_sections(qtbot, open_window):
    form = _form(qtbot, open_window)
    for section, keys in SECTIONS.items():
        box = form.sections[section]
        assert isinstance(box, QGroupBox) and box.isVisible() and box.title()
        for key in keys:
            assert box.isAncestorOf(form.fields[key]), (section, key)
    consent = form.sections["consent"]
    assert {c.text() for c in consent.findChildren(QCheckBox)} >= {"Mail", "Email", "Birthday greetings"}


def test_no_free_text_iso_field(qtbot, open_window):
    form = _form(qtbot, open_window)
    for key in ("country", "language"):
        picker = form.fields[key]
        assert isinstance(picker, QComboBox) and picker.isEditable()
        assert picker.completer().filterMode() == Qt.MatchContains
        names = [picker.itemText(i) for i in range(1, picker.count())]
        assert len(names) > 100
        codes = [i for i, name in enumerate(names) if re.fullmatch(r"[A-Za-z]{2}", name)]
        assert codes == [], [names[i] for i in codes]


def test_country_picker_finds_by_part_of_the_name_and_stores_the_code(qtbot, open_window, book):
    from boutique_book.core import contacts

    form = _form(qtbot, open_window)
    form.fields["given_name"].setText("Giulia")
    assert _pick(qtbot, form.fields["country"], "tal") == "Italy"  # contains, not only starts with
    assert form.country() == "IT"
    assert _pick(qtbot, form.fields["language"], "ital") == "Italian"
    form.fields["street"].setText("Via Roma 1")
    form.fields["city"].setText("Firenze")
    form.save()
    assert form.result() == QDialog.Accepted
    saved = contacts.get(open_window.vault, form.contact.id)
    assert (saved.country, saved.language) == ("IT", "it")
    assert saved.addresses[0].country_code == "IT"


def test_pickers_show_names_in_the_interface_language(qtbot, open_window, book, english):
    from boutique_book.core import contacts
    from boutique_book.ui.settings_view import apply_language

    apply_language("fr")
    contact = contacts.get(open_window.vault, book["planted_id"])
    contact.language = "ja"
    form = _form(qtbot, open_window, contact)
    assert form.fields["country"].currentText() == "France"
    assert form.fields["language"].currentText() == "japonais"
    assert _pick(qtbot, form.fields["country"], "allem") == "Allemagne"
    assert form.country() == "DE"
    formality = form.fields["formality"]
    from boutique_book.ui.labels import formality_label

    shown = [formality.itemText(i) for i in range(formality.count())]
    assert shown == [formality_label("formal"), formality_label("informal")] and "formal" not in shown
    assert form.sections["address"].title() == "Adresse"
    apply_language("ja")
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    assert form.fields["country"].currentText() == "フランス"


def test_register_is_named_through_the_labels(qtbot, open_window):
    from boutique_book.ui.labels import formality_label

    form = _form(qtbot, open_window)
    formality = form.fields["formality"]
    assert [formality.itemText(i) for i in range(formality.count())] == [formality_label("formal"),
                                                                          formality_label("informal")]
    assert [formality.itemData(i) for i in range(formality.count())] == ["formal", "informal"]


def test_a_typed_name_that_is_no_country_is_marked_and_kept(qtbot, open_window):
    form = _form(qtbot, open_window)
    form.fields["given_name"].setText("Nobody")
    form.fields["country"].setEditText("Atlantis")
    form.save()
    assert form.result() != QDialog.Accepted
    assert form.errors["country"].isVisible() and "country" in form.errors["country"].text().lower()
    assert form.fields["country"].currentText() == "Atlantis"  # nothing lost
    assert form.fields["given_name"].text() == "Nobody"


def test_typing_the_code_itself_still_finds_the_country(qtbot, open_window):
    form = _form(qtbot, open_window)
    form.fields["country"].setEditText("jp")
    assert form.country() == "JP"


def test_consent_is_recorded_when_it_changes(qtbot, open_window, book):
    from boutique_book.core import contacts

    contact = contacts.get(open_window.vault, book["planted_id"])
    form = _form(qtbot, open_window, contact)
    assert not any(c.isChecked() for c in form.consent.values())
    form.consent["mail"].setChecked(True)
    form.consent["birthday"].setChecked(True)
    form.save()
    assert form.result() == QDialog.Accepted
    now = contacts.consents(open_window.vault, book["planted_id"])
    assert {p: c.granted for p, c in now.items()} == {"mail": True, "birthday": True}  # untouched: no record
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    assert form.consent["mail"].isChecked() and form.consent["birthday"].isChecked()
    form.consent["mail"].setChecked(False)  # a withdrawal is a new record saying no
    form.save()
    now = contacts.consents(open_window.vault, book["planted_id"])
    assert now["mail"].granted is False and now["birthday"].granted is True
    count = open_window.vault.scalar("SELECT count(*) FROM consents WHERE contact_id=?", (book["planted_id"],))
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    form.save()  # nothing changed: nothing recorded
    assert open_window.vault.scalar("SELECT count(*) FROM consents WHERE contact_id=?",
                                    (book["planted_id"],)) == count


def test_the_address_follows_the_chosen_country(qtbot, open_window):
    form = _form(qtbot, open_window)
    form.fields["country"].set_code("US")
    assert form.rows["postal_code"][1].text() == "ZIP code" and form.rows["region"][1].text() == "State"
    assert form.row_visible("region")
    form.fields["country"].set_code("FR")
    assert form.rows["postal_code"][1].text() == "Postcode"
    assert not form.row_visible("region")  # France writes no region on a letter
    form.fields["country"].set_code("JP")
    assert form.rows["region"][1].text() == "Prefecture"
    form.fields["country"].set_code("DE")
    form.fields["phone"].setText("+4915123456789")
    form.format_phone()
    assert form.fields["phone"].text() == "+49 1512 3456789"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_fits_a_1366x768_screen(qtbot, open_window, book, language, english):
    """Its own size, in every language, with room to spare for an error line (the old form nearly filled
    the screen's height)."""
    from boutique_book.core import contacts
    from boutique_book.ui.settings_view import apply_language

    apply_language(language)
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    hint = form.sizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 - 80, (hint.width(), hint.height())
    assert form.minimumSizeHint().height() <= 768 - 80


def test_the_birthday_is_typed_and_shown_in_the_languages_order_not_iso(qtbot, open_window, book, english):
    """The birthday's hint was "1980-05-17, or --05-17…" in every language: ISO shown to a person."""
    from boutique_book.core import contacts
    from boutique_book.core.model import KeyDate, PartialDate
    from boutique_book.ui.settings_view import apply_language

    apply_language("fr")
    contact = contacts.get(open_window.vault, book["planted_id"])
    contact.dates = [KeyDate("birthday", PartialDate(5, 17, 1980), lead_days=14)]
    contacts.update(open_window.vault, contact)
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    field = form.fields["dates"]
    assert field.text() == "17/05/1980"
    assert field.placeholderText() == "p. ex. 17/05/1980, ou 17/05 si l’année est inconnue"
    field.setText("3/11")  # day and month, no year
    form.save()
    assert form.result() == QDialog.Accepted
    saved = contacts.get(open_window.vault, book["planted_id"]).birthday()
    assert saved == PartialDate(11, 3)
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    assert form.fields["dates"].text() == "03/11"
    form.fields["dates"].setText("31/02/1980")
    form.save()
    assert form.result() != QDialog.Accepted and form.errors["dates"].isVisible()
    assert "31/02/1980" in form.errors["dates"].text() and "1980-05-17" not in form.errors["dates"].text()
    apply_language("en")
    form = _form(qtbot, open_window, contacts.get(open_window.vault, book["planted_id"]))
    form.fields["dates"].setText("5/17/1980")
    form.save()
    assert contacts.get(open_window.vault, book["planted_id"]).birthday() == PartialDate(5, 17, 1980)
