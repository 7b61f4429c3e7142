"""The HQ chain report (PDF or HTML) from the collected dataset (hq/dataset.py).

Every figure comes from a DuckDB query over the Parquet dataset (aggregates grouped by store; Python only
walks the aggregated results, never the pseudonymised rows). Nothing can single a person out: the rows
were k-anonymous when they left the stores, and every number the report shows that is between 1 and K-1
is shown as "<K" and drawn as 0 (the same K as the profile), including the figures bundles' counts.

Layout: the chain summary first (totals, people per tier, per store, tiers over time, follow-up
discipline, first-met sources, card seasons), then one page per store with the same figures for that store.
Tiers come from the pseudonymised rows (the newest snapshot of each store, and every snapshot over time);
follow-ups, first-met sources and card seasons from the figures bundles (exact counts, no row per person).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from ..core import durable
from ..core.calendar import season_reason, tier_label
from ..core.errors import BoutiqueBookError
from ..core.formatting import card_datetime
from ..i18n import _, ngettext
from . import anonymity, charts, dataset

TIERS = ("family", "friends", "acquaintances")
TOP_STORES = 25  # stores drawn in the chain-wide per-store charts (every store has its own page)


class ReportError(BoutiqueBookError):
    pass


def source_label(code: str) -> str:
    return {"walk_in": _("Walked in"), "referral": _("Referred by a person"), "event": _("At an event"),
            "concierge": _("Hotel concierge"), "tourism": _("Tourism"), "online": _("Online"),
            "press": _("Press"), "other": _("Other"), "": _("Not recorded"), "unknown": _("Not recorded"),
            anonymity.HIDDEN: _("Left out (k-anonymity)")}.get(code, code)


def season_label(value: str) -> str:
    season, _sep, year = value.rpartition(" ")
    return f"{season_reason(season)} {year}" if season else value


@dataclass
class StoreFigures:
    store_id: str
    fingerprint: str = ""
    last_export: str = ""
    people: int | None = None
    tiers: dict = field(default_factory=dict)          # tier -> n (None when below k)
    tier_dates: list = field(default_factory=list)     # export dates of its pseudonymised snapshots
    tier_history: dict = field(default_factory=dict)   # tier -> [n per date]
    followups: dict = field(default_factory=dict)      # done/skipped/overdue -> n
    sources: dict = field(default_factory=dict)
    cards: dict = field(default_factory=dict)          # season value -> (sent, answered)


@dataclass
class ChainFigures:
    k: int
    stores: int
    bundles: int
    people: int | None
    first_export: str
    last_export: str
    tiers: dict
    months: list
    tier_history: dict
    sources: dict
    cards: dict
    followups: dict
    per_store: list  # [StoreFigures], largest first


def _tier_order(tiers) -> list:
    return [t for t in TIERS if t in tiers] + sorted(t for t in tiers if t not in TIERS)


def gather(root, k: int = anonymity.K) -> ChainFigures:
    """Every number of the report, by DuckDB queries over the dataset under root."""
    con = dataset.connect(root)
    try:
        with dataset.private_umask():  # re-creating the views writes the DuckDB file (and its .wal)
            dataset.refresh_views(con, root)
        con.execute(f"CREATE OR REPLACE TEMP MACRO ksafe(n) AS CASE WHEN n > 0 AND n < {int(k)} THEN NULL ELSE n END")
        return _gather(con, k)
    finally:
        con.close()


def _gather(con, k: int) -> ChainFigures:
    q = lambda sql, *params: con.execute(sql, list(params)).fetchall()  # noqa: E731
    [(n_stores, n_bundles, first, last)] = q(
        "SELECT count(DISTINCT store_id), count(*), min(export_date), max(export_date) FROM bundles")
    if not n_bundles:
        raise ReportError(_("The HQ dataset holds no bundle yet: collect some with hq-collect first."))
    [(people,)] = q("SELECT ksafe(count(*)) FROM contacts_latest")
    tiers = dict(q("SELECT tier, ksafe(count(*)) FROM contacts_latest GROUP BY tier"))
    # First-met sources from the figures bundles: exact counts per source (the pseudonymised rows had rare
    # sources generalised to "other" for k-anonymity), held back below k like every other number.
    sources = dict(q("SELECT value, ksafe(sum(count)) FROM figures_latest WHERE measure = 'first_met_source' "
                     "GROUP BY 1 ORDER BY 2 DESC NULLS LAST"))
    # Tiers over time: each store's newest pseudonymised snapshot of each month, summed per month.
    month_rows = q("""
        WITH snap AS (SELECT bundle_id, strftime(export_date, '%Y-%m') AS month,
                             row_number() OVER (PARTITION BY store_id, strftime(export_date, '%Y-%m')
                                                ORDER BY created_at DESC, bundle_id) AS r
                      FROM bundles WHERE profile = 'pseudonymised')
        SELECT s.month, h.tier, ksafe(count(*)) FROM contacts_history h JOIN snap s USING (bundle_id)
        WHERE s.r = 1 GROUP BY ALL ORDER BY 1""")
    months = sorted({m for m, _t, _n in month_rows})
    tier_history = _series(month_rows, months)
    cards = _cards(q("""SELECT value, measure, ksafe(sum(count)) FROM figures_latest
                        WHERE measure IN ('cards_sent', 'cards_answered') GROUP BY ALL"""))
    followups = _followups(q(f"""SELECT 'chain', {_FOLLOWUP_COLUMNS} FROM figures_latest"""))

    stores = {sid: StoreFigures(sid, fp) for sid, fp in q(
        "SELECT store_id, fingerprint FROM stores ORDER BY store_id")}
    for sid, fp in q("SELECT DISTINCT store_id, signing_fingerprint FROM bundles"):
        stores.setdefault(sid, StoreFigures(sid, fp))
    for sid, last_export in q("SELECT store_id, max(export_date) FROM bundles GROUP BY 1"):
        stores[sid].last_export = str(last_export)
    for sid, n in q("SELECT store_id, ksafe(count(*)) FROM contacts_latest GROUP BY 1"):
        stores[sid].people = n
    for sid, tier, n in q("SELECT store_id, tier, ksafe(count(*)) FROM contacts_latest GROUP BY ALL"):
        stores[sid].tiers[tier] = n
    for sid, source, n in q("SELECT store_id, value, ksafe(sum(count)) FROM figures_latest "
                            "WHERE measure = 'first_met_source' GROUP BY ALL ORDER BY 1, 3 DESC NULLS LAST"):
        stores[sid].sources[source] = n
    per_date = q("""
        WITH snap AS (SELECT bundle_id, row_number() OVER (PARTITION BY store_id, export_date
                                                           ORDER BY created_at DESC, bundle_id) AS r
                      FROM bundles WHERE profile = 'pseudonymised')
        SELECT h.store_id, h.export_date, h.tier, ksafe(count(*)) FROM contacts_history h
        JOIN snap s USING (bundle_id) WHERE s.r = 1 GROUP BY ALL ORDER BY 1, 2""")
    grouped: dict = {}
    for sid, date, tier, n in per_date:
        grouped.setdefault(sid, []).append((str(date), tier, n))
    for sid, rows in grouped.items():
        stores[sid].tier_dates = sorted({d for d, _t, _n in rows})
        stores[sid].tier_history = _series(rows, stores[sid].tier_dates)
    for sid, *values in q(f"SELECT store_id, {_FOLLOWUP_COLUMNS} FROM figures_latest GROUP BY store_id"):
        stores[sid].followups = dict(zip(("done", "skipped", "overdue"), values))
    card_rows: dict = {}
    for sid, value, measure, n in q("""SELECT store_id, value, measure, ksafe(sum(count)) FROM figures_latest
                                       WHERE measure IN ('cards_sent', 'cards_answered') GROUP BY ALL"""):
        card_rows.setdefault(sid, []).append((value, measure, n))
    for sid, rows in card_rows.items():
        stores[sid].cards = _cards(rows)
    ordered = sorted(stores.values(), key=lambda s: (-(s.people or 0), s.store_id))
    return ChainFigures(k, n_stores, n_bundles, people, str(first), str(last), tiers, months, tier_history,
                        sources, cards, followups[0][1] if followups else {}, ordered)


_FOLLOWUP_COLUMNS = ", ".join(
    f"ksafe(coalesce(sum(count) FILTER (WHERE measure = '{measure}' AND value = '{value}'), 0))"
    for measure, value in (("followups_handled", "done"), ("followups_handled", "skipped"),
                           ("followups_open", "overdue")))


def _followups(rows) -> list:
    return [(key, dict(zip(("done", "skipped", "overdue"), values))) for key, *values in rows]


def _series(rows, labels) -> dict:
    index = {label: i for i, label in enumerate(labels)}
    out: dict = {}
    for label, tier, n in rows:
        out.setdefault(tier, [None] * len(labels))[index[str(label)]] = n
    return {t: out[t] for t in _tier_order(out)}


def _cards(rows) -> dict:
    out: dict = {}
    for value, measure, n in rows:
        sent, answered = out.get(value, (None, None))
        out[value] = (n, answered) if measure == "cards_sent" else (sent, n)
    return dict(sorted(out.items(), key=lambda kv: (kv[0].rpartition(" ")[2], kv[0])))


# -- rendering ------------------------------------------------------------------------------------

def shown(n, k: int) -> str:
    """How a count is printed: '<k' when it was held back, else with thousands separators."""
    return f"<{k}" if n is None else f"{n:,}"


def _v(n) -> float:
    return float(n or 0)


def _tier_names(tiers) -> list:
    return [tier_label(t) for t in _tier_order(tiers)]


def chain_charts(f: ChainFigures) -> list:
    top = f.per_store[:TOP_STORES]
    drawings = [
        charts.bar_chart(_("People per tier"), _tier_names(f.tiers), {_("People"): [_v(f.tiers[t]) for t in _tier_order(f.tiers)]}),
        charts.bar_chart(_("People per store and tier"), [s.store_id[:8] for s in top],
                         {tier_label(t): [_v(s.tiers.get(t)) for s in top] for t in _tier_order(f.tiers)},
                         stacked=True, height=220),
        charts.line_chart(_("How tiers move over time (people, by month of export)"), f.months,
                          {tier_label(t): [_v(n) for n in v] for t, v in f.tier_history.items()}),
        charts.bar_chart(_("Follow-up discipline per store"), [s.store_id[:8] for s in top],
                         {_("Done"): [_v(s.followups.get("done")) for s in top],
                          _("Skipped"): [_v(s.followups.get("skipped")) for s in top],
                          _("Overdue"): [_v(s.followups.get("overdue")) for s in top]}, stacked=True, height=220),
        charts.bar_chart(_("First-met sources"), [source_label(s) for s in f.sources],
                         {_("People"): [_v(n) for n in f.sources.values()]}, horizontal=True),
        charts.bar_chart(_("Card seasons: sent and answered"), [season_label(s) for s in f.cards],
                         {_("Sent"): [_v(a) for a, _b in f.cards.values()],
                          _("Answered"): [_v(b) for _a, b in f.cards.values()]}),
    ]
    return drawings


def store_charts(s: StoreFigures) -> list:
    return [
        charts.bar_chart(_("People per tier"), _tier_names(s.tiers),
                         {_("People"): [_v(s.tiers[t]) for t in _tier_order(s.tiers)]}, width=250, height=160),
        charts.line_chart(_("Tiers over time"), s.tier_dates,
                          {tier_label(t): [_v(n) for n in v] for t, v in s.tier_history.items()},
                          width=250, height=160),
        charts.bar_chart(_("Follow-ups"), [_("Done"), _("Skipped"), _("Overdue")],
                         {_("Follow-ups"): [_v(s.followups.get(x)) for x in ("done", "skipped", "overdue")]}
                         if s.followups else {}, width=250, height=160),
        charts.bar_chart(_("First-met sources"), [source_label(x) for x in s.sources],
                         {_("People"): [_v(n) for n in s.sources.values()]}, horizontal=True, width=250, height=160),
        charts.bar_chart(_("Card seasons"), [season_label(x) for x in s.cards],
                         {_("Sent"): [_v(a) for a, _b in s.cards.values()],
                          _("Answered"): [_v(b) for _a, b in s.cards.values()]}, width=250, height=160),
    ]


def chain_rows(f: ChainFigures) -> list[tuple[str, str]]:
    k = f.k
    rows = [(_("Stores"), f"{f.stores:,}"), (_("Bundles collected"), f"{f.bundles:,}"),
            (_("Exports from"), f"{f.first_export} – {f.last_export}"),
            (_("People (newest snapshot of each store)"), shown(f.people, k))]
    rows += [(tier_label(t), shown(f.tiers[t], k)) for t in _tier_order(f.tiers)]
    rows += [(_("Follow-ups done"), shown(f.followups.get("done"), k)),
             (_("Follow-ups skipped"), shown(f.followups.get("skipped"), k)),
             (_("Follow-ups overdue"), shown(f.followups.get("overdue"), k))]
    return rows


def store_rows(s: StoreFigures, k: int) -> list[tuple[str, str]]:
    rows = [(_("Last export"), s.last_export), (_("Signing key fingerprint"), s.fingerprint),
            (_("People"), shown(s.people, k) if s.tiers else "—")]
    rows += [(tier_label(t), shown(s.tiers[t], k)) for t in _tier_order(s.tiers)]
    if s.followups:
        rows += [(_("Follow-ups done"), shown(s.followups.get("done"), k)),
                 (_("Follow-ups skipped"), shown(s.followups.get("skipped"), k)),
                 (_("Follow-ups overdue"), shown(s.followups.get("overdue"), k))]
    for season, (sent, answered) in s.cards.items():
        rows.append((season_label(season), _("{sent} sent, {answered} answered").format(
            sent=shown(sent, k), answered=shown(answered, k))))
    return rows


def _k_note(k: int) -> str:
    return _("Every number below {k} is shown as “<{k}” and drawn as 0, so that no figure can single a person "
             "out.").format(k=k)


def write_pdf(f: ChainFigures, path) -> int:
    """Write the report as PDF (built in memory, saved through the app's save path); returns the pages."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()

    def table(rows):
        t = Table([[html.escape(a), b] for a, b in rows], colWidths=[75 * mm, 60 * mm], hAlign="LEFT")
        t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
        return t

    story = [Paragraph(html.escape(_("Chain report")), styles["Title"]),
             Paragraph(html.escape(_("Made {when} from {stores} stores' bundles.").format(
                 when=card_datetime(dt.datetime.now(dt.timezone.utc)), stores=f.stores)),
                 styles["Normal"]),
             Paragraph(html.escape(_k_note(f.k)), styles["Italic"]), Spacer(1, 4 * mm), table(chain_rows(f)),
             Spacer(1, 4 * mm)]
    for drawing in chain_charts(f):
        story += [drawing, Spacer(1, 3 * mm)]
    if len(f.per_store) > TOP_STORES:
        story.append(Paragraph(html.escape(ngettext("Per-store charts show the {n} largest of {total} stores; every store "
                                             "has its own page.",
                                             "Per-store charts show the {n} largest of {total} stores; every store "
                                             "has its own page.", len(f.per_store)).format(
                                             n=TOP_STORES, total=len(f.per_store))),
                               styles["Italic"]))
    for s in f.per_store:
        story += [PageBreak(), Paragraph(html.escape(_("Store {store}").format(store=s.store_id)), styles["Heading1"]),
                  table(store_rows(s, f.k)), Spacer(1, 3 * mm)]
        drawings = store_charts(s)
        pairs = [drawings[i:i + 2] for i in range(0, len(drawings), 2)]
        grid = Table([p + [""] * (2 - len(p)) for p in pairs], colWidths=[90 * mm, 90 * mm], hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(grid)
    pages = []

    def count(canvas, doc):
        pages.append(doc.page)
        canvas.setFont("Helvetica", 7)
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, str(doc.page))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=_("Chain report"), author="Boutique Book")
    doc.build(story, onFirstPage=count, onLaterPages=count)
    durable.save_bytes(path, buffer.getvalue())
    return len(pages)


