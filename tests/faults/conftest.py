"""Helpers for the fault-injection suite (kill -9, disk full, flipped bytes, plaintext scan)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def child_env(passphrase: str) -> dict:
    env = dict(os.environ)
    env["BOUTIQUE_BOOK_PASSPHRASE"] = passphrase
    src = str(HERE.parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0x5A]))


def can_mount_tmpfs(where: Path) -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        return False
    subprocess.run(["umount", str(where)], capture_output=True)
    return True


@pytest.fixture
def small_tmpfs(tmp_path):
    """A size-limited tmpfs (a real 'disk full'); skipped where mounting is not allowed."""
    from ..conftest import cannot_mount, mount_delegated

    mount_point = tmp_path / "small_disk"
    if mount_delegated():  # the test runs again in a user + mount namespace (tests/conftest.py)
        yield None
        return
    if not can_mount_tmpfs(mount_point):
        cannot_mount("cannot mount a tmpfs here (needs root on Linux or user namespaces)")
    mounted = []

    def mount(size_kb: int) -> Path:
        opts = f"size={size_kb}k"
        if mounted:
            opts = "remount," + opts
        subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(mount_point)], check=True)
        mounted.append(size_kb)
        return mount_point

    yield mount
    if mounted:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)
