"""One translation function for every user-visible string (gettext catalogs in
boutique_book/translations/).

`_` looks the language up at call time, so switching language in settings applies to every window
built afterwards without restarting and without touching data.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

from . import translation
from .translation import _, ngettext  # noqa: F401  (the package's translation functions live here)

DOMAIN = "boutique_book"
LANGUAGES = ("en", "fr", "de", "it", "es", "ja")


def translations_dir() -> Path:
    """The package's translations folder (compiled .mo files; see package_data)."""
    from . import package_data

    return package_data.translations_dir()


def system_language() -> str:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX"):
            code = value.split(":")[0].split(".")[0].split("_")[0]
            if code in LANGUAGES:
                return code
    try:
        code = (locale.getlocale()[0] or "en").split("_")[0]
    except ValueError:
        code = "en"
    return code if code in LANGUAGES else "en"


def _load(language: str) -> gettext.NullTranslations:
    """The compiled catalog shipped with the package. Catalogs are compiled when the package is built
    (wheel, sdist, editable install, PyInstaller), never here: a missing one is a MissingResource error."""
    from . import package_data

    with open(package_data.catalog(language, DOMAIN), "rb") as fh:
        return gettext.GNUTranslations(fh)


def set_language(language: str | None) -> str:
    language = language if language in LANGUAGES else system_language()
    translation.use(_load(language) if language != "en" else gettext.NullTranslations(), language)
    return language


def current_language() -> str:
    return translation.language()


def N_(message: str) -> str:
    """Mark for extraction without translating now (translated where shown)."""
    return message


class language_for:
    """`with language_for("fr"): ...` -- text for one reader in their language (a person's data export), then
    the interface language again."""

    def __init__(self, language: str | None):
        self.language = language

    def __enter__(self) -> str:
        self._saved = translation.in_use()
        if self.language in LANGUAGES:
            translation.use(_load(self.language) if self.language != "en" else gettext.NullTranslations(),
                            self.language)
        return translation.language()

    def __exit__(self, *exc) -> None:
        translation.use(*self._saved)
