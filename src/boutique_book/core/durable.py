"""The one save path for every file Boutique Book writes (docs/safety.md, "Saving a file").

PDFs, .ics, vCard/CSV/JSON exports, a person's data, the audit CSV, HQ keys and bundles, opened bundles and
backups all go through `saving()` (or its helpers `save_bytes` / `open_for_save`):

1. a temporary file `.<name>.<pid>.<token>.bbsave` is created in the target folder itself (so the final
   rename never crosses a file system), with mode 0600 from the start;
2. the caller writes it (bytes, a text stream, or another writer such as SQLite's VACUUM INTO or reportlab
   filling the path);
3. it is flushed and fsynced: an fsync error is raised, never swallowed;
4. it is made private (POSIX: 0600; Windows: an ACL granting only the current user, see `make_private`);
5. it is renamed over the final name atomically (`os.replace`), then the folder is fsynced;
6. on any failure the temporary file is removed and the previous file under the final name, if any, is
   untouched. Every `OSError` becomes one `SaveFailed` whose message is one sentence for a person.

A crash (kill -9, power cut) can leave a `.bbsave` file: `clean_leftovers(folder)` removes those whose
process is gone; it runs for the target folder at every save and for the vault's folder at every open.

Logs are the one exception: the rotating log handler appends to its own file (it holds no personal data).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

from ..i18n import _
from .errors import BoutiqueBookError

log = logging.getLogger(__name__)

CHUNK = 1 << 20
TEMP_SUFFIX = ".bbsave"
PRIVATE_MODE = 0o600
_LEFTOVER_RE = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + r"(?:-journal|-wal|-shm)?$")
_LEFTOVER_MAX_AGE = 24 * 3600  # a leftover of a live pid (reused pid, or a hung process) after a day

_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_GONE = {errno.EIO, errno.ENODEV, errno.ENXIO, getattr(errno, "ESTALE", errno.EIO),
         getattr(errno, "ENOMEDIUM", errno.EIO), getattr(errno, "ESHUTDOWN", errno.EIO)}
# A folder fsync some file systems do not implement: nothing to report, the rename itself went through.
_DIR_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP), errno.EBADF,
                          errno.EACCES, errno.EPERM, errno.EISDIR}


class SaveFailed(BoutiqueBookError):
    """A file could not be saved. str() is one sentence for a person; `kind` says why for the code
    (full, read_only, gone, missing, not_a_folder, is_a_folder, exists, other) and `path` is the target.
    Nothing was written under the target's name (a file already there is unchanged)."""

    def __init__(self, path, kind: str, reason: str = ""):
        self.path = Path(path)
        self.kind = kind
        self.reason = reason
        super().__init__(_message(self.path, kind, reason))


def _message(path: Path, kind: str, reason: str) -> str:
    folder = str(path.parent)
    if kind == "full":
        return _("There is not enough free space to save {path}. Nothing was written; free some space or "
                 "choose another place.").format(path=path)
    if kind == "read_only":
        return _("The folder {folder} cannot be written to (read-only or no permission). Nothing was written; "
                 "choose another folder.").format(folder=folder)
    if kind == "gone":
        return _("The drive stopped answering while {path} was being saved (removed or failing). Nothing was "
                 "written; plug it in again and save again.").format(path=path)
    if kind == "missing":
        return _("The folder {folder} does not exist (is the drive plugged in?). Nothing was written.").format(
            folder=folder)
    if kind == "not_a_folder":  # name the file that stands where a folder should be, not the path below it
        blocker = next((p for p in (path.parent, *path.parent.parents) if p.exists() and not p.is_dir()),
                       path.parent)
        return _("{folder} is a file, not a folder. Nothing was written; choose a folder.").format(folder=blocker)
    if kind == "is_a_folder":
        return _("{path} is a folder; choose a file name. Nothing was written.").format(path=path)
    if kind == "exists":
        return _("A file named {name} is already there; nothing was written.").format(name=path.name)
    return _("Cannot save {path}: {reason}. Nothing was written.").format(path=path, reason=reason or "?")


