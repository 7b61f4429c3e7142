"""Single writer: an OS lock on `<vault>.lock` next to the vault, held while the vault is open.

fcntl.flock (Linux/macOS) or msvcrt.locking (Windows), non-blocking. The OS drops the lock when the
process dies (even on kill -9 or a power cut), so a stale lock file never blocks the next start; the
file itself is left in place (deleting it would race with a second instance taking it). It holds the
process id only, for the message. Two locks on the same vault conflict even inside one process, so two
windows of the app cannot both write.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from .errors import VaultError, VaultNotWritable

log = logging.getLogger(__name__)


class VaultInUse(VaultError):
    def __init__(self, path, pid: int | None = None):
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"The book {path} is already open on this PC in another window or process{who}; close it there first "
            "(two programs must never write the same book). Nothing was changed.")


def lock_path(vault_path) -> Path:
    vault_path = Path(vault_path)
    return vault_path.with_name(vault_path.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


def _read_pid(path: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        text = path.read_text(encoding="ascii", errors="ignore").strip()
        return int(text.split()[0]) if text else None
    return None


class InstanceLock:
    """`with InstanceLock(vault_path): ...` or acquire()/release(). Raises VaultInUse when taken."""

    def __init__(self, vault_path):
        self.vault_path = Path(vault_path)
        self.path = lock_path(self.vault_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "InstanceLock":
        if self._fd is not None:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise VaultNotWritable(self.vault_path, exc.strerror or str(exc)) from None
        if not _try_lock(fd):
            os.close(fd)
            raise VaultInUse(self.vault_path, _read_pid(self.path))
        # Windows locks byte 0: write the pid after it so our own write is not refused.
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                os.lseek(fd, 1, os.SEEK_SET)
            else:
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        log.info("instance lock taken")
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        _unlock(self._fd)
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def __del__(self):
        self.release()


def is_locked(vault_path) -> bool:
    """True when another process or window holds the vault (does not keep the lock)."""
    try:
        with InstanceLock(vault_path):
            return False
    except VaultInUse:
        return True
