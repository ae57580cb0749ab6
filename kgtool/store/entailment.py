"""The RDFS entailments users expect, materialized in their own named graph so that any query sees them.

A researcher's own query asks ``?x a sal:Actor`` and expects the NGOs, companies and governments; on a SPARQL
server without inference it would find none unless it walks ``a/rdfs:subClassOf*``. So the store keeps, in the
graph ``https://w3id.org/sal/graph/entailed``:

- every type through ``rdfs:subClassOf`` (an NGO is an actor and an organization),
- every statement through ``rdfs:subPropertyOf`` (a value of a sub-property is a value of the super-property),
- the transitive closure of ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` themselves,

up to the ontology's own classes and properties (``sal:``): the alignment to ORG, PROV-O, FOAF, schema.org and
DCTERMS (every record an ``org:Organization``, a ``foaf:Organization``, a ``prov:Agent``; every source a
``dcterms:source``) would add seven triples for every two the data holds (measured on synthetic data), for
terms the catalog never asks; a query that wants them walks ``rdfs:subClassOf*``, or a reasoner infers them.

and only what no other graph asserts: the union of the graphs (the default graph queries see) then holds each
entailed triple exactly once, so counts and catalog answers do not change. ``kgtool build`` (and ``build --from``)
recompute it; ``kgtool ingest`` adds the entailments of a submission in the transaction that commits it;
``kgtool retract`` recomputes those of the records the retracted submission described. The graph travels with
``kgtool export`` and ``kgtool push`` like every other graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.rdf.namespaces import RDFS, RDFS_SUBCLASS_OF, SAL, TYPE_NODE
from kgtool.store.core import GRAPH_BASE

ENTAILED_GRAPH = ox.NamedNode(GRAPH_BASE + "entailed")
RDF_TYPE = TYPE_NODE
SUBCLASS = ox.NamedNode(RDFS_SUBCLASS_OF)
SUBPROPERTY = ox.NamedNode(RDFS + "subPropertyOf")

Subject = ox.NamedNode | ox.BlankNode


@dataclass
class Hierarchy:
    """Every named class's strict superclasses and every property's strict super-properties, transitively."""

    superclasses: dict[ox.NamedNode, set[ox.NamedNode]]
    superproperties: dict[ox.NamedNode, set[ox.NamedNode]]

    @classmethod
    def of(cls, store: ox.Store, extra: Iterable[ox.Triple] = ()) -> Hierarchy:
        """The hierarchy the store's asserted graphs (and ``extra`` triples, a submission about to be written) state."""
        extra = list(extra)
        return cls(_own(_closure(store, SUBCLASS, extra)), _own(_closure(store, SUBPROPERTY, extra)))

    def consequences(self, triple: ox.Triple) -> Iterable[ox.Triple]:
        """What RDFS adds to one asserted triple (the triple itself not included)."""
        if triple.predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            for above in self.superclasses.get(triple.object, ()):
                yield ox.Triple(triple.subject, RDF_TYPE, above)
        for above in self.superproperties.get(triple.predicate, ()):
            yield ox.Triple(triple.subject, above, triple.object)
        if triple.predicate in (SUBCLASS, SUBPROPERTY) and isinstance(triple.object, ox.NamedNode):
            table = self.superclasses if triple.predicate == SUBCLASS else self.superproperties
            for above in table.get(triple.object, ()):
                yield ox.Triple(triple.subject, triple.predicate, above)


