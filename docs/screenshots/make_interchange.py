"""Screenshots of the import preview and the merge view (offscreen).

    python docs/screenshots/make_interchange.py
"""

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent

PHONE_EXPORT = """BEGIN:VCARD\r
VERSION:2.1\r
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupr=C3=A9;H=C3=A9l=C3=A8ne;;;\r
TEL;CELL:06 11 22 33 44\r
EMAIL;HOME:helene.dupre@example.fr\r
ADR;HOME:;;14 rue du Bac;Paris;;75007;France\r
NOTE:Prefers fittings on Saturday morning\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Tanaka;Yuki;;;\r
item1.TEL:+81 90-1234-5678\r
item1.X-ABLabel:Ginza\r
BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Camille Martin\r
TEL:+33 6 12 34 56 78\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
EMAIL:no-name@example.com\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:4.0\r
FN:Marco Rossi\r
TEL:333 123\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
FN:Cut short\r
"""

GOOGLE = ("First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
          "Sofia,García,VIP,* Home,sofia@example.es,Mobile,+34 612 345 678\n"
          "Camille,Martin,,Work,camille@maison.fr,,\n"
          "Anneliese,Öztürk,* myContacts,,,,\n")


def _portrait() -> bytes:
    """A small drawn portrait (initials on a warm disc) standing in for a phone's contact photo."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(128, 128, QImage.Format_ARGB32)
    image.fill(QColor("#efe4d2"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setBrush(QColor("#a88a5c"))
    painter.setPen(Qt.NoPen)
    painter.drawEllipse(14, 14, 100, 100)
    painter.setPen(QColor("#faf8f5"))
    painter.setFont(QFont("Noto Sans", 34))
    painter.drawText(image.rect(), Qt.AlignCenter, "ZL")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def main():
    from boutique_book.core import contacts, demo, moments, staff
    from boutique_book.core.kdf import KdfParams
    from boutique_book.core.model import Contact, Email, Moment, Phone
    from boutique_book.core.vault import Vault
    from boutique_book.ui.app import make_application
    from boutique_book.ui.context import AppContext
    from boutique_book.ui.import_view import ImportDialog
    from boutique_book.ui.merge_view import MergeDialog

    folder = Path(tempfile.mkdtemp())
    vault = Vault.create(folder / "demo.vault", "demo", KdfParams.fast())
    demo.generate(vault, 200, seed=1)
    by = staff.add(vault, "Camille Laurent")
    app = make_application()
    context = AppContext(vault=vault, staff_id=by, staff_name="Camille Laurent")

    (folder / "iPhone export.vcf").write_text(PHONE_EXPORT, encoding="utf-8")
    (folder / "google-contacts.csv").write_text(GOOGLE, encoding="utf-8")
    contacts.add(vault, Contact(given_name="Camille", family_name="Martin", emails=[Email("camille@maison.fr")]))
    dialog = ImportDialog(context)
    dialog.resize(900, 640)
    dialog.add_files([folder / "iPhone export.vcf", folder / "google-contacts.csv"])
    dialog.show()
    dialog._next()  # the CSV columns step
    app.processEvents()
    dialog._next()  # read + plan in a worker
    deadline = time.time() + 30
    while dialog.stack.currentIndex() != 2 and time.time() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()
    dialog.grab().save(str(OUT / "import_preview.png"))

    png = _portrait()
    a = contacts.add(vault, Contact(given_name="Zoë", family_name="Lambert", title="Mme", tier="friends",
                                    salutation="Chère Zoë", language="fr", country="FR",
                                    phones=[Phone("06 12 34 56 78", "mobile")], tags=["VIP"]), by=by)
    b = contacts.add(vault, Contact(given_name="Zoe", family_name="LAMBERT", organisation="Maison Lambert",
                                    tier="family", language="fr", country="FR", preferred_channel="letter",
                                    emails=[Email("zoe@maison-lambert.fr", "work")],
                                    phones=[Phone("01 40 00 00 00", "work")], tags=["Tea"], photo=png), by=by)
    moments.add(vault, Moment(a, "Bought the green silk scarf", dt.date(2024, 3, 1)), by=by)
    moments.add(vault, Moment(b, "Loves jasmine tea", dt.date(2024, 5, 1)), by=by)
    merge_dialog = MergeDialog(context, a, b)
    merge_dialog.resize(900, 780)
    merge_dialog.pick("tier", "b")
    merge_dialog.show()
    app.processEvents()
    merge_dialog.grab().save(str(OUT / "merge_view.png"))
    vault.close()


if __name__ == "__main__":
    main()
