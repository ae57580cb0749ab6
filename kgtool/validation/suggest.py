"""What to suggest for a term a record gets wrong, given where it stands: the one "did you mean" of validation.

``kgtool.rdf.nearest`` compares names (local names, labels and alternative labels in English and Spanish); this
module decides *among which terms*: the ontology's properties for a misspelt property, its classes for a misspelt
type (``sal:Municipality`` -> ``sal:LocalGovernment``, whose alternative label is "municipality"), and for a value
the terms of the property's range: the ontology's individuals of that class (``sal:MarketLegitimcy`` ->
``sal:MarketLegitimacy``) and the knowledge graph's records of that class (a misspelt partner -> the nearest
actor; a misspelt project status -> a status, never the country ``sald:norway``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property

import pyoxigraph as ox

from kgtool.rdf import nearest, schema
from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import OWL, RDF, RDFS, SAL, SALD

_PROPERTY_TYPES = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property"}
_CLASS_TYPES = {OWL + "Class", RDFS + "Class"}


class Suggestions:
    """The ontology's terms by kind, by class and by range, and the knowledge graph's records by class."""

    def __init__(self, ontology_quads: Iterable[ox.Quad], records: ox.Store | None = None) -> None:
        self.quads = [q for q in ontology_quads if isinstance(q.subject, ox.NamedNode | ox.BlankNode)]
        self.records = records  # the store or the project's data, asked for records of a class
        self._record_pools: dict[frozenset[str], nearest.Nearest] = {}
        self._closed: dict[str, nearest.Nearest | None] = {}

    @cached_property
    def _types(self) -> dict[str, set[str]]:
        types: dict[str, set[str]] = {}
        for quad in self.quads:
            if quad.predicate.value == RDF + "type" and isinstance(quad.subject, ox.NamedNode):
                types.setdefault(quad.subject.value, set()).add(quad.object.value)
        return types

    @cached_property
    def _subclasses(self) -> dict[str, set[str]]:
        """Class -> itself and every class below it."""
        below: dict[str, set[str]] = {}
        for quad in self.quads:
            if quad.predicate.value == RDFS + "subClassOf" and isinstance(quad.object, ox.NamedNode):
                below.setdefault(quad.object.value, set()).add(quad.subject.value)
        return {start: schema.reachable(below, start) for start in below}

    def _below(self, classes: Iterable[str]) -> set[str]:
        return {c for cls in classes for c in self._subclasses.get(cls, {cls})}

    @cached_property
    def _ranges(self) -> dict[str, set[str]]:
        """Property -> its named range classes (the members of an ``owl:unionOf`` range too)."""
        return schema.property_ends(self.quads, RDFS + "range")

    def _pool(self, keep) -> nearest.Nearest:
        wanted = [iri for iri, kinds in self._types.items() if iri.startswith(SAL) and keep(kinds)]
        return nearest.from_quads(self.quads, wanted)

    @cached_property
    def properties(self) -> nearest.Nearest:
        return self._pool(lambda kinds: bool(kinds & _PROPERTY_TYPES))

    @cached_property
    def classes(self) -> nearest.Nearest:
        return self._pool(lambda kinds: bool(kinds & _CLASS_TYPES))

    @cached_property
    def others(self) -> nearest.Nearest:
        return self._pool(lambda kinds: not kinds & (_PROPERTY_TYPES | _CLASS_TYPES))

    def values_of(self, predicate: str | None) -> tuple[set[str], nearest.Nearest | None]:
        """The classes a value of ``predicate`` belongs to (its range, subclasses included) and the ontology's own
        individuals of them; (empty, None) when the ontology gives no range."""
        classes = self._below(self._ranges.get(predicate or "", ()))
        if not classes:
            return set(), None
        return classes, self._pool(lambda kinds: bool(kinds & classes))

    def for_term(self, iri: str, position: str, predicate: str | None = None) -> str | None:
        """The nearest ontology term for a ``sal:`` term the ontology does not define, used as ``position``
        (``property``, ``class`` or ``value`` of ``predicate``)."""
        if position == "property":
            return self.properties.best(iri)
        if position == "class":
            return self.classes.best(iri)
        _, individuals = self.values_of(predicate)
        if individuals is not None and len(individuals):
            return individuals.best(iri)
        return self.others.best(iri)

    def for_reference(self, iri: str, predicate: str, submitted: list[ox.Triple]) -> str | None:
        """The nearest known record (or ontology individual) for a ``sald:`` reference nobody describes: among the
        records of the range of ``predicate`` (in the knowledge graph, or typed so in the ``submitted`` triples)
        when the ontology gives one, else among every record of the submission."""
        classes, individuals = self.values_of(predicate)
        own = _records_in(submitted, classes)
        pools = [pool for pool in (individuals, self._records_of(classes) if classes else None, own) if pool]
        candidates = {iri_: c for pool in pools for iri_, c in pool.candidates.items()}
        found = nearest.Nearest(candidates.values()).suggest(iri)  # a record's name is free text: only a close one
        return found[0] if found else None

    def _records_of(self, classes: set[str]) -> nearest.Nearest | None:
        if self.records is None:
            return None
        key = frozenset(classes)
        if key not in self._record_pools:
            text = nearest.members_query(sorted(classes), closed=True)
            solutions = self.records.query(text, use_default_graph_as_union=True)
            rows = ({v.value: s[v] for v in solutions.variables if s[v] is not None} for s in solutions)
            self._record_pools[key] = nearest.from_rows(rows)
        return self._record_pools[key]

    def closed_terms(self, predicate: str) -> nearest.Nearest | None:
        """The ontology's own terms a value of ``predicate`` must be one of (its range has individuals in the
        ontology and no known records: a project status, a strategy, an audience), else None; kept per property."""
        if predicate not in self._closed:
            classes, individuals = self.values_of(predicate)
            records = self._records_of(classes) if individuals is not None and len(individuals) else None
            closed = individuals is not None and len(individuals) > 0 and not (records is not None and len(records))
            self._closed[predicate] = individuals if closed else None
        return self._closed[predicate]

    def of_class(self, cls: str) -> nearest.Nearest:
        """The ontology's classes at or below ``cls``."""
        below = self._below([cls])
        return nearest.from_quads(self.quads, sorted(below))

    def for_cell(self, target: str, kind: str, text: str) -> str | None:
        """The nearest value a CSV cell may hold: a kind of record below ``target`` (a ``TYPE`` column), or a term
        or known record of the range of the property ``target`` (an ``AI`` column)."""
        if kind == "TYPE":
            found = self.of_class(target).suggest(text)
            return found[0] if found else None
        classes, individuals = self.values_of(target)
        pools = [pool for pool in (individuals, self._records_of(classes) if classes else None) if pool]
        candidates = {iri: c for pool in pools for iri, c in pool.candidates.items()}
        found = nearest.Nearest(candidates.values()).suggest(text) if candidates else []
        return found[0] if found else None


