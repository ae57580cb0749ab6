"""What a submission is checked against besides itself: the knowledge graph (the store, or the project's data).

A submitted record usually points to records that are already in the knowledge graph (a new partnership names
``sald:newmont``). Its shapes can only be checked if the data graph also says what those records are, so the
validator adds their description from the knowledge graph: every triple of each ``sald:`` IRI the submission
mentions, and one step further (the partnerships of an alliance, the types of its partners). The same source
answers whether a ``sald:`` IRI exists at all (the reference check).

When no store exists the project's own data files stand in for it: a fresh ``kgtool build`` would hold exactly
them, so a steward gets the same answers before building.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kgtool.rdf.namespaces import SALD
from kgtool.rdf.parsing import load_into

Subject = ox.NamedNode | ox.BlankNode

#: How many steps from a mentioned record the description reaches.
DESCRIPTION_DEPTH = 2


@dataclass
class KnowledgeGraph:
    """An opened source of known records: the store (``kind == "store"``) or the project's data files."""

    store: ox.Store
    kind: str  # "store" | "project data"
    location: str
    hidden: ox.NamedNode | None = None  # a submission the records are checked without (the same files, stored)

    def knows(self, term: Subject) -> bool:
        """Whether the knowledge graph describes ``term`` (has a triple with it as subject)."""
        return next(iter(self.about(term)), None) is not None

    def about(self, term: Subject) -> Iterable[ox.Quad | ox.Triple]:
        """Every statement with ``term`` as subject."""
        return self._shown(self.store.quads_for_pattern(term, None, None, None))

    def pointing(self, predicate: ox.NamedNode, term: Subject) -> Iterable[ox.Quad | ox.Triple]:
        """Every statement ``?s predicate term``."""
        return self._shown(self.store.quads_for_pattern(None, predicate, term, None))

    def _shown(self, quads: Iterable[ox.Quad]) -> Iterable[ox.Quad]:
        return quads if self.hidden is None else (q for q in quads if q.graph_name != self.hidden)

    def describe(
        self, terms: Iterable[Subject], inverse: Iterable[ox.NamedNode] = (), depth: int = DESCRIPTION_DEPTH
    ) -> list[ox.Triple]:
        """The triples about ``terms`` and, ``depth - 1`` steps further, about the records they point to."""
        return describe(self, terms, inverse, depth)


class Describable(Protocol):
    """A source of statements that can be described: the store, or a submission's own records."""

    def about(self, term: Subject) -> Iterable[ox.Quad | ox.Triple]: ...

    def pointing(self, predicate: ox.NamedNode, term: Subject) -> Iterable[ox.Quad | ox.Triple]: ...


def describe(
    source: Describable, terms: Iterable[Subject], inverse: Iterable[ox.NamedNode] = (), depth: int = DESCRIPTION_DEPTH
) -> list[ox.Triple]:
    """The triples of ``source`` about ``terms`` and, ``depth - 1`` steps further, about the records they point to.

    ``inverse``: predicates that the shapes follow backwards (``^sal:partnershipIn``): the records that point
    to a described record through them are described too, as the shapes will look for them. A source with a
    ``store`` is asked about its IRIs in batches (one query per ``BATCH`` records instead of a look-up each);
    blank nodes, which a query cannot name, are looked up one by one.
    """
    inverse = list(inverse)
    store = getattr(source, "store", None)
    seen: set[Subject] = set()
    frontier = {t for t in terms if _is_record(t)}
    triples: dict[ox.Triple, None] = {}
    for _ in range(depth):
        todo = frontier - seen
        seen |= todo
        iris = [t for t in todo if isinstance(t, ox.NamedNode)] if store is not None else []
        hidden = getattr(source, "hidden", None)
        statements: list[ox.Quad | ox.Triple] = list(_about_many(store, iris, inverse, hidden)) if iris else []
        for term in todo.difference(iris):
            statements += source.about(term)
            for predicate in inverse:
                statements += source.pointing(predicate, term)
        following: set[Subject] = set()
        for statement in statements:
            triples[ox.Triple(statement.subject, statement.predicate, statement.object)] = None
            following.update(t for t in (statement.subject, statement.object) if _is_record(t))
        frontier = following
    return list(triples)


#: IRIs per look-up query (``describe``).
BATCH = 2_000


def _about_many(
    store: ox.Store, iris: list[ox.NamedNode], inverse: list[ox.NamedNode], hidden: ox.NamedNode | None = None
) -> Iterator[ox.Triple]:
    """Every statement about one of ``iris`` (as subject, or as object of an ``inverse`` predicate), outside the
    graph ``hidden`` if given: a query per ``BATCH`` IRIs, two at a time (pyoxigraph releases the GIL while it
    evaluates one), the statements in the order of the batches."""
    backwards = f"UNION {{ VALUES ?p {{ {' '.join(map(str, inverse))} }} ?s ?p ?t BIND (?t AS ?o) }}" if inverse else ""
    pattern = f"{{ ?t ?p ?o BIND (?t AS ?s) }} {backwards}"
    if hidden is not None:  # DISTINCT: a triple may stand in several graphs, as the union holds it once
        pattern = f"GRAPH ?g {{ {pattern} }} FILTER (?g != {hidden})"

    def batch(start: int) -> list[ox.Triple]:
        values = " ".join(map(str, iris[start : start + BATCH]))
        query = f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?t {{ {values} }} {pattern} }}"
        return [ox.Triple(row["s"], row["p"], row["o"]) for row in store.query(query, use_default_graph_as_union=True)]

    starts = range(0, len(iris), BATCH)
    if len(starts) == 1:
        yield from batch(0)
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        for found in pool.map(batch, starts):
            yield from found


def _is_record(term: object) -> bool:
    """A ``sald:`` IRI or a blank node (an amount of a record, say): the things worth describing."""
    return isinstance(term, ox.BlankNode) or (isinstance(term, ox.NamedNode) and term.value.startswith(SALD))


@contextmanager
def opened(store_dir: Path | None, hidden: ox.NamedNode | None = None) -> Iterator[KnowledgeGraph]:
    """The store at ``store_dir`` (which must exist), or the project's data files when ``store_dir`` is None;
    without the graph ``hidden`` (the stored copy of the submission being checked).

    The store is held (and locked) only inside the ``with`` block.
    """
    if store_dir is None:
        yield project_data()
        return
    from kgtool.store import core as storage

    with storage.opened(Path(store_dir)) as store:
        graph = KnowledgeGraph(store, "store", str(store_dir), hidden)
        try:
            yield graph
        finally:
            # Drop the reference here: frames of the caller can outlive the call in garbage cycles (pySHACL's
            # tracebacks), and the store's lock must go when the block ends, not when a collector runs.
            graph.store = None  # type: ignore[assignment]


def project_data() -> KnowledgeGraph:
    """An in-memory graph of the project's reference and case data: what ``kgtool build`` would load."""
    from kgtool.rdf import resources
    from kgtool.store import build

    store = ox.Store()
    for source in build.project_sources():
        if source.kind in ("reference", "data"):
            # the file's own graph, as a build names it
            load_into(store, source.path, ox.NamedNode(source.graph), on_disk=False)
    return KnowledgeGraph(store, "project data", str(resources.folder("data")))
