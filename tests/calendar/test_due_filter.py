import datetime as dt

from boutique_book.core import calendar, contacts, followups
from boutique_book.core.model import Contact
from boutique_book.core.search import SearchFilters, search_ids


def test_due_filter_lists_people_with_a_follow_up_due(vault):
    due = contacts.add(vault, Contact(given_name="Ana", family_name="Due"))
    later = contacts.add(vault, Contact(given_name="Ben", family_name="Later"))
    today = dt.date.today()
    followups.add(vault, due, today - dt.timedelta(days=2), reason="Call after the alteration")
    followups.add(vault, later, today + dt.timedelta(days=30), reason="Call after the alteration")
    ids = calendar.due_contact_ids(vault, today)
    assert due in ids and later not in ids
    filters = SearchFilters(due_only=True, due_ids=ids)
    assert search_ids(vault.conn, "", 50, 0, filters) == [due]
