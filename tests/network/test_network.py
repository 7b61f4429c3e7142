"""Connectors, circles, referral chains, first-met report and neighbourhood on a hand-made book."""

from __future__ import annotations

import networkx as nx
import pytest

from boutique_book.core import contacts, links
from boutique_book.core.errors import NotFound
from boutique_book.core.jobs import Cancelled
from boutique_book.network import centrality, connectors, graph, neighbourhood, referrals


def test_the_bridge_who_referred_three_ranks_first_with_reasons(book):
    ranking = connectors.rank(book.vault)
    top = ranking.connectors[0]
    assert top.contact_id == book.xavier
    assert top.referrals == 3
    assert "referred 3 customers" in top.reason
    assert "Golf Club" in top.reason and "Opera" in top.reason
    assert top.bridges[:2] == ["Golf Club", "Opera"] or set(top.bridges[:2]) == {"Golf Club", "Opera"}
    # Institutions are not candidates; everybody with a link or a referral is ranked, best first
    # (Rosa has no link, but Xavier names her as the one who brought him).
    ranked = [c.contact_id for c in ranking.connectors]
    assert book.club not in ranked
    assert set(ranked) == set(book.a + book.b + book.c + [book.xavier, book.rosa])
    assert [c.rank for c in ranking.connectors] == list(range(1, len(ranked) + 1))
    scores = [c.score for c in ranking.connectors]
    assert scores == sorted(scores, reverse=True)
    # The club members who link the club and their friends come before the opera colleagues.
    assert ranked.index(book.a[0]) < ranked.index(book.b[2])
    assert ranking.pivots is None  # small book: exact betweenness


def test_top_limits_the_ranking(book):
    assert [c.contact_id for c in connectors.rank(book.vault, top=1).connectors] == [book.xavier]


def test_circles_are_the_two_groups_named_after_club_and_tag(book):
    found = connectors.circles(book.vault)
    by_member = {m: c for c in found for m in c.members}
    golf, opera = by_member[book.a[0]], by_member[book.b[0]]
    assert golf is not opera
    assert set(book.a) <= set(golf.members) and not set(book.b) & set(golf.members)
    assert set(book.b) <= set(opera.members) and not set(book.a) & set(opera.members)
    assert golf.name == "Golf Club" and golf.named_after == "institution"
    assert opera.name == "Opera" and opera.named_after == "tag"
    assert book.club not in golf.members and book.club in golf.anchors
    assert len(golf.member_names) == len(golf.members)


def test_circles_are_deterministic(book):
    first = [(c.name, c.members) for c in connectors.circles(book.vault, seed=3)]
    assert first == [(c.name, c.members) for c in connectors.circles(book.vault, seed=3)]


def test_links_appear_on_both_cards(book):
    on_x = {(l["other_id"], l["relation"]) for l in links.for_contact(book.vault, book.xavier)}
    assert (book.a[0], "friend") in on_x and (book.b[0], "colleague") in on_x
    assert {(c, "referred") for c in book.c} <= on_x
    on_c = links.for_contact(book.vault, book.c[0])
    assert [(l["other_id"], l["relation"]) for l in on_c] == [(book.xavier, "referred_by")]
    on_club = {l["other_id"] for l in links.for_contact(book.vault, book.club) if l["relation"] == "has_member"}
    assert on_club == set(book.a)


def test_deleting_a_contact_removes_their_links_and_their_place(book):
    contacts.delete(book.vault, book.xavier)
    assert book.vault.scalar("SELECT count(*) FROM links WHERE from_id=? OR to_id=?",
                             (book.xavier, book.xavier)) == 0
    assert all(l["other_id"] != book.xavier for l in links.for_contact(book.vault, book.a[0]))
    assert links.for_contact(book.vault, book.c[0]) == []
    ranked = [c.contact_id for c in connectors.rank(book.vault).connectors]
    assert book.xavier not in ranked and book.c[0] not in ranked  # Carla has no link left
    found = connectors.circles(book.vault)
    assert all(book.xavier not in c.members for c in found)


def test_referral_chain_back_to_the_first_contact(book):
    chain = referrals.chain(book.vault, book.c[1])
    assert [s.contact_id for s in chain] == [book.c[1], book.xavier, book.rosa]
    assert chain[-1].first_met_source == "walk_in"
    tree = referrals.brought(book.vault, book.rosa)
    assert tree[0] == (1, tree[0][1]) and tree[0][1].contact_id == book.xavier
    assert {(g, s.contact_id) for g, s in tree} == {(1, book.xavier)} | {(2, c) for c in book.c}
    with pytest.raises(NotFound):
        referrals.chain(book.vault, 99999)


