"""Render the printing pages shown in the docs: python docs/screenshots/make_printing.py

Builds a throwaway vault (demo data + a few hand-made people in several scripts), prints a label sheet,
a DL envelope and a French letter, and converts their first pages with `pdftoppm -r 60 -png`.
Also grabs the print screen itself (print_view.png).
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent


def logo_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 116, 116), outline=(120, 90, 60, 255), width=6)
    draw.text((38, 42), "ML", fill=(120, 90, 60, 255), font_size=40)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def people(vault):
    from boutique_book.core import contacts
    from boutique_book.core.model import Address, Contact

    rows = [
        Contact(given_name="Anne", family_name="Dupont", salutation="Madame", language="fr",
                addresses=[Address("12 avenue Montaigne", "Paris", "75008", "FR")]),
        Contact(given_name="太郎", family_name="山田", language="ja",
                addresses=[Address("中央区銀座4-6-16", "東京都", "104-0061", "JP")]),
        Contact(given_name="محمد", family_name="الحسن", language="ar",
                addresses=[Address("شارع الشيخ زايد 12", "دبي", "", "AE")]),
        Contact(given_name="Анна", family_name="Иванова", language="ru",
                addresses=[Address("ул. Петровка 5", "Москва", "125009", "RU")]),
        Contact(given_name="Κωνσταντίνος", family_name="Παπαδόπουλος", language="el",
                addresses=[Address("Οδός Ερμού 25", "Αθήνα", "105 63", "GR")]),
        Contact(given_name="Maximilian Alexander", family_name="Freiherr von Hohenberg-Schwarzenfeld",
                salutation="Herr", language="de",
                addresses=[Address("Maximilianstraße 123, Hinterhaus, 3. Obergeschoss links", "München", "80331",
                                   "DE")]),
        Contact(given_name="Emily", family_name="Brown", language="en",
                addresses=[Address("10 Madison Avenue", "New York", "10022", "US", region="NY")]),
    ]
    ids = []
    for contact in rows:
        contact_id = contacts.add(vault, contact)
        contacts.record_consent(vault, contact_id, "mail", True)
        ids.append(contact_id)
    return ids


def png(pdf: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(HERE / name)], check=True)


def main() -> int:
    from boutique_book.core import demo
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.vault import Vault
    from boutique_book.printing import jobs, recipients

    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "shots.vault", "screenshots", KdfParams.fast())
        demo.generate(vault, 60, seed=11)
        recipients.set_sender(vault, dict(
            name="Maison Laurent", street="24 rue du Faubourg Saint-Honoré", city="Paris", postal_code="75008",
            country_code="FR", phone="+33 1 42 65 00 00", email="bonjour@maison-laurent.example", language="fr",
            logo_png=base64.b64encode(logo_png()).decode()))
        ids = people(vault)
        demo_ids = [i for i in recipients.ids_for_all(vault) if i not in ids][:12]
        png(jobs.print_labels(vault, ids + demo_ids, "L7160", start=2, outlines=True).pdf, "labels_L7160")
        png(jobs.print_envelopes(vault, [ids[1]], "DL").pdf, "envelope_DL")
        png(jobs.print_documents(vault, [ids[0]], "letter.fr", staff_name="Camille Laurent").pdf, "letter_fr")

        from PySide6.QtWidgets import QApplication

        from boutique_book.ui.context import AppContext
        from boutique_book.ui.print_view import PrintView

        app = QApplication.instance() or QApplication(sys.argv)
        view = PrintView(AppContext(vault=vault, staff_name="Camille Laurent", manager_unlocked=True))
        view.resize(1200, 760)
        view.set_contact_ids(ids[:1], "Anne Dupont")
        view.set_mode("letters")
        view.show()
        result = jobs.print_documents(vault, ids[:1], "letter", staff_name="Camille Laurent")
        view.show_pdf(result.pdf)
        view.report.setPlainText(result.report.summary())
        for _ in range(20):
            app.processEvents()
        view.grab().save(str(HERE / "print_view.png"))
        view.clear_personal_data()
        vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
