"""Benchmark (not collected by pytest): agenda for a 100,000-contact demo vault with a million moments.

    python tests/calendar/bench_agenda.py [/tmp/calbench/100k.vault]

Builds the vault on first use (fast KDF, seed 1; a few minutes), then times the agenda for this week +
overdue (and a month, and the ICS export) several times and prints the median.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from boutique_book.core import demo
from boutique_book.core.kdf import KdfParams
from boutique_book.core.vault import Vault

PASSPHRASE = "bench"


def build(path: Path, contacts: int = 100_000) -> None:
    started = time.perf_counter()
    vault = Vault.create(path, PASSPHRASE, KdfParams.fast())
    with vault:
        counts = demo.generate(vault, contacts, seed=1, moments_per_contact=10.0)
    print(f"built {counts} in {time.perf_counter() - started:.1f} s")


def timed(fn, repeat=7):
    """(median wall ms, median CPU ms of this process, result). On a shared machine the CPU time is the
    figure to trust: wall time includes waiting for a core."""
    runs, cpu = [], []
    result = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(runs), statistics.median(cpu), result


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/calbench/100k.vault")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build(path)
        if "--build-only" in sys.argv:
            return
    started = time.perf_counter()
    vault = Vault.open(path, PASSPHRASE)
    print(f"open (+ migrations if any) {1000 * (time.perf_counter() - started):.0f} ms")
    from boutique_book.core import calendar

    if not vault.scalar("SELECT 1 FROM sqlite_master WHERE name='agenda_people'"):
        # A vault built while migration 0010 did not exist yet but a higher-numbered one did: apply it here.
        from boutique_book.core.migrations import MIGRATIONS, split_statements

        migration = next(m for m in MIGRATIONS if m.version == 10)
        started = time.perf_counter()
        with vault.transaction() as conn:
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            migration.upgrade(conn)
        print(f"migration 0010 (rhythm clock backfill) {1000 * (time.perf_counter() - started):.0f} ms")

    today = dt.date.today()
    with vault:
        print("contacts", vault.scalar("SELECT count(*) FROM contacts"),
              "moments", vault.scalar("SELECT count(*) FROM moments"))
        start, end = calendar.week_bounds(today, first_weekday=0)
        med, best, agenda = timed(lambda: calendar.agenda(vault, start, end, today=today))
        print(f"agenda this week + overdue: wall median {med:.0f} ms, CPU median {best:.0f} ms; "
              f"{agenda.count()} items ({len(agenda.overdue)} overdue, {sum(len(v) for v in agenda.days.values())} "
              f"in the week, {len(agenda.cases)} open cases)")
        med, best, agenda = timed(lambda: calendar.agenda(vault, today, today + dt.timedelta(days=30), today=today))
        print(f"agenda next 31 days + overdue: wall median {med:.0f} ms, CPU median {best:.0f} ms; {agenda.count()} items")
        staff_id = vault.scalar("SELECT id FROM staff ORDER BY id LIMIT 1")
        med, best, agenda = timed(lambda: calendar.agenda(vault, start, end, today=today, staff_id=staff_id))
        print(f"agenda this week + overdue, one staff member: wall median {med:.0f} ms, CPU median {best:.0f} ms; "
              f"{agenda.count()} items")
        med, best, data = timed(lambda: calendar.export_ics(vault, start, end, today=today), repeat=3)
        print(f"ICS export this week + overdue: median {med:.0f} ms, {len(data) // 1024} KiB")


if __name__ == "__main__":
    main()
