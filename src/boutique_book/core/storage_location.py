"""Where a live vault may live: a local disk. Network shares and removable drives are refused.

SQLite's locking and WAL shared memory do not work reliably over SMB/NFS/sshfs (two PCs can corrupt the
file), and USB sticks / SD cards can be pulled mid-write and often do not honour fsync. Backups and
exports may go to removable media (core.backup writes them safely); the live vault may not.

Linux: the longest mount point containing the path in /proc/mounts gives the file-system type
(network types below) and the block device; /sys/class/block/<dev> (or its parent disk) says
`removable` = 1, or the device sits on a USB bus. Windows: GetDriveTypeW of the drive root (and UNC
paths are network). Elsewhere (macOS) the location is reported unknown and allowed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import VaultError

NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "sshfs", "afs", "ncpfs", "9p", "davfs",
              "fuse.davfs2", "fuse.rclone", "fuse.s3fs", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph",
              "lustre", "gfs2", "ocfs2", "fuse.gvfsd-fuse", "fuse.smbnetfs", "webdav"}
LOCAL, NETWORK, REMOVABLE, UNKNOWN = "local", "network", "removable", "unknown"


@dataclass(frozen=True)
class Location:
    kind: str             # local / network / removable / unknown
    fs_type: str = ""
    device: str = ""
    mount_point: str = ""


class UnsafeVaultLocation(VaultError):
    def __init__(self, path, location: Location):
        self.location = location
        if location.kind == NETWORK:
            why = f"it is on a network share ({location.fs_type}), where two PCs can corrupt it"
        else:
            why = "it is on a removable drive, which can be pulled out while it is being written"
        super().__init__(
            f"{path} cannot be used as the live vault: {why}. Move it to a folder on this PC's own disk; "
            "backups and exports may go to a USB stick or share.")


def _unescape(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal.
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
            .replace("\\134", "\\"))


def parse_mounts(text: str) -> list[tuple[str, str, str]]:
    """(device, mount point, fs type) per line of /proc/mounts."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape(parts[0]), _unescape(parts[1]), parts[2]))
    return mounts


def _mount_for(path: Path, mounts) -> tuple[str, str, str] | None:
    best = None
    target = str(path)
    for device, point, fs_type in mounts:
        prefix = point.rstrip("/") + "/"
        if target == point or target.startswith(prefix) or point == "/":
            if best is None or len(point) >= len(best[1]):
                best = (device, point, fs_type)
    return best


def _block_removable(device: str, sys_root: Path) -> bool:
    """/dev/sdb1 -> /sys/class/block/sdb1 -> removable flag of the partition or its disk, or a USB bus."""
    if not device.startswith("/dev/"):
        return False
    name = os.path.basename(os.path.realpath(device))  # /dev/mapper/x -> dm-0, /dev/disk/by-id/... -> sdb1
    node = sys_root / "class" / "block" / name
    try:
        real = node.resolve(strict=True)
    except OSError:
        return False
    devices = [real, real.parent] if (real / "partition").exists() else [real]
    for dev in devices:
        try:
            if (dev / "removable").read_text().strip() == "1":
                return True
        except OSError:
            continue
    return "/usb" in str(real)


def classify_linux(path, mounts_text: str | None = None, sys_root: Path = Path("/sys")) -> Location:
    path = Path(os.path.realpath(Path(path).expanduser()))
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text()
        except OSError:
            return Location(UNKNOWN)
    found = _mount_for(path, parse_mounts(mounts_text))
    if found is None:
        return Location(UNKNOWN)
    device, point, fs_type = found
    if fs_type in NETWORK_FS or fs_type.startswith("nfs") or device.startswith("//"):
        return Location(NETWORK, fs_type, device, point)
    if _block_removable(device, sys_root):
        return Location(REMOVABLE, fs_type, device, point)
    return Location(LOCAL, fs_type, device, point)


def classify_windows(path) -> Location:  # pragma: no cover - exercised on Windows only
    import ctypes

    full = os.path.abspath(str(path))
    if full.startswith("\\\\") and not full.startswith("\\\\?\\"):
        return Location(NETWORK, "unc", full.split("\\")[2] if len(full.split("\\")) > 2 else "")
    root = os.path.splitdrive(full)[0] + "\\"
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))
    # 2 DRIVE_REMOVABLE, 3 DRIVE_FIXED, 4 DRIVE_REMOTE, 5 DRIVE_CDROM, 6 DRIVE_RAMDISK
    if kind == 4:
        return Location(NETWORK, "remote", root)
    if kind in (2, 5):
        return Location(REMOVABLE, "removable", root)
    if kind in (3, 6):
        return Location(LOCAL, "fixed", root)
    return Location(UNKNOWN, "", root)


def classify(path) -> Location:
    if sys.platform.startswith("linux"):
        target = Path(path)
        while not target.exists() and target.parent != target:
            target = target.parent  # a vault about to be created: judge its folder
        return classify_linux(target)
    if sys.platform == "win32":
        return classify_windows(path)
    return Location(UNKNOWN)


def check_live_vault_location(path, *, location: Location | None = None) -> Location:
    """Raise UnsafeVaultLocation for a network share or removable drive; return the location otherwise."""
    location = location or classify(path)
    if location.kind in (NETWORK, REMOVABLE):
        raise UnsafeVaultLocation(path, location)
    return location
