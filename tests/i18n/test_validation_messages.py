"""What a form shows next to a field comes from core validation: in the interface language, with the field's
name as the form calls it (core.validation wrote English, and 'Given name' was built from 'given_name')."""

from __future__ import annotations

import datetime as dt

import pytest

from boutique_book import i18n
from boutique_book.core import limits, phones
from boutique_book.core.errors import ValidationError
from boutique_book.core.model import Contact, Email, Moment
from boutique_book.core.moments import validate as validate_moment
from boutique_book.core.validation import contact_problems


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


def test_contact_problems_speak_french_and_name_the_field():
    i18n.set_language("fr")
    contact = Contact(given_name="A" * (limits.MAX_NAME_CHARS + 1), emails=[Email("pas-une-adresse")])
    texts = [str(p) for p in contact_problems(contact, "FR")]
    assert any(t.startswith("Prénom") and "trop long" in t for t in texts), texts
    assert any("« pas-une-adresse » n’est pas une adresse e-mail" in t for t in texts), texts
    assert not any("given" in t.lower() or "is not" in t for t in texts), texts


def test_an_empty_contact_and_a_bad_phone_in_german_and_japanese():
    i18n.set_language("de")
    assert "mindestens einen Namen" in str(contact_problems(Contact(), "DE")[0])
    with pytest.raises(ValidationError) as error:
        phones.normalise("abc")
    assert "keine Telefonnummer" in str(error.value)
    i18n.set_language("ja")
    with pytest.raises(ValidationError) as error:
        phones.normalise("")
    assert str(error.value) == "電話番号が空です。"


def test_a_moment_too_long_counts_in_the_languages_own_digits():
    i18n.set_language("fr")
    with pytest.raises(ValidationError) as error:
        validate_moment(Moment(1, "x" * (limits.MAX_MOMENT_CHARS + 1), dt.date(2026, 11, 27)))
    assert "Un moment compte au plus 20\u202f000 caractères" in str(error.value).replace("\xa0", "\u202f")


def test_english_words_are_unchanged():
    i18n.set_language("en")
    texts = [str(p) for p in contact_problems(Contact(given_name="A" * (limits.MAX_NAME_CHARS + 1)), "FR")]
    assert f"Given name is too long (at most {limits.MAX_NAME_CHARS} characters)." in texts
