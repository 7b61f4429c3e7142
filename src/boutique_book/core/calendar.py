"""Follow-up calendars: tier rhythms, key dates, seasons, follow-ups and cases, as one agenda.

Sources of agenda items (each item has a stable key: source, contact, ref, due date):

- followup  rows of `followups` written by people (one-off or recurring, see core.calendar_rules) and the
            check-in scheduled when a complaint case is resolved (source 'case').
- key_date  the contact's key dates (birthday, anniversary...), yearly, `lead_days` before the date.
            Computed on the fly with the month-day index contact_dates_md; never materialised.
- rhythm    a contact without a moment within their tier's cadence (settings key "tier_rhythms").
            The clock (max of creation day and newest moment) lives in agenda_people, kept by triggers.
- season    a season's recipients for a year (season_recipients), lead_days before the season's date.

Handling an item (done / skipped / snoozed) appends a followup_events row. For computed sources an
"anchor" row in `followups` (active=0, source + source_ref) is created on first use, so the events have
a follow-up to point at. events.due_date is the item's original due date (the day work was planned).

Overdue: one-off follow-ups and rhythms stay overdue until handled; a recurring follow-up shows only its
latest missed occurrence; key dates and seasons stay overdue for `grace_days` (default 30: a birthday card
a season late helps nobody).

The module is split by concern (issue #17): calendar_settings (rhythms, grace, time zone, week bounds),
calendar_labels (words for items), calendar_agenda (the agenda query), calendar_actions (done, skip,
snooze, cases, follow-ups) and calendar_ics (iCalendar). This module re-exports their public names, so
`from boutique_book.core import calendar; calendar.agenda(...)` keeps working; new code may import the
part it needs. The imports point one way only (ics -> agenda -> labels/settings; no circle).
"""

from __future__ import annotations

from .calendar_settings import (  # noqa: F401
    RHYTHM_KEY,
    CALENDAR_KEY,
    DEFAULT_RHYTHMS,
    DEFAULT_CALENDAR,
    MAX_LEAD_DAYS,
    tier_rhythms,
    set_tier_rhythm,
    calendar_settings,
    timezone,
    cadence_due,
    cadence_cutoff,
    week_bounds,
    month_bounds,
    first_weekday,
)
from .calendar_labels import (  # noqa: F401
    KEY_DATE_LABELS,
    SEASON_LABELS,
    CHANNEL_LABELS,
    key_date_reason,
    season_reason,
    tier_label,
    channel_label,
    rhythm_reason,
)
from .calendar_agenda import (  # noqa: F401
    STATUSES,
    AgendaItem,
    Agenda,
    rhythm_status,
    agenda,
    due_contact_ids,
)
from .calendar_actions import (  # noqa: F401
    MOMENT_KIND_FOR_CHANNEL,
    mark_done,
    skip,
    snooze,
    item_context,
    resolve_case,
    case,
    add_followup,
    cancel_followup,
)
from .calendar_ics import export_ics  # noqa: F401
