"""The common-ground line above a person's card (issue #25), as a new user sees it on the demo book:

    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshots/make_common_ground.py

Makes the demo book exactly as `boutique-book --demo` does on first start, unlocks it with Camille Laurent at
the counter, opens three people who share one of her interests (first those who last told us about it) and saves the window each time:
common_ground.png (the README's), common_ground_2.png, common_ground_3.png. Look at each before committing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent
STAFF = "Camille Laurent"


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                     ("XDG_CACHE_HOME", "cache")):
        os.environ[var] = str(folder / sub)
    from boutique_book.core import common_ground, staff
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application, open_or_create_demo
    from boutique_book.ui.counter_window import CounterWindow

    path = folder / "demo.vault"
    open_or_create_demo(path).close()
    app = make_application()

    def settle(seconds: float = 0.4, until=None) -> None:
        deadline = time.monotonic() + 60
        end = time.monotonic() + seconds
        while time.monotonic() < (deadline if until and not until() else end):
            app.processEvents()
            time.sleep(0.02)
            if until and until() and time.monotonic() >= end:
                break

    window = CounterWindow(path, demo=True)
    window.resize(1366, 768)
    window.show()
    vault = Vault.open(path, "demo")
    window.unlock_with(vault, STAFF)
    settle(until=lambda: not window.jobs.busy())
    me = staff.by_name(vault, STAFF).id
    told, other = [], []     # people who share an interest with her (first: who last told us about it)
    for (contact_id,) in vault.query("SELECT id FROM contacts WHERE kind <> 'institution' ORDER BY id"):
        ground = common_ground.compute(vault, contact_id, me)
        if ground.shared and ground.colleagues and ground.last_shared:
            about = any(s.label.split()[0].lower() in ground.last_shared.lower() for s in ground.shared)
            (told if about else other).append(contact_id)
    chosen = (told + other)[:3]
    for n, contact_id in enumerate(chosen, 1):
        window.open_contact(contact_id)
        settle()
        name = "common_ground.png" if n == 1 else f"common_ground_{n}.png"
        window.grab().save(str(OUT / name))
        print(name, window.focus.common_ground.full_text())
    window.lock()
    window.close()
    settle()
    return 0


if __name__ == "__main__":
    sys.exit(main())
