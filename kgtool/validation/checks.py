"""The checks kgtool runs beside SHACL: closed vocabulary, known references, typed records.

RDF accepts any IRI, so a typo such as ``sal:hasPartnr`` or ``sal:MarketLegitimcy`` is valid data that no shape
targets: it would enter the graph and silently answer no query. These checks catch what SHACL cannot say well:
which ``sal:`` terms the *ontology* defines (a submission can declare anything itself) with the nearest defined
term as a suggestion, which ``sald:`` records exist in the knowledge graph (the store is not in the data graph),
and which records no shape would ever look at. Their severity and messages are declared in
``shapes/kgtool-checks.ttl`` (as deactivated shapes), so their results are like every other result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.rdf.namespaces import OWL, RDF_TYPE, RDFS, SAL, SALD, SALSH, SH
from kgtool.validation.context import KnowledgeGraph
from kgtool.validation.model import Result, Shapes, Subject
from kgtool.validation.report import compact
from kgtool.validation.suggest import Suggestions

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
            if suggestion is None:  # nothing near enough to suggest: the message says nothing about it
                template = _without_suggestion(template)
            for placeholder, text in shown.items():
                template = template.replace(placeholder, text)
            messages[lang] = template
        return Result(self.severity, focus, path, value, messages, self.shape, self.shape + "Component", suggestion)


def _without_suggestion(template: str) -> str:
    """A message template without its "(the nearest … is {?suggestion})" or "; did you mean {?suggestion}?" part."""
    template = re.sub(r"\s*\([^()]*\{\?suggestion\}[^()]*\)", "", template)
    return re.sub(r";[^;]*\{\?suggestion\}[^;]*$", ".", template)


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
        results += closed_vocabulary(triples, Vocabulary.of(ontology_quads), Suggestions(ontology_quads), declared)
    if declared := Declaration.find(shapes, "KnownReference"):
        results += [declared.result(r.focus, r.path, r.value, r.suggestion) for r in references]
    if declared := Declaration.find(shapes, "TypedRecord"):
        results += untyped_records(triples, context, declared)
    return results


@dataclass
class Vocabulary:
    """The ``sal:`` terms the ontology defines (a submission may declare anything itself)."""

    terms: set[str]

    @classmethod
    def of(cls, ontology_quads: Iterable[ox.Quad]) -> Vocabulary:
        return cls(
            {
                q.subject.value
                for q in ontology_quads
                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(SAL)
            }
        )

    def defines(self, iri: str) -> bool:
        return iri in self.terms


def _in_sal_namespace(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith((SAL, SAL_HTTP))


def closed_vocabulary(
    triples: Iterable[ox.Triple], vocabulary: Vocabulary, suggestions: Suggestions, declared: Declaration
) -> list[Result]:
    """Every ``sal:`` term used as property, type or value that the ontology does not define, with the nearest
    term that fits where it stands."""
    found: dict[tuple, Result] = {}
    for triple in triples:
        kind = "class" if triple.predicate.value == RDF_TYPE else "value"
        positions = [
            (triple.predicate, "property", triple.predicate.value),
            (triple.object, kind, triple.predicate.value),
            (triple.subject, "value", None),
        ]
        for term, position, path in positions:
            if _in_sal_namespace(term) and not vocabulary.defines(term.value):
                key = (triple.subject, path, term)
                if key not in found:
                    suggestion = suggestions.for_term(https(term.value), position, path)
                    found[key] = declared.result(triple.subject, path, term, suggestion)
    return list(found.values())


def https(iri: str) -> str:
    """A ``sal:`` IRI written with ``http:`` as the ontology writes it (``https:``)."""
    return SAL + iri[len(SAL_HTTP) :] if iri.startswith(SAL_HTTP) else iri


def unknown_references(
    triples: Iterable[ox.Triple],
    subjects: Iterable[Subject],
    graph: KnowledgeGraph,
    suggestions: Suggestions,
    submission: Iterable[ox.Triple] | None = None,
) -> list[Reference]:
    """Every ``sald:`` IRI a record points to that neither the submission nor the knowledge graph describes, with
    the nearest known record of the class the property expects; ``submission`` (all its triples, when ``triples``
    are one part of it) is where the submission's own records are found, so a part suggests what the whole does."""
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
    submitted = [ox.Triple(t.subject, t.predicate, t.object) for t in (triples if submission is None else submission)]
    return [
        Reference(focus, path, target, suggestions.for_reference(target.value, path, submitted))
        for (focus, path, target) in unknown
    ]


def without_consequences(results: list[Result], checked: list[Result]) -> list[Result]:
    """Drop SHACL results that only repeat a kgtool check: "must be an actor" about an unknown reference or about a
    record whose type is not a term of the ontology, "must be a legitimacy type" about a misspelt ``sal:`` term;
    and a result stated twice (two constraints of one shape, same message). The check says it better, and one
    mistake should read as one problem."""
    explained = {(r.focus, r.value) for r in checked if isinstance(r.value, ox.NamedNode) and r.value != r.focus}
    mistyped = {r.focus for r in checked if r.path == RDF_TYPE and r.shape == SALSH + "ClosedVocabulary"}
    kept: dict[tuple, Result] = {}
    for result in results:
        if (result.focus, result.value) in explained or result.value in mistyped:
            continue
        key = (result.severity, result.focus, result.path, result.value, result.message("en"))
        if key not in kept or result.component < kept[key].component:  # the same one whatever the engine's order
            kept[key] = result
    return list(kept.values())


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
