"""The app's log: a rotating file in the user log folder, for support. Events and ids only.

Rules for every module that logs (checked by tests/faults/test_plaintext_scan.py): log what happened
and record ids, counts, timings, error classes; never names, e-mails, phone numbers, note text, search
queries or passphrases. Exception tracebacks are written as frames and the exception TYPE only: an
exception message may quote user input (a validation error naming an e-mail address), so it is dropped.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

LOG_NAME = "boutique-book.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_HANDLER_FLAG = "_boutique_book_handler"


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("BoutiqueBook", appauthor=False))


class NoMessageTracebackFormatter(logging.Formatter):
    """Formats exc_info as the traceback frames (file, line, function) plus the exception type, without
    its message or source lines."""

    def format(self, record) -> str:
        # Another handler (pytest's, a console) may already have cached the full traceback text on the
        # record: format our own, then put theirs back.
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:
        exc_type, exc, tb = ei
        # Frames as file/line/function only: no source lines, no locals, no message.
        lines = ["Traceback (most recent call last):\n"]
        lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in traceback.extract_tb(tb)]
        lines.append(f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld)\n")
        return "".join(lines).rstrip("\n")


def setup_logging(level: int = logging.INFO, folder: Path | None = None, *, install_excepthook: bool = True) -> Path:
    """Attach the rotating file handler to the root logger (idempotent) and return the log file path."""
    folder = Path(folder) if folder else log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_FLAG, False):
            if Path(handler.baseFilename) == path:
                root.setLevel(min(root.level or level, level))
                return path
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    setattr(handler, _HANDLER_FLAG, True)
    handler.setFormatter(NoMessageTracebackFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    if install_excepthook:
        sys.excepthook = _excepthook
    logging.getLogger(__name__).info("log started (Python %s, %s)", sys.version.split()[0], sys.platform)
    return path


_CONSOLE_FLAG = "_boutique_book_console"


def setup_console(verbose: bool = False) -> logging.Handler:
    """The terminal: warnings and errors only (a person running the app or a command sees no INFO chatter);
    `--verbose` shows everything down to DEBUG. The log file keeps its own level (setup_logging)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _CONSOLE_FLAG, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    setattr(handler, _CONSOLE_FLAG, True)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(handler)
    if verbose:
        root.setLevel(logging.DEBUG)
    elif root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    return handler


def shutdown_logging() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_FLAG, False):
            root.removeHandler(handler)
            handler.close()


def _excepthook(exc_type, exc, tb) -> None:
    logging.getLogger("boutique_book.crash").critical("unhandled exception", exc_info=(exc_type, exc, tb))
    sys.__excepthook__(exc_type, exc, tb)
