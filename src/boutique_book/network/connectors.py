"""Connectors (who matters most to the network, and why) and circles (who belongs together).

Connector score, over people only (institutions and events are the places they meet, not candidates):

    score = 0.4 * referrals / max_referrals + 0.3 * degree / max_degree + 0.3 * betweenness / max_betweenness

- referrals: people who name this person as their referrer (a `referred_by` link pointing to them, or
  their first_met_contact_id), counted once each;
- degree: distinct contacts linked to them (people, clubs, events);
- betweenness: how many shortest paths between others run through them (network.centrality: exact up to
  2,000 linked contacts, 128 sampled pivots with a fixed seed above).

Circles: community detection on the link graph plus shared tags (tags become small hub nodes with a
light weight, so shared interests pull people together without outweighing who actually knows whom).
Leiden (igraph's C implementation, modularity, seeded), one refinement round at a time so Cancel works
between rounds; it replaced networkx's pure-Python Louvain (143 s at 100,000 people, see docs/benchmarks.md). Label propagation was
tried and rejected: on a book with a few long-range links it floods into one giant "circle". Each circle is named after the institution most of its members belong to, else a tag
its members share far more than the book as a whole, else its best-connected member.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from ..core.jobs import check
from ..core.model import Kind, LinkType
from ..i18n import _, ngettext
from . import centrality
from .graph import Network, link_graph, load

WEIGHTS = {"referrals": 0.4, "degree": 0.3, "betweenness": 0.3}
PERSON_LINK_WEIGHT = 1.0
GROUP_LINK_WEIGHT = 0.5
TAG_WEIGHT = 0.2
HUB_SIZE = 25  # above this many members a hub's links get lighter
CIRCLES_IN_RANKING_MAX_EDGES = 60_000


@dataclass
class Circle:
    number: int
    name: str
    members: list            # contact ids, best connected first
    member_names: list
    named_after: str = ""    # "institution", "tag" or "person"
    anchors: list = field(default_factory=list)  # institutions/events in the circle


@dataclass
class Connector:
    rank: int
    contact_id: int
    name: str
    score: float
    referrals: int
    degree: int
    betweenness: float
    bridges: list            # names of the circles / institutions they link, most neighbours first
    reason: str


@dataclass
class Ranking:
    connectors: list
    circles: list
    pivots: int | None       # None: exact betweenness
    method: str              # community detection used
    nodes: int
    edges: int


class _Stages:
    """Maps the stages of a long job onto one progress bar (0..1000)."""

    def __init__(self, progress):
        self.progress = progress

    def at(self, start: float, end: float):
        def report(done, total):
            if self.progress:
                self.progress(int(1000 * (start + (end - start) * (done / total if total else 1))), 1000)
        return report


# -- circles -------------------------------------------------------------------------------------
def circles(source=None, net: Network | None = None, graph: nx.Graph | None = None, seed: int = 1,
            min_size: int = 3, progress=None, cancelled=None) -> list[Circle]:
    """The circles of the book, largest first."""
    if net is None:
        net = load(source, cancelled)
    if graph is None:
        graph = link_graph(net)
    result, _method = _circles(net, graph, seed, min_size, progress, cancelled)
    return result


def _circles(net: Network, graph: nx.Graph, seed: int, min_size: int, progress, cancelled):
    check(cancelled)
    # Big hubs (a club of 7,000 members, a tag half the book shares) must not swallow everyone into one
    # circle: their edge weight shrinks with their size, so a person's friends outweigh a mass membership.
    index: dict = {}
    nodes: list = []

    def node(key) -> int:
        found = index.get(key)
        if found is None:
            found = index[key] = len(nodes)
            nodes.append(key)
        return found

    edges, weights = [], []
    degree = graph.degree
    for a, b in graph.edges():
        hub = a if net.is_group(a) else b if net.is_group(b) else None
        edges.append((node(a), node(b)))
        weights.append(PERSON_LINK_WEIGHT if hub is None else GROUP_LINK_WEIGHT * min(1.0, HUB_SIZE / degree(hub)))
    tag_sizes = Counter(t.casefold() for cid, tags in net.tags.items() if net.is_person(cid) for t in set(tags))
    for cid, tags in net.tags.items():
        if net.is_person(cid):
            for tag in sorted({t.casefold() for t in tags}):
                edges.append((node(cid), node(("tag", tag))))
                weights.append(TAG_WEIGHT * min(1.0, HUB_SIZE / tag_sizes[tag]))
    if progress:
        progress(1, 10)
    check(cancelled)
    method = "leiden"
    communities = [[nodes[i] for i in group] for group in _leiden(len(nodes), edges, weights, seed, progress,
                                                                  cancelled)]
    check(cancelled)
    if progress:
        progress(9, 10)

    # Base rates, to name a circle after what is special about it rather than what everybody has.
    people = [cid for cid in net.kinds if net.is_person(cid)]
    memberships = _memberships(net)
    tag_base = Counter(t.casefold() for cid in people for t in set(net.tags.get(cid, ())))
    tag_label = {}
    for cid in people:
        for t in net.tags.get(cid, ()):
            tag_label.setdefault(t.casefold(), t)
    total_people = max(1, len(people))

    found = []
    for community in communities:
        members = [n for n in community if isinstance(n, int) and net.is_person(n)]
        if len(members) < min_size:
            continue
        anchors = sorted((n for n in community if isinstance(n, int) and net.is_group(n)),
                         key=lambda n: -graph.degree(n) if n in graph else 0)
        inside = set(community)
        members.sort(key=lambda n: (-sum(1 for m in graph[n] if m in inside) if n in graph else 0,
                                    net.names[n].casefold(), n))
        name, named_after = _circle_name(net, members, anchors, memberships, tag_base, tag_label, total_people)
        found.append(Circle(0, name, members, [net.names[m] for m in members], named_after, anchors))
    found.sort(key=lambda c: (-len(c.members), c.name.casefold()))
    seen = Counter()
    for number, circle in enumerate(found, 1):
        circle.number = number
        seen[circle.name] += 1
        if seen[circle.name] > 1:
            circle.name = f"{circle.name} ({seen[circle.name]})"
    if progress:
        progress(10, 10)
    return found, method


LEIDEN_MAX_ROUNDS = 20
LEIDEN_MIN_GAIN = 1e-4


def _leiden(count: int, edges: list, weights: list, seed: int, progress, cancelled) -> list[list[int]]:
    """Leiden community detection (igraph's C implementation, modularity), one refinement round at a time
    from the previous round's membership, so Cancel is honoured between rounds (each well under a second at
    100,000 people). Seeded through igraph's random source: same book, same circles."""
    import random

    import igraph

    if not count:
        return []
    g = igraph.Graph(n=count, edges=edges)
    g.es["weight"] = weights
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership, quality = None, None
        for round_number in range(LEIDEN_MAX_ROUNDS):
            partition = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=1,
                                           initial_membership=membership)
            check(cancelled)
            if progress:
                progress(min(8, 2 + round_number), 10)
            membership = partition.membership
            # A round that adds less than LEIDEN_MIN_GAIN to modularity: the partition is as good as it gets.
            if quality is not None and partition.modularity < quality + LEIDEN_MIN_GAIN:
                break
            quality = partition.modularity
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        groups.setdefault(community, []).append(vertex)
    return list(groups.values())


