"""Where the shipped fonts and templates live (repository `resources/`, or the frozen app's copy)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    here = Path(__file__).resolve()
    candidates = [Path(frozen) / "resources"] if frozen else []
    candidates += [here.parents[1] / "resources", here.parents[3] / "resources"]
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    return candidates[-1]


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def templates_dir() -> Path:
    return resources_dir() / "templates"
