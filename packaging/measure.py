#!/usr/bin/env python3
"""What takes the space in a PyInstaller build: a markdown table by contributor.

    python packaging/measure.py dist/boutique-book                 # one table
    python packaging/measure.py OLD_DIST NEW_DIST                    # before / after side by side

Sizes are file sizes in MB (1,000,000 bytes; symlinks counted once, as their target), grouped as in
docs/packaging.md: Qt libraries, ICU, Qt plugins, Qt translations, PySide6 bindings, the Python runtime
(libpython, extension modules of the standard library, the executable with its compressed module archive),
each Python package with its bundled .libs, system libraries, fonts and the rest of the app's data.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path


def contributor(rel: Path) -> str:
    parts = rel.parts
    if parts[0] == "_internal":
        parts = parts[1:]
    name = parts[-1]
    if not parts[:-1]:  # top level of _internal (or the folder itself)
        if name.startswith("boutique-book") or name in ("base_library.zip",) or name.startswith("libpython"):
            return "Python runtime (libpython, executable + module archive)"
        if ".so" in name or name.endswith((".dll", ".dylib")):
            return "system libraries (X11, GLib, fontconfig, OpenSSL...)"
        return "other"
    top = parts[0]
    if top == "python3.11" or top.startswith("python3") or top == "lib-dynload":
        return "Python runtime (standard library extension modules)"
    if top == "PySide6":
        if len(parts) > 2 and parts[1] == "Qt":
            sub = parts[2]
            if sub == "lib":
                return "ICU (Qt's libicu*)" if name.startswith("libicu") else "Qt libraries"
            if sub == "plugins":
                return "Qt plugins"
            if sub == "translations":
                return "Qt translations"
            return "Qt other"
        return "PySide6 bindings (+ shiboken6)"
    if top == "shiboken6":
        return "PySide6 bindings (+ shiboken6)"
    if top == "boutique_book":
        if len(parts) > 2 and parts[1] == "resources" and parts[2] == "fonts":
            return "fonts (boutique_book/resources/fonts)"
        return "boutique_book data (templates, icons, catalogs)"
    package = top.split(".libs")[0].split("-")[0]
    if package.endswith(".dist-info"):
        return "package metadata (.dist-info)"
    return f"Python package: {package.lower()}"


def measure(folder: Path) -> tuple[dict[str, int], int]:
    sizes: dict[str, int] = defaultdict(int)
    seen = set()
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        key = path.stat().st_ino
        if key in seen:
            continue
        seen.add(key)
        sizes[contributor(path.relative_to(folder))] += path.stat().st_size
    return dict(sizes), sum(sizes.values())


def mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv]
    if not folders or not all(f.exists() for f in folders):
        print(__doc__)
        return 2
    results = [measure(f) if f.is_dir() else ({"(one file)": f.stat().st_size}, f.stat().st_size) for f in folders]
    keys = sorted({k for sizes, _ in results for k in sizes}, key=lambda k: -max(s.get(k, 0) for s, _ in results))
    head = " | ".join(f"{f.name} (MB)" for f in folders)
    print(f"| contributor | {head} |")
    print("|---|" + "---:|" * len(folders))
    for key in keys:
        print(f"| {key} | " + " | ".join(mb(s.get(key, 0)) for s, _ in results) + " |")
    print("| **total** | " + " | ".join(f"**{mb(total)}**" for _, total in results) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