def test_referral_loop_stops(book):
    links.add(book.vault, book.rosa, book.c[0], "referred_by")  # Rosa says Carla1 brought her: a loop
    chain = referrals.chain(book.vault, book.c[0])
    assert [s.contact_id for s in chain] == [book.c[0], book.xavier, book.rosa]


def test_first_met_report(book):
    report = referrals.first_met(book.vault)
    assert report.total == 15  # people only, not the club
    assert report.by_source == {"walk_in": 6, "event": 5, "referral": 4}
    assert report.sources[0] == "walk_in"
    assert len(report.months) == 1 and sum(report.counts.values()) == 15
    assert report.top_referrers == [(book.rosa, "Rosa Root", 1)]
    month = report.months[0]
    assert referrals.first_met(book.vault, since=month[:4] + "-99").total == 0


def test_neighbourhood_two_steps_out(book):
    hood = neighbourhood.neighbourhood(book.vault, book.xavier)
    depth = {n: node.depth for n, node in hood.nodes.items()}
    assert depth[book.xavier] == 0
    assert {n for n, d in depth.items() if d == 1} == {book.a[0], book.b[0], *book.c}
    assert {n for n, d in depth.items() if d == 2} == {*book.a[1:], *book.b[1:], book.club}
    assert (book.c[0], book.xavier, "referred_by") in hood.edges
    assert (book.a[1], book.a[2], "friend") in hood.edges or (book.a[2], book.a[1], "friend") in hood.edges
    assert hood.hidden == 0
    small = neighbourhood.neighbourhood(book.vault, book.xavier, cap=4)
    assert len(small.nodes) == 4 and small.hidden > 0
    assert all(node.depth <= 1 for node in small.nodes.values())
    assert all(a in small.nodes and b in small.nodes for a, b, _t in small.edges)


def test_layout_is_fixed_and_centred(book):
    hood = neighbourhood.neighbourhood(book.vault, book.xavier)
    pos = neighbourhood.layout(hood)
    assert set(pos) == set(hood.nodes)
    assert pos[book.xavier] == (0.0, 0.0)
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in pos.values())
    assert pos == neighbourhood.layout(neighbourhood.neighbourhood(book.vault, book.xavier))


def test_circle_picture(book):
    golf = next(c for c in connectors.circles(book.vault) if c.name == "Golf Club")
    picture = neighbourhood.circle_picture(book.vault, golf.members, cap=3)
    assert list(picture.nodes) == golf.members[:3]
    assert picture.hidden == len(golf.members) - 3


def test_cancel_leaves_nothing(book):
    with pytest.raises(Cancelled):
        connectors.rank(book.vault, cancelled=lambda: True)
    seen = []
    connectors.rank(book.vault, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (1000, 1000) and all(0 <= d <= t for d, t in seen)


@pytest.mark.parametrize("g", [nx.karate_club_graph(), nx.barbell_graph(6, 2), nx.gnm_random_graph(80, 200, seed=2)])
def test_betweenness_matches_networkx(g):
    expected = nx.betweenness_centrality(g)
    got = centrality.betweenness(g)
    assert max(abs(got[n] - expected[n]) for n in g) < 1e-9
    sampled = centrality.betweenness(g, k=10, seed=5)
    assert sampled == centrality.betweenness(g, k=10, seed=5)
    # the estimate: dependencies on the 10 pivots only (networkx's subset betweenness), scaled by n/k
    import random
    pivots = random.Random(5).sample(list(g.nodes), 10)
    subset = nx.betweenness_centrality_subset(g, sources=pivots, targets=list(g.nodes))
    n = g.number_of_nodes()
    assert max(abs(sampled[v] - subset[v] * 2 * n / 10 / ((n - 1) * (n - 2))) for v in g) < 1e-9
    assert max(sampled, key=sampled.get) in sorted(expected, key=expected.get)[-5:]


def test_pivots_choice():
    assert centrality.pivots_for(500) is None
    assert centrality.pivots_for(100_000) == 128


def test_demo_book_ranks_and_names(demo_vault):
    ranking = connectors.rank(demo_vault, top=10)
    assert len(ranking.connectors) == 10
    assert all(c.reason for c in ranking.connectors)
    net = graph.load(demo_vault)
    assert all(net.is_person(c.contact_id) for c in ranking.connectors)
    found = connectors.circles(demo_vault)
    assert found and len({c.name for c in found}) == len(found)
    members = [m for c in found for m in c.members]
    assert len(members) == len(set(members))  # a person is in one circle
