"""Reading the link graph out of the vault, once, into plain Python structures.

Every function here takes a `source`: an open core.vault.Vault or a raw connection of the same vault
(a worker thread opens its own with vault.connect())."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..core.jobs import check
from ..core.model import Kind

# Contacts that are places and occasions rather than people: clubs, hotels, concierges, galas.
GROUP_KINDS = frozenset({Kind.INSTITUTION.value, Kind.EVENT.value})


def rows(source, sql: str, params=()) -> list:
    if hasattr(source, "query"):
        return source.query(sql, params)
    return source.execute(sql, params).fetchall()


@dataclass
class Network:
    names: dict = field(default_factory=dict)       # contact id -> display name
    kinds: dict = field(default_factory=dict)       # contact id -> kind
    links: list = field(default_factory=list)       # (from_id, to_id, type)
    tags: dict = field(default_factory=dict)        # contact id -> [tag, ...]
    first_met_by: dict = field(default_factory=dict)  # contact id -> first_met_contact_id

    def is_group(self, contact_id: int) -> bool:
        return self.kinds.get(contact_id) in GROUP_KINDS

    def is_person(self, contact_id: int) -> bool:
        return contact_id in self.kinds and not self.is_group(contact_id)


def load(source, cancelled=None, with_tags: bool = True) -> Network:
    """Names, kinds, links, tags and first-met referrers of the whole book (a few hundred ms at 100k)."""
    net = Network()
    for cid, name, kind, met_by in rows(source, "SELECT id, display_name, kind, first_met_contact_id FROM contacts"):
        net.names[cid] = name
        net.kinds[cid] = kind
        if met_by is not None:
            net.first_met_by[cid] = met_by
    check(cancelled)
    net.links = rows(source, "SELECT from_id, to_id, type FROM links")
    check(cancelled)
    if with_tags:
        for cid, tag in rows(source, "SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id=ct.tag_id "
                            "ORDER BY ct.contact_id, t.name"):
            net.tags.setdefault(cid, []).append(tag)
        check(cancelled)
    return net


def link_graph(net: Network) -> nx.Graph:
    """Undirected graph of every contact that has at least one link. Edge attribute `types`: the set of
    link types between the two (a couple can be spouses and colleagues)."""
    pairs: dict = {}
    for a, b, link_type in net.links:
        key = (a, b) if a < b else (b, a)
        types = pairs.get(key)
        if types is None:
            pairs[key] = {link_type}
        else:
            types.add(link_type)
    graph = nx.Graph()
    graph.add_edges_from((a, b, {"types": types}) for (a, b), types in pairs.items())
    return graph
