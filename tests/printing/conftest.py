"""Helpers that read printed PDFs back: characters with their boxes, grouped into lines by baseline."""

from __future__ import annotations

import io
import unicodedata

import pytest

import pdfplumber


def pdf_pages(pdf: bytes):
    """[(width, height, chars)] per page; chars are pdfplumber dicts (x0, x1, top, bottom, text, matrix)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [(float(p.width), float(p.height), list(p.chars)) for p in doc.pages]


def lines_of(chars) -> list[str]:
    """Text lines top to bottom, each in drawing (visual) order."""
    rows: dict[float, list] = {}
    for ch in chars:
        rows.setdefault(round(ch["matrix"][5], 1), []).append(ch)
    return ["".join(c["text"] for c in sorted(rows[y], key=lambda c: c["x0"])) for y in sorted(rows, reverse=True)]


def logical(line: str) -> str:
    """Undo the visual ordering and presentation forms of a right-to-left line (other lines unchanged)."""
    from bidi import get_display

    if any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in line):
        return unicodedata.normalize("NFKC", get_display(line))
    return line


def all_text(pdf: bytes) -> list[str]:
    return [logical(line) for _w, _h, chars in pdf_pages(pdf) for line in lines_of(chars)]


@pytest.fixture
def mail_vault(vault):
    """A vault with a French boutique as sender."""
    from boutique_book.printing import recipients

    recipients.set_sender(vault, dict(name="Maison Laurent", street="24 rue du Faubourg Saint-Honoré",
                                      city="Paris", postal_code="75008", country_code="FR",
                                      phone="+33 1 42 65 00 00", language="fr"))
    return vault


def _adder(target):
    from boutique_book.core import contacts
    from boutique_book.core.model import Address, Contact

    def add(given="", family="", street="", city="", postal="", country="FR", consent=True, **fields):
        addresses = [Address(street=street, city=city, postal_code=postal, country_code=country,
                             region=fields.pop("region", ""))] if (street or city) else []
        contact_id = contacts.add(target, Contact(given_name=given, family_name=family, addresses=addresses,
                                                  **fields))
        if consent is not None:
            contacts.record_consent(target, contact_id, "mail", consent)
        return contact_id

    return add


@pytest.fixture
def add_person_plain(vault):
    """Add a person to a vault that has no boutique details yet."""
    return _adder(vault)


@pytest.fixture
def add_person(mail_vault):
    from boutique_book.core import contacts
    from boutique_book.core.model import Address, Contact

    def add(given="", family="", street="", city="", postal="", country="FR", consent=True, **fields):
        addresses = [Address(street=street, city=city, postal_code=postal, country_code=country,
                             region=fields.pop("region", ""))] if (street or city) else []
        contact = Contact(given_name=given, family_name=family, addresses=addresses, **fields)
        contact_id = contacts.add(mail_vault, contact)
        if consent is not None:
            contacts.record_consent(mail_vault, contact_id, "mail", consent)
        return contact_id

    return add