def write_html(f: ChainFigures, path) -> None:
    def table(rows):
        return "<table>" + "".join(f"<tr><th>{html.escape(a)}</th><td>{html.escape(b)}</td></tr>"
                                   for a, b in rows) + "</table>"

    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(_('Chain report'))}</title>"
             "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse}th{text-align:left;font-weight:normal;padding:2px 2em 2px 0}"
             "td{text-align:right}section{page-break-before:always;margin-top:3em}svg{margin:.5em}</style></head><body>",
             f"<h1>{html.escape(_('Chain report'))}</h1><p><em>{html.escape(_k_note(f.k))}</em></p>",
             table(chain_rows(f))]
    parts += [charts.to_svg(d) for d in chain_charts(f)]
    for s in f.per_store:
        parts.append(f"<section><h2>{html.escape(_('Store {store}').format(store=s.store_id))}</h2>")
        parts.append(table(store_rows(s, f.k)))
        parts += [charts.to_svg(d) for d in store_charts(s)]
        parts.append("</section>")
    parts.append("</body></html>")
    durable.save_bytes(path, "\n".join(parts).encode("utf-8"))


def make_report(root, out, as_html: bool = False, k: int = anonymity.K) -> tuple[Path, int, ChainFigures]:
    """Gather the figures and write the report. Returns (path, pages (0 for HTML), figures)."""
    figures = gather(root, k)
    out = Path(out)
    if as_html:
        write_html(figures, out)
        return out, 0, figures
    return out, write_pdf(figures, out), figures
