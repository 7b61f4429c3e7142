"""The manager / HQ / privacy fixtures live in hq_fixtures.py so that tests/faults can import them too
(the suite runs with --import-mode=importlib, so this folder is put on sys.path here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from hq_fixtures import hq_keys, planted, session  # noqa: E402,F401
