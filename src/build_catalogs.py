"""Build step: compile the gettext catalogs (.po -> .mo) inside the boutique_book package.

Wired into setuptools as the `build_py` command (pyproject.toml, [tool.setuptools.cmdclass]; setuptools looks
for the module under src/, where it sits beside the package but outside it, so it is not installed), so every build
compiles them: `pip install .`, `pip install -e .`, `python -m build` (sdist, then the wheel from the sdist).
The app itself never compiles a catalog; it reads the .mo files shipped beside the .po sources
(src/boutique_book/translations/<lang>/LC_MESSAGES/boutique_book.mo, listed as package data; the .po files
stay out of the wheel). Also used by tools/i18n.py compile, packaging/spec_common.py and the test suite's
conftest (a fresh checkout or a just-edited .po gets its .mo before the tests run).

Lenient like `tools/i18n.py compile --lenient`: an untranslated message shows in English, but a translation
whose {placeholders} differ from the English text would crash at run time, so it stops the build.
"""

from __future__ import annotations

import io
import os
import string
from pathlib import Path

from setuptools.command.build_py import build_py as _build_py

HERE = Path(__file__).resolve().parent
TRANSLATIONS = HERE / "boutique_book" / "translations"
DOMAIN = "boutique_book"


def _fields(text: str) -> set:
    try:
        return {(f, spec or "") for _lit, f, spec, _conv in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return {("<unbalanced braces>", text)}


def compile_catalogs(folder: Path = TRANSLATIONS, *, only_stale: bool = False, quiet: bool = False) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/boutique_book.po under `folder` next to itself; returns the .mo paths.
    Written atomically (parallel test workers or builds never read half a file)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(Path(folder).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        language = po.parent.parent.name
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=language)
        for message in catalog:
            if not message.id or not message.string:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            forms = [message.string] if isinstance(message.string, str) else list(message.string)
            wanted = [_fields(i) for i in ids]
            for form in forms:
                if form and _fields(form) not in wanted:
                    raise SystemExit(f"{po}: the translation {form!r} of {ids[0]!r} has other placeholders")
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        tmp = mo.with_suffix(f".mo.{os.getpid()}.tmp")
        tmp.write_bytes(buffer.getvalue())
        os.replace(tmp, mo)
        written.append(mo)
        if not quiet:
            print(f"compiled {mo} ({len(catalog)} messages)")
    return written


class build_py(_build_py):
    """setuptools' build_py, compiling the catalogs first so the .mo files are package data of the build."""

    def run(self):
        compile_catalogs(Path(self.get_package_dir("boutique_book")) / "translations", quiet=True)
        super().run()


if __name__ == "__main__":
    compile_catalogs()
