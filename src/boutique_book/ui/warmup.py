"""Warm-up while the person types the passphrase (issue 21: unlock to a usable list).

The first card after unlock imported babel.dates (which reads the local time zone through pytz, ~40 ms),
loaded the CLDR data of the interface language (~60 ms of unpickling, to name the person's language and
country) and imported phonenumbers' formatter: ~130 ms of CPU between the key derivation and the usable list.
None of it depends on the book, so a daemon thread does it as soon as the application exists, while the unlock
panel waits for the passphrase and while the key derivation (argon2, which releases the GIL) runs. Nothing
personal is touched; a failure here only means the first card pays for it as before.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)
_started = threading.Event()


def start() -> None:
    """Start the warm-up once per process (later calls do nothing)."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_warm, name="boutique-book-warm-up", daemon=True).start()


def _warm() -> None:
    try:
        import datetime as dt

        import phonenumbers  # noqa: F401

        from ..core.formatting import babel_locale, card_date, money_text  # imports babel.dates (time zone)
        from ..i18n import current_language

        locale = babel_locale(current_language())
        locale.languages.get("en")      # the CLDR data the card names languages and countries with
        locale.territories.get("FR")
        card_date(dt.date(2026, 1, 2))  # the card's dates and amounts, as it formats them
        money_text(25000, "EUR")
    except Exception:  # noqa: BLE001  a warm-up never breaks the app; the first card just pays for it
        log.debug("warm-up skipped", exc_info=True)
