"""`boutique-book --self-test`: prove on this PC, in this build, that the whole chain works.

Opens a temporary vault (SQLCipher + Argon2id with cheap parameters), writes a contact and a shared moment,
finds the contact again by a word of the moment, renders a one-page label PDF with the printing package
(or, when that package is absent, directly with reportlab), checks that the interface language catalogs
load, then deletes the temporary folder. Prints one line per step and "OK"; returns 0, or 1 on the first
failure. Used by the frozen-build check (packaging/build.sh, tests/packaging/test_frozen_build.py).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from ..i18n import _


def _label_pdf(contact) -> tuple[bytes, str]:
    """(pdf bytes, how) — the printing package's label sheet when it is installed."""
    if importlib.util.find_spec("boutique_book.printing.render") is not None:
        from ..printing import addresses, render, sheets

        code = next(iter(sheets.SHEETS))
        lines = addresses.contact_lines(contact)
        return render.render_labels([lines], sheets.sheet(code)), f"printing.render_labels ({code})"
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.drawString(72, 760, contact.display_name or "—")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), "reportlab (printing package not installed)"


def run_self_test(out=None) -> int:
    out = out or sys.stdout
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="boutique-book-selftest-"))
    step = "start"

    def say(text: str) -> None:
        print(f"  {text}", file=out, flush=True)

    try:
        from ..core import contacts, durable, moments, search
        from ..core.kdf import KdfParams
        from ..core.model import Address, Contact, Moment
        from ..core.vault import Vault

        step = _("open a temporary vault")
        vault = Vault.create(folder / "selftest.vault", "self-test passphrase", KdfParams.fast())
        say(f"{step}: {vault.scalar('PRAGMA cipher_version')}")
        with vault:
            step = _("write a contact and a shared moment")
            contact = Contact(given_name="Zoë", family_name="Müller-Selftest", country="DE",
                              addresses=[Address(street="Maximilianstraße 12", postal_code="80539",
                                                 city="München", country_code="DE")])
            contact_id = contacts.add(vault, contact)
            moments.add(vault, Moment(contact_id, "Loved the saffron silk scarf", dt.date.today()))
            say(step)
            step = _("search")
            for query in ("zoe muller", "saffron"):  # by name (accents folded) and by a word of the moment
                found = [row.id for row in search.search(vault.conn, query)]
                if contact_id not in found:
                    raise AssertionError(f"search {query!r} did not find contact {contact_id}: {found}")
            say(step)
            step = _("render a label PDF")
            pdf, how = _label_pdf(contacts.get(vault, contact_id))
            if not pdf.startswith(b"%PDF"):
                raise AssertionError("the label renderer did not return a PDF")
            durable.save_bytes(folder / "label.pdf", pdf)
            say(f"{step}: {len(pdf)} bytes, {how}")
        step = _("interface languages")
        from .. import i18n

        loaded = []
        previous = i18n.current_language()
        try:
            for language in i18n.LANGUAGES[1:]:
                i18n.set_language(language)
                if i18n._("Family") == "Family":
                    raise AssertionError(f"no {language} catalog in {i18n.translations_dir()}")
                loaded.append(language)
        finally:
            i18n.set_language(previous)
        say(f"{step}: en {' '.join(loaded)}")
    except Exception as exc:  # report every failure as one line plus the traceback, exit 1
        traceback.print_exc()
        print(_("Self-test FAILED at “{step}”: {error}").format(step=step, error=exc), file=out)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(_("OK ({seconds:.1f} s)").format(seconds=time.perf_counter() - started), file=out)
    return 0
