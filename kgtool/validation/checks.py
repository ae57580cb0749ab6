"""The checks kgtool runs beside SHACL: closed vocabulary, known references, typed records.

RDF accepts any IRI, so a typo such as ``sal:hasPartnr`` or ``sal:MarketLegitimcy`` is valid data that no shape
targets: it would enter the graph and silently answer no query. These checks catch what SHACL cannot say well:
which ``sal:`` terms the *ontology* defines (a submission can declare anything itself) with the nearest defined
term as a suggestion, which ``sald:`` records exist in the knowledge graph (the store is not in the data graph),
and which records no shape would ever look at. Their severity and messages are declared in
``shapes/kgtool-checks.ttl`` (as deactivated shapes), so their results are like every other result.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.rdf.namespaces import OWL, RDF_TYPE, RDFS, SAL, SALD, SALSH, SH
from kgtool.validation.context import KnowledgeGraph
from kgtool.validation.model import Result, Shapes, Subject
from kgtool.validation.report import compact

SAL_HTTP = "http:" + SAL.removeprefix("https:")
_PROPERTY_TYPES = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}
_CLASS_TYPES = {OWL + "Class", RDFS + "Class"}


@dataclass(frozen=True)
class Reference:
    """A ``sald:`` IRI that a record points to and that nobody describes."""

    focus: Subject
    path: str
    value: ox.NamedNode
    suggestion: str | None


@dataclass(frozen=True)
class Declaration:
    """A Python check as ``shapes/kgtool-checks.ttl`` declares it: severity and message templates."""

    shape: str
    severity: str
    messages: dict[str, str]

    @classmethod
    def find(cls, shapes: Shapes, name: str) -> Declaration | None:
        """The declaration ``salsh:<name>``, or None when the shapes do not declare it (the check is off)."""
        iri = ox.NamedNode(SALSH + name)
        severity, messages = None, {}
        for quad in shapes.quads:
            if quad.subject != iri:
                continue
            if quad.predicate.value == SH + "severity":
                severity = quad.object.value.removeprefix(SH)
            elif quad.predicate.value == SH + "message":
                messages[quad.object.language or "en"] = quad.object.value
        return cls(iri.value, severity, messages) if severity else None

    def result(self, focus: Subject, path: str | None, value: ox.NamedNode, suggestion: str | None) -> Result:
        shown = {"{$value}": compact(value.value), "{?suggestion}": compact(suggestion) if suggestion else "—"}
        messages = {}
        for lang, template in self.messages.items():
            for placeholder, text in shown.items():
                template = template.replace(placeholder, text)
            messages[lang] = template
        return Result(self.severity, focus, path, value, messages, self.shape, self.shape + "Component", suggestion)


def run_all(
    triples: list[ox.Triple],
    context: list[ox.Triple],
    ontology_quads: list[ox.Quad],
    shapes: Shapes,
    references: list[Reference],
) -> list[Result]:
    """The results of every declared Python check."""
    results: list[Result] = []
    if declared := Declaration.find(shapes, "ClosedVocabulary"):
        results += closed_vocabulary(triples, Vocabulary.of(ontology_quads), declared)
    if declared := Declaration.find(shapes, "KnownReference"):
        results += [declared.result(r.focus, r.path, r.value, r.suggestion) for r in references]
    if declared := Declaration.find(shapes, "TypedRecord"):
        results += untyped_records(triples, context, declared)
    return results


@dataclass
class Vocabulary:
    """The terms the ontology defines, by kind, for lookups and suggestions."""

    properties: set[str]
    classes: set[str]
    others: set[str]

    @classmethod
    def of(cls, ontology_quads: Iterable[ox.Quad]) -> Vocabulary:
        types: dict[str, set[str]] = {}
        for quad in ontology_quads:
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(SAL):
                kinds = types.setdefault(quad.subject.value, set())
                if quad.predicate.value == RDF_TYPE:
                    kinds.add(quad.object.value)
        properties = {term for term, kinds in types.items() if kinds & _PROPERTY_TYPES}
        classes = {term for term, kinds in types.items() if kinds & _CLASS_TYPES}
        return cls(properties, classes, set(types) - properties - classes)

    def defines(self, iri: str) -> bool:
        return iri in self.properties or iri in self.classes or iri in self.others

    def nearest(self, iri: str, kind: str) -> str | None:
        """The defined term closest to ``iri``, preferring terms of the same kind (property, class, other)."""
        pool = {"property": self.properties, "class": self.classes, "other": self.others}[kind]
        return nearest(iri, pool or (self.properties | self.classes | self.others), SAL)


def nearest(iri: str, candidates: Iterable[str], namespace: str) -> str | None:
    """The candidate whose local name (after ``namespace``) reads most like ``iri``'s, case aside."""
    local = _local(iri, namespace).lower()
    by_local: dict[str, str] = {}
    for candidate in sorted(candidates):
        by_local.setdefault(_local(candidate, namespace).lower(), candidate)
    match = difflib.get_close_matches(local, list(by_local), n=1, cutoff=0.0)
    return by_local[match[0]] if match else None


