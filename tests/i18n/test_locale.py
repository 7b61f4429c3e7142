"""Locale behaviour: collation, CLDR calendar facts, the language setting and Qt's own translations."""

from __future__ import annotations

import pytest

from boutique_book import i18n
from boutique_book.core.collation import register_sqlite_collation, sort_key, sort_names


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def test_german_sorts_umlauts_with_their_letter_din_5007_1():
    names = ["Zander", "Öztürk", "Ohm", "Oz", "Ozean", "Müller", "Muller", "Abt", "Äbi", "Strauß", "Strauss"]
    assert sort_names(names, "de") == ["Äbi", "Abt", "Muller", "Müller", "Ohm", "Oz", "Ozean", "Öztürk",
                                       "Strauss", "Strauß", "Zander"]


def test_french_accents_and_ligatures():
    assert sort_names(["Étienne", "Eric", "Émile", "Edgar", "Œuvre", "Oeil", "Zoé"], "fr") == [
        "Edgar", "Émile", "Eric", "Étienne", "Oeil", "Œuvre", "Zoé"]


def test_spanish_enye_is_a_letter_after_n():
    assert sort_names(["Nuñez", "Nuno", "Nunez", "Nuo", "Oscar"], "es") == ["Nunez", "Nuno", "Nuñez", "Nuo",
                                                                         "Oscar"]
    # outside Spanish, ñ is an accented n
    assert sort_names(["Nuñez", "Nuno", "Nunez"], "en") == ["Nunez", "Nuñez", "Nuno"]


def test_swedish_letters_after_z():
    assert sort_names(["Östen", "Åberg", "Zeta", "Ärlig", "Aalto"], "sv") == ["Aalto", "Zeta", "Åberg", "Ärlig",
                                                                          "Östen"]
    assert sort_names(["Östen", "Zeta", "Olsson"], "de") == ["Olsson", "Östen", "Zeta"]


def test_japanese_kana_forms_sort_together():
    key_hira, key_kata, key_half = (sort_key(s, "ja")[0] for s in ("さとう", "サトウ", "ｻﾄｳ"))
    assert key_hira == key_kata == key_half
    assert sort_names(["すずき", "サトウ", "いとう"], "ja") == ["いとう", "サトウ", "すずき"]


def test_case_and_spaces_only_break_ties():
    assert sort_names(["leblanc", "Le Blanc", "Leblond"], "fr")[2] == "Leblond"
    assert sort_key("muller", "de") < sort_key("Muller", "de") < sort_key("Mullers", "de")


def test_sqlite_collation(vault):
    register_sqlite_collation(vault.conn, "de")
    rows = vault.conn.execute("SELECT v FROM (SELECT 'Zander' v UNION ALL SELECT 'Öztürk' UNION ALL SELECT 'Ohm' "
                              "UNION ALL SELECT 'Pohl') ORDER BY v COLLATE BB_LOCALE").fetchall()
    assert [r[0] for r in rows] == ["Ohm", "Öztürk", "Pohl", "Zander"]


@pytest.mark.parametrize("language, first_day, may", [("en", 6, "May"), ("fr", 0, "mai"), ("de", 0, "Mai"),
                                                      ("it", 0, "maggio"), ("es", 0, "mayo"), ("ja", 6, "5月")])
def test_cldr_calendar_facts(language, first_day, may):
    from boutique_book.ui import formatting

    i18n.set_language(language)
    assert formatting.first_week_day() == first_day
    assert formatting.month_names()[4] == may


def test_numbers_and_dates_follow_the_language():
    import datetime as dt

    from boutique_book.ui import formatting

    i18n.set_language("de")
    assert formatting.number_text(1234.5, 2) == "1.234,50"
    assert formatting.date_text(dt.date(2024, 5, 17), "long") == "17. Mai 2024"
    i18n.set_language("ja")
    assert formatting.date_text(dt.date(2024, 5, 17), "long") == "2024年5月17日"


def test_plural_forms_come_from_the_catalog_header():
    tool_catalog = {}
    for language, expected in (("fr", "(n > 1)"), ("de", "(n != 1)"), ("ja", "0")):
        path = i18n.translations_dir() / language / "LC_MESSAGES" / "boutique_book.po"
        text = path.read_text(encoding="utf-8")
        tool_catalog[language] = text
        assert f"plural={expected};" in text.replace(" ;", ";") or f"plural={expected}" in text


# -- Qt ------------------------------------------------------------------------------------------------------
def test_qt_ships_base_translations_for_every_language(qapp):
    from boutique_book.ui.settings_view import install_qt_translator

    for language in ("fr", "de", "it", "es", "ja"):
        assert install_qt_translator(qapp, language), language
    install_qt_translator(qapp, "de")
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    install_qt_translator(qapp, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_settings_dialog_stores_language_and_idle_minutes(qtbot):
    from boutique_book.ui.settings_view import SettingsDialog, settings

    dialog = SettingsDialog(None)
    qtbot.addWidget(dialog)
    assert dialog.language.itemText(dialog.language.findData("de")) == "Deutsch"
    assert dialog.language.itemText(dialog.language.findData("ja")) == "日本語"
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.idle.setValue(12)
    dialog.accept()
    assert dialog.language_changed
    assert settings().value("language") == "fr"
    assert int(settings().value("idle_minutes")) == 12
    again = SettingsDialog(None)
    qtbot.addWidget(again)
    assert again.language.currentData() == "fr" and again.idle.value() == 12
    again.accept()
    assert not again.language_changed


def test_language_switch_rebuilds_the_window_without_losing_the_session(qtbot, demo_vault, staff_id):
    from boutique_book.core import search
    from boutique_book.ui.app import make_application
    from boutique_book.ui.counter_window import CounterWindow
    from boutique_book.ui.settings_view import rebuild_window

    make_application()
    window = CounterWindow(demo_vault.path)
    qtbot.addWidget(window)
    window.unlock_with(demo_vault)
    first = search.search(demo_vault.conn, "a", limit=1)[0].id
    window.open_contact(first)
    window.note_moment()
    window.editor.text.setPlainText("Draft kept across the language switch")
    new = rebuild_window(window, "de")
    qtbot.addWidget(new)
    assert new.vault is demo_vault and demo_vault.is_open
    assert new.current_id == first
    assert not new.editor.isHidden() and new.editor.text.toPlainText() == "Draft kept across the language switch"
    assert new.menuBar().actions()[0].text() == "&Buch"
    assert window.vault is None  # the old window let go of the vault without closing it
