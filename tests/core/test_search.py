import datetime as dt

import pytest

from boutique_book.core import contacts, moments, search
from boutique_book.core.model import Contact, Email, Moment, Phone
from boutique_book.core.search import SearchFilters


@pytest.fixture
def people(vault):
    ids = {}
    ids["zoe"] = contacts.add(vault, Contact(given_name="Zoë", family_name="Lefèvre", country="FR",
                                             phones=[Phone("+33 6 12 34 56 78")], tags=["bridal"]))
    ids["zoey"] = contacts.add(vault, Contact(given_name="Anna", family_name="Zoeller", tier="family"))
    ids["yamada"] = contacts.add(vault, Contact(given_name="太郎", family_name="山田", transliteration="Tarō Yamada"))
    ids["ivanova"] = contacts.add(vault, Contact(given_name="Анна", family_name="Иванова",
                                                 emails=[Email("anna.ivanova@example.ru")]))
    ids["muller"] = contacts.add(vault, Contact(given_name="Jürgen", family_name="Müller", country="DE",
                                                phones=[Phone("0151 23456789")]))
    moments.add(vault, Moment(ids["muller"], "Collects vintage fountain pens", dt.date(2025, 3, 1)))
    return ids


def ids(vault, query, **kw):
    return [r.id for r in search.search(vault.conn, query, **kw)]


def test_accent_and_case_insensitive(vault, people):
    assert ids(vault, "zoe")[0] == people["zoe"]
    assert ids(vault, "ZOË")[0] == people["zoe"]
    assert people["zoe"] in ids(vault, "lefevre")
    assert ids(vault, "muller") == [people["muller"]]


def test_prefix_as_you_type(vault, people):
    for prefix in ("z", "zo", "zoe"):
        assert people["zoe"] in ids(vault, prefix)


def test_exact_name_hits_rank_first(vault, people):
    # "zoe" is an exact given name for Zoë and only a prefix of "Zoeller".
    assert ids(vault, "zoe")[:2] == [people["zoe"], people["zoey"]]


def test_phone_with_any_formatting(vault, people):
    for typed in ("0612345678", "06 12 34 56 78", "06-12-34-56-78", "+33 6 12", "33612345678", "612 34"):
        assert ids(vault, typed) == [people["zoe"]], typed
    assert ids(vault, "0151 234") == [people["muller"]]


def test_non_latin_scripts(vault, people):
    assert ids(vault, "山田") == [people["yamada"]]
    assert ids(vault, "yamada") == [people["yamada"]]
    assert ids(vault, "taro") == [people["yamada"]]
    assert ids(vault, "Иван") == [people["ivanova"]]


def test_email_tags_and_moment_words(vault, people):
    assert ids(vault, "anna.ivanova@example.ru") == [people["ivanova"]]
    assert ids(vault, "bridal") == [people["zoe"]]
    assert ids(vault, "fountain") == [people["muller"]]
    assert ids(vault, "fountain pens") == [people["muller"]]


def test_quotes_and_operators_are_plain_text(vault, people):
    for nasty in ('"', 'zoe"', "AND", "NOT zoe", "zoe OR", "(", "*", "^", "NEAR(a b)", "a:b"):
        search.search(vault.conn, nasty)  # must not raise


def test_filters(vault, people):
    assert ids(vault, "zoe", filters=SearchFilters(tier="family")) == [people["zoey"]]
    assert ids(vault, "", filters=SearchFilters(tag="bridal")) == [people["zoe"]]


def test_paging_has_no_duplicates(demo_vault):
    first = search.search_ids(demo_vault.conn, "a", limit=20)
    second = search.search_ids(demo_vault.conn, "a", limit=20, offset=20)
    assert len(first) == 20 and len(second) == 20
    assert not set(first) & set(second)


def test_index_follows_updates_and_deletes(vault, people):
    contact = contacts.get(vault, people["zoe"])
    contact.family_name = "Marchetti"
    contacts.update(vault, contact)
    assert ids(vault, "lefevre") == []
    assert ids(vault, "marchetti") == [people["zoe"]]
    contacts.delete(vault, people["muller"])
    assert ids(vault, "fountain") == []
