"""Fonts, templates, icons and catalogs travel inside the package and are found with importlib.resources.

The package folder is copied away from the source tree (as pip would put it in site-packages) and run from
there in a subprocess: German help, a label sheet and letters must work with nothing from the repository
(on the base commit printing/resources.py and i18n.py guessed the repository layout and failed exactly
so). A copy with a font and a catalog missing must fail with one line naming the installation, never a
traceback or a quietly wrong path; and a .po without its .mo stays untranslated-and-refused (the app never
compiles catalogs at run time). The real wheel is checked by tests/packaging/test_wheel.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "boutique_book"
PASS = "package data check"


def _install_copy(site: Path, *omit: str) -> Path:
    """Copy src/boutique_book to site/boutique_book (compiled catalogs included; omit: file names)."""

    assert list(PACKAGE.glob("translations/*/LC_MESSAGES/boutique_book.mo")), "catalogs not compiled"
    ignore = shutil.ignore_patterns("__pycache__", *omit)
    shutil.copytree(PACKAGE, site / "boutique_book", ignore=ignore)
    return site


def _run(site: Path, cwd: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(site), QT_QPA_PLATFORM="offscreen", BOUTIQUE_BOOK_PASSPHRASE=PASS,
               PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "boutique_book", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env=env)


def test_package_copied_out_of_the_source_tree_prints_and_translates(tmp_path):
    from pypdf import PdfReader

    site = _install_copy(tmp_path / "site")
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([sys.executable, "-c", "import boutique_book; print(boutique_book.__file__)"],
                           capture_output=True, text=True, cwd=work,
                           env={**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
                                "PYTHONPATH": str(site)})
    assert Path(where.stdout.strip()).parent == site / "boutique_book"

    german = _run(site, work, "--language", "de", "--help")
    assert german.returncode == 0, german.stderr
    assert "Beziehungsbuch" in german.stdout

    vault = work / "shop.vault"
    made = _run(site, work, "demo", "--vault", str(vault), "--contacts", "12", "--seed", "3")
    assert made.returncode == 0, made.stderr
    labels = _run(site, work, "print", "labels", "--vault", str(vault), "--all", "-o", str(work / "labels.pdf"))
    assert labels.returncode == 0, labels.stderr
    reader = PdfReader(work / "labels.pdf")
    text = reader.pages[0].extract_text()
    assert len([line for line in text.splitlines() if line.strip()]) >= 12  # a dozen addresses on the sheet
    fonts = {str(f.get("/BaseFont")) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values() for f in [f.get_object()]}
    assert any("BB-Sans" in name or "Noto" in name for name in fonts), fonts  # the shipped font, embedded

    letters = _run(site, work, "print", "letters", "--vault", str(vault), "--template", "letter", "--ids", "1-2",
                   "--staff", "Camille Laurent", "-o", str(work / "letters.pdf"))
    assert letters.returncode == 0, letters.stderr
    assert len(PdfReader(work / "letters.pdf").pages) >= 2

    selftest = _run(site, work, "--self-test")
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert "en fr de it es ja" in selftest.stdout


def test_a_missing_resource_is_one_line_naming_the_installation(tmp_path):
    # The .po stays, only its .mo is gone: a run-time compiler would hide the broken install.
    site = _install_copy(tmp_path / "site", "NotoSans-Regular.ttf", "boutique_book.mo")
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert (site / "boutique_book" / "translations" / "de" / "LC_MESSAGES" / "boutique_book.po").exists()

    german = _run(site, work, "--language", "de", "--help")
    assert german.returncode == 1
    lines = german.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in german.stderr, german.stderr
    assert str(site / "boutique_book") in lines[0]
    assert "translations/de/LC_MESSAGES/boutique_book.mo is missing" in lines[0]
    assert "Reinstall" in lines[0]

    vault = work / "shop.vault"
    assert _run(site, work, "demo", "--vault", str(vault), "--contacts", "3").returncode == 0
    labels = _run(site, work, "print", "labels", "--vault", str(vault), "--all", "-o", str(work / "labels.pdf"))
    assert labels.returncode == 1
    lines = labels.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in labels.stderr, labels.stderr
    assert str(site / "boutique_book") in lines[0]
    assert "resources/fonts/NotoSans-Regular.ttf is missing" in lines[0]
    assert not (work / "labels.pdf").exists()


def test_readers_use_the_package_folders():
    from boutique_book import i18n, package_data
    from boutique_book.printing import resources

    package = Path(package_data.install_location())
    assert package == Path(__import__("boutique_book").__file__).parent
    assert resources.fonts_dir() == package / "resources" / "fonts"
    assert resources.templates_dir() == package / "resources" / "templates"
    assert package_data.icon("boutique-book.svg").is_file()
    assert i18n.translations_dir() == package / "translations"
    with pytest.raises(package_data.MissingResource) as caught:
        package_data.icon("no-such-icon.svg")
    assert "resources/icons/no-such-icon.svg" in str(caught.value) and str(package) in str(caught.value)
