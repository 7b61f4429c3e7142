"""Removable drives and the safe write of one file onto them.

safe_write: the core save path (core.durable: a temporary name in the destination folder, written in chunks,
fsynced, 0600, renamed to the final name, the folder fsynced), then the file is read back and its SHA-256
compared. Any failure (full, read-only,
device pulled out, read-back mismatch) raises a MediaError subclass with one clear sentence, removes the
temporary file when it still can, and leaves nothing under the final name.

FAT/exFAT sticks may not honour fsync or an atomic rename; the read-back check is what tells us the
bundle really is on the stick.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..core import durable
from ..core.errors import BoutiqueBookError

CHUNK = 1 << 20


class MediaError(BoutiqueBookError):
    pass


class DestinationFull(MediaError):
    def __init__(self, where):
        super().__init__(f"There is not enough free space on {where}. Nothing was written; free some space "
                         "or use another drive.")


class DestinationReadOnly(MediaError):
    def __init__(self, where):
        super().__init__(f"{where} cannot be written to (read-only or locked). Nothing was written; check the "
                         "stick's lock switch or choose another folder.")


class DestinationGone(MediaError):
    def __init__(self, where):
        super().__init__(f"The drive {where} stopped answering (removed or failing) during the write. "
                         "No bundle was left there; plug it in again and export again.")


class DestinationMissing(MediaError):
    def __init__(self, where):
        super().__init__(f"The folder {where} does not exist (is the drive plugged in?).")


class VerifyFailed(MediaError):
    def __init__(self, where):
        super().__init__(f"The bundle read back from {where} differs from what was written; it was removed. "
                         "The drive may be failing: try another one.")


class DestinationError(MediaError):
    def __init__(self, where, reason):
        super().__init__(f"Cannot write to {where}: {reason}. Nothing was written.")


_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_GONE = {errno.EIO, errno.ENODEV, errno.ENXIO, errno.ENOENT, getattr(errno, "ESTALE", errno.EIO),
         getattr(errno, "ENOMEDIUM", errno.EIO), getattr(errno, "ESHUTDOWN", errno.EIO)}


def classify(exc: OSError, where) -> MediaError:
    code = exc.errno
    if code in _FULL:
        return DestinationFull(where)
    if code in _READ_ONLY:
        return DestinationReadOnly(where)
    if code in _GONE:
        return DestinationGone(where)
    return DestinationError(where, exc.strerror or str(exc))


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    removable: bool = True


# -- listing --------------------------------------------------------------------------------------

def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal.
    out, i = [], 0
    while i < len(field):
        code = field[i + 1:i + 4]
        if field[i] == "\\" and len(code) == 3 and code.isdigit():
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _block_removable(device: str, sys_root: Path) -> bool:
    """True when /dev/<dev> (or its parent disk) has removable=1 in sysfs."""
    name = Path(device).name
    candidate = sys_root / "class" / "block" / name
    with contextlib.suppress(OSError):
        resolved = candidate.resolve()
        for node in (resolved, resolved.parent):
            flag = node / "removable"
            if flag.exists():
                if flag.read_text().strip() == "1":
                    return True
    # Partition -> whole disk: sdb1 -> sdb, mmcblk0p1 -> mmcblk0, nvme0n1p2 -> nvme0n1.
    match = re.fullmatch(r"(.*\d)p\d+", name) or re.fullmatch(r"(\D+)\d+", name)
    for disk in dict.fromkeys([name, match.group(1) if match else name]):
        with contextlib.suppress(OSError):
            if (sys_root / "block" / disk / "removable").read_text().strip() == "1":
                return True
    return False


def linux_drives(mounts_text: str | None = None, sys_root: Path = Path("/sys")) -> list[Drive]:
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text()
        except OSError:
            return []
    drives, seen = [], set()
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        device, mountpoint = parts[0], _unescape_mount(parts[1])
        if not device.startswith("/dev/") or mountpoint in seen:
            continue
        under_media = mountpoint.startswith(("/media/", "/run/media/"))
        if under_media or _block_removable(device, sys_root):
            seen.add(mountpoint)
            drives.append(Drive(Path(mountpoint), Path(mountpoint).name or mountpoint))
    return drives


def windows_drives() -> list[Drive]:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    drive_removable = 2
    mask = kernel32.GetLogicalDrives()
    drives = []
    for index in range(26):
        if mask & (1 << index):
            root = f"{chr(65 + index)}:\\"
            if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == drive_removable:
                drives.append(Drive(Path(root), root))
    return drives


def mac_drives() -> list[Drive]:
    volumes = Path("/Volumes")
    root_dev = os.stat("/").st_dev
    drives = []
    with contextlib.suppress(OSError):
        for entry in sorted(volumes.iterdir()):
            with contextlib.suppress(OSError):
                if entry.is_dir() and os.stat(entry).st_dev != root_dev:
                    drives.append(Drive(entry, entry.name))
    return drives


def removable_drives() -> list[Drive]:
    """Mounted removable drives (USB sticks, SD cards). Any other folder may be chosen as well."""
    try:
        if sys.platform.startswith("win"):
            return windows_drives()
        if sys.platform == "darwin":
            return mac_drives()
        return linux_drives()
    except Exception:  # listing is a convenience; a failure must not block choosing a folder
        return []


# -- writing --------------------------------------------------------------------------------------

def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


_BY_KIND = {"full": DestinationFull, "read_only": DestinationReadOnly, "gone": DestinationGone,
            "missing": DestinationMissing, "not_a_folder": DestinationMissing}


def _media_error(failed: durable.SaveFailed, where: str, name: str) -> MediaError:
    if failed.kind in _BY_KIND:
        return _BY_KIND[failed.kind](where)
    if failed.kind == "exists":
        return DestinationError(where, f"a file named {name} is already there")
    return DestinationError(where, failed.reason or failed.kind)


def safe_write(directory, name: str, data: bytes, progress=None, cancelled=None) -> tuple[Path, str]:
    """Write `data` as directory/name through the core save path (core.durable: temporary file, fsync,
    0600, atomic rename, folder fsync), then read it back and compare its SHA-256. Returns (path, sha256)."""
    directory = Path(directory)
    where = str(directory)
    if not directory.is_dir():
        raise DestinationMissing(where)
    final = directory / name
    digest = hashlib.sha256(data).hexdigest()
    try:
        durable.save_bytes(final, data, exclusive=True, progress=progress, cancelled=cancelled, chunk=CHUNK)
    except durable.SaveFailed as failed:
        raise _media_error(failed, where, name) from None
    try:
        same = durable.file_sha256(final, opener=open) == digest
    except OSError as exc:
        _remove_quietly(final)
        raise classify(exc, where) from None
    if not same:
        _remove_quietly(final)
        raise VerifyFailed(where)
    return final, digest
