"""The import report is the same whether or not the book changed between the preview and the import.

apply_plan builds the plan again inside its transaction when the book changed meanwhile (a contact saved in
another window). The records had already been cleaned in place by the first plan (numbers read, a bad email
moved to the note, each with its warning), and cleaning them a second time warned again: the report listed
"phone … not recognised" twice for one number.
"""

from __future__ import annotations

from boutique_book.core import contacts, moments
from boutique_book.core.model import Contact
from boutique_book.interchange.importer import apply_plan, build_plan
from boutique_book.interchange.vcard_read import read_vcard_bytes

CARD = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Tremblay;Luc;;;\r\nFN:Luc Tremblay\r\nTEL;WORK:555 555 1111\r\n"
        "EMAIL;INTERNET:luc(at)example\r\nADR;HOME:;;1 Long Road;Townsville;;12345;Nowhereland\r\nEND:VCARD\r\n")


def test_a_plan_built_again_reports_each_thing_once(vault):
    plan = build_plan(vault, read_vcard_bytes(CARD.encode(), "android.vcf"), region="")
    preview = plan.report_lines()
    assert len(preview) == 3 and len(set(preview)) == 3, preview  # number, email, country
    contacts.add(vault, Contact(given_name="Zoë", family_name="Martin"))  # saved in another window meanwhile
    report = apply_plan(vault, plan)
    assert report.lines == preview
    luc = contacts.get(vault, report.created[0])
    assert [(p.raw, p.e164) for p in luc.phones] == [("555 555 1111", "")]
    (note,) = [m.text for m in moments.for_contact(vault, luc.id)]
    assert note.count("Email: luc(at)example") == 1 and note.count("Address country: Nowhereland") == 1
