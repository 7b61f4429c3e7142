"""Screenshots of every main screen at 1366x768, in the languages asked, for the README and docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshots.py en fr ja

Writes docs/screenshots/screens/<lang>/<screen>.png for: the lock panel, the counter with a person's card, the
agenda, the card seasons, the print dialog, the network (connectors and circles), the manager's tools (unlocked:
the audit log) and the settings. The book is a fresh 1,000-person demo book (seed 1, deterministic); each language
is applied before its windows are built, as the app does at start. Look at every picture before committing it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "screens"
SCREEN = (1366, 768)
FEATURE = (1100, 720)  # the size the app gives its feature windows


def richest_contact(vault) -> int:
    """A person with moments and links and a full address, so the card shows its sections."""
    row = vault.conn.execute(
        "SELECT c.id FROM contacts c WHERE c.given_name <> '' AND c.family_name <> '' AND c.kind = 'customer' ORDER BY "
        "(SELECT count(*) FROM links l WHERE l.from_id = c.id OR l.to_id = c.id) * 3 + "
        "(SELECT count(*) FROM moments m WHERE m.contact_id = c.id) DESC, c.id LIMIT 1").fetchone()
    return row[0]


def _settle(app, rounds: int = 6) -> None:
    for _ in range(rounds):
        app.processEvents()


def _wait(app, condition, seconds: float = 60) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _prepare(name: str, widget, app) -> None:
    """Bring a screen to what a person sees once they use it: the audit log, the ranking, a season's labels."""
    if name == "manager":
        widget.tabs.setCurrentIndex(1)
    elif name == "network":
        _settle(app)
        widget.compute()
        _wait(app, lambda: widget._job is None)
    elif name == "print":
        widget.who.setCurrentIndex(widget.who.findData("tier"))  # the Family tier's address labels
        _settle(app)
        widget.generate()
        _wait(app, lambda: widget.preview_button.isEnabled())


def _save(widget, app, language: str, name: str) -> Path:
    _settle(app)
    path = OUT / language / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path


def shoot(language: str, path: Path, app, manager_session) -> list[Path]:
    from boutique_book.core import staff
    from boutique_book.core.vault import Vault
    from boutique_book.ui import agenda_view, manager_view, network_view, print_view, seasons_view, settings_view
    from boutique_book.ui.counter_window import CounterWindow
    from boutique_book.ui.manager_unlock import SESSION_KEY

    settings_view.apply_language(language, app)
    from boutique_book.ui.counter_window import app_settings

    app_settings().remove("list_header")  # the previous language's saved column widths would be restored
    written = []
    window = CounterWindow(path)
    window.resize(*SCREEN)
    window.show()
    written.append(_save(window, app, language, "lock"))
    vault = Vault.open(path, "demo")
    window.unlock_with(vault, staff.all_staff(vault)[0].name)
    _wait(app, lambda: not window.jobs.busy())  # the check after unlocking, with its progress bar, is over
    person = richest_contact(vault)
    window.open_contact(person)
    written.append(_save(window, app, language, "counter"))
    window.context.extra[SESSION_KEY] = manager_session(vault)
    screens = [
        ("agenda", lambda: agenda_view.AgendaView(window.context), FEATURE),
        ("seasons", lambda: seasons_view.SeasonsView(window.context, current_contact_id=person), FEATURE),
        ("print", lambda: print_view.PrintView(window.context), FEATURE),
        ("network", lambda: network_view.ConnectorsView(window.context), FEATURE),
        ("manager", lambda: manager_view.ManagerDialog(window.context, window), None),
        ("settings", lambda: settings_view.SettingsDialog(window.context, window), None),
    ]
    for name, build, size in screens:
        widget = build()
        if size is not None:
            widget.resize(*size)
        widget.show()
        _prepare(name, widget, app)
        written.append(_save(widget, app, language, name))
        widget.close()
        widget.deleteLater()
        _settle(app)
    window.lock()
    window.close()
    _settle(app)
    return written


def main(languages: list[str]) -> None:
    folder = Path(tempfile.mkdtemp())
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                     ("XDG_CACHE_HOME", "cache")):
        os.environ[var] = str(folder / sub)
    from boutique_book.core import demo, manager
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application

    path = folder / "boutique.vault"
    with Vault.create(path, "demo", KdfParams.fast()) as vault:
        demo.generate(vault, 1000, seed=1)

    def manager_session(vault):
        return manager.unlock(vault, "a manager passphrase for screenshots", "Manager", params=KdfParams.fast())

    app = make_application()
    for language in languages:
        for written in shoot(language, path, app, manager_session):
            print(written.relative_to(ROOT))


if __name__ == "__main__":
    main(sys.argv[1:] or ["en", "fr", "ja"])