def _local(iri: str, namespace: str) -> str:
    for prefix in (namespace, "http:" + namespace.removeprefix("https:")):
        if iri.startswith(prefix):
            return iri[len(prefix) :]
    return iri


def _in_sal_namespace(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith((SAL, SAL_HTTP))


def closed_vocabulary(triples: Iterable[ox.Triple], vocabulary: Vocabulary, declared: Declaration) -> list[Result]:
    """Every ``sal:`` term used as property, type or value that the ontology does not define."""
    found: dict[tuple, Result] = {}
    for triple in triples:
        positions = [(triple.predicate, "property", triple.predicate.value)]
        kind = "class" if triple.predicate.value == RDF_TYPE else "other"
        positions.append((triple.object, kind, triple.predicate.value))
        positions.append((triple.subject, "other", None))
        for term, kind, path in positions:
            if _in_sal_namespace(term) and not vocabulary.defines(term.value):
                key = (triple.subject, path, term)
                if key not in found:
                    found[key] = declared.result(triple.subject, path, term, vocabulary.nearest(term.value, kind))
    return list(found.values())


def unknown_references(
    triples: Iterable[ox.Triple], subjects: Iterable[Subject], graph: KnowledgeGraph
) -> list[Reference]:
    """Every ``sald:`` IRI a record points to that neither the submission nor the knowledge graph describes."""
    described = set(subjects)
    unknown: dict[tuple, tuple] = {}
    verdict: dict[ox.NamedNode, bool] = {}
    for triple in triples:
        target = triple.object
        if not isinstance(target, ox.NamedNode) or not target.value.startswith(SALD) or target in described:
            continue
        if target not in verdict:
            verdict[target] = graph.knows(target)
        if not verdict[target]:
            unknown.setdefault((triple.subject, triple.predicate.value, target), ())
    if not unknown:
        return []
    known = {*graph.record_iris(), *(s.value for s in described if isinstance(s, ox.NamedNode))}
    suggestions = {target: nearest(target.value, known, SALD) for (_, _, target) in unknown}
    return [Reference(focus, path, target, suggestions[target]) for (focus, path, target) in unknown]


def without_consequences(results: list[Result], checked: list[Result]) -> list[Result]:
    """Drop SHACL results that only repeat a kgtool check about the same record and value: "must be an actor"
    about an unknown reference, "must be a legitimacy type" about a misspelt ``sal:`` term. The check says it
    better, and one mistake should read as one problem."""
    explained = {(r.focus, r.value) for r in checked if isinstance(r.value, ox.NamedNode) and r.value != r.focus}
    return [r for r in results if (r.focus, r.value) not in explained]


def untyped_records(triples: list[ox.Triple], context: list[ox.Triple], declared: Declaration) -> list[Result]:
    """Every IRI record of the submission that has no ``sal:`` type here or in the knowledge graph."""
    typed = {
        t.subject
        for t in (*triples, *context)
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(SAL)
    }
    records = dict.fromkeys(
        t.subject
        for t in triples
        if isinstance(t.subject, ox.NamedNode) and not t.subject.value.startswith((SAL, SAL_HTTP, SALSH))
    )
    return [declared.result(record, RDF_TYPE, record, None) for record in records if record not in typed]