def _memberships(net: Network) -> dict:
    """person id -> set of institution/event ids they are linked to."""
    result = {}
    for a, b, _type in net.links:
        if net.is_group(b) and net.is_person(a):
            result.setdefault(a, set()).add(b)
        elif net.is_group(a) and net.is_person(b):
            result.setdefault(b, set()).add(a)
    return result


def _circle_name(net, members, anchors, memberships, tag_base, tag_label, total_people):
    size = len(members)
    groups = Counter(g for m in members for g in memberships.get(m, ()))
    if groups:
        group, count = max(groups.items(), key=lambda item: (item[1], item[0] in anchors, -item[0]))
        if count >= max(2, 0.2 * size) or (group in anchors and count >= 2):
            return net.names[group], "institution"
    tags = Counter(t.casefold() for m in members for t in set(net.tags.get(m, ())))
    best, best_lift = None, 0.0
    for tag, count in tags.items():
        share = count / size
        lift = share / (tag_base[tag] / total_people)
        if count >= 2 and share >= 0.3 and lift >= 1.5 and (lift, count) > (best_lift, 0):
            best, best_lift = tag, lift
    if best is not None:
        label = tag_label.get(best, best)
        return label[:1].upper() + label[1:], "tag"
    return _("Circle of {name}").format(name=net.names[members[0]]), "person"


# -- connectors ----------------------------------------------------------------------------------
def referrals_made(net: Network) -> dict:
    """person id -> set of the people they brought (referred_by links pointing to them, first-met referrer)."""
    brought = {}
    for a, b, link_type in net.links:
        if link_type == LinkType.REFERRED_BY.value:
            brought.setdefault(b, set()).add(a)
    for cid, referrer in net.first_met_by.items():
        if referrer != cid:
            brought.setdefault(referrer, set()).add(cid)
    return brought


