"""The import dialog and the merge view, offscreen (pytest-qt)."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")

from boutique_book.core import contacts, moments  # noqa: E402
from boutique_book.core.model import Contact, Email, Moment, Phone  # noqa: E402
from boutique_book.ui.context import AppContext  # noqa: E402
from boutique_book.ui.import_view import ImportDialog  # noqa: E402
from boutique_book.ui.merge_view import DuplicatesDialog, MergeDialog  # noqa: E402

CSV = ("Prénom;Nom;Téléphone;Courriel;Ville\r\n"
       "Amélie;Dubois;01 42 00 00 01;amelie@example.fr;Lyon\r\n"
       "Benoît;Lefèvre;;benoit@example.fr;Paris\r\n"
       ";;;;\r\n"
       "Sans;Nom;nope;;\r\n").encode("cp1252")


@pytest.fixture
def context(vault, staff_id):
    refreshed = []
    ctx = AppContext(vault=vault, staff_id=staff_id, staff_name="Camille Laurent",
                     refresh=lambda: refreshed.append(True))
    ctx.extra["refreshed"] = refreshed
    return ctx


def test_import_dialog_csv_mapping_preview_and_import(qtbot, context, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(CSV)
    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    dialog.add_files([str(path)])
    dialog.region.setCurrentIndex(dialog.region.findData("FR"))
    dialog._next()
    assert dialog.stack.currentIndex() == 1
    assert dialog.csv_options[str(path)]["mapping"] == ["given_name", "family_name", "phone:1", "email:1", "city:1"]
    assert dialog.table.item(1, 0).text() == "Amélie"  # decoded as Windows-1252, separated by ;
    # change a column: ignore the city
    combo = dialog.table.cellWidget(0, 4)
    combo.setCurrentIndex(combo.findData("ignore"))
    dialog._next()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=15000)
    counts = dialog.plan.counts()
    assert (counts["create"], counts["not_imported"]) == (3, 0)
    assert contacts.count(context.vault) == 0  # nothing written before Import
    assert dialog.preview_counts.values["create"][0].text() == "3"
    dialog._next()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 3, timeout=15000)
    assert contacts.count(context.vault) == 3 and context.extra["refreshed"]
    amelie = contacts.get(context.vault, dialog.report.created[0])
    assert amelie.addresses == [] and amelie.phones[0].e164 == "+33142000001"
    assert any("nope" in dialog.report_lines.item(i).text() for i in range(dialog.report_lines.count()))
    dialog.clear_personal_data()
    assert dialog.report_lines.count() == 0


def test_import_dialog_cancel_leaves_vault_unchanged(qtbot, context, tmp_path):
    path = tmp_path / "many.vcf"
    path.write_text("".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P {n}\r\nEND:VCARD\r\n" for n in range(400)))
    dialog = ImportDialog(context)
    qtbot.addWidget(dialog)
    dialog.add_files([str(path)])
    dialog._next()
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=15000)
    dialog._apply()
    dialog.job.cancel()
    qtbot.waitUntil(lambda: not dialog.job.thread.isRunning(), timeout=15000)
    assert contacts.count(context.vault) in (0, 400)  # all or nothing, never a part
    if contacts.count(context.vault) == 0:
        assert "cancelled" in dialog.preview_hint.text()


def test_merge_dialog_picks_per_field(qtbot, context):
    vault = context.vault
    a = contacts.add(vault, Contact(given_name="Zoë", family_name="Martin", tier="friends",
                                    phones=[Phone("+33 6 12 34 56 78")]))
    b = contacts.add(vault, Contact(given_name="Zoe", family_name="Martin", organisation="Maison Martin",
                                    tier="family", emails=[Email("zoe@example.fr")]))
    moments.add(vault, Moment(b, "Loves jasmine tea", dt.date(2024, 5, 1)))
    dialog = MergeDialog(context, a, b)
    qtbot.addWidget(dialog)
    assert set(dialog.groups) == {"given_name", "organisation", "tier"}
    assert dialog.choice().fields == {"given_name": "a", "organisation": "b", "tier": "a"}
    dialog.pick("tier", "b")
    dialog.do_merge()
    kept = contacts.get(vault, a)
    assert (kept.given_name, kept.organisation, kept.tier) == ("Zoë", "Maison Martin", "family")
    assert not contacts.exists(vault, b) and moments.for_contact(vault, a)[0].text == "Loves jasmine tea"


def test_duplicates_dialog_lists_pairs(qtbot, context):
    vault = context.vault
    contacts.add(vault, Contact(given_name="Zoë", family_name="Martin"))
    contacts.add(vault, Contact(given_name="MARTIN", family_name="Zoe"))
    dialog = DuplicatesDialog(context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=15000)
    assert "Zoë Martin" in dialog.list.item(0).text()
    dialog.dismiss()
    assert dialog.list.count() == 0
