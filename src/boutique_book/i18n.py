"""One translation function for every user-visible string (gettext catalogs in translations/).

`_` looks the language up at call time, so switching language in settings applies to every window
built afterwards without restarting and without touching data.
"""

from __future__ import annotations

import gettext
import locale
import os
import sys
from pathlib import Path

DOMAIN = "boutique_book"
LANGUAGES = ("en", "fr", "de", "it", "es", "ja")
_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def translations_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "translations"] if frozen else []
    candidates += [Path(__file__).resolve().parent / "translations",
                   Path(__file__).resolve().parents[2] / "translations"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


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
    folder = translations_dir() / language / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        # Source checkout without compiled catalogs: compile in memory (babel) rather than show English.
        import io

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def set_language(language: str | None) -> str:
    global _current, _language
    language = language if language in LANGUAGES else system_language()
    _current = _load(language) if language != "en" else gettext.NullTranslations()
    _language = language
    return language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark for extraction without translating now (translated where shown)."""
    return message
