"""The files shipped inside the `boutique_book` package, found with importlib.resources.

    resources/fonts/      TrueType fonts embedded in every PDF (+ their licences)
    resources/templates/  shipped card and letter templates, one file per language
    resources/icons/      the app icon and the SVG icons of the interface
    translations/<lang>/LC_MESSAGES/boutique_book.mo   compiled when the wheel/sdist is built (setup step
                          `src/build_catalogs.py`); the .po sources sit beside them in the repository only

The same lookup serves a source checkout, an installed wheel and the PyInstaller app (whose bootloader
answers importlib.resources from its own folder): no guessing of a repository layout. A file that is not
there is a MissingResource error naming the installation, never a path that quietly does not exist.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.resources
from pathlib import Path

from .core.errors import BoutiqueBookError

PACKAGE = "boutique_book"
_extracted = contextlib.ExitStack()  # only used if the package is not a plain folder (e.g. a zip)
atexit.register(_extracted.close)


class MissingResource(BoutiqueBookError):
    def __init__(self, what: str):
        from .translation import _

        self.what = what
        super().__init__(_("This installation of Boutique Book ({location}) is incomplete: {file} is missing. "
                           "Reinstall Boutique Book.").format(location=install_location(), file=what))


def install_location() -> str:
    """Where the running package lives (a site-packages folder, a source checkout or the frozen app)."""
    return str(importlib.resources.files(PACKAGE))


def _traversable(*parts: str):
    node = importlib.resources.files(PACKAGE)
    for part in parts:
        node = node.joinpath(part)
    return node


def path(*parts: str, folder: bool = False) -> Path:
    """The real file (or folder) `parts` inside the package; MissingResource if the install lacks it."""
    node = _traversable(*parts)
    present = node.is_dir() if folder else node.is_file()
    if not present:
        raise MissingResource("/".join(parts))
    if isinstance(node, Path):
        return node
    return _extracted.enter_context(importlib.resources.as_file(node))


def exists(*parts: str) -> bool:
    node = _traversable(*parts)
    return node.is_file() or node.is_dir()


def fonts_dir() -> Path:
    return path("resources", "fonts", folder=True)


def templates_dir() -> Path:
    return path("resources", "templates", folder=True)


def icon(name: str) -> Path:
    return path("resources", "icons", name)


def catalog(language: str, domain: str = "boutique_book") -> Path:
    """The compiled gettext catalog of `language` (built with the package, never at run time)."""
    return path("translations", language, "LC_MESSAGES", f"{domain}.mo")


def translations_dir() -> Path:
    return path("translations", folder=True)
