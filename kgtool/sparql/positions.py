"""What each parameter of a query stands for: the classes its value must belong to, read from the query itself.

A catalog query says what its parameters mean in its own triple patterns: ``?strategy a sal:DevelopmentStrategy``
with ``FILTER(... ?strategy = ?__strategy_iri)``, or ``?alliance sal:hasPartner ?_actor_iri`` (the range of
``sal:hasPartner``). Reading that here, rather than declaring types beside each query, keeps one source of truth
and works for one's own ``.rq`` files too. A query this reader cannot follow simply yields no classes: the value
is then only checked to be known at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kgtool.rdf.namespaces import RDF_TYPE, RDFS_SUBCLASS_OF


@dataclass
class Positions:
    """Where a query variable occurs: the classes stated for it, and the properties it is the object or subject of."""

    types: set[str] = field(default_factory=set)
    object_of: set[str] = field(default_factory=set)  # ranges apply
    subject_of: set[str] = field(default_factory=set)  # domains apply


def parameter_positions(text: str, prefixes: dict[str, str], variables: list[str]) -> dict[str, Positions]:
    """For each of ``variables`` (``__strategy_iri``), where it or a variable compared equal to it occurs."""
    try:
        from rdflib.plugins.sparql import prepareQuery

        algebra = prepareQuery(text, initNs=prefixes).algebra
    except Exception:  # rdflib cannot follow every query Oxigraph runs: then nothing is inferred
        return {}
    triples, equal = [], []
    for node in _walk(algebra):
        name = getattr(node, "name", None)
        if name == "BGP":
            triples.extend(node.triples)
        elif name == "RelationalExpression" and node.get("op") == "=":
            equal.append((node.get("expr"), node.get("other")))
    found = {}
    for variable in variables:
        linked = {variable} | {str(b) for a, b in equal if str(a) == variable}
        linked |= {str(a) for a, b in equal if str(b) == variable}
        positions = Positions()
        for subject, predicate, obj in triples:
            if str(subject) in linked and _is_variable(subject):
                _as_subject(positions, predicate, obj)
            if str(obj) in linked and _is_variable(obj):
                positions.object_of.update(_last_steps(predicate, inverse=False))
                positions.subject_of.update(_last_steps(predicate, inverse=True))
        found[variable] = positions
    return found


def _as_subject(positions: Positions, predicate, obj) -> None:
    from rdflib import URIRef
    from rdflib.paths import MulPath, SequencePath

    if isinstance(obj, URIRef) and str(predicate) == RDF_TYPE:
        positions.types.add(str(obj))
        return
    if isinstance(predicate, SequencePath) and isinstance(obj, URIRef):
        first, *rest = predicate.args
        if str(first) == RDF_TYPE and all(isinstance(s, MulPath) and str(s.path) == RDFS_SUBCLASS_OF for s in rest):
            positions.types.add(str(obj))
            return
    positions.subject_of.update(_first_steps(predicate))


def _last_steps(path, inverse: bool) -> set[str]:
    """The properties whose range (``inverse=False``) or domain (``inverse=True``) the object of ``path`` is in."""
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, SequencePath

    if isinstance(path, URIRef):
        return set() if inverse or str(path) == RDF_TYPE else {str(path)}
    if isinstance(path, AlternativePath):
        return {step for alternative in path.args for step in _last_steps(alternative, inverse)}
    if isinstance(path, SequencePath):
        return _last_steps(path.args[-1], inverse)
    if isinstance(path, InvPath) and isinstance(path.arg, URIRef):
        return {str(path.arg)} if inverse else set()
    return set()


def _first_steps(path) -> set[str]:
    """The properties whose domain the subject of ``path`` is in."""
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, SequencePath

    if isinstance(path, URIRef):
        return set() if str(path) == RDF_TYPE else {str(path)}
    if isinstance(path, AlternativePath):
        return {step for alternative in path.args for step in _first_steps(alternative)}
    if isinstance(path, SequencePath):
        return _first_steps(path.args[0])
    return set()


def _is_variable(term) -> bool:
    from rdflib import Variable

    return isinstance(term, Variable)


def _walk(node) -> Iterator:
    """Every node of rdflib's query algebra (a tree of dict-like CompValues and lists)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [node]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, CompValue):
            yield current
            pending.extend(current.values())
        elif isinstance(current, list | tuple):
            pending.extend(current)
