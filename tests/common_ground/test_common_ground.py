"""Common ground (issue #25): vocabulary, suggestions, rarity ranking, colleagues, owner suggestion, privacy."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from boutique_book.core import common_ground, contacts, interest_suggestions, interests, manager, moments, staff
from boutique_book.core.kdf import KdfParams
from boutique_book.core.model import Contact, Moment


def _person(vault, given, language="fr", family="Testperson"):
    return contacts.add(vault, Contact(given_name=given, family_name=family, language=language, country="FR"))


@pytest.fixture
def session(vault):
    return manager.unlock(vault, "manager-secret-42", "Camille Laurent", params=KdfParams.fast())


def _id(vault, term):
    return interests.resolve(vault.conn, term)


def test_synonyms_across_languages_name_one_interest(vault):
    sailing = _id(vault, "sailing")
    assert sailing is not None
    for term in ("Voile", "SEGELN", "vela", "velero", "セーリング", "ヨット", "régate", "regate"):
        assert _id(vault, term) == sailing, term
    assert _id(vault, "Chor") == _id(vault, "chœur") == _id(vault, "choir singing") == _id(vault, "合唱")
    assert _id(vault, "Chor") != sailing
    cid = _person(vault, "Anne")
    interests.add_to_contact(vault, cid, ["Segeln"])
    assert [i.label for i in interests.for_contact(vault, cid, "fr")] == ["voile"]
    assert [i.label for i in interests.for_contact(vault, cid, "de")] == ["Segeln"]
    assert [i.label for i in interests.for_contact(vault, cid, "ja")] == ["セーリング"]


def test_unknown_term_is_refused_with_a_clear_message(vault):
    cid = _person(vault, "Anne")
    with pytest.raises(interests.InterestError, match="Not in the shared vocabulary: weather"):
        interests.add_to_contact(vault, cid, ["sailing", "weather"])
    assert interests.for_contact(vault, cid) == []  # nothing half-added


def test_vocabulary_is_the_managers(vault, session):
    with pytest.raises(manager.ManagerError):
        interests.add_to_vocabulary(vault, None, {"en": ["beekeeping"]})
    new = interests.add_to_vocabulary(vault, session, {"en": ["beekeeping", "bees"]})
    assert interests.add_to_vocabulary(vault, session, {"fr": ["apiculture"]}) != new  # a new interest
    interests.add_to_vocabulary(vault, session, {"en": ["beekeeping"], "de": ["Imkerei"]})
    assert _id(vault, "Imkerei") == _id(vault, "bees") == new
    assert interests.label(vault.conn, new, "de") == "Imkerei"


def _told(vault, cid, text, kind="story"):
    moments.add(vault, Moment(cid, text, dt.date(2026, 5, 1), kind=kind))


def test_suggestions_come_from_what_the_person_shared(vault):
    cid = _person(vault, "Zoë")
    _told(vault, cid, "Spends every August sailing off Brittany.")
    _told(vault, cid, "Elle chante dans une chorale le jeudi.")
    _told(vault, cid, "週末は茶道の稽古に通っています。")
    _told(vault, cid, "Bought the Opera scarf.", kind="purchase")  # a purchase says little about the person
    found = {s.label for s in interest_suggestions.suggest(vault, cid)}
    assert found == {"sailing", "choir singing", "tea ceremony"}
    evidence = {s.label: s.evidence for s in interest_suggestions.suggest(vault, cid)}
    assert "sailing off Brittany" in evidence["sailing"]
    # a suggestion is not an interest until staff confirm it; a dismissed one is not offered again
    assert interests.for_contact(vault, cid) == []
    interests.add_to_contact(vault, cid, ["sailing"])
    interests.dismiss_suggestion(vault, cid, _id(vault, "choir"))
    assert {s.label for s in interest_suggestions.suggest(vault, cid)} == {"tea ceremony"}


def test_no_suggestion_from_a_word_inside_another_word(vault):
    cid = _person(vault, "Léa")
    for text in ("We met at the party by the golfe du Morbihan.", "Her skin reacts to wool.",
                 "The operation went well.", "She turned twenty: vingt ans!", "Loves a good chessboard pattern.",
                 "Chorizo and olives at the café.", "Bought a vinyl record."):
        _told(vault, cid, text)
    assert interest_suggestions.suggest(vault, cid) == []
    _told(vault, cid, "Plays golf and chess; sings in two choirs.")
    assert {s.label for s in interest_suggestions.suggest(vault, cid)} == {"golf", "chess", "choir singing"}


def _staff_with(vault, name, terms, languages=""):
    sid = staff.add(vault, name)
    interests.set_staff_profile(vault, sid, interests=terms, languages=languages.split(",") if languages else [],
                                acting_staff_id=sid)
    return sid


def test_rarer_interest_ranks_first(vault):
    customer = _person(vault, "Anne")
    interests.add_to_contact(vault, customer, ["opera", "sailing", "storm chasing"])
    for n in range(9):
        interests.add_to_contact(vault, _person(vault, f"Opera{n}"), ["opera"])
    for n in range(4):
        interests.add_to_contact(vault, _person(vault, f"Sail{n}"), ["sailing"])
    me = _staff_with(vault, "Camille Laurent", ["opera", "sailing", "storm chasing", "golf"], "fr")
    ground = common_ground.compute(vault, customer, me)
    assert [(s.label, s.holders) for s in ground.shared] == [("storm chasing", 1), ("sailing", 5), ("opera", 10)]
    assert ground.language == "fr"
    line = common_ground.summary(ground, "en")
    assert line.startswith("In common: storm chasing, sailing, opera, speaks French")
    assert "\n" not in line


def test_colleagues_who_share_something_else(vault):
    customer = _person(vault, "Anne")
    _told(vault, customer, "Told us about her choir's concert in May.")
    interests.add_to_contact(vault, customer, ["sailing", "choir"])
    me = _staff_with(vault, "Camille Laurent", ["sailing"])
    _staff_with(vault, "Matteo Ricci", ["choir", "sailing"])
    _staff_with(vault, "Sofia Andersson", ["golf"])
    ground = common_ground.compute(vault, customer, me)
    assert [(c.name, [s.label for s in c.shared]) for c in ground.colleagues] == [("Matteo Ricci", ["choir singing"])]
    line = common_ground.summary(ground, "en")
    assert "Matteo also: choir singing" in line
    assert "Last told us: “Told us about her choir's concert in May.”" in line
    assert "Sofia" not in line


def test_owner_is_the_colleague_with_strongest_ground_and_a_shared_language(vault):
    customer = _person(vault, "Yuki", language="ja")
    interests.add_to_contact(vault, customer, ["opera", "tea ceremony"])
    for n in range(20):
        interests.add_to_contact(vault, _person(vault, f"Opera{n}"), ["opera"])
    _staff_with(vault, "Camille Laurent", ["opera"], "fr,en,ja")       # common interest, speaks Japanese
    _staff_with(vault, "Léonie Marchand", ["tea ceremony", "opera"], "fr")  # strongest ground, no Japanese
    hiroshi = _staff_with(vault, "Hiroshi Kato", ["tea ceremony"], "ja,en")  # rare interest + Japanese
    owner = common_ground.suggest_owner(vault, customer)
    assert owner.staff_id == hiroshi
    assert owner.reason == "Hiroshi speaks Japanese and shares tea ceremony"
    # nobody speaks the language: the strongest common ground wins
    other = _person(vault, "Olga", language="ru")
    interests.add_to_contact(vault, other, ["tea ceremony", "opera"])
    assert common_ground.suggest_owner(vault, other).name == "Léonie Marchand"
    assert common_ground.suggest_owner(vault, _person(vault, "Nobody", language="de")) is None


def test_staff_profile_only_by_themselves_or_the_manager(vault, session):
    camille = _staff_with(vault, "Camille Laurent", ["sailing"])
    matteo = _staff_with(vault, "Matteo Ricci", ["choir"])
    with pytest.raises(interests.InterestError, match="Only the staff member themselves or the manager"):
        interests.set_staff_profile(vault, camille, interests=["golf"], acting_staff_id=matteo)
    with pytest.raises(interests.InterestError):
        interests.set_staff_profile(vault, camille, shares="x", acting_staff_id=None)
    interests.set_staff_profile(vault, camille, interests=["golf"], session=session)
    profile = interests.staff_profile(vault, camille)
    assert [i.label for i in profile.interests] == ["golf"]


STAFF_SECRET = "Sails off Quiberon every August with Yannick"


def test_staff_data_never_leaves_in_hq_profiles_or_person_exports(vault, session, tmp_path):
    from boutique_book.hq import bundle, export
    from boutique_book.interchange import person_export

    camille = staff.add(vault, "Camille Laurent")
    interests.set_staff_profile(vault, camille, interests=["storm chasing"], languages=["fr", "ja"],
                                shares=STAFF_SECRET, acting_staff_id=camille)
    customer = _person(vault, "Anne")
    interests.add_to_contact(vault, customer, ["sailing"])
    contacts.record_consent(vault, customer, "share_hq", True)
    pub, key = bundle.keygen(tmp_path / "hq")
    export.import_public_key(vault, session, pub)
    public = export.hq_public_key(vault)
    texts = []
    for profile in ("figures", "pseudonymised", "consenting"):
        name, encrypted, manifest, counts = export.build(vault.conn, profile, public)
        texts.append(json.dumps(manifest))
        opened_manifest, files = bundle.decrypt_and_verify(encrypted, bundle.read_identity(key))
        assert files, profile
        texts.extend(content.decode("utf-8") for content in files.values())
    data = person_export.collect(vault, customer)
    texts.append(json.dumps(data, ensure_ascii=False, default=str))
    assert data["contact"]["interests"] == ["voile"]  # the person's own interest is theirs to see
    blob = "\n".join(texts)
    for secret in (STAFF_SECRET, "storm chasing", "Quiberon"):
        assert secret not in blob
    pdf_json = person_export.export_person(vault, customer, tmp_path / "export", session=session)
    for path in pdf_json:
        assert STAFF_SECRET.encode() not in path.read_bytes()


def test_erasing_a_staff_profile(vault, session):
    camille = _staff_with(vault, "Camille Laurent", ["sailing", "opera"], "fr")
    interests.set_staff_profile(vault, camille, shares=STAFF_SECRET, acting_staff_id=camille)
    customer = _person(vault, "Anne")
    interests.add_to_contact(vault, customer, ["sailing"])
    me = _staff_with(vault, "Matteo Ricci", [])
    assert common_ground.compute(vault, customer, me).colleagues[0].name == "Camille Laurent"
    with pytest.raises(manager.ManagerError):
        interests.erase_staff_profile(vault, None, camille)
    interests.erase_staff_profile(vault, session, camille)
    conn = vault.conn
    assert conn.execute("SELECT count(*) FROM staff_interests WHERE staff_id=?", (camille,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM staff_profiles WHERE staff_id=?", (camille,)).fetchone()[0] == 0
    assert common_ground.compute(vault, customer, me).colleagues == []
    assert common_ground.suggest_owner(vault, customer) is None
    assert not any(STAFF_SECRET in (r[0] or "") for r in conn.execute("SELECT detail FROM audit_log"))


def test_demo_book_shows_common_ground_on_first_start(demo_vault):
    hiroshi = staff.by_name(demo_vault, "Hiroshi Kato").id
    people = [r[0] for r in demo_vault.query("SELECT id FROM contacts WHERE kind<>'institution' ORDER BY id LIMIT 40")]
    lines = [common_ground.summary(common_ground.compute(demo_vault, cid, hiroshi), "en") for cid in people]
    with_ground = [line for line in lines if "In common:" in line or " also: " in line]
    assert len(with_ground) >= 3
    suggested = [interest_suggestions.suggest(demo_vault, cid) for cid in people]
    assert sum(1 for s in suggested if s) >= 3  # some things told are still waiting for staff to confirm


def test_owners_for_a_whole_list_match_one_by_one(demo_vault):
    """A card season asks for many people at once (suggest_owners): the same answer as asking one by one."""
    people = [r[0] for r in demo_vault.query("SELECT id FROM contacts ORDER BY id LIMIT 300")]
    together = common_ground.suggest_owners(demo_vault, people + people[:5], "en")
    one_by_one = {cid: common_ground.suggest_owner(demo_vault, cid, "en") for cid in people}
    assert {cid: s for cid, s in one_by_one.items() if s is not None} == together
    assert len(together) >= 100 and any(s.shared for s in together.values())
    assert common_ground.suggest_owners(demo_vault, [], "en") == {}