def _records_in(triples: list[ox.Triple], classes: set[str]) -> nearest.Nearest:
    """The IRI records of ``triples`` typed with one of ``classes`` (every one when ``classes`` is empty)."""
    typed = {t.subject.value for t in triples if t.predicate.value == RDF + "type" and t.object.value in classes}
    records = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    return nearest.from_quads(triples, sorted(typed if classes else records))


@cache
def _project_suggestions() -> Suggestions:
    """The project's ontology, with its reference places as the known records (what a CSV cell can name before any
    store is asked)."""
    from kgtool.rdf import ontology, resources
    from kgtool.rdf.parsing import parse_quads

    places = ox.Store()
    for path in sorted((resources.folder("data") / "reference").glob("*.ttl")):
        places.extend(parse_quads(path))
    return Suggestions(ontology.load(), places)


def for_cell(target: str, kind: str, text: str) -> str | None:
    """The nearest allowed value of a CSV cell, as a contributor writes it: a ``sald:`` record by its slug
    (``region-apurimac``), any other term by its prefixed name (``sal:PovertyReduction``)."""
    found = _project_suggestions().for_cell(target, kind, text)
    if found is None:
        return None
    return found.removeprefix(SALD) if found.startswith(SALD) else compact(found)


def outside_closed_column(predicate: str, iri: str, text: str) -> str | None:
    """For a cell whose column takes only the ontology's own terms (``closed_terms``) but names something else (a
    slug such as ``underway`` reads as ``sald:underway``): the nearest term it may hold, as a CSV cell writes it;
    None when the cell is fine or the column is open to records."""
    pool = _project_suggestions().closed_terms(predicate)
    if pool is None or iri in pool:
        return None
    found = pool.best(text)
    return compact(found) if found else None
