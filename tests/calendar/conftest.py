import datetime as dt

import pytest

from boutique_book.core import contacts, staff
from boutique_book.core.model import Contact, KeyDate, PartialDate


@pytest.fixture
def make_person(vault):
    """make_person("Anne", tier="family", birthday="--03-14", lead=10, channel="card", by=None) -> id."""
    def make(given, family="Test", tier="friends", birthday=None, lead=0, channel="", by=None, dates=()):
        key_dates = [KeyDate("birthday", PartialDate.parse(birthday), lead_days=lead)] if birthday else []
        key_dates += [KeyDate(kind, PartialDate.parse(value), lead_days=lead) for kind, value in dates]
        return contacts.add(vault, Contact(given_name=given, family_name=family, tier=tier, country="FR",
                                           preferred_channel=channel, dates=key_dates), by=by)
    return make


@pytest.fixture
def other_staff_id(vault):
    return staff.add(vault, "Matteo Ricci")


@pytest.fixture
def today():
    return dt.date.today()
