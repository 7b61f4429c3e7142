"""Boutique details in the app (offscreen Qt): the dialog saves checked details into the vault, the print
screen refuses a letter with a hole and offers the details instead."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtWidgets import QDialog  # noqa: E402

from boutique_book.ui.context import AppContext  # noqa: E402

from .conftest import all_text  # noqa: E402


def _fill(dialog, **values):
    for key, value in values.items():
        if key == "street":
            dialog.street.setPlainText(value)
        elif key == "country_code":
            dialog.country.setCurrentIndex(dialog.country.findData(value))
        else:
            dialog.edits[key].setText(value)


def test_dialog_checks_and_saves_the_details(qtbot, vault, tmp_path):
    from PIL import Image

    from boutique_book.printing import boutique
    from boutique_book.ui.boutique_dialog import BoutiqueDialog

    dialog = BoutiqueDialog(vault, "Camille Laurent")
    qtbot.addWidget(dialog)
    _fill(dialog, name="Maison Laurent", street="24 rue du Faubourg Saint-Honoré", postal_code="75008",
          city="Paris", country_code="FR", phone="01 42 65 18 30", email="bonjour@", website="www.maison-laurent.fr")
    assert dialog.save() is False
    assert "bonjour@" in dialog.error.text() and dialog.result() != QDialog.Accepted
    assert boutique.get(vault)["name"] == ""                              # nothing stored by a refused save
    assert dialog.edits["name"].text() == "Maison Laurent"                # nothing typed is lost
    logo = tmp_path / "logo.png"
    Image.new("RGB", (90, 30), (20, 20, 20)).save(logo)
    dialog._choose_logo(str(logo))
    assert dialog.remove_logo.isEnabled()
    _fill(dialog, email="bonjour@maison-laurent.fr")
    assert dialog.save() is True
    saved = boutique.get(vault)
    assert saved["city"] == "Paris" and saved["phone"] == "+33 1 42 65 18 30" and saved["logo_png"]
    assert vault.scalar("SELECT count(*) FROM audit_log WHERE action='settings'") >= 1


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_the_details_dialog_lays_out_without_overlaps(qtbot, demo_vault, language):
    """Styled as the app styles it: the logo's buttons used to sit on its right end, and the window, sized
    before the stylesheet's padding, squeezed the street box into the postcode."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QPushButton

    from boutique_book import i18n
    from boutique_book.printing import boutique
    from boutique_book.ui.app import make_application
    from boutique_book.ui.boutique_dialog import BoutiqueDialog

    make_application()                                   # the design system's stylesheet, as in the app
    boutique.complete_demo(demo_vault)
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        dialog = BoutiqueDialog(demo_vault, "Camille Laurent")
    finally:
        i18n.set_language(previous)
    qtbot.addWidget(dialog)
    dialog.street.setPlainText("24 rue du Faubourg Saint-Honoré\nBâtiment B\nTroisième étage")
    dialog.show()
    qtbot.waitExposed(dialog)
    preview = dialog.logo_preview
    pixmap = preview.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    assert pixmap.width() <= preview.width() and pixmap.height() <= preview.height()
    assert dialog.street.document().size().height() == 3                 # no street line wraps
    qtbot.waitUntil(lambda: not dialog.street.verticalScrollBar().isVisible(), timeout=3000)  # all three show

    def box(widget):
        return QRect(widget.mapTo(dialog, widget.rect().topLeft()), widget.size())

    widgets = [w for w in dialog.findChildren(QPushButton) if w.isVisible()]
    widgets += [preview, dialog.street, *dialog.edits.values(), dialog.country, dialog.language]
    assert len(widgets) >= 14
    for n, first in enumerate(widgets):
        assert dialog.rect().contains(box(first)), first.objectName() or first.metaObject().className()
        for second in widgets[n + 1:]:
            assert not box(first).intersects(box(second)), (first.objectName(), second.objectName(),
                                                            getattr(first, "text", lambda: "")())


