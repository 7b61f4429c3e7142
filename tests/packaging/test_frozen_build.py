"""The PyInstaller one-folder build starts, passes --self-test and opens a demo vault (slow: ~5 min on 2 cores).

Skipped unless BOUTIQUE_BOOK_FROZEN_TEST=1 (the normal pytest run must stay under 10 minutes); CI runs it as
its own step after the suite: `BOUTIQUE_BOOK_FROZEN_TEST=1 python -m pytest -q tests/packaging`.
Set BOUTIQUE_BOOK_FROZEN_DIST=path/to/dist/boutique-book to check an existing build instead of building.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.environ.get("BOUTIQUE_BOOK_FROZEN_TEST") != "1" and
                                 not os.environ.get("BOUTIQUE_BOOK_FROZEN_DIST"),
                                 reason="frozen build: set BOUTIQUE_BOOK_FROZEN_TEST=1 (CI runs it as a separate step)")]


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    given = os.environ.get("BOUTIQUE_BOOK_FROZEN_DIST")
    if given:
        folder = Path(given).resolve()
    else:
        dist = tmp_path_factory.mktemp("dist")
        work = tmp_path_factory.mktemp("work")
        subprocess.run([sys.executable, str(ROOT / "tools" / "i18n.py"), "compile", "--lenient"], check=True)
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "--distpath", str(dist), "--workpath", str(work),
                        str(ROOT / "packaging" / "boutique-book.spec")], check=True, cwd=ROOT)
        folder = dist / "boutique-book"
    exe = folder / ("boutique-book-cli.exe" if sys.platform == "win32" else "boutique-book")
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
