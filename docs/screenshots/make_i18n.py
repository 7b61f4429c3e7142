"""Screenshots of the counter in French, German and Japanese (card, settings; agenda when ui/agenda_view exists).

    python docs/screenshots/make_i18n.py [fr de ja ...]

1,000-contact demo vault; the language is applied (gettext, QLocale, Qt's own translations) BEFORE the
window is built, as the app does at start and after the settings dialog.
"""

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent


def richest_contact(vault) -> int:
    """A person with moments, links and a follow-up, so the card shows every section."""
    row = vault.conn.execute(
        "SELECT c.id FROM contacts c WHERE c.given_name <> '' AND c.family_name <> '' ORDER BY "
        "(SELECT count(*) FROM links l WHERE l.from_id = c.id OR l.to_id = c.id) * 3 + "
        "(SELECT count(*) FROM moments m WHERE m.contact_id = c.id) DESC LIMIT 1").fetchone()
    return row[0]


def main(languages):
    folder = Path(tempfile.mkdtemp())
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from boutique_book.core import demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application
    from boutique_book.ui.settings_view import SettingsDialog, apply_language

    path = folder / "demo.vault"
    with Vault.create(path, "demo", KdfParams.fast()) as vault:
        demo.generate(vault, 1000, seed=1)
    app = make_application()
    for language in languages:
        apply_language(language, app)
        from boutique_book.ui.counter_window import CounterWindow

        window = CounterWindow(path)
        window.resize(1280, 800)
        window.show()
        vault = Vault.open(path, "demo")
        window.unlock_with(vault)
        try:
            contact_id = richest_contact(vault)
        except Exception:  # schema differences: fall back to the first search hit
            contact_id = window.model.contact_id(0)
        window.open_contact(contact_id)
        app.processEvents()
        window.grab().save(str(OUT / f"card_{language}.png"))
        if importlib.util.find_spec("boutique_book.ui.agenda_view") is not None:
            from boutique_book.ui.agenda_view import AgendaView

            agenda = AgendaView(window.context)
            agenda.resize(1100, 760)
            agenda.show()
            app.processEvents()
            agenda.grab().save(str(OUT / f"agenda_{language}.png"))
            agenda.close()
        dialog = SettingsDialog(window.context, window)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / f"settings_{language}.png"))
        dialog.reject()
        window.close()
        app.processEvents()
    print("wrote", ", ".join(f"card_{lang}.png" for lang in languages))


if __name__ == "__main__":
    main(sys.argv[1:] or ["fr", "de", "ja"])
