"""The one line a person sees when the book cannot be opened or saved is in their language (core.errors
was English-only: a German counter read 'The passphrase does not open …')."""

from __future__ import annotations

import pytest

from boutique_book import i18n
from boutique_book.core import errors


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("language, words", [("fr", "phrase de passe"), ("de", "Passphrase öffnet"),
                                             ("it", "non apre"), ("es", "no abre"), ("ja", "開けません")])
def test_the_wrong_passphrase_line_speaks_the_interface_language(language, words):
    i18n.set_language(language)
    text = str(errors.WrongPassphrase("boutique.vault"))
    assert words in text and "boutique.vault" in text and "Check Caps Lock" not in text


def test_every_error_line_is_translated_in_french():
    i18n.set_language("fr")
    lines = [errors.NotAVault("b.vault"), errors.VaultMissing("b.vault"), errors.VaultExists("b.vault"),
             errors.VaultNotWritable("b.vault"), errors.VaultTooNew("b.vault", 9, 7), errors.VaultDamaged("b.vault"),
             errors.VaultDamaged("b.vault", "page 3"), errors.VaultTruncated("b.vault", 100),
             errors.VaultTruncated("b.vault", 4096, 1), errors.VaultTruncated("b.vault", 8192, 2),
             errors.MigrationFailed("b.vault", 12, "m0012", "oops", "b.backup"), errors.DiskFull("b.vault"),
             errors.VaultBusy("b.vault")]
    english = ("passphrase", "cannot", "There is no", "already exists", "damaged", "cut short", "Updating",
               "Could not save", "disk is full", "another window", "only its first")
    for error in lines:
        text = str(error)
        assert not any(word in text for word in english), text
        assert "b.vault" in text
    assert "seules ses 2 premières pages" in str(errors.VaultTruncated("b.vault", 8192, 2))


def test_english_stays_as_it_was():
    i18n.set_language("en")
    assert str(errors.VaultTruncated("b.vault", 8192, 2)) == (
        "b.vault is cut short (only its first 2 pages are there): it was not changed. Restore the newest good backup.")
    assert str(errors.VaultDamaged("b.vault", "page 3 no longer matches its seal.")) == (
        "b.vault is damaged and was not changed: page 3 no longer matches its seal. Restore the newest good backup.")
