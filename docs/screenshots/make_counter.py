"""Screenshots of the counter app on a 1,000-contact demo vault (run under Xvfb or offscreen).

    python docs/screenshots/make_counter.py
"""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent


def main():
    from boutique_book.core import demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.i18n import set_language

    set_language(sys.argv[1] if len(sys.argv) > 1 else "en")
    suffix = "" if len(sys.argv) < 2 or sys.argv[1] == "en" else "_" + sys.argv[1]
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow

    folder = Path(tempfile.mkdtemp())
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    path = folder / "demo.vault"
    with Vault.create(path, "demo", KdfParams.fast()) as vault:
        demo.generate(vault, 1000, seed=1)
    app = make_application()
    window = CounterWindow(path)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    if not suffix:
        window.unlock_panel.passphrase.setText("demo")
        window.unlock_panel.passphrase.setFocus()
        app.processEvents()
        window.grab().save(str(OUT / "unlock.png"))
    window.unlock_with(Vault.open(path, "demo"))
    window.search.setText("hél")
    window._run_search()
    app.processEvents()
    if not suffix:
        window.grab().save(str(OUT / "search.png"))
    window.results.setFocus()
    window.open_current()
    app.processEvents()
    window.grab().save(str(OUT / f"card{suffix}.png"))
    window.lock()
    for job in window._jobs:  # let background checks finish before the process ends
        job.thread.quit()
        job.thread.wait()


if __name__ == "__main__":
    main()