def classify(exc: OSError, path) -> SaveFailed:
    """The SaveFailed for an OSError met while saving `path`."""
    code = exc.errno
    if code in _FULL:
        kind = "full"
    elif code in _READ_ONLY:
        kind = "read_only"
    elif code in _GONE:
        kind = "gone"
    elif code == errno.ENOTDIR:
        kind = "not_a_folder"
    elif code == errno.EISDIR:
        kind = "is_a_folder"
    elif code == errno.ENOENT:
        kind = "missing"
    elif code == errno.EEXIST:
        kind = "exists"
    else:
        kind = "other"
    failed = SaveFailed(path, kind, exc.strerror or str(exc))
    failed.errno = code
    return failed


# -- fsync ----------------------------------------------------------------------------------------

def fsync_file(path: Path) -> None:
    """Flush a written file to the device; raises OSError when the device refuses (disk full, media gone)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable. Windows cannot open a folder (NTFS journals renames), and some file
    systems refuse a folder fsync (EINVAL): those are skipped; any other error (EIO: the drive is failing or
    gone) is raised."""
    if sys.platform.startswith("win"):
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in _DIR_FSYNC_UNSUPPORTED:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


# -- private files ----------------------------------------------------------------------------------

def make_private(path) -> None:
    """Only the current user may read or write `path`.

    POSIX: mode 0600. Windows: the inherited ACL is replaced by one entry granting the current user full
    control (`icacls /inheritance:r /grant:r USER:F`); FAT/exFAT sticks have no ACLs at all, which is why
    HQ bundles are encrypted. Raises OSError when the file system refuses (POSIX)."""
    path = Path(path)
    if sys.platform.startswith("win"):  # pragma: no cover - exercised on Windows builds only
        user = os.environ.get("USERNAME")
        if user:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:F"],
                               capture_output=True, timeout=30, check=False)
        return
    os.chmod(path, PRIVATE_MODE)


