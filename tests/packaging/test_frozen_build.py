"""The PyInstaller builds (one folder and one file) start, self-test, open a vault, print labels, speak Japanese.

Skipped unless BOUTIQUE_BOOK_FROZEN_TEST=1 (builds them, ~3-5 min each on 2 cores) or an existing build is
named: BOUTIQUE_BOOK_FROZEN_DIST=dist/boutique-book (one folder) and/or
BOUTIQUE_BOOK_FROZEN_ONEFILE=dist/boutique-book-onefile. CI (.ci/run with CI=true) builds both with
packaging/build.sh and runs this file against them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILDING = os.environ.get("BOUTIQUE_BOOK_FROZEN_TEST") == "1"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not BUILDING and not os.environ.get("BOUTIQUE_BOOK_FROZEN_DIST")
                                 and not os.environ.get("BOUTIQUE_BOOK_FROZEN_ONEFILE"),
                                 reason="frozen build: set BOUTIQUE_BOOK_FROZEN_TEST=1 (CI runs it as a separate step)")]
SPECS = {"onefolder": ("BOUTIQUE_BOOK_FROZEN_DIST", "boutique-book.spec"),
         "onefile": ("BOUTIQUE_BOOK_FROZEN_ONEFILE", "boutique-book-onefile.spec")}


@pytest.fixture(scope="module", params=list(SPECS))
def frozen_app(request, tmp_path_factory) -> Path:
    variable, spec = SPECS[request.param]
    given = os.environ.get(variable)
    if given:
        built = Path(given).resolve()
    elif BUILDING:
        dist = tmp_path_factory.mktemp("dist")
        work = tmp_path_factory.mktemp("work")
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "--distpath", str(dist), "--workpath", str(work),
                        str(ROOT / "packaging" / spec)], check=True, cwd=ROOT)
        built = dist / ("boutique-book" if request.param == "onefolder" else "boutique-book-onefile")
    else:
        pytest.skip(f"{request.param}: set {variable} or BOUTIQUE_BOOK_FROZEN_TEST=1")
    if request.param == "onefolder":
        exe = built / ("boutique-book-cli.exe" if sys.platform == "win32" else "boutique-book")
    else:
        exe = built.with_suffix(".exe") if sys.platform == "win32" else built
    assert exe.exists(), f"no frozen executable at {exe}"
    return exe


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), **extra)
    return env


def test_frozen_self_test(frozen_app, tmp_path):
    done = subprocess.run([str(frozen_app), "--self-test"], capture_output=True, text=True, timeout=300,
                          env=_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout
    assert "printing.render_labels" in done.stdout or "reportlab" in done.stdout
    assert "en fr de it es ja" in done.stdout  # the compiled catalogs are inside the build


def test_frozen_demo_vault_search_and_language(frozen_app, tmp_path):
    vault = tmp_path / "demo.vault"
    env = _env(tmp_path, BOUTIQUE_BOOK_PASSPHRASE="demo passphrase")
    made = subprocess.run([str(frozen_app), "demo", "--vault", str(vault), "--contacts", "50"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    added = subprocess.run([str(frozen_app), "add-contact", "--vault", str(vault), "--given", "Zoë",
                            "--family", "Frozen-Check"], capture_output=True, text=True, timeout=120, env=env)
    assert added.returncode == 0, added.stderr
    found = subprocess.run([str(frozen_app), "search", "--vault", str(vault), "zoe", "frozen"],
                           capture_output=True, text=True, timeout=120, env=env)
    assert found.returncode == 0, found.stderr
    assert "Zoë Frozen-Check" in found.stdout
    german = subprocess.run([str(frozen_app), "--language", "de", "--help"], capture_output=True, text=True,
                            timeout=120, env=env)
    assert "Beziehungsbuch" in german.stdout  # the .mo files are found inside the frozen app


def test_frozen_label_sheet_and_japanese(frozen_app, tmp_path):
    from pypdf import PdfReader

    from boutique_book import i18n

    vault = tmp_path / "shop.vault"
    env = _env(tmp_path, BOUTIQUE_BOOK_PASSPHRASE="frozen labels passphrase")
    made = subprocess.run([str(frozen_app), "demo", "--vault", str(vault), "--contacts", "14", "--seed", "2"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    labels = subprocess.run([str(frozen_app), "print", "labels", "--vault", str(vault), "--all", "--sheet", "L7163",
                             "-o", str(tmp_path / "labels.pdf")], capture_output=True, text=True, timeout=300,
                            env=env, cwd=tmp_path)
    assert labels.returncode == 0, labels.stderr
    text = PdfReader(tmp_path / "labels.pdf").pages[0].extract_text()
    assert len([line for line in text.splitlines() if line.strip()]) >= 14  # fourteen addresses, fonts embedded

    previous = i18n.current_language()
    try:
        i18n.set_language("ja")
        expected = i18n._("print address labels, envelopes, letters and card inserts (PDF)")
    finally:
        i18n.set_language(previous)
    assert expected != "print address labels, envelopes, letters and card inserts (PDF)"
    japanese = subprocess.run([str(frozen_app), "--language", "ja", "--help"], capture_output=True, text=True,
                              timeout=120, env=env, cwd=tmp_path)
    assert japanese.returncode == 0, japanese.stderr
    assert expected[:12] in japanese.stdout.replace("\n", "")
    no_passphrase = {k: v for k, v in env.items() if k != "BOUTIQUE_BOOK_PASSPHRASE"}
    wrong = subprocess.run([str(frozen_app), "--language", "ja", "search", "--vault", str(vault), "x"],
                           capture_output=True, text=True, timeout=120, env=no_passphrase, cwd=tmp_path,
                           stdin=subprocess.DEVNULL)  # no terminal to ask on: a one-line message, in Japanese
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in wrong.stderr), wrong.stderr
