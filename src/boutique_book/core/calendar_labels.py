"""Calendar labels: the words an agenda item is shown with (key dates, seasons, channels, tiers, rhythms)."""

from __future__ import annotations

from ..i18n import _, N_, ngettext


KEY_DATE_LABELS = {"birthday": N_("Birthday"), "anniversary": N_("Anniversary"),
                   "first_purchase": N_("Anniversary of the first purchase"), "name_day": N_("Name day"),
                   "other": N_("Key date")}

SEASON_LABELS = {"christmas": N_("Christmas card"), "new_year": N_("New Year card"),
                 "lunar_new_year": N_("Lunar New Year card"), "easter": N_("Easter card"),
                 "mothers_day": N_("Mother's Day card"), "eid_al_fitr": N_("Eid card"), "diwali": N_("Diwali card")}

CHANNEL_LABELS = {"call": N_("call"), "card": N_("card"), "letter": N_("letter"), "email": N_("email"),
                  "visit": N_("visit"), "sms": N_("text message"), "messaging": N_("message")}

# -- labels -------------------------------------------------------------------------------------------
def key_date_reason(kind: str, label: str = "") -> str:
    if kind == "other" and label:
        return label
    return _(KEY_DATE_LABELS.get(kind, N_("Key date")))

def season_reason(name: str) -> str:
    return _(SEASON_LABELS[name]) if name in SEASON_LABELS else _("{season} card").format(season=name)

def tier_label(tier: str) -> str:
    return {"family": _("Family"), "friends": _("Friends"), "acquaintances": _("Acquaintances")}.get(tier, tier)

def channel_label(channel: str) -> str:
    return _(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else channel

def rhythm_reason(tier: str, rhythm: dict) -> str:
    return _("Keep in touch ({tier}: {every})").format(tier=tier_label(tier), every=every_text(rhythm["n"], rhythm["unit"]))


def every_text(n, unit: str) -> str:
    """"every 3 weeks" / "every week" with the language's plural rules (ngettext), for rhythms and repeats."""
    try:
        n = int(n)
    except (TypeError, ValueError):
        n = 1
    forms = {"days": ngettext("every {n} day", "every {n} days", n),
             "weeks": ngettext("every {n} week", "every {n} weeks", n),
             "months": ngettext("every {n} month", "every {n} months", n),
             "years": ngettext("every {n} year", "every {n} years", n)}
    return forms.get(unit, forms["days"]).format(n=n)
