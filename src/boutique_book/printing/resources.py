"""Where the shipped fonts and templates live: inside the package (see boutique_book.package_data)."""

from __future__ import annotations

from pathlib import Path

from .. import package_data


def fonts_dir() -> Path:
    return package_data.fonts_dir()


def templates_dir() -> Path:
    return package_data.templates_dir()
