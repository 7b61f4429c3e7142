"""The print screen (offscreen Qt): preview from memory, report, print to a file printer, template editor."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from boutique_book.core import contacts  # noqa: E402
from boutique_book.core.model import Address, Contact  # noqa: E402
from boutique_book.ui.context import AppContext  # noqa: E402


@pytest.fixture
def view(qtbot, demo_vault):
    from boutique_book.ui.print_view import PrintView

    widget = PrintView(AppContext(vault=demo_vault, staff_id=None, staff_name="Camille Laurent",
                                  manager_unlocked=True))
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    return widget


def _generate(qtbot, view):
    view.generate()
    qtbot.waitUntil(lambda: view.last_result is not None or "Cancelled" in view.report.toPlainText(), timeout=60000)
    return view.last_result


def test_tier_labels_preview_and_report(qtbot, view, demo_vault):
    no_address = contacts.add(demo_vault, Contact(given_name="Zoë", family_name="Bérard", tier="friends"))
    contacts.record_consent(demo_vault, no_address, "mail", True)
    view.who.setCurrentIndex(view.who.findData("tier"))
    view.tier.setCurrentIndex(view.tier.findData("friends"))
    view.set_mode("labels")
    view.format.setCurrentIndex(view.format.findData("L7163"))
    assert view.start.maximum() == 14
    view.start.setValue(3)
    result = _generate(qtbot, view)
    assert result.count > 0
    qtbot.waitUntil(lambda: view.document.pageCount() >= 1, timeout=10000)
    assert view.document.status() == view.document.Status.Ready
    assert "Zoë Bérard" in view.report.toPlainText() and "no postal address" in view.report.toPlainText()
    assert view.print_button.isEnabled() and view.save_button.isEnabled()


def test_print_to_a_pdf_printer_and_save(qtbot, view, demo_vault, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    anne = contacts.add(demo_vault, Contact(given_name="Anne", family_name="Dupont", salutation="Madame",
                                            language="fr", addresses=[Address("12 avenue Montaigne", "Paris",
                                                                              "75008", "FR")]))
    contacts.record_consent(demo_vault, anne, "mail", True)
    view.set_contact_ids([anne], "Anne Dupont")
    view.set_mode("letters")
    result = _generate(qtbot, view)
    assert result.count == 1
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setResolution(150)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert view.print_pdf(printer) == 1
    assert out.exists() and out.stat().st_size > 1000
    saved = tmp_path / "saved.pdf"
    view.save_pdf(str(saved))
    assert saved.read_bytes() == result.pdf


def test_clear_personal_data_empties_the_preview(qtbot, view):
    view.who.setCurrentIndex(view.who.findData("search"))
    view.query.setText("Dupont")
    _generate(qtbot, view)
    from boutique_book.printing import fonts

    assert fonts.prepare.cache_info().currsize > 0
    view.clear_personal_data()
    assert fonts.prepare.cache_info().currsize == 0
    assert view.document.pageCount() == 0
    assert view.report.toPlainText() == "" and view.query.text() == ""
    assert not view.print_button.isEnabled()


def test_template_editor_refuses_unknown_field(qtbot, demo_vault):
    from boutique_book.printing import templates
    from boutique_book.ui.print_view import TemplateEditor

    editor = TemplateEditor(demo_vault, "card.fr")
    qtbot.addWidget(editor)
    assert editor.name.text() == "card.fr" and "{salutation}" in editor.body.toPlainText()
    editor.name.setText("merci.fr")
    editor.body.setPlainText("{salutation},\nMerci {cadeau} !")
    assert editor.save() is False
    assert "{cadeau}" in editor.error.text()
    editor.body.setPlainText("{salutation},\nMerci !")
    assert editor.save() is True
    assert templates.all_templates(demo_vault)["merci.fr"].body == "{salutation},\nMerci !"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_templates_are_offered_by_their_titles_never_by_file_names(qtbot, demo_vault, language):
    """Letters and cards in the print screen: a family by the title in the interface's language, each variant
    by its title and its language's name ("… (Arabic)"), never "letter.ar"; the choice still prints it."""
    from boutique_book.ui.print_view import PrintView
    from boutique_book.ui.settings_view import apply_language

    apply_language(language)
    try:
        widget = PrintView(AppContext(vault=demo_vault, staff_id=None, staff_name="Camille Laurent"))
        qtbot.addWidget(widget)
        widget.set_mode("letters")
        items = [(widget.template.itemText(i), widget.template.itemData(i)) for i in range(widget.template.count())]
    finally:
        apply_language("en")
    texts = [text for text, _data in items]
    assert not any(".ar" in t or ".fr" in t or t.startswith("letter") for t in texts), texts
    expected_family = {"en": "Letter — invitation to the new collection — in each person's language",
                       "fr": "Lettre — invitation à la nouvelle collection — dans la langue de chacun"}
    assert items[0] == (expected_family[language], "letter")
    arabic = {"en": "Arabic", "fr": "arabe"}[language]
    assert ("رسالة — دعوة لاكتشاف المجموعة الجديدة (" + arabic + ")", "letter.ar") in items
