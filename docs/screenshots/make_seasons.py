"""Render docs/screenshots/seasons.png: the card seasons screen over a 1000-contact demo vault, with a
Christmas list for this year (Family and Friends) and the demo's cards from last year (offscreen)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from boutique_book.core import calendar_seasons, demo, moments, staff  # noqa: E402
from boutique_book.core.kdf import KdfParams  # noqa: E402
from boutique_book.core.model import Moment  # noqa: E402
from boutique_book.core.vault import Vault  # noqa: E402


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from boutique_book.ui.context import AppContext
    from boutique_book.ui.seasons_view import SeasonsView

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "shot.vault", "shot", KdfParams.fast())
        demo.generate(vault, 1000, seed=1)
        me = staff.by_name(vault, demo.STAFF[0]).id
        year = dt.date.today().year
        calendar_seasons.set_recipients(vault, "christmas", year, tiers=["family", "friends"], by=me)
        # A few answers to last year's cards, so that "Answered" has people in it.
        sent = calendar_seasons.card_history(vault, "christmas", year - 1)["sent"]
        for person in sent[::4]:
            moments.add(vault, Moment(person["contact_id"], "Card from the family, with a photo",
                                      dt.date(year, 1, 3), kind="card_received", season="christmas",
                                      season_year=year - 1), by=me)
        view = SeasonsView(AppContext(vault=vault, staff_id=me, staff_name=demo.STAFF[0]), current_contact_id=12)
        view.set_season("christmas", year)
        view.resize(1200, 720)
        view.show()
        view.recipient_view.selectRow(2)
        view.history_tabs.setCurrentIndex(2)
        app.processEvents()
        view.grab().save(str(out))
        view.clear_personal_data()
        vault.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("seasons.png"))
