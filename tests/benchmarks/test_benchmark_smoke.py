"""The benchmark still runs end to end (at 500 contacts; the real run is tests/benchmarks/run.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent / "run.py"

EXPECTED = ["build_s", "vault_mb", "contacts", "moments", "links",
            "search_p50_ms", "search_p95_ms", "search_max_ms", "search_floor_p50_ms", "search_floor_p95_ms",
            "search_ratio_p95", "open_card_p50_ms", "open_card_p95_ms", "open_card_max_ms", "scroll_ms",
            "list_load_ms", "unlock_kdf_ms", "unlock_rest_ms", "unlock_rest_p50_ms", "peak_rss_mb",
            "bench_peak_rss_mb",
            # issue 21: what a person feels in the window, quiet and with one core busy
            "ui_search_p95_ms", "ui_search_busy_p95_ms", "ui_open_card_p95_ms", "agenda_p95_ms", "circles_ms",
            "scroll_page_p95_ms", "load1_start"]


@pytest.mark.slow
def test_benchmark_runs_at_500_contacts(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(RUN), "--contacts", "500", "--out", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-4000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert all(isinstance(v, (int, float)) for v in figures.values())
    for key in EXPECTED:
        assert key in figures, key
        assert figures[key] > 0 or key == "load1_start", (key, figures[key])
    assert figures["contacts"] == 501  # 500 demo contacts + the 200-moment card contact
    assert figures["search_queries"] == 300
    assert figures["scroll_rows"] == 501
    assert "search_p95_ms" in proc.stdout  # the table is printed too


def test_search_reach_benchmark_runs(tmp_path):
    """tests/benchmarks/search_reach.py (issue #19's search timings) builds its book with the CLI: it stopped at
    the passphrase rule ('bench' is too short) without anyone noticing. At 200 contacts, one round."""
    script = Path(__file__).resolve().parent / "search_reach.py"
    proc = subprocess.run([sys.executable, str(script), "--contacts", "200", "--rounds", "1",
                           "--vault", str(tmp_path / "reach.vault")], capture_output=True, text=True, timeout=600,
                          cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-4000:]
    lines = proc.stdout.splitlines()
    assert any(line.startswith("contacts: 200 ") for line in lines), proc.stdout
    assert any(line.startswith("core ") and "p95" in line for line in lines), proc.stdout
    assert any(line.startswith("reach ") and "p95" in line for line in lines), proc.stdout
    assert any(line.startswith("hits per reach query: 'mueller'") for line in lines), proc.stdout
