"""The contract for slow work (import, print, export, backup, ranking): a plain function that takes
`progress(done, total)` and `cancelled()` callables. The UI runs it in a worker thread with a progress
bar (ui.jobs); the CLI runs it directly."""

from __future__ import annotations

from typing import Callable

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """Raised by a job that noticed cancelled() became true; it must leave no partial result."""


def no_progress(done: int, total: int) -> None:
    pass


def never_cancelled() -> bool:
    return False


def check(cancelled: CancelCheck | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()
