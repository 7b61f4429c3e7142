"""A person's own data (right of access): everything stored about one contact, as JSON and as a
readable PDF.

Gathered: every field of the card (photo included, base64 in JSON), moments, follow-ups with their
handled occurrences, links, consent history, tier history, open and closed cases, the change history
(including contacts merged into this one), and, generically, rows of any other table that points at
the contact (tables added by later features are never forgotten). The change log holds field names,
not values, so it is shown as is.

The PDF uses the fonts shipped in boutique_book/resources/fonts (via printing.fonts: Noto Sans with Arabic and CJK
fallbacks); if those are unavailable it falls back to Helvetica.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

from ..core import changelog, contacts, durable, interests, links, moments
from ..core.manager import require
from ..core.calendar_labels import every_text
from ..core.model import utc_now
from ..core.formatting import card_date, card_datetime, partial_date_text
from ..core.labels import (address_label, change_detail, change_label, channel_label, consent_label, country_name,
                           date_kind_label, email_label, first_met_label, formality_label, kind_label, language_name,
                           moment_kind_label, phone_label, relation_label, tier_label)
from ..i18n import _, language_for
from .merge import _contact_fk_columns, change_history, merged_ids

_KNOWN_TABLES = {"contacts", "moments", "moment_people", "links", "followups", "consents", "tier_history", "cases",
                 "duplicate_dismissals", "contact_interests", "contact_interest_dismissed"}


def _rows(conn, sql, params) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        item = {}
        for name, value in zip(names, row):
            item[name] = base64.b64encode(value).decode("ascii") if isinstance(value, (bytes, memoryview)) else value
        out.append(item)
    return out


def collect(vault, contact_id: int) -> dict:
    conn = vault.conn
    c = contacts.get(vault, contact_id)
    card = {k: getattr(c, k) for k in ("id", "given_name", "family_name", "organisation", "transliteration", "title",
                                       "salutation", "formality", "kind", "tier", "language", "country",
                                       "preferred_channel", "first_met_source", "first_met_note",
                                       "first_met_contact_id", "display_name", "created_at", "updated_at")}
    card["photo_base64"] = base64.b64encode(c.photo).decode("ascii") if c.photo else None
    card["phones"] = [{"number": p.raw, "e164": p.e164, "label": p.label} for p in c.phones]
    card["emails"] = [{"address": e.address, "label": e.label} for e in c.emails]
    card["addresses"] = [{"label": a.label, "street": a.street, "city": a.city, "city_area": a.city_area,
                          "region": a.region, "postal_code": a.postal_code, "country_code": a.country_code}
                         for a in c.addresses]
    card["dates"] = [{"kind": d.kind, "date": d.date.iso(), "label": d.label, "lead_days": d.lead_days}
                     for d in c.dates]
    card["tags"] = list(c.tags)
    # The person's own interests (what they told us); the staff member's end is never part of it.
    card["interests"] = [i.label for i in interests.for_contact(vault, contact_id, c.language or "en")]
    data = {
        "format": "boutique-book/person-export",
        "version": 1,
        "exported_at": utc_now(),
        "contact": card,
        "moments": [{"id": m.id, "date": m.occurred_on.isoformat(), "kind": m.kind, "text": m.text, "item": m.item,
                     "amount_minor": m.amount_minor, "currency": m.currency, "season": m.season,
                     "season_year": m.season_year, "recorded_by": m.staff_name, "created_at": m.created_at,
                     "updated_at": m.updated_at}
                    for m in moments.for_contact(vault, contact_id)],
        "mentioned_in_moments": _rows(conn, "SELECT m.id, m.occurred_on AS date, m.kind, m.text FROM moment_people mp "
                                            "JOIN moments m ON m.id=mp.moment_id WHERE mp.contact_id=? "
                                            "ORDER BY m.occurred_on", (contact_id,)),
        "followups": _rows(conn, "SELECT f.id, f.reason_kind, f.reason, f.channel, f.rule, f.start_date, f.time, "
                                 "f.lead_days, f.source, f.active, f.created_at, coalesce(s.name, '') AS owner "
                                 "FROM followups f LEFT JOIN staff s ON s.id=f.owner_staff_id WHERE f.contact_id=? "
                                 "ORDER BY f.start_date, f.id", (contact_id,)),
        "links": links.for_contact(vault, contact_id),
        "consents": _rows(conn, "SELECT c.purpose, c.granted, c.wording_version, c.recorded_at, "
                                "coalesce(s.name, '') AS recorded_by FROM consents c LEFT JOIN staff s "
                                "ON s.id=c.recorded_by WHERE c.contact_id=? ORDER BY c.id", (contact_id,)),
        "tier_history": [vars(t) for t in contacts.tier_history(vault, contact_id)],
        "cases": _rows(conn, "SELECT id, opened_at, resolved_at, resolution FROM cases WHERE contact_id=? "
                             "ORDER BY opened_at", (contact_id,)),
        "change_history": change_history(conn, contact_id),
        "merged_from": merged_ids(conn, contact_id)[1:],
    }
    for followup in data["followups"]:
        followup["rule"] = json.loads(followup["rule"] or "{}")
        followup["events"] = _rows(conn, "SELECT due_date, status, snoozed_to, note, handled_at FROM followup_events "
                                         "WHERE followup_id=? ORDER BY due_date", (followup["id"],))
    other: dict[str, list] = {}
    for table, column in _contact_fk_columns(conn):
        if table in _KNOWN_TABLES:
            continue
        rows = _rows(conn, f'SELECT * FROM "{table}" WHERE "{column}"=?', (contact_id,))
        if rows:
            other.setdefault(table, []).extend(rows)
    data["other_records"] = other
    return data


def write_json(data: dict, path) -> Path:
    return durable.save_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=str))


# -- PDF -------------------------------------------------------------------------------------------

def _fonts():
    """(regular, bold, markup function) — shipped fonts with script fallback, or Helvetica."""
    try:
        from ..printing import fonts

        fonts.register(["BB-Sans", "BB-Sans-Bold"])

        def markup(text: str, bold: bool = False) -> str:
            out = []
            for line in str(text).split("\n"):
                prepared = fonts.prepare(line, "sans-bold" if bold else "sans")
                out.append("".join(f'<font name="{name}">{escape(part)}</font>' for name, part in prepared.runs))
            return "<br/>".join(out)

        return "BB-Sans", "BB-Sans-Bold", markup
    except Exception:
        def plain(text: str, bold: bool = False) -> str:
            return escape(str(text)).replace("\n", "<br/>")

        return "Helvetica", "Helvetica-Bold", plain


def _rule_text(rule: dict) -> str:
    kind = rule.get("type")
    if kind == "once":
        return _("once")
    if kind == "yearly":
        from ..core.model import PartialDate

        try:
            day = partial_date_text(PartialDate(int(rule.get("month", 0)), int(rule.get("day", 0))))
        except (TypeError, ValueError):
            day = f"{rule.get('month', '')}/{rule.get('day', '')}"
        return _("every year on {day}").format(day=day)
    if kind == "every":
        return every_text(rule.get("n", 1), rule.get("unit", "days"))
    if kind == "nth_weekday":
        return _("monthly, weekday {weekday} of week {n}").format(weekday=rule.get("weekday", ""), n=rule.get("n", ""))
    return json.dumps(rule, ensure_ascii=False)


def _day(value) -> str:
    """A stored ISO date or timestamp in the reader's long style ("27 novembre 2026"); "" stays ""."""
    if not value:
        return ""
    text = str(value)
    try:
        if len(text) == 10:
            return card_date(dt.date.fromisoformat(text))
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return card_date(moment.astimezone().date())  # the day is what a reader needs, not the second


