"""The print jobs the CLI and the UI call: contact ids in, PDF bytes and a report out.

Each is `fn(vault, ids, ..., progress=None, cancelled=None)`: progress(done, total) over the whole job
(loading the contacts, then drawing), Cancelled raised when cancelled() turns true; nothing is written
anywhere, so a cancelled job leaves no partial file (the caller writes the returned bytes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import moments
from ..core.model import Moment, MomentKind
from ..i18n import _
from . import boutique, documents, recipients, render, sheets, templates
from .recipients import RecipientReport


@dataclass
class PrintResult:
    pdf: bytes
    report: RecipientReport
    count: int          # labels, envelopes or documents drawn


def _stages(progress, first_share: float = 0.5):
    """Two progress callbacks mapped onto one 0..1000 bar."""
    if progress is None:
        return None, None

    def stage(lo, hi):
        def report(done, total):
            fraction = done / total if total else 1.0
            progress(int((lo + (hi - lo) * fraction) * 1000), 1000)
        return report

    return stage(0.0, first_share), stage(first_share, 1.0)


def print_labels(vault, contact_ids, sheet_code: str = "L7160", start: int = 1, printer: str | None = None,
                 outlines: bool = False, require_consent: bool = True, progress=None, cancelled=None) -> PrintResult:
    sheet = sheets.sheet(sheet_code, vault)
    if not 1 <= start <= sheet.per_page:
        from ..core.errors import ValidationError

        raise ValidationError(_("Start at label {start}: this sheet has labels 1 to {n}.").format(
            start=start, n=sheet.per_page), field="start")
    load, draw = _stages(progress)
    report = recipients.resolve(vault, contact_ids, require_consent=require_consent, progress=load,
                                cancelled=cancelled)
    blocks = [r.lines for r in report.recipients]
    pdf = render.render_labels(blocks, sheet, start, sheets.calibration(vault, printer), outlines=outlines,
                               progress=draw, cancelled=cancelled)
    return PrintResult(pdf, report, len(blocks))


def print_envelopes(vault, contact_ids, size_code: str = "DL", with_sender: bool = True,
                    printer: str | None = None, require_consent: bool = True, progress=None,
                    cancelled=None) -> PrintResult:
    size = sheets.envelope(size_code)
    load, draw = _stages(progress)
    sender = recipients.sender(vault)
    if with_sender:
        absent = boutique.missing(sender.details, boutique.SENDER_NEEDS)
        if absent:
            raise boutique.MissingDetails(absent)
    report = recipients.resolve(vault, contact_ids, sender, require_consent=require_consent, progress=load,
                                cancelled=cancelled)
    senders = [sender.lines(r.address.country_code) for r in report.recipients] if with_sender else None
    pdf = render.render_envelopes([r.lines for r in report.recipients], size, None,
                                  sender.logo_png if with_sender else None,
                                  sheets.calibration(vault, printer), progress=draw, cancelled=cancelled,
                                  senders=senders)
    return PrintResult(pdf, report, len(report.recipients))


def print_documents(vault, contact_ids, template_name: str, fmt: str | None = None, staff_name: str = "",
                    printer: str | None = None, today: dt.date | None = None, require_consent: bool = True,
                    progress=None, cancelled=None) -> PrintResult:
    """Letters or card inserts: each recipient gets the template variant in their own language, signed by
    `staff_name` (the person at the counter, or --staff) for the boutique.

    Never a PDF with a hole: when a boutique detail the templates need is empty, or nobody is named to
    sign, boutique.MissingDetails names what is missing and nothing is drawn; a person whose card lacks a
    detail the template uses (e.g. {given_name}) is left out and reported."""
    load, draw = _stages(progress, 0.4)
    sender = recipients.sender(vault)
    first = templates.choose(template_name, sender.language, vault)
    fmt = documents.normalise_format(fmt or templates.FORMATS[first.kind][
        1 if first.kind == "letter" and sender.country in ("US", "CA") else 0])
    is_letter = fmt in ("A4", "Letter")
    _check_details(sender, [first], staff_name, is_letter)
    report = recipients.resolve(vault, contact_ids, sender, require_consent=require_consent, progress=load,
                                cancelled=cancelled)
    today = today or dt.date.today()
    chosen = [(r, templates.choose(template_name, r.contact.language or sender.language, vault))
              for r in report.recipients]
    _check_details(sender, {t.name: t for _r, t in chosen}.values(), staff_name, is_letter)
    pages = []
    kept = []
    for recipient, template in chosen:
        contact = recipient.contact
        values = templates.merge_values(contact, template, sender, staff_name, today)
        holes = templates.holes(template, values)
        if holes:
            report.excluded.append(recipients.Excluded(
                contact.id, contact.display_name, _("the template uses their {fields}, which is empty").format(
                    fields=", ".join(holes)), "field"))
            continue
        text = templates.merge(template, values)
        place_date = ""
        if template.kind == "letter" and "date" not in templates.fields_used(template.body):
            place_date = templates.place_date(sender.address.city, today, template.language)
        letterhead = sender.lines(recipient.address.country_code) + (
            [sender.contact_line()] if sender.contact_line() else [])
        pages.append(documents.Page(text, recipient.lines, place_date, direction=template.direction,
                                    signature=templates.signature_lines(template, contact, staff_name, sender),
                                    signature_align=template.signature_align, language=template.language,
                                    letterhead=letterhead))
        kept.append(recipient)
    report.recipients = kept
    window = "right" if sender.country in documents.RIGHT_WINDOW else "left"
    letterhead = sender.lines() + ([sender.contact_line()] if sender.contact_line() else [])
    pdf = documents.render_documents(pages, fmt, letterhead, sender.logo_png, window,
                                     sheets.calibration(vault, printer), progress=draw, cancelled=cancelled)
    return PrintResult(pdf, report, len(pages))


def check_ready(vault, what: str, template_name: str = "", fmt: str | None = None, staff_name: str = "",
                with_sender: bool = True) -> None:
    """Before a print job starts (the screen calls this on the UI thread): raise boutique.MissingDetails
    when the boutique details or the signing name that envelopes ("envelopes") or the template family's
    variants ("letters", "cards") need are empty."""
    sender = recipients.sender(vault)
    if what == "envelopes":
        absent = boutique.missing(sender.details, boutique.SENDER_NEEDS) if with_sender else []
        if absent:
            raise boutique.MissingDetails(absent)
        return
    if what not in ("letters", "cards") or not template_name:
        return
    found = templates.all_templates(vault)
    variants = [found[template_name]] if template_name in found else \
        [t for t in found.values() if t.family == template_name]
    first = variants[0] if variants else templates.choose(template_name, sender.language, vault)
    fmt = documents.normalise_format(fmt or templates.FORMATS[first.kind][0])
    _check_details(sender, variants or [first], staff_name, fmt in ("A4", "Letter"))


def _check_details(sender, used_templates, staff_name: str, is_letter: bool) -> None:
    needed: list[str] = list(boutique.SENDER_NEEDS) if is_letter else []
    need_staff = False
    for template in used_templates:
        details, staff = templates.needs(template)
        needed += details
        need_staff = need_staff or staff
    absent = boutique.missing(sender.details, needed)
    no_staff = need_staff and not (staff_name or "").strip()
    if absent or no_staff:
        raise boutique.MissingDetails(absent, staff=no_staff)


def mark_cards_printed(vault, contact_ids, season: str = "", season_year: int | None = None,
                       by: int | None = None, note: str = "") -> int:
    """After a season's cards are printed: a "card sent" moment on each card ("Card printed for …"), and
    the season list entries still 'planned' become 'printed' (the calendar keeps them due until it
    hears 'sent' or 'skipped'). One transaction. Returns how many moments were written."""
    ids = list(dict.fromkeys(int(i) for i in contact_ids))
    if season and season_year is not None:  # once per person and season: a second print notes nothing new
        noted = {r[0] for r in vault.conn.execute(
            "SELECT contact_id FROM moments WHERE kind=? AND season=? AND season_year=?",
            (MomentKind.CARD_SENT.value, season, season_year))}
        ids = [i for i in ids if i not in noted]
    text = note or (_("Card printed for {season}").format(season=season) if season else _("Card printed"))
    with vault.transaction() as conn:
        for contact_id in ids:
            moments.add(vault, Moment(contact_id, text, dt.date.today(), kind=MomentKind.CARD_SENT.value,
                                      season=season, season_year=season_year), by=by)
        if season and season_year is not None:
            conn.executemany(
                "UPDATE season_recipients SET status='printed' WHERE contact_id=? AND year=? AND status='planned' "
                "AND season_id=(SELECT id FROM seasons WHERE name=?)", [(i, season_year, season) for i in ids])
    return len(ids)
