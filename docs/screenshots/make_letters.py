"""Render the letters, card inserts and envelope of issue #24 as a new user would, on the demo book:
python docs/screenshots/make_letters.py

Makes the demo book exactly as `boutique-book --demo` does on first start (ui.app.open_or_create_demo:
passphrase "demo", 1,000 people, the demo boutique and its logo), picks the first French-, English-,
Japanese- and Arabic-speaking customers who accept post, prints a letter and a card for each and a DL
envelope with the sender through `boutique-book print …`, and converts each first page with
`pdftoppm -r 80 -png`: demo_letter_<lang>.png, demo_card_<lang>.png, demo_envelope_DL.png (to the Arabic-
speaking customer in Dubai: the sender block ends with FRANCE, as mail abroad must). Also grabs the Boutique details dialog (boutique_details.png) and the message the
print screen shows instead of a letter with a hole (missing_details.png).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
STAFF = "Camille Laurent"


def cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "boutique_book", *args], check=True,
                   env={**os.environ, "BOUTIQUE_BOOK_PASSPHRASE": "demo"})


def png(pdf: Path, name: str) -> None:
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(HERE / name)], check=True)


def first_customer(vault, language: str, formality: str) -> int:
    return vault.scalar(
        "SELECT c.id FROM contacts c JOIN consents k ON k.contact_id=c.id AND k.purpose='mail' AND k.granted=1 "
        "JOIN contact_addresses a ON a.contact_id=c.id WHERE c.language=? AND c.given_name<>'' AND c.formality=? "
        "ORDER BY c.id LIMIT 1", (language, formality))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "demo.vault"
        from boutique_book.ui.app import open_or_create_demo

        vault = open_or_create_demo(book)       # what `boutique-book --demo` makes on first start
        chosen = {lang: first_customer(vault, lang, "formal") for lang in ("fr", "en", "ja", "ar")}
        card_chosen = {**chosen, "ar": first_customer(vault, "ar", "informal")}     # the informal register too
        vault.close()
        for lang, contact_id in chosen.items():
            out = Path(tmp) / f"letter_{lang}.pdf"
            cli("print", "letters", "--vault", str(book), "--template", "letter", "--ids", str(contact_id),
                "--staff", STAFF, "-o", str(out))
            png(out, f"demo_letter_{lang}")
        for lang, contact_id in card_chosen.items():
            out = Path(tmp) / f"card_{lang}.pdf"
            cli("print", "letters", "--vault", str(book), "--template", "card", "--ids", str(contact_id),
                "--staff", STAFF, "-o", str(out))
            png(out, f"demo_card_{lang}")
        out = Path(tmp) / "envelope.pdf"
        cli("print", "envelopes", "--vault", str(book), "--size", "DL", "--ids", str(chosen["ar"]), "-o", str(out))
        png(out, "demo_envelope_DL")
        dialogs(Path(tmp))
    return 0


def dialogs(tmp: Path) -> None:
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.printing import boutique, jobs
    from boutique_book.ui.boutique_dialog import BoutiqueDialog, MissingDetailsDialog

    from boutique_book.ui.app import make_application

    app = make_application()        # styled as the app is (the design system's stylesheet)
    vault = Vault.create(tmp / "new.vault", "screenshots", KdfParams.fast())
    try:
        jobs.check_ready(vault, "letters", "letter", "A4", STAFF)
    except boutique.MissingDetails as exc:
        message = MissingDetailsDialog(exc, vault, STAFF)
        message.show()
        for _ in range(10):
            app.processEvents()
        message.grab().save(str(HERE / "missing_details.png"))
        message.close()
    boutique.complete_demo(vault)
    dialog = BoutiqueDialog(vault, STAFF)
    dialog.show()
    for _ in range(10):
        app.processEvents()
    dialog.grab().save(str(HERE / "boutique_details.png"))
    dialog.close()
    vault.close()


if __name__ == "__main__":
    sys.exit(main())
