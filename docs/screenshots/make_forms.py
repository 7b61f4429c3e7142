"""Screenshots of the contact form, the follow-up dialog and the today view (#22), at 1366x768.

    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshots/make_forms.py [fr ja en ...]

Writes contact_form_<lang>.png, followup_<lang>.png and today_<lang>.png next to this script, from a
1,000-contact demo vault. The language is applied before the window is built, as the app does.
"""

import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent


def _cjk_font() -> None:
    """A machine without a CJK font draws Japanese as boxes: lend Qt the font the app ships for printing
    (Droid Sans Fallback, resources/fonts) when the system has none."""
    from PySide6.QtGui import QFontDatabase

    if any(QFontDatabase.writingSystems(family) and QFontDatabase.WritingSystem.Japanese in
           QFontDatabase.writingSystems(family) for family in QFontDatabase.families()):
        return
    from boutique_book import package_data

    font = Path(package_data.__file__).parent / "resources" / "fonts" / "DroidSansFallbackFull.ttf"
    QFontDatabase.addApplicationFont(str(font))


def main(languages, out: Path = OUT):
    folder = Path(tempfile.mkdtemp())
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from PySide6.QtWidgets import QApplication

    from boutique_book.core import contacts, demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application
    from boutique_book.ui.settings_view import apply_language

    sys.path.insert(0, str(OUT))
    from make_i18n import richest_contact

    path = folder / "demo.vault"
    with Vault.create(path, "demo", KdfParams.fast()) as vault:
        demo.generate(vault, 1000, seed=1)
    app = make_application()
    _cjk_font()

    def settle():
        for _ in range(5):
            app.processEvents()

    for language in languages:
        apply_language(language, app)
        from boutique_book.ui.contact_form import ContactForm
        from boutique_book.ui.counter_window import CounterWindow
        from boutique_book.ui.followup_dialog import FollowupDialog

        window = CounterWindow(path)
        window.resize(1366, 768)
        window.show()
        vault = Vault.open(path, "demo")
        window.unlock_with(vault)
        import time

        deadline = time.monotonic() + 30
        while window.jobs.busy() and time.monotonic() < deadline:  # the unlock's background check, then grab
            app.processEvents()
            time.sleep(0.05)
        settle()
        window.grab().save(str(out / f"today_{language}.png"))
        person = richest_contact(vault)
        form = ContactForm(window.context, contacts.get(vault, person), parent=window)
        form.show()
        settle()
        form.grab().save(str(out / f"contact_form_{language}.png"))
        form.reject()
        window.open_contact(person)
        dialog = FollowupDialog(window.context, person, window.focus.name, window)
        dialog.repeat.setCurrentIndex(dialog.repeat.findData("weeks"))
        dialog.reason.setFocus()
        dialog.show()
        settle()
        dialog.grab().save(str(out / f"followup_{language}.png"))
        dialog.reject()
        window.lock()  # stops every job (no backup-on-close between two languages)
        window.hide()
        settle()
        QApplication.processEvents()
    print("wrote", ", ".join(f"{kind}_{lang}.png" for lang in languages
                             for kind in ("today", "contact_form", "followup")))


if __name__ == "__main__":
    main(sys.argv[1:] or ["fr", "ja"])
