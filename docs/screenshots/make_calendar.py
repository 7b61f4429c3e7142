"""Render docs/screenshots/agenda_week.png: the week agenda over a small demo vault (offscreen)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from boutique_book.core import calendar, calendar_seasons, demo, moments, staff  # noqa: E402
from boutique_book.core.kdf import KdfParams  # noqa: E402
from boutique_book.core.model import Moment  # noqa: E402
from boutique_book.core.vault import Vault  # noqa: E402


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from boutique_book.ui.agenda_view import AgendaView
    from boutique_book.ui.context import AppContext

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "shot.vault", "shot", KdfParams.fast())
        demo.generate(vault, 400, seed=3)
        me = staff.by_name(vault, demo.STAFF[0]).id
        calendar.set_tier_rhythm(vault, "acquaintances", 0, "months")  # keep the picture readable
        today = dt.date.today()
        someone = vault.scalar("SELECT id FROM contacts WHERE tier='family' AND given_name<>'' ORDER BY id LIMIT 1")
        moments.add(vault, Moment(someone, "The hem came undone after one week", today, kind="complaint"), by=me)
        calendar_seasons.set_recipients(vault, "christmas", today.year, tiers=["family"])
        view = AgendaView(AppContext(vault=vault, staff_id=me, staff_name=demo.STAFF[0]))
        view.resize(1280, 760)
        view.staff_combo.setCurrentIndex(view.staff_combo.findData(me))
        view.show()
        first_day = next(iter(view.agenda.days), None)
        if first_day is not None:
            for index in range(view.tree.topLevelItemCount()):
                node = view.tree.topLevelItem(index)
                if node.childCount() and view.agenda.overdue and index > 1:
                    view.tree.setCurrentItem(node.child(0))
                    break
        app.processEvents()
        view.grab().save(str(out))
        view.clear_personal_data()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("agenda_week.png"))
