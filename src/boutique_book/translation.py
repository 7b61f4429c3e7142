"""The catalog in use (a leaf module: it imports nothing of the package).

`i18n` chooses and loads catalogs (through `package_data`); this module only holds the one in use and
translates with it, so that `package_data` can word its own errors without importing `i18n` back.
"""

from __future__ import annotations

import gettext

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def use(catalog: gettext.NullTranslations, language: str) -> None:
    global _catalog, _language
    _catalog, _language = catalog, language


def in_use() -> tuple[gettext.NullTranslations, str]:
    return _catalog, _language


def language() -> str:
    return _language


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)
