"""How the ontology's classes connect: which properties lead from a class to which others, and which lead to it.

A researcher writing their own SPARQL needs the path between two kinds of record (a project and the company that
runs it: ``?project sal:executedBy ?company``). The ontology states it as domains and ranges, often as unions
(``sal:fundedBy`` ranges over actors and funds) and often on a superclass (``sal:hasPartner`` is stated for
alliances, so it holds for every kind of alliance). ``links`` reads them so that `kgtool schema CLASS` can list
them, instead of the user finding them by trial queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.rdf.namespaces import OWL, RDF, RDFS, SAL


def property_ends(quads: Iterable[ox.Quad | ox.Triple], predicate: str) -> dict[str, set[str]]:
    """Property -> the named classes of its ``predicate`` (``rdfs:domain`` or ``rdfs:range``), the members of an
    ``owl:unionOf`` too."""
    quads = list(quads)
    firsts = {q.subject: q.object for q in quads if q.predicate.value == RDF + "first"}
    rests = {q.subject: q.object for q in quads if q.predicate.value == RDF + "rest"}
    unions = {q.subject: q.object for q in quads if q.predicate.value == OWL + "unionOf"}
    ends: dict[str, set[str]] = {}
    for quad in quads:
        if quad.predicate.value != predicate or not isinstance(quad.subject, ox.NamedNode):
            continue
        found = ends.setdefault(quad.subject.value, set())
        if isinstance(quad.object, ox.NamedNode):
            found.add(quad.object.value)
        node = unions.get(quad.object)
        while node is not None and node in firsts:
            if isinstance(firsts[node], ox.NamedNode):
                found.add(firsts[node].value)
            node = rests.get(node)
    return ends


def superclasses(quads: Iterable[ox.Quad | ox.Triple], cls: str) -> set[str]:
    """``cls`` and every named class above it (``rdfs:subClassOf``, transitively)."""
    above: dict[str, set[str]] = {}
    for quad in quads:
        if quad.predicate.value == RDFS + "subClassOf" and isinstance(quad.object, ox.NamedNode):
            above.setdefault(quad.subject.value, set()).add(quad.object.value)
    return reachable(above, cls)


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    """``start`` and every node reached from it by ``edges``."""
    seen, pending = {start}, [start]
    while pending:
        for following in edges.get(pending.pop(), ()):
            if following not in seen:
                seen.add(following)
                pending.append(following)
    return seen


@dataclass(frozen=True)
class Link:
    """A property of the ontology between two sets of classes (a domain and a range, unions unfolded)."""

    prop: str
    sources: frozenset[str]
    targets: frozenset[str]


def links(quads: Iterable[ox.Quad | ox.Triple], cls: str) -> tuple[list[Link], list[Link]]:
    """The ontology's own properties that lead from ``cls`` (its domain is ``cls`` or above it) and those that lead
    to it (their range is), each sorted by property."""
    quads = list(quads)
    domains = property_ends(quads, RDFS + "domain")
    ranges = property_ends(quads, RDFS + "range")
    mine = superclasses(quads, cls)
    properties = sorted(p for p in {*domains, *ranges} if p.startswith(SAL))
    every = [Link(p, frozenset(domains.get(p, ())), frozenset(ranges.get(p, ()))) for p in properties]
    outgoing = [link for link in every if link.sources & mine]
    incoming = [link for link in every if link.targets & mine]
    return outgoing, incoming
