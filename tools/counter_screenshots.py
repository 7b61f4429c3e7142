"""The README's counter pictures, taken the way a new user meets the app: the real `boutique-book --demo` start
(run_app), keystrokes into the real window, the whole X screen grabbed.

    xvfb-run -a -s "-screen 0 1366x768x24" python tools/counter_screenshots.py

Steps (each picture is written to docs/screenshots/):
  demo_who.png              unlock the demo book with "demo": who is at the counter?
  counter_follows_list.png  open Zoë d'Aubigné, type "zoe de la tour" without Enter, Ctrl+M: the editor names the person
                            the list shows (the script checks it and stops with an error otherwise)
  list_rows.png             the rows for a name several people share, at 1366x768
The demo book is made afresh in a temporary folder (nothing of the user's is read or written). Look at every
picture before committing it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
STEP_MS = 700


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="bb-counter-shots-"))
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_STATE_HOME", "state")):
        os.environ[var] = str(home / sub)
    os.environ["HOME"] = str(home)
    sys.path.insert(0, str(ROOT / "src"))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from boutique_book.core import contacts
    from boutique_book.ui import app as app_module
    from boutique_book.ui.counter_window import CounterWindow

    app = app_module.make_application()
    problems: list[str] = []

    def window() -> CounterWindow:
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, CounterWindow) and w.isVisible())

    def shoot(name: str) -> None:
        app.processEvents()
        path = OUT / name
        QApplication.primaryScreen().grabWindow(0).save(str(path))
        print(f"wrote {path.relative_to(ROOT)}")

    def type_in(widget, text: str, enter: bool = False) -> None:
        widget.setFocus()
        QTest.keyClicks(widget, text)
        if enter:
            QTest.keyClick(widget, Qt.Key_Return)

    def steps():
        win = window()
        win.resize(1366, 768)
        win.move(0, 0)
        win.activateWindow()  # no window manager under Xvfb: the window's shortcuts need it active
        yield
        type_in(win.unlock_panel.passphrase, "demo", enter=True)
        yield
        shoot("demo_who.png")
        type_in(win.staff_panel.new_name, "Ines Moreau", enter=True)
        yield
        QTest.keyClick(win, Qt.Key_F, Qt.ControlModifier)
        type_in(win.search, "zoe d'aubigne", enter=True)        # open Zoë d'Aubigné
        yield
        opened = win.current_id
        print(f"typed {win.search.text()!r}: {win.model.rowCount()} rows, card on {opened}")
        QTest.keyClick(win, Qt.Key_F, Qt.ControlModifier)
        type_in(win.search, "zoe de la tour")                    # another name, no Enter
        yield
        QTest.keyClick(win, Qt.Key_M, Qt.ControlModifier)        # note a moment
        yield
        print(f"typed {win.search.text()!r}: {win.model.rowCount()} rows")
        listed = win.model.contact_id(win.results.currentIndex().row())
        shown = contacts.get(win.vault, listed).display_name
        title = win.editor.title.text()
        print(f"opened {contacts.get(win.vault, opened).display_name!r}; the list shows {shown!r}; "
              f"the editor says {title!r}")
        if listed == opened or shown not in title or win.current_id != listed:
            problems.append("the editor does not name the person the list shows")
        shoot("counter_follows_list.png")
        QTest.keyClick(win.editor.text, Qt.Key_Escape)
        name = win.vault.scalar("SELECT display_name FROM contacts GROUP BY display_name ORDER BY count(*) DESC, "
                                "display_name LIMIT 1")
        QTest.keyClick(win, Qt.Key_F, Qt.ControlModifier)
        type_in(win.search, name)
        yield
        if win.results.horizontalScrollBar().isVisible():
            problems.append("the list shows a horizontal scrollbar at 1366x768")
        shoot("list_rows.png")
        win.lock()
        win.close()
        app.quit()

    runner = steps()

    def next_step():
        try:
            next(runner)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001  a tool: say what broke and stop
            problems.append(f"{type(exc).__name__}: {exc}")
            app.quit()
            return
        QTimer.singleShot(STEP_MS, next_step)

    QTimer.singleShot(1500, next_step)
    code = app_module.run_app(str(home / "demo.vault"), language="en", demo=True)
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems or code else 0


if __name__ == "__main__":
    sys.exit(main())
