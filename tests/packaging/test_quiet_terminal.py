"""The terminal shows warnings and errors only, unless --verbose; the rotating log file keeps INFO.

Runs the real entry point (cli.main) in a subprocess; only the window is replaced by a function that does
what the app's start does with logging (applog.setup_logging, then an INFO and a WARNING line), so no Qt
event loop is needed. On the base commit the INFO line reached the terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import logging, sys
from boutique_book import applog
from boutique_book.ui import app

def fake_run_app(*args, **kwargs):
    applog.setup_logging(install_excepthook=False)
    log = logging.getLogger("boutique_book.ui.check")
    log.info("INFO-LINE unlock screen shown")
    log.warning("WARNING-LINE backup folder is nearly full")
    return 0

app.run_app = fake_run_app
from boutique_book.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _start(tmp_path, *args):
    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=tmp_path)


def _log_file(tmp_path) -> Path:
    found = list(tmp_path.rglob("boutique-book.log"))
    assert len(found) == 1, found
    return found[0]


def test_terminal_shows_warnings_only_log_file_keeps_info(tmp_path):
    done = _start(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "WARNING-LINE" in done.stderr
    assert "INFO" not in done.stderr and "log started" not in done.stderr, done.stderr
    logged = _log_file(tmp_path).read_text(encoding="utf-8")
    assert "INFO-LINE" in logged and "WARNING-LINE" in logged and "log started" in logged


def test_verbose_shows_info_in_the_terminal(tmp_path):
    done = _start(tmp_path, "--verbose")
    assert done.returncode == 0, done.stderr
    assert "INFO-LINE" in done.stderr and "WARNING-LINE" in done.stderr
    assert "INFO-LINE" in _log_file(tmp_path).read_text(encoding="utf-8")
