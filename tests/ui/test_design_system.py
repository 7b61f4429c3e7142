"""The design system (ui.style): the theme's own selection colours, the app's SVG icons for every standard icon,
text-only dialog buttons, a dark variant, no colour written anywhere else in the interface code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QStyle

from boutique_book.ui import style

UI = Path(style.__file__).parent
QT_DEFAULT_BLUE = "#308cc6"  # Fusion's highlight: the blue the issue saw on menus and selections
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


@pytest.fixture
def app(qtbot):
    from boutique_book.ui.app import make_application

    application = make_application()
    yield application
    style.apply_theme(application, dark=False)


def _image(icon, size=32):
    return icon.pixmap(size, size).toImage()


def test_selection_and_focus_colours_belong_to_the_beige_theme(app):
    palette = app.palette()
    assert palette.highlight().color().name() == style.LIGHT["selection"]
    assert palette.highlight().color().name() != QT_DEFAULT_BLUE
    assert palette.highlightedText().color().name() == style.LIGHT["selection_ink"]
    sheet = app.styleSheet()
    assert "QMenu::item:selected" in sheet and style.LIGHT["selection"] in sheet
    assert QT_DEFAULT_BLUE not in sheet


def test_standard_icons_are_the_apps_own_svg_set_and_dialog_buttons_carry_none(app, qtbot):
    own = app.style()
    for standard, name in ((QStyle.SP_DialogSaveButton, "save"), (QStyle.SP_DialogCancelButton, "cancel"),
                           (QStyle.SP_DialogOkButton, "accept"), (QStyle.SP_MessageBoxWarning, "warning")):
        assert _image(own.standardIcon(standard)) == _image(style.icon(name)), name
    box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel | QDialogButtonBox.Ok)
    qtbot.addWidget(box)
    assert all(button.icon().isNull() for button in box.buttons())
    # positive control: plain Fusion's stock floppy disk is told apart from the app's icon
    from PySide6.QtWidgets import QStyleFactory

    stock = QStyleFactory.create("Fusion")
    assert _image(stock.standardIcon(QStyle.SP_DialogSaveButton)) != _image(style.icon("save"))


def test_icons_are_crisp_at_high_dpi_and_follow_the_dark_palette(app):
    light = style.icon("lock")
    sizes = {size.width() for size in light.availableSizes()}
    assert {16, 24, 32, 48} <= sizes  # 16/24 px at 200 % have their own pixmaps
    style.apply_theme(app, dark=True)
    assert app.palette().window().color().name() == style.DARK["window"]
    assert app.palette().highlight().color().name() == style.DARK["selection"]
    assert _image(style.icon("lock")) != _image(light)
    assert style.tier_colour("family") == style.DARK["tier_family"]
    style.apply_theme(app, dark=False)
    assert app.palette().window().color().name() == style.LIGHT["window"]


def _inline_colours(text: str) -> list[str]:
    return [line for line in text.splitlines() if "setStyleSheet" in line and HEX.search(line)]


def test_no_widget_sets_its_own_colour_outside_the_design_system():
    assert _inline_colours('label.setStyleSheet("color: #a33;")')  # positive control: the scanner sees one
    offenders = {path.name: _inline_colours(path.read_text(encoding="utf-8"))
                 for path in UI.glob("*.py") if path.name != "style.py"}
    assert {name: lines for name, lines in offenders.items() if lines} == {}


def test_the_lists_tier_mark_takes_the_design_systems_colours_light_and_dark(app, vault):
    """The contact list's tier column is coloured by ui.style (light and dark), not by colours of its own."""
    from PySide6.QtCore import Qt

    from boutique_book.core import contacts
    from boutique_book.core.model import Contact
    from boutique_book.ui.contact_model import ContactListModel

    for given, tier in (("Ada", "family"), ("Bea", "friends"), ("Cleo", "acquaintances")):
        contacts.add(vault, Contact(given_name=given, family_name="Marchal", tier=tier))
    model = ContactListModel()
    model.set_vault(vault)
    assert model.rowCount() == 3
    tier_column = model.COLUMNS.index("tier")

    def marks():
        return {model.data(model.index(row, 0), Qt.UserRole): model.data(model.index(row, tier_column),
                                                                          Qt.DecorationRole).name()
                for row in range(model.rowCount())}

    def expected(palette):
        return {contact.id: palette[f"tier_{contact.tier}"] for contact in
                (contacts.get(vault, cid) for cid in marks())}

    assert marks() == expected(style.LIGHT)
    changed = []
    model.dataChanged.connect(lambda first, last, roles: changed.append((first.column(), last.row())))
    style.apply_theme(app, dark=True)
    assert marks() == expected(style.DARK)
    assert (tier_column, 2) in changed  # the view is told to repaint the marks
    style.apply_theme(app, dark=False)
    assert marks() == expected(style.LIGHT)


def test_japanese_and_arabic_names_have_a_font_even_on_a_bare_system(app):
    """A book holds 佐藤 and عربي names; with no CJK font installed they showed as empty boxes in the list and the
    agenda. The app adds the fonts it ships for printing when the system has none."""
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    for system in (QFontDatabase.WritingSystem.Japanese, QFontDatabase.WritingSystem.Arabic):
        families = QFontDatabase.families(system)
        assert families, system
        assert QFontMetrics(QFont(families[0])).inFontUcs4(ord("佐" if "Japanese" in str(system) else "ع"))
