"""Translated labels for stored codes: the Qt-free core.labels, shared with PDFs and the CLI."""

from ..core.labels import *  # noqa: F401,F403
from ..core.labels import (  # noqa: F401  (names the screens import)
    CHANNELS, CONSENT_PURPOSES, KINDS, MOMENT_KINDS, TIERS, address_label, channel_label, consent_label, country_name,
    date_kind_label, email_label, first_met_label, kind_label, language_name, moment_kind_label, phone_label,
    relation_label, season_label, tier_label)
