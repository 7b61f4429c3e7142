"""fsync helpers shared by every safe write (rekey, backups, HQ bundles on removable media)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


def fsync_file(path: Path) -> None:
    """Flush a written file to the device; raises OSError when the device refuses (disk full, media gone)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable. Best effort: Windows and some file systems cannot open a folder."""
    if sys.platform.startswith("win"):
        return
    with contextlib.suppress(OSError):
        fsync_file(path)