def _own(closure: dict[ox.NamedNode, set[ox.NamedNode]]) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Only the ontology's own terms above each node (see the module's docstring)."""
    kept = {below: {above for above in aboves if above.value.startswith(SAL)} for below, aboves in closure.items()}
    return {below: aboves for below, aboves in kept.items() if aboves}


def _closure(store: ox.Store, predicate: ox.NamedNode, extra: list[ox.Triple]) -> dict:
    """``node -> every node above it`` for one hierarchy predicate (cycles included, each node not above itself)."""
    direct: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    edges = [(q.subject, q.object) for q in store.quads_for_pattern(None, predicate, None, None) if _asserted(q)]
    edges += [(t.subject, t.object) for t in extra if t.predicate == predicate]
    for below, above in edges:
        if isinstance(below, ox.NamedNode) and isinstance(above, ox.NamedNode) and below != above:
            direct.setdefault(below, set()).add(above)
    closed: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for start in direct:
        seen: set[ox.NamedNode] = set()
        pending = list(direct[start])
        while pending:
            node = pending.pop()
            if node not in seen:
                seen.add(node)
                pending.extend(direct.get(node, ()))
        seen.discard(start)
        closed[start] = seen
    return closed


def _asserted(quad: ox.Quad) -> bool:
    return quad.graph_name != ENTAILED_GRAPH


def _entailed(
    store: ox.Store,
    hierarchy: Hierarchy,
    asserted: set[ox.Triple],
    complete: bool = False,
    unknown: Callable[[Subject], bool] | None = None,
) -> set:
    """The consequences of ``asserted`` that no asserted graph of the store (nor ``asserted`` itself) states.

    ``complete``: ``asserted`` holds every asserted triple of the predicates that can have consequences (a
    rebuild), so a consequence with such a predicate is looked up in it instead of in the store. ``unknown``: tells
    the subjects the store holds no statement about, whose consequences need no look-up (``Subjects``).
    """
    local = {RDF_TYPE, SUBCLASS, SUBPROPERTY, *hierarchy.superproperties} if complete else set()
    found: set[ox.Triple] = set()
    for triple in asserted:
        for consequence in hierarchy.consequences(triple):
            if consequence in found or consequence in asserted:
                continue
            if (
                consequence.predicate in local
                or (unknown is not None and unknown(consequence.subject))
                or not _in_store(store, consequence)
            ):
                found.add(consequence)
    return found


class Subjects:
    """Which subjects a store holds no statement about, in any graph (asked once per subject).

    Every consequence of a triple has the triple's subject (a hierarchy edge's too, and a submission stating those
    is handled by a rebuild), so the consequences of a record the store does not know yet need no look-up: at a
    million submitted triples those look-ups, two per consequence, were most of the entailments' time.
    """

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._known: dict[Subject, bool] = {}

    def __call__(self, subject: Subject) -> bool:
        known = self._known.get(subject)
        if known is None:
            known = next(iter(self._store.quads_for_pattern(subject, None, None, None)), None) is not None
            self._known[subject] = known
        return not known


def _in_store(store: ox.Store, triple: ox.Triple) -> bool:
    """Whether an asserted graph of ``store`` states ``triple``."""
    return any(_asserted(q) for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None))


def _asserted_triples(store: ox.Store, hierarchy: Hierarchy, subjects: set[Subject] | None = None):
    """The asserted triples that can have consequences (types, sub-property values, hierarchy edges)."""
    if subjects is not None:
        for subject in subjects:
            for quad in store.quads_for_pattern(subject, None, None, None):
                if _asserted(quad):
                    yield ox.Triple(quad.subject, quad.predicate, quad.object)
        return
    for predicate in (RDF_TYPE, SUBCLASS, SUBPROPERTY, *hierarchy.superproperties):
        for quad in store.quads_for_pattern(None, predicate, None, None):
            if _asserted(quad):
                yield ox.Triple(quad.subject, quad.predicate, quad.object)


def rebuild(store: ox.Store) -> int:
    """Recompute the whole entailed graph of ``store``; the number of entailed triples."""
    if store.contains_named_graph(ENTAILED_GRAPH):
        store.remove_graph(ENTAILED_GRAPH)
    hierarchy = Hierarchy.of(store)
    entailed = _entailed(store, hierarchy, set(_asserted_triples(store, hierarchy)), complete=True)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ENTAILED_GRAPH) for t in entailed)
    return len(entailed)


def for_submission(
    store: ox.Store,
    triples: Iterable[ox.Triple | ox.Quad],
    hierarchy: Hierarchy | None = None,
    unknown: Callable[[Subject], bool] | None = None,
) -> list[ox.Quad]:
    """The entailed quads a submission adds, to be written in the transaction that commits it (entailments the
    submission asserts itself, or that the entailed graph already holds, are left out)."""
    hierarchy = hierarchy or Hierarchy.of(store)
    sources = {RDF_TYPE, SUBCLASS, SUBPROPERTY, *hierarchy.superproperties}
    relevant = _plain(t for t in triples if t.predicate in sources)
    if changes_hierarchy(relevant):
        return []  # a new hierarchy changes entailments everywhere: the writer rebuilds after its commit
    entailed = _entailed(store, hierarchy, relevant, unknown=unknown)
    return [
        ox.Quad(t.subject, t.predicate, t.object, ENTAILED_GRAPH)
        for t in entailed
        if (unknown is not None and unknown(t.subject))
        or not any(store.quads_for_pattern(t.subject, t.predicate, t.object, ENTAILED_GRAPH))
    ]


def superseded(
    store: ox.Store,
    triples: Iterable[ox.Triple | ox.Quad],
    hierarchy: Hierarchy | None = None,
    unknown: Callable[[Subject], bool] | None = None,
) -> list[ox.Quad]:
    """The entailed quads that a submission asserts itself: the union of the graphs must hold each triple once, so
    they leave the entailed graph when the submission comes in (``kgtool.store.submissions.write`` removes them
    before its commit point, and puts them back if the submission does not go in)."""
    hierarchy = hierarchy or Hierarchy.of(store)
    relevant = _plain(t for t in triples if t.predicate in _targets(hierarchy))
    quads = (ox.Quad(t.subject, t.predicate, t.object, ENTAILED_GRAPH) for t in relevant)
    return [
        q
        for q in quads
        if not (unknown is not None and unknown(q.subject))
        and any(store.quads_for_pattern(q.subject, q.predicate, q.object, q.graph_name))
    ]


def _targets(hierarchy: Hierarchy) -> set[ox.NamedNode]:
    """The predicates an entailed triple can have."""
    return {RDF_TYPE, SUBCLASS, SUBPROPERTY, *(p for above in hierarchy.superproperties.values() for p in above)}


def predicates(hierarchy: Hierarchy) -> set[ox.NamedNode]:
    """The predicates of the triples whose entailments a write keeps current: those that have consequences, and
    those an entailed triple can have (``for_submission``, ``superseded``). A writer hands ``kept_current`` just
    these (``kgtool.store.submissions``), found by index look-ups instead of a pass over every submitted triple."""
    return {*hierarchy.superproperties, *_targets(hierarchy)}


@contextmanager
def kept_current(
    store: ox.Store, triples: Iterable[ox.Triple | ox.Quad], hierarchy: Hierarchy | None = None
) -> Iterator[list[ox.Quad]]:
    """Around writing a submission: gives the entailed quads to commit with its record (``for_submission``); takes
    out first what it asserts itself (``superseded``) and puts that back if the write fails; rebuilds the graph
    after a submission that states hierarchy edges. ``triples`` need only hold those with ``predicates``; the
    store must not hold the submission yet (its records are looked up only if the store knows them)."""
    hierarchy = hierarchy or Hierarchy.of(store)
    triples = _plain(triples)
    unknown = Subjects(store)
    entailed = for_submission(store, triples, hierarchy, unknown)
    gone = superseded(store, triples, hierarchy, unknown)
    for quad in gone:
        store.remove(quad)
    try:
        yield entailed
    except BaseException:
        store.extend(gone)  # the submission did not go in: its entailments stand as they were
        raise
    if changes_hierarchy(triples):
        rebuild(store)


def changes_hierarchy(triples: Iterable[ox.Triple | ox.Quad]) -> bool:
    """Whether ``triples`` state class or property hierarchy edges (then every entailment may change)."""
    return any(t.predicate in (SUBCLASS, SUBPROPERTY) for t in triples)


def refresh(store: ox.Store, retracted: Iterable[ox.Triple | ox.Quad]) -> None:
    """After a submission left the store: recompute the entailments about the records it described from what the
    store still asserts (everything, when it stated hierarchy edges)."""
    plain = _plain(retracted)
    if changes_hierarchy(plain):
        rebuild(store)
        return
    subjects = {t.subject for t in plain}
    for subject in subjects:
        for quad in list(store.quads_for_pattern(subject, None, None, ENTAILED_GRAPH)):
            store.remove(quad)
    hierarchy = Hierarchy.of(store)
    entailed = _entailed(store, hierarchy, set(_asserted_triples(store, hierarchy, subjects)))
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ENTAILED_GRAPH) for t in entailed)


def _plain(triples: Iterable[ox.Triple | ox.Quad]) -> set[ox.Triple]:
    return {ox.Triple(t.subject, t.predicate, t.object) for t in triples}