def tighten(path) -> None:
    """make_private for a file that may or may not be ours (an existing vault, its -wal/-shm): a mode
    already private is left alone, a refusal (another owner, a FAT stick) is logged, not raised."""
    path = Path(path)
    try:
        if not sys.platform.startswith("win") and path.stat().st_mode & 0o077 == 0:
            return
        make_private(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("could not make a file private: %s", exc.strerror)


def create_private(path) -> None:
    """Create an empty file with mode 0600 (fails if it exists). For writers that create their own file
    (SQLite): they open the existing file, and SQLite gives its -wal/-shm the same mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_MODE)
    os.close(fd)
    if sys.platform.startswith("win"):  # pragma: no cover
        make_private(path)


# -- leftovers --------------------------------------------------------------------------------------

def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform.startswith("win"):  # pragma: no cover - no cheap check: age decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_leftovers(folder) -> list[Path]:
    """Remove `.bbsave` temporary files a crashed save left in `folder` (their process is gone, or they are
    more than a day old). Never raises; returns what was removed."""
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER_RE.match(entry.name)
        if not match:
            continue
        with contextlib.suppress(OSError):
            old = now - entry.stat(follow_symlinks=False).st_mtime > _LEFTOVER_MAX_AGE
            if old or not _pid_alive(int(match.group("pid"))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    if removed:
        log.info("removed %d leftover temporary file(s) of an interrupted save", len(removed))
    return removed


def temp_path(target: Path) -> Path:
    """A fresh temporary name for `target`, in its folder (the name is cut to stay under 255 bytes)."""
    stem = target.name.encode("utf-8")[:120].decode("utf-8", "ignore")
    return target.with_name(f".{stem}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _remove(path: Path) -> None:
    for candidate in (path, *(Path(str(path) + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            candidate.unlink()


# -- saving -----------------------------------------------------------------------------------------

def _prepare_folder(target: Path, make_parents: bool) -> None:
    parent = target.parent
    if make_parents:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise SaveFailed(target, "not_a_folder") from None
        except OSError as exc:
            raise classify(exc, target) from None
    if parent.exists() and not parent.is_dir():
        raise SaveFailed(target, "not_a_folder")
    if not parent.exists():
        # A parent of the parent may be a file: say so rather than "missing".
        for ancestor in parent.parents:
            if ancestor.exists():
                raise SaveFailed(target, "missing" if ancestor.is_dir() else "not_a_folder")
        raise SaveFailed(target, "missing")
    if target.is_dir():
        raise SaveFailed(target, "is_a_folder")


@contextlib.contextmanager
def saving(path, *, exclusive: bool = False, make_parents: bool = False):
    """Yield a temporary path (already created, empty, 0600) in the target's folder; when the block ends
    without an exception it is fsynced, made private and renamed to `path` (see the module doc).
    `exclusive`: refuse to replace an existing file. Raises SaveFailed for any OSError."""
    target = Path(path)
    _prepare_folder(target, make_parents)
    if exclusive and target.exists():
        raise SaveFailed(target, "exists")
    clean_leftovers(target.parent)
    tmp = temp_path(target)
    try:
        create_private(tmp)
    except OSError as exc:
        raise classify(exc, target) from None
    try:
        yield tmp
        commit(tmp, target, exclusive=exclusive)
    except OSError as exc:
        _remove(tmp)
        raise classify(exc, target) from None
    except BaseException:
        _remove(tmp)
        raise


def commit(tmp: Path, target: Path, *, exclusive: bool = False) -> None:
    """fsync `tmp`, make it private, rename it over `target`, fsync the folder (raises OSError)."""
    fsync_file(tmp)
    make_private(tmp)
    if exclusive and target.exists():
        raise OSError(errno.EEXIST, "exists")
    os.replace(tmp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def open_for_save(path, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None,
                  exclusive: bool = False, make_parents: bool = False):
    """A file object to write `path` through the save path; closed, fsynced and renamed at the end."""
    if "b" not in mode and encoding is None:
        encoding = "utf-8"
    with saving(path, exclusive=exclusive, make_parents=make_parents) as tmp:
        with open(tmp, mode, encoding=encoding, newline=newline) as fh:
            yield fh


def save_bytes(path, data: bytes, *, exclusive: bool = False, make_parents: bool = False, verify: bool = False,
               progress=None, cancelled=None, chunk: int | None = None) -> Path:
    """Save `data` as `path`, in chunks (progress(done, total), a cancel flag per core.jobs). With `verify`
    the renamed file is read back and compared (SHA-256); a mismatch removes it and raises SaveFailed."""
    from .jobs import check

    target = Path(path)
    chunk = chunk or CHUNK
    with saving(target, exclusive=exclusive, make_parents=make_parents) as tmp:
        fd = os.open(tmp, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            view = memoryview(data)
            written = 0
            while written < len(view):
                check(cancelled)
                n = os.write(fd, view[written:written + chunk])
                if n <= 0:
                    raise OSError(errno.EIO, "short write")
                written += n
                if progress:
                    progress(written, len(view))
        finally:
            os.close(fd)  # a deferred write error (NFS, FUSE) may surface here too
    if verify:
        try:
            same = file_sha256(target) == hashlib.sha256(data).hexdigest()
        except OSError as exc:
            _remove(target)
            raise classify(exc, target) from None
        if not same:
            _remove(target)
            raise SaveFailed(target, "gone")
    return target


def save_text(path, text: str, *, encoding: str = "utf-8", **kwargs) -> Path:
    return save_bytes(path, text.encode(encoding), **kwargs)


def file_sha256(path, opener=open) -> str:
    digest = hashlib.sha256()
    with opener(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()
