"""A person's neighbourhood, two steps out, small enough to draw and read (about 50 people).

Read with a few indexed queries around the person (no whole-book graph), so it is instant on a card.
Who is kept when there are too many: first the person's own links (closest ties first: family, then
friends, colleagues, referrals, clubs), then second-step people by how many of the first-step people
they know, reached through people before reached through a club (a club of 7,000 is not a
neighbourhood)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from ..core.errors import NotFound
from ..core.model import LinkType
from .graph import GROUP_KINDS, rows

TIE_ORDER = [LinkType.SPOUSE.value, LinkType.PARENT_OF.value, LinkType.FAMILY.value, LinkType.FRIEND.value,
             LinkType.REFERRED_BY.value, LinkType.COLLEAGUE.value, LinkType.WORKS_AT.value,
             LinkType.MEMBER_OF.value, LinkType.MET_AT.value]


@dataclass
class Node:
    contact_id: int
    name: str
    kind: str
    depth: int              # 0 the person, 1 their links, 2 links of links


@dataclass
class Neighbourhood:
    center: int
    nodes: dict = field(default_factory=dict)   # id -> Node
    edges: list = field(default_factory=list)   # (from_id, to_id, type): direction as stored
    hidden: int = 0                              # people left out to stay readable

    def graph(self) -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((a, b) for a, b, _t in self.edges)
        return g


def _links_of(source, ids: list[int]) -> list[tuple[int, int, str]]:
    found = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found += rows(source, f"SELECT from_id, to_id, type FROM links WHERE from_id IN ({marks}) "
                              f"UNION SELECT from_id, to_id, type FROM links WHERE to_id IN ({marks})",
                      (*chunk, *chunk))
    return found


def _info(source, ids) -> dict:
    info = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for cid, name, kind in rows(source, f"SELECT id, display_name, kind FROM contacts WHERE id IN "
                                            f"({','.join('?' * len(chunk))})", chunk):
            info[cid] = (name, kind)
    return info


def neighbourhood(source, contact_id: int, cap: int = 50) -> Neighbourhood:
    center = _info(source, [contact_id])
    if not center:
        raise NotFound(f"No contact with number {contact_id}.")
    result = Neighbourhood(contact_id)
    first_links = _links_of(source, [contact_id])
    tie = {}
    for a, b, t in first_links:
        other = b if a == contact_id else a
        rank = TIE_ORDER.index(t) if t in TIE_ORDER else len(TIE_ORDER)
        tie[other] = min(tie.get(other, rank), rank)
    info = _info(source, tie)
    first = sorted(tie, key=lambda n: (tie[n], info[n][0].casefold(), n))
    result.hidden += max(0, len(first) - (cap - 1))
    first = first[:cap - 1]
    kept = {contact_id: 0, **{n: 1 for n in first}}

    room = cap - len(kept)
    if room > 0 and first:
        via_people, via_groups = Counter(), Counter()
        for a, b, _t in _links_of(source, first):
            for here, there in ((a, b), (b, a)):
                if here in kept and kept[here] == 1 and there not in kept:
                    if info[here][1] in GROUP_KINDS:
                        via_groups[there] += 1
                    else:
                        via_people[there] += 1
        candidates = set(via_people) | set(via_groups)
        more = _info(source, candidates)
        ordered = sorted(candidates, key=lambda n: (-via_people[n], -via_groups[n], more[n][0].casefold(), n))
        result.hidden += max(0, len(ordered) - room)
        for n in ordered[:room]:
            kept[n] = 2
        info.update(more)
    info.update(center)
    for cid, depth in kept.items():
        name, kind = info[cid]
        result.nodes[cid] = Node(cid, name, kind, depth)
    ids = list(kept)
    seen = set()
    for a, b, t in _links_of(source, ids):
        if a in kept and b in kept and (a, b, t) not in seen:
            seen.add((a, b, t))
            result.edges.append((a, b, t))
    return result


def circle_picture(source, members: list[int], cap: int = 50) -> Neighbourhood:
    """A circle to draw: its best-connected members (as circles() orders them) and the links among them."""
    kept = list(members[:cap])
    result = Neighbourhood(kept[0] if kept else 0, hidden=max(0, len(members) - cap))
    info = _info(source, kept)
    for n, cid in enumerate(kept):
        if cid in info:
            result.nodes[cid] = Node(cid, info[cid][0], info[cid][1], 0 if n == 0 else 1)
    for a, b, t in _links_of(source, kept):
        if a in result.nodes and b in result.nodes:
            result.edges.append((a, b, t))
    return result


def layout(hood: Neighbourhood, seed: int = 1) -> dict:
    """Positions in [-1, 1]^2: spring layout (networkx, fixed seed: the same picture every time) started
    from rings by distance, the person pinned at the centre."""
    g = hood.graph()
    if not g:
        return {}
    if len(g) == 1:
        return {hood.center: (0.0, 0.0)}
    nx.set_edge_attributes(g, 1.0, "weight")
    # A circle's members need not all know each other: tie each separate group loosely (an invisible,
    # light edge) to the centre so it sits nearby instead of being flung to the edge of the picture.
    if hood.center in g:
        for component in nx.connected_components(g):
            if hood.center not in component:
                anchor = max(sorted(component), key=g.degree)
                g.add_edge(hood.center, anchor, weight=0.3)
    # Start from rings (the person, their links, links of links) and let the springs settle from there:
    # fewer crossings and overlapping names than a random start (checked on the demo book).
    rings = [[hood.center]] + [[n for n, node in hood.nodes.items() if node.depth == d and n != hood.center]
                               for d in (1, 2)]
    start = nx.shell_layout(g, nlist=[ring for ring in rings if ring and ring[0] in g])
    start[hood.center] = (0.0, 0.0)
    k = 3.0 / max(1.0, len(g) ** 0.5)
    pos = nx.spring_layout(g, k=k, pos=start, fixed=[hood.center], seed=seed, iterations=80, weight="weight")
    span = max(max(abs(x), abs(y)) for x, y in pos.values()) or 1.0
    return {n: (float(x) / span, float(y) / span) for n, (x, y) in pos.items()}
