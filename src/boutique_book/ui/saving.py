"""One path for every save the counter window makes (contact, moment, tier, link, follow-up, delete...).

`attempt(parent, what, fn)` runs the write; if it fails for a reason the person cannot fix by retyping (disk
full, the file locked by another program, a damaged vault, a vanished drive) it shows ONE clear dialog and
returns FAILED, so the caller keeps its dialog or draft open: nothing typed is lost. Input mistakes
(ValidationError) are returned to the caller to show next to the field.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox

from ..core import errors
from ..i18n import _

log = logging.getLogger(__name__)


class _Failed:
    def __bool__(self):
        return False

    def __repr__(self):
        return "FAILED"


FAILED = _Failed()


def explain(exc: BaseException) -> str:
    """The one-paragraph reason a person reads (never a traceback, never a raw path or SQL text)."""
    message = str(exc).lower()
    if isinstance(exc, errors.DiskFull) or "disk is full" in message or getattr(exc, "errno", None) == 28:
        return _("The disk is full, so this was not saved. Free some space on the computer, then press Save "
                 "again: what you typed is still here.")
    if "locked" in message or "busy" in message:
        return _("The book is busy: another program or window is writing to it. Wait a moment and press Save "
                 "again: what you typed is still here.")
    if isinstance(exc, errors.VaultDamaged) or "malformed" in message or "not a database" in message:
        return _("The book looks damaged, so nothing was changed. Restore the newest backup (Manager ▸ "
                 "Backups…); what you typed is still here so you can copy it.")
    if isinstance(exc, errors.StorageFailed) or isinstance(exc, OSError) or "i/o" in message \
            or "readonly" in message or "read-only" in message:
        return _("The book could not be written (was the drive removed, or is it read-only?). Nothing of this "
                 "change was saved; fix the cause and press Save again: what you typed is still here.")
    if isinstance(exc, errors.BoutiqueBookError):
        return str(exc)
    return _("This was not saved ({reason}). What you typed is still here; try again.").format(
        reason=type(exc).__name__)


def attempt(parent, what: str, fn, *args, **kwargs):
    """Run fn(*args, **kwargs). On a storage failure: one dialog titled `what`, return FAILED.
    ValidationError is re-raised for the caller to show next to the field."""
    try:
        return fn(*args, **kwargs)
    except errors.ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001  every failure of a save ends in the same dialog
        log.error("save failed: %s", type(exc).__name__)
        show_failure(parent, what, exc)
        return FAILED


def show_failure(parent, what: str, exc: BaseException) -> None:
    box = QMessageBox(QMessageBox.Critical, what or _("Not saved"), explain(exc), QMessageBox.Ok, parent)
    box.setObjectName("saveFailed")
    box.exec()