def _value(value, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    named = {"tier": tier_label, "from_tier": tier_label, "to_tier": tier_label, "kind": kind_label,
             "preferred_channel": channel_label, "channel": channel_label, "first_met_source": first_met_label,
             "purpose": consent_label, "relation": relation_label}
    if key in named:
        return named[key](str(value))
    text = str(value)
    return _day(text) if ISO_LIKE.fullmatch(text) else text


ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def _key_date(text: str) -> str:
    from ..core.model import PartialDate

    try:
        return partial_date_text(PartialDate.parse(text))
    except (TypeError, ValueError):
        return text


def write_pdf(data: dict, path, title: str = "", sender=None, language: str | None = None) -> Path:
    """The person's data as a page they can read: in their language (their card's, else the interface's), human
    labels and their dates, the boutique's name and address at the top (`sender`: printing.recipients.Sender)."""
    with language_for(language or data["contact"].get("language")):
        return _write_pdf(data, path, title, sender)


def _write_pdf(data: dict, path, title: str, sender) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold, markup = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=17, leading=21, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4,
                        textColor=colors.HexColor("#3b3054"))
    card = data["contact"]
    story = []
    if sender is not None and (sender.name or sender.address.street):
        lines = sender.lines() or [sender.name]
        story.append(Paragraph(markup(lines[0], True), body))
        story += [Paragraph(markup(line), small) for line in lines[1:]]
        story += [Paragraph(markup(x), small) for x in (sender.phone, sender.email, sender.website) if x]
        story.append(Spacer(1, 5 * mm))
    story += [Paragraph(markup(title or card["display_name"], True), h1),
              Paragraph(markup(_("Everything we hold about you, as of {at}.").format(at=_day(data["exported_at"]))),
                        small), Spacer(1, 4 * mm)]

    def table(rows, widths=None):
        if not rows:
            return Paragraph(markup("—"), body)
        cells = [[Paragraph(markup(str(v) if v not in (None, "") else "—"), body) for v in row] for row in rows]
        t = Table(cells, colWidths=widths, hAlign="LEFT")
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return t

    fields = [(_("Given name"), card["given_name"]), (_("Family name"), card["family_name"]),
              (_("Organisation"), card["organisation"]), (_("Transliteration"), card["transliteration"]),
              (_("Title"), card["title"]), (_("Salutation"), card["salutation"]),
              (_("Formality"), formality_label(card["formality"])), (_("Kind"), kind_label(card["kind"])),
              (_("Tier"), tier_label(card["tier"])), (_("Language"), language_name(card["language"])),
              (_("Country"), country_name(card["country"])),
              (_("Preferred channel"), channel_label(card["preferred_channel"] or "")),
              (_("First met"), first_met_label(card["first_met_source"] or "")),
              (_("First met note"), card["first_met_note"]), (_("On the book since"), _day(card["created_at"])),
              (_("Last changed"), _day(card["updated_at"]))]
    fields = [(k, v) for k, v in fields if v not in (None, "")]
    fields += [(phone_label(p["label"]), p["number"]) for p in card["phones"]]
    fields += [(email_label(e["label"]), e["address"]) for e in card["emails"]]
    fields += [(address_label(a["label"]),
                "\n".join(x for x in (a["street"], f"{a['postal_code']} {a['city']}".strip(), a["region"],
                                      country_name(a["country_code"])) if x)) for a in card["addresses"]]
    fields += [(d["label"] or date_kind_label(d["kind"]), _key_date(d["date"])) for d in card["dates"]]
    fields += [(_("Tags"), ", ".join(card["tags"]))] if card["tags"] else []
    fields += [(_("Photo"), _("stored (included in the JSON file)"))] if card["photo_base64"] else []
    story += [Paragraph(markup(_("Card"), True), h2), table(fields, [45 * mm, 125 * mm])]

    story += [Paragraph(markup(_("Shared moments ({n})").format(n=len(data["moments"])), True), h2),
              table([(_day(m["date"]), moment_kind_label(m["kind"]), m["text"] + (f" — {m['item']}" if m["item"] else ""),
                      m["recorded_by"]) for m in data["moments"]], [34 * mm, 24 * mm, 86 * mm, 26 * mm])]
    story += [Paragraph(markup(_("Follow-ups ({n})").format(n=len(data["followups"])), True), h2),
              table([(_day(f["start_date"]), f["reason"] or f["reason_kind"], _rule_text(f["rule"]),
                      _("active") if f["active"] else _("ended"), len(f["events"])) for f in data["followups"]],
                    [30 * mm, 55 * mm, 47 * mm, 18 * mm, 20 * mm])]
    story += [Paragraph(markup(_("Links ({n})").format(n=len(data["links"])), True), h2),
              table([(relation_label(ln["relation"]), ln["other_name"], ln["note"], _day(ln["since"]))
                     for ln in data["links"]], [30 * mm, 55 * mm, 55 * mm, 30 * mm])]
    story += [Paragraph(markup(_("Consent history"), True), h2),
              table([(_day(c["recorded_at"]), consent_label(c["purpose"]), _("yes") if c["granted"] else _("no"),
                      c["wording_version"], c["recorded_by"]) for c in data["consents"]],
                    [45 * mm, 30 * mm, 15 * mm, 20 * mm, 50 * mm])]
    story += [Paragraph(markup(_("Tier history"), True), h2),
              table([(_day(t["changed_at"]), tier_label(t["from_tier"] or ""), tier_label(t["to_tier"]),
                      t["changed_by_name"], t["reason"]) for t in data["tier_history"]],
                    [45 * mm, 28 * mm, 28 * mm, 35 * mm, 35 * mm])]
    if data["cases"]:
        story += [Paragraph(markup(_("Cases"), True), h2),
                  table([(_day(c["opened_at"]), _day(c["resolved_at"]) or _("open"), c["resolution"])
                         for c in data["cases"]])]
    story += [Paragraph(markup(_("Change history (what was changed, by whom; values are not logged)"), True), h2),
              table([(_day(e["at"]), change_label(e["action"]), change_detail(e["action"], e["detail"]), e["staff"])
                     for e in data["change_history"]],
                    [40 * mm, 45 * mm, 50 * mm, 35 * mm])]
    for name, rows in data["other_records"].items():
        story += [Paragraph(markup(name.replace("_", " ").capitalize(), True), h2),
                  table([[f"{k.replace('_', ' ').capitalize()}: {_value(v, k)}" for k, v in row.items()] for row in rows])]

    path = Path(path)
    with durable.saving(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                bottomMargin=16 * mm,
                                title=_("Personal data — {name}").format(name=card["display_name"]),
                                author=(sender.name if sender is not None and sender.name else "Boutique Book"))
        doc.build(story)
    return path


def export_person(vault, contact_id: int, folder, *, session) -> tuple[Path, Path]:
    """Write <folder>/person-<id>.json and .pdf. Returns both paths. A manager act (core.manager.require):
    the person's data leaves the encrypted book in clear."""
    require(session, vault)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise durable.classify(exc, folder / "person.json") from None
    data = collect(vault, contact_id)
    stem = f"person-{contact_id}-{dt.date.today().isoformat()}"
    json_path = write_json(data, folder / f"{stem}.json")
    from ..printing.recipients import sender as boutique

    pdf_path = write_pdf(data, folder / f"{stem}.pdf", sender=boutique(vault))
    with vault.transaction() as conn:
        changelog.audit(conn, session.actor, "person_export", contact_id=contact_id)
    return json_path, pdf_path
