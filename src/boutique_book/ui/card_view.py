"""A person's card: who they are, what matters before a conversation, and the timeline of moments.

Rendered as rich text in a QTextBrowser: fast for 200 moments, selectable, and links inside it
(other people, edit/delete a moment) are keyboard-reachable with Tab and Enter.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Qt, Signal
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from ..core import phones as phone_lib
from ..i18n import _, ngettext
from ..printing.addresses import format_lines
from .formatting import card_date, card_datetime, money_text, partial_date_text
from .labels import (CONSENT_PURPOSES, address_label, channel_label, consent_label, country_name, date_kind_label,
                     email_label, first_met_label, formality_label, kind_label, language_name, moment_kind_label,
                     phone_label, relation_label, tier_label)

E = html.escape
CARD_TEXT_CHARS = 1500  # characters of one text shown on the card (the rest: one click away)


class CardView(QTextBrowser):
    openContact = Signal(int)
    editMoment = Signal(int)
    deleteMoment = Signal(int)
    resolveCase = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.card = None
        self.load_all = None   # contact id -> the whole card (every link), for "… and N more"
        self._css = None
        self._home_region = ""
        self.show_placeholder()

    def show_placeholder(self, hint: str | None = None):
        self.card = None
        lines = [hint] if hint else [_('Type a name, a phone number or a word they said.'),
                                     _('Enter opens the person.')]
        self.setHtml(f"<div class='empty'><p style='color:#8a8178; font-size:15px; margin-top:80px' align=center>"
                     f"{'<br>'.join(E(line) for line in lines)}</p></div>")

    def clear_personal_data(self):
        self.document().addResource(QTextDocument.ImageResource, QUrl("photo:current"), QImage())
        self.clear()
        self.show_placeholder()

    def _on_anchor(self, url: QUrl):
        scheme, target = url.scheme(), url.path() or url.host()
        if scheme == "more" and self.card is not None:
            scroll = self.verticalScrollBar().value()
            if self.card.link_count > len(self.card.links) and self.load_all is not None:
                self.card = self.load_all(self.card.contact.id)  # every link, not only the newest
            self._set_card_html(render(self.card, self._home_region, timeline_shown=None, with_css=False))
            self.verticalScrollBar().setValue(scroll)
            return
        try:
            value = int(target)
        except ValueError:
            return
        {"contact": self.openContact, "edit": self.editMoment, "delete": self.deleteMoment,
         "resolve": self.resolveCase}.get(
            scheme, self.openContact).emit(value)

    def show_card(self, card, home_region: str = ""):
        self.card = card
        if card.contact.photo:
            image = QImage.fromData(card.contact.photo)
            if not image.isNull():
                image = image.scaled(96, 96, Qt.KeepAspectRatio, Qt.SmoothTransformation)
                self.document().addResource(QTextDocument.ImageResource, QUrl("photo:current"), image)
        self._home_region = home_region
        self._set_card_html(render(card, home_region, with_css=False))
        self.verticalScrollBar().setValue(0)

    def _set_card_html(self, html: str) -> None:
        """The card's style is the document's default style sheet, parsed once per palette instead of once
        per card (a <style> block in every setHtml cost ~1 ms of the 5 ms it takes)."""
        css = card_css(tag=False)
        if css != self._css:
            self.document().setDefaultStyleSheet(css)
            self._css = css
        self.setHtml(html)


def _section(title: str, body: str) -> str:
    if not body:
        return ""
    return f"<h3>{E(title)}</h3>{body}"


TIMELINE_SHOWN = 20  # laying out 200 moments costs ~0.2 s in QTextBrowser, 40 cost 5.5 ms, 20 cost 4 ms (issue
                     # 21: the card is painted within a frame or two); the rest come on request
LINKS_SHOWN = 40     # the newest links on the card: an institution with 7,000 links laid them all out (1.5 s)


def clip(text: str, moment_id: int | None = None, limit: int | None = None) -> str:
    """Escaped text, cut at CARD_TEXT_CHARS: a card never lays out more than a few pages of one text, so
    it shows at once even when an old import left a 50 MB note (the whole text opens with Edit)."""
    limit = CARD_TEXT_CHARS if limit is None else limit
    if len(text) <= limit:
        return E(text)
    rest = ngettext("… ({n} more character)", "… ({n} more characters)", len(text) - limit).format(
        n=f"{len(text) - limit:,}")
    if moment_id is not None:
        rest = f"<a href='edit:{moment_id}'>{E(rest)}</a>"
    else:
        rest = E(rest)
    return E(text[:limit]) + " " + rest


def render(card, home_region: str = "", timeline_shown: int | None = TIMELINE_SHOWN, with_css: bool = True) -> str:
    """The card as HTML; with_css=False leaves out the <style> block (CardView sets it as the default sheet)."""
    c = card.contact
    parts = []
    if c.photo:
        parts.append("<img src='photo:current' align='right' width=96>")
    parts.append(f"<h1>{E(c.display_name)}</h1>")
    sub = []
    if c.transliteration:
        sub.append(E(c.transliteration))
    sub.append(f"<span class='tier tier-{E(c.tier)}'>{E(tier_label(c.tier))}</span>")
    sub.append(E(kind_label(c.kind)))
    parts.append(f"<p class='sub'>{' · '.join(sub)}</p>")

    address_how = []
    if c.salutation or c.title:
        address_how.append(E(" ".join(x for x in (c.salutation, c.title) if x)))
    address_how.append(E(formality_label(c.formality or "informal")))
    if c.language:
        address_how.append(E(language_name(c.language, _locale())))
    address_how.append(E(_("prefers: {channel}").format(channel=channel_label(c.preferred_channel))))
    parts.append(f"<p>{' · '.join(address_how)}</p>")

    # At a glance: what matters before a conversation.
    glance = []
    for case in card.open_cases:
        opened = f"<b>{E(_('Open complaint'))}</b> ({E(_stored_day(case['opened_at']))})"
        glance.append(f"<li class='alert'>{_labelled(opened, clip(case['text']))} "
                      f"&nbsp;<a href='resolve:{case['id']}'>{E(_('Resolve…'))}</a></li>")
    seen_texts = set()
    for moment in card.wishes:
        if moment.text in seen_texts:
            continue
        seen_texts.add(moment.text)
        glance.append(f"<li>{_labelled(f'<b>{E(moment_kind_label(moment.kind))}</b>', clip(moment.text))}</li>")
    if card.last_purchase:
        p = card.last_purchase
        label = f"<b>{E(_('Last purchase'))}</b> ({E(card_date(p.occurred_on))})"
        glance.append(f"<li>{_labelled(label, clip(p.text))} {E(money_text(p.amount_minor, p.currency))}</li>")
    if card.last_moment:
        m = card.last_moment
        label = f"<b>{E(_('Last moment'))}</b> ({E(card_date(m.occurred_on))}, {E(m.staff_name or _('unknown'))})"
        glance.append(f"<li>{_labelled(label, clip(m.text, m.id))}</li>")
    parts.append(_section(_("At a glance"), f"<ul>{''.join(glance)}</ul>" if glance else ""))

    details = []
    for phone in c.phones:
        details.append(f"<tr><td class='k'>{E(phone_label(phone.label))}</td>"
                       f"<td>{E(phone_lib.display(phone.e164, phone.raw, home_region))}</td></tr>")
    for email in c.emails:
        details.append(f"<tr><td class='k'>{E(email_label(email.label))}</td><td>{E(email.address)}</td></tr>")
    for address in c.addresses:
        # In the country's own order ("New York, NY 10022", "〒100-0005 東京都千代田区…"), as the envelope prints it.
        lines = format_lines("", "", address, postal=False) + [country_name(address.country_code)]
        details.append(f"<tr><td class='k'>{E(address_label(address.label))}</td>"
                       f"<td>{'<br>'.join(E(x) for x in lines if x)}</td></tr>")
    for key_date in c.dates:
        details.append(f"<tr><td class='k'>{E(key_date.label or date_kind_label(key_date.kind))}</td>"
                       f"<td>{E(partial_date_text(key_date.date))}</td></tr>")
    if c.tags:
        details.append(f"<tr><td class='k'>{E(_('Tags'))}</td><td>{E(', '.join(c.tags))}</td></tr>")
    if card.interests:
        details.append(f"<tr><td class='k'>{E(_('Interests'))}</td><td>{E(', '.join(card.interests))}</td></tr>")
    met = first_met_label(c.first_met_source)
    if card.first_met_by:
        met += f" — <a href='contact:{c.first_met_contact_id}'>{E(card.first_met_by)}</a>"
        met = E(first_met_label(c.first_met_source)) + met[len(first_met_label(c.first_met_source)):]
    else:
        met = E(met)
    if c.first_met_note:
        met += f" ({E(c.first_met_note)})"
    details.append(f"<tr><td class='k'>{E(_('First met'))}</td><td>{met}</td></tr>")
    consent_bits = []
    for purpose in CONSENT_PURPOSES:
        consent = card.consents.get(purpose)
        state = _("yes") if consent and consent.granted else (_("withdrawn") if consent else _("not asked"))
        consent_bits.append(E(_("{label}: {value}").format(label=consent_label(purpose), value=state)))
    details.append(f"<tr><td class='k'>{E(_('Consent'))}</td><td>{' · '.join(consent_bits)}</td></tr>")
    parts.append(_section(_("Details"), f"<table cellspacing=4>{''.join(details)}</table>"))

    if card.followups:
        items = []
        for f in card.followups:
            when = card_date(f["next"]) if f["next"] else _("no next date")
            extra = " · ".join(x for x in (channel_label(f["channel"]) if f["channel"] else "", f["owner"]) if x)
            items.append(f"<li>{E(when)}{' ' + E(f['time']) if f['time'] else ''}: {E(f['reason'])}"
                         f"{' (' + E(extra) + ')' if extra else ''}</li>")
        parts.append(_section(_("Follow-ups"), f"<ul>{''.join(items)}</ul>"))

    if card.links:
        items = [f"<li>{E(relation_label(l['relation']))}: <a href='contact:{l['other_id']}'>{E(l['other_name'])}</a>"
                 f"{' — ' + E(l['note']) if l['note'] else ''}</li>" for l in card.links]
        hidden = max(card.link_count - len(card.links), 0)
        if hidden:
            more = ngettext("… and {n} more", "… and {n} more", hidden).format(n=f"{hidden:,}")
            items.append(f"<li><a href='more:links'>{E(more)}</a></li>")
        parts.append(_section(_("Knows"), f"<ul>{''.join(items)}</ul>"))

    if len(card.tier_history) > 1:
        items = []
        for change in reversed(card.tier_history):
            who = change.changed_by_name or _("unknown")
            step = (f"{E(tier_label(change.from_tier))} → {E(tier_label(change.to_tier))}" if change.from_tier
                    else E(tier_label(change.to_tier)))
            reason = f" — {E(change.reason)}" if change.reason else ""
            items.append(f"<li>{E(card_datetime(change.changed_at))}: {step} ({E(who)}){reason}</li>")
        parts.append(_section(_("Tier history"), f"<ul>{''.join(items)}</ul>"))

    timeline = []
    shown = card.timeline if timeline_shown is None else card.timeline[:timeline_shown]
    for m in shown:
        extra = f" · {E(m.item)}" if m.item else ""
        amount = money_text(m.amount_minor, m.currency)
        if amount:
            extra += f" · {E(amount)}"
        timeline.append(
            f"<div class='moment'><p class='meta'>{E(card_date(m.occurred_on))} · {E(moment_kind_label(m.kind))}"
            f"{extra} · {E(m.staff_name or _('unknown'))} &nbsp; <a href='edit:{m.id}'>{E(_('Edit'))}</a> "
            f"<a href='delete:{m.id}'>{E(_('Delete'))}</a></p><p class='text'>{clip(m.text, m.id)}</p></div>")
    if len(shown) < len(card.timeline):
        show_all = ngettext("Show all {count} moment", "Show all {count} moments", len(card.timeline)).format(
            count=len(card.timeline))
        timeline.append(f"<p><a href='more:all'>{E(show_all)}</a></p>")
    title = _("Shared moments ({count})").format(count=card.moment_count)
    parts.append(_section(title, "".join(timeline) or f"<p>{E(_('No moment noted yet. Ctrl+M notes one.'))}</p>"))
    return (card_css() if with_css else "") + "".join(p for p in parts if p)


def _labelled(label_html: str, value_html: str) -> str:
    """ "label: value" through the catalog, so each language's punctuation applies (French: a space before ':')."""
    return _("{label}: {value}").format(label=label_html, value=value_html)


