#!/usr/bin/env python3
"""Start-up time of a built app to its unlock screen, cold and warm.

    python packaging/startup_time.py dist/boutique-book/boutique-book      # one folder
    python packaging/startup_time.py dist/boutique-book-onefile --runs 5   # one file

A vault is created first (`init`, fast: the unlock screen only needs the file to exist). Each run starts the
app on it without a passphrase, with BOUTIQUE_BOOK_STARTUP_PROBE=1: the app quits as soon as the unlock
screen has been painted, so launch-to-exit is what a person waits (plus a few ms of exit). "Cold": every
file of the build is first evicted from the page cache (posix_fadvise DONTNEED, no root needed; system
libraries such as libc stay cached, as they are on a running desktop). The one-file build also unpacks
itself into a fresh temporary folder at each start, so each of its runs pays that.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def evict(root: Path) -> int:
    count = 0
    paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            count += 1
        finally:
            os.close(fd)
    return count


def run_once(exe: Path, vault: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(exe), "--vault", str(vault)], capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or "startup probe" not in done.stdout:
        raise SystemExit(f"the app did not reach its first screen: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exe", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="cold runs and warm runs each (default 3)")
    args = parser.parse_args(argv)
    exe = args.exe.resolve()
    target = exe.parent if (exe.parent / "_internal").is_dir() else exe  # one folder: all of it; one file: itself
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "BOUTIQUE_BOOK_"))}
        env.update(HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
                   XDG_STATE_HOME=str(tmp / "state"), XDG_CACHE_HOME=str(tmp / "cache"),
                   QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"))
        vault = tmp / "shop.vault"
        made = subprocess.run([str(exe), "init", "--vault", str(vault)], capture_output=True, text=True,
                              env={**env, "BOUTIQUE_BOOK_PASSPHRASE": "startup check passphrase"}, timeout=300)
        if made.returncode != 0:
            raise SystemExit(made.stderr)
        env["BOUTIQUE_BOOK_STARTUP_PROBE"] = "1"
        cold, warm = [], []
        for _ in range(args.runs):
            evict(target)
            cold.append(run_once(exe, vault, env))
        for _ in range(args.runs):
            warm.append(run_once(exe, vault, env))
    print(f"{exe.name}: cold {' '.join(f'{t:.2f}' for t in cold)} s (median {statistics.median(cold):.2f}); "
          f"warm {' '.join(f'{t:.2f}' for t in warm)} s (median {statistics.median(warm):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
