"""The wheel, installed outside the source tree, self-tests, prints labels and letters and speaks German.

`python -m build` makes the sdist, then the wheel FROM that sdist (so the sdist is complete and the build
step compiles the catalogs); the wheel goes into a fresh venv in a temporary folder (with
--system-site-packages so the dependencies need no download) and runs from a folder that is not the
repository, with no PYTHONPATH. ~1 minute: skipped unless BOUTIQUE_BOOK_WHEEL_TEST=1; CI (.ci/run) runs

    BOUTIQUE_BOOK_WHEEL_TEST=1 python -m pytest -q -p no:xdist tests/packaging/test_wheel.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.environ.get("BOUTIQUE_BOOK_WHEEL_TEST") != "1",
                                 reason="wheel build: set BOUTIQUE_BOOK_WHEEL_TEST=1 (CI runs it as its own step)")]
PASS = "wheel check passphrase"


def _env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"), **extra)
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = dist.glob("boutique_book-*.whl")
    (sdist,) = dist.glob("boutique_book-*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory) -> Path:
    wheel, _sdist = built
    folder = tmp_path_factory.mktemp("venv") / "env"
    home = tmp_path_factory.mktemp("home")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(folder)], check=True, timeout=300)
    python = folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    # --no-deps: the dependencies come from the system site-packages (no download); --force-reinstall: an
    # editable install of the repository there must not count as "already satisfied".
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps",
                           "--force-reinstall", str(wheel)], capture_output=True, text=True, timeout=300,
                          env=_env(home), cwd=home)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def test_sdist_carries_sources_and_wheel_carries_compiled_catalogs(built):
    wheel, sdist = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for language in ("fr", "de", "it", "es", "ja"):
        assert f"boutique_book/translations/{language}/LC_MESSAGES/boutique_book.mo" in names
    assert not [n for n in names if n.endswith((".po", ".pot"))]
    for needed in ("resources/fonts/NotoSans-Regular.ttf", "resources/fonts/DroidSansFallbackFull.ttf",
                   "resources/templates/letter.de.txt", "resources/icons/boutique-book.svg"):
        assert f"boutique_book/{needed}" in names
    assert not [n for n in names if n.startswith(("tests/", "build_catalogs"))]
    with tarfile.open(sdist) as tf:
        members = [m.split("/", 1)[1] for m in tf.getnames() if "/" in m]
    assert "src/build_catalogs.py" in members
    assert "src/boutique_book/translations/de/LC_MESSAGES/boutique_book.po" in members
    assert not [m for m in members if m.endswith(".mo")]  # compiled by the wheel build, not shipped stale


def test_installed_wheel_runs_outside_the_source_tree(venv, tmp_path):
    from pypdf import PdfReader

    exe = venv / ("Scripts/boutique-book.exe" if sys.platform == "win32" else "bin/boutique-book")
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    env = _env(tmp_path / "home", BOUTIQUE_BOOK_PASSPHRASE=PASS)

    def run(*args, timeout=300):
        return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=tmp_path)

    where = subprocess.run([str(python), "-c", "import boutique_book; print(boutique_book.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    installed = Path(where.stdout.strip()).resolve()
    assert venv.resolve() in installed.parents and ROOT not in installed.parents, installed

    selftest = run("--self-test")
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert "en fr de it es ja" in selftest.stdout and "OK" in selftest.stdout

    german = run("--language", "de", "--help")
    assert german.returncode == 0, german.stderr
    assert "Beziehungsbuch" in german.stdout

    vault = tmp_path / "shop.vault"
    made = run("demo", "--vault", str(vault), "--contacts", "12", "--seed", "5")
    assert made.returncode == 0, made.stderr
    labels = run("print", "labels", "--vault", str(vault), "--all", "--sheet", "L7160", "-o", str(tmp_path / "l.pdf"))
    assert labels.returncode == 0, labels.stderr
    text = PdfReader(tmp_path / "l.pdf").pages[0].extract_text()
    assert len([line for line in text.splitlines() if line.strip()]) >= 12
    letters = run("print", "letters", "--vault", str(vault), "--template", "letter", "--ids", "1-2",
                  "--staff", "Camille", "-o", str(tmp_path / "letters.pdf"))
    assert letters.returncode == 0, letters.stderr
    assert len(PdfReader(tmp_path / "letters.pdf").pages) >= 2
    assert run("--help").stderr == ""  # a quiet start: nothing on the terminal but the help
