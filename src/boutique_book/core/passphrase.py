"""The rule for a new vault passphrase, one for the app and the CLI (init, demo, passwd)."""

from __future__ import annotations

from ..i18n import _
from .errors import ValidationError

MIN_LENGTH = 8


def problem(text: str) -> str | None:
    """Why `text` cannot be a new passphrase (one sentence for a person), or None when it can."""
    if not text.strip():
        return _("A passphrase cannot be empty or only spaces.")
    if len(text) < MIN_LENGTH:
        return _("Too short: use at least 8 characters, a short sentence is best.")
    return None


def check_new(text: str) -> None:
    reason = problem(text)
    if reason:
        raise ValidationError(reason, field="passphrase")
