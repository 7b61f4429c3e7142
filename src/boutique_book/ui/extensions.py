"""Where feature screens (agenda, printing, import, manager, network, backups) join the counter window.
Each is optional: a feature not built yet simply has no menu entry."""

from __future__ import annotations

import importlib
import logging

from ..i18n import _

log = logging.getLogger(__name__)


def install_extensions(window, action) -> None:
    """Called once by CounterWindow._build_menus with its `action(menu, text, slot, shortcut)` helper."""
    # (module, class, menu attribute, label, shortcut, needs_contact)
    entries = []
    for module, cls, menu, label, shortcut in entries:
        try:
            importlib.import_module(f"boutique_book.ui.{module}")
        except ModuleNotFoundError:
            continue