def test_print_screen_refuses_a_letter_with_a_hole_and_opens_the_details(qtbot, vault, monkeypatch):
    from boutique_book.core import contacts
    from boutique_book.core.model import Address, Contact
    from boutique_book.ui import boutique_dialog
    from boutique_book.ui.print_view import PrintView

    anne = contacts.add(vault, Contact(given_name="Anne", family_name="Dupont", language="en",
                                       addresses=[Address("1 Bond Street", "London", "W1S 1DN", "GB")]))
    contacts.record_consent(vault, anne, "mail", True)
    view = PrintView(AppContext(vault=vault, staff_id=None, staff_name="Camille Laurent"))
    qtbot.addWidget(view)
    view.set_contact_ids([anne], "Anne Dupont")
    view.set_mode("letters")
    shown = {}

    def fake_exec(dialog):
        shown["text"] = dialog.text()
        shown["buttons"] = [b.text() for b in dialog.buttons()]
        return 0

    monkeypatch.setattr(boutique_dialog.MissingDetailsDialog, "exec", fake_exec)
    view.generate()
    assert view._job is None and view.last_result is None                # nothing drawn
    assert "name" in shown["text"] and "street" in shown["text"] and "\n" not in shown["text"]
    assert "boutique-book" not in shown["text"]          # the button leads there: no command to type in a window
    assert "Boutique details…" in shown["buttons"]

    def fill_and_save(dialog):
        _fill(dialog, name="Maison Laurent", street="24 rue du Faubourg Saint-Honoré", postal_code="75008",
              city="Paris", country_code="FR")
        return QDialog.Accepted if dialog.save() else QDialog.Rejected

    monkeypatch.setattr(boutique_dialog.BoutiqueDialog, "exec", fill_and_save)
    assert view.missing_dialog.open_details() is True
    view.generate()
    qtbot.waitUntil(lambda: view.last_result is not None, timeout=60000)
    text = all_text(view.last_result.pdf)
    assert "Camille Laurent" in text and "Maison Laurent" in text


def test_settings_has_the_boutique_details(qtbot, vault, monkeypatch):
    from boutique_book.ui import boutique_dialog
    from boutique_book.ui.settings_view import SettingsDialog

    dialog = SettingsDialog(AppContext(vault=vault, staff_name="Camille Laurent"))
    qtbot.addWidget(dialog)
    assert dialog.boutique_button.isEnabled()
    monkeypatch.setattr(boutique_dialog.BoutiqueDialog, "exec", lambda d: QDialog.Rejected)
    dialog.boutique_button.click()
    assert dialog.boutique_dialog.edits["name"].text() == ""
    assert not SettingsDialog(None).boutique_button.isEnabled()


def test_template_editor_keeps_and_edits_the_signature(qtbot, demo_vault):
    from boutique_book.printing import templates
    from boutique_book.ui.print_view import TemplateEditor

    editor = TemplateEditor(demo_vault, "letter.ja")
    qtbot.addWidget(editor)
    assert editor.signature.text() == "closing, space, boutique, staff"
    editor.name.setText("letter2.ja")
    assert editor.save() is True
    saved = templates.all_templates(demo_vault)["letter2.ja"]
    assert saved.signature_parts() == ["closing", "space", "boutique", "staff"] and saved.signature_align == "end"
    editor = TemplateEditor(demo_vault, "card.fr")
    qtbot.addWidget(editor)
    editor.name.setText("bise.fr")
    editor.signature.setText("closing, staff, stamp")
    assert editor.save() is False and "stamp" in editor.error.text()
    editor.signature.setText("closing, staff")
    editor.closing_informal.setText("Je t'embrasse,")
    assert editor.save() is True
    saved = templates.all_templates(demo_vault)["bise.fr"]
    assert (saved.signature_parts(), saved.closing_informal) == (["closing", "staff"], "Je t'embrasse,")