def rank(source=None, top: int | None = None, seed: int = 1, pivots: int | str | None = "auto",
         net: Network | None = None, circles_found: list | None = None, progress=None,
         cancelled=None) -> Ranking:
    """Rank the people of the book as connectors, with a reason each; also returns the circles.

    pivots: "auto" (exact up to 2,000 linked contacts, else 128 sampled pivots), None (exact) or a number.
    Circles (for the "links A and B" reasons) are detected here up to 60,000 links; above that, pass
    `circles_found` from circles() or the reasons name only the institutions and events people link.
    Raises core.jobs.Cancelled when cancelled() turns true; nothing is written either way."""
    stages = _Stages(progress)
    stages.at(0, 0)(0, 1)
    if net is None:
        net = load(source, cancelled)
    graph = link_graph(net)
    stages.at(0, 0.1)(1, 1)
    check(cancelled)
    if circles_found is not None:
        found, method = circles_found, "given"
    elif graph.number_of_edges() <= CIRCLES_IN_RANKING_MAX_EDGES:
        found, method = _circles(net, graph, seed, 3, stages.at(0.1, 0.4), cancelled)
    else:
        found, method = [], "skipped (large book: run circles separately)"

    k = centrality.pivots_for(graph.number_of_nodes()) if pivots == "auto" else pivots
    between = centrality.betweenness(graph, k=k, seed=seed, progress=stages.at(0.4, 0.95), cancelled=cancelled)
    check(cancelled)

    brought = referrals_made(net)
    circle_of = {m: c.name for c in found for m in c.members}
    people = [n for n in graph.nodes if net.is_person(n)]
    people += [p for p in brought if p not in graph and net.is_person(p)]
    if not people:
        stages.at(0, 1)(1, 1)
        return Ranking([], found, k, method, graph.number_of_nodes(), graph.number_of_edges())
    degree = {p: graph.degree(p) if p in graph else 0 for p in people}
    refs = {p: len(brought.get(p, ())) for p in people}
    max_ref = max(refs.values()) or 1
    max_deg = max(degree.values()) or 1
    max_bc = max((between.get(p, 0.0) for p in people), default=0.0) or 1.0
    scored = []
    for p in people:
        score = (WEIGHTS["referrals"] * refs[p] / max_ref + WEIGHTS["degree"] * degree[p] / max_deg
                 + WEIGHTS["betweenness"] * between.get(p, 0.0) / max_bc)
        scored.append((score, p))
    scored.sort(key=lambda item: (-item[0], net.names[item[1]].casefold(), item[1]))
    if top is not None:
        scored = scored[:top]
    result = []
    for position, (score, p) in enumerate(scored, 1):
        bridges = _bridges(net, graph, p, circle_of)
        kinds_brought = {net.kinds.get(c) for c in brought.get(p, ())}
        result.append(Connector(position, p, net.names[p], round(score, 4), refs[p], degree[p],
                                between.get(p, 0.0), bridges,
                                _reason(refs[p], kinds_brought, bridges, _people_known(net, graph, p))))
    stages.at(0, 1)(1, 1)
    return Ranking(result, found, k, method, graph.number_of_nodes(), graph.number_of_edges())


def explain(source, ranking: Ranking, circles_found: list, net: Network | None = None, cancelled=None) -> Ranking:
    """The same ranking with its reasons rewritten to name circles found afterwards (large books, where
    rank() did not wait for circles). Scores and order do not change."""
    if net is None:
        net = load(source, cancelled, with_tags=False)
    graph = link_graph(net)
    check(cancelled)
    brought = referrals_made(net)
    circle_of = {m: c.name for c in circles_found for m in c.members}
    updated = []
    for c in ranking.connectors:
        bridges = _bridges(net, graph, c.contact_id, circle_of)
        kinds_brought = {net.kinds.get(b) for b in brought.get(c.contact_id, ())}
        updated.append(Connector(c.rank, c.contact_id, c.name, c.score, c.referrals, c.degree, c.betweenness,
                                 bridges, _reason(c.referrals, kinds_brought, bridges,
                                                  _people_known(net, graph, c.contact_id))))
    return Ranking(updated, list(circles_found), ranking.pivots, "leiden", ranking.nodes, ranking.edges)


def _people_known(net, graph, p) -> int:
    return sum(1 for n in graph[p] if net.is_person(n)) if p in graph else 0


def _bridges(net: Network, graph: nx.Graph, p: int, circle_of: dict) -> list[str]:
    """The groups a person links beyond their own circle: each institution/event they are linked to, and
    the circle of each person they know. Most links first. Their own circle is left out (being in it is
    not bridging), and so is an institution their circle is named after."""
    if p not in graph:
        return []
    own = circle_of.get(p)
    counts = Counter()
    for n in graph[p]:
        if net.is_group(n):
            label = net.names[n]
            weight = 2  # a membership is a strong tie to the whole group
        elif n in circle_of:
            label, weight = circle_of[n], 1
        else:
            continue
        if label != own:
            counts[label] += weight
    return [name for name, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))]


def _reason(referrals: int, kinds_brought: set, bridges: list, known: int) -> str:
    parts = []
    if referrals:
        if kinds_brought == {Kind.CUSTOMER.value}:
            parts.append(ngettext("referred {n} customer", "referred {n} customers", referrals).format(n=referrals))
        else:
            parts.append(ngettext("referred {n} person", "referred {n} people", referrals).format(n=referrals))
    if len(bridges) == 2:
        parts.append(_("links {a} and {b}").format(a=bridges[0], b=bridges[1]))
    elif len(bridges) > 2:
        rest = len(bridges) - 2
        parts.append(ngettext("links {a}, {b} and {n} other group", "links {a}, {b} and {n} other groups",
                              rest).format(a=bridges[0], b=bridges[1], n=rest))
    elif len(bridges) == 1:
        parts.append(_("connects to {a}").format(a=bridges[0]))
    if known:
        parts.append(ngettext("knows {n} person", "knows {n} people", known).format(n=known))
    return "; ".join(parts) or _("no links yet")