def _stored_day(stored) -> str:
    """A stored ISO date or timestamp as the card's long date (never ISO on a card)."""
    import datetime as _dt

    try:
        return card_date(_dt.date.fromisoformat(str(stored)[:10]))
    except ValueError:
        return str(stored or "")


def _locale():
    from ..i18n import current_language

    return current_language()


def card_css(tag: bool = True) -> str:
    """The card's HTML style from the design system's palette in use (light or dark, tier colours); without
    the <style> tag with tag=False (a QTextDocument default style sheet)."""
    from .style import TYPE, palette_colours

    p = palette_colours()
    css = f"""
h1 {{ font-family: 'Georgia', serif; font-size: 26px; font-weight: normal; color: {p['ink']}; margin: 0 0 2px 0; }}
h3 {{ font-size: {TYPE['caption']}px; letter-spacing: 1px; text-transform: uppercase; color: {p['heading']};
     margin: 18px 0 4px 0; }}
p.sub {{ color: {p['heading']}; margin-top: 0; }}
.tier {{ color: {p['link']}; font-weight: bold; }}
.tier-family {{ color: {p['tier_family']}; }}
.tier-friends {{ color: {p['tier_friends']}; }}
.tier-acquaintances {{ color: {p['tier_acquaintances']}; }}
td.k {{ color: {p['muted']}; padding-right: 14px; }}
li.alert {{ color: {p['error']}; }}
div.moment {{ margin: 0 0 10px 0; }}
p.meta {{ color: {p['muted']}; font-size: {TYPE['caption']}px; margin: 0; }}
p.text {{ margin: 2px 0 0 0; }}
a {{ color: {p['link']}; text-decoration: none; }}
"""
    return f"<style>{css}</style>" if tag else css


CARD_CSS = card_css()  # the light variant, for callers that want the string
