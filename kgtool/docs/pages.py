"""kgtool's own documentation pages: overview, vocabularies and individuals, query catalog, quality rules.

pyLODE documents classes and properties but not named individuals, and the heart of this ontology is
individuals (the five legitimacy types with Table 1, the three strategies, the controlled vocabularies), so
they get a page of their own here, bilingual like the ontology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.check.quality import Rule
from kgtool.docs.html import page
from kgtool.rdf.labels import best_labels, compact
from kgtool.rdf.namespaces import DCTERMS, OWL, RDF_TYPE, RDFS, RDFS_LABEL, SKOS
from kgtool.reasoning.explanation import individuals
from kgtool.sparql.catalog import CatalogQuery

#: Shown in an entry's heading or omitted, so not repeated in its table of properties.
_SHOWN_APART = {RDF_TYPE, RDFS_LABEL, SKOS + "definition", RDFS + "isDefinedBy", SKOS + "inScheme"}


@dataclass
class OntologySummary:
    """The facts the overview shows about the ontology."""

    iri: str
    title: str
    description: str
    version: str
    license: str
    counts: dict[str, int]


def summarize(quads: Sequence[ox.Quad], main: str) -> OntologySummary:
    """Title, description, version, license and term counts of the ontology whose IRI is ``main``."""

    def literal(predicate: str) -> str:
        values = [q.object for q in quads if q.subject.value == main and q.predicate.value == predicate]
        return best_labels(((main, value) for value in values), "en").get(main, "")

    kinds = {"classes": OWL + "Class", "object properties": OWL + "ObjectProperty"}
    kinds |= {"datatype properties": OWL + "DatatypeProperty", "annotation properties": OWL + "AnnotationProperty"}
    counts = {
        name: len({q.subject for q in quads if q.predicate.value == RDF_TYPE and q.object.value == kind})
        for name, kind in kinds.items()
    }
    counts["named individuals"] = len(individuals(quads))
    return OntologySummary(
        iri=main,
        title=literal(DCTERMS + "title") or literal(RDFS_LABEL) or main,
        description=literal(DCTERMS + "description"),
        version=literal(OWL + "versionInfo"),
        license=literal(DCTERMS + "license"),
        counts=counts,
    )


def index_page(summary: OntologySummary, extra_counts: dict[str, int], downloads: Sequence[str]) -> str:
    """The overview: what the ontology is, links to every page, the files to open in Protégé."""
    counts = {**summary.counts, **extra_counts}
    return page("index.html.j2", "index.html", summary.title, summary=summary, counts=counts, downloads=downloads)


def _schemes(quads: Sequence[ox.Quad]) -> dict[str, list[str]]:
    """Concept scheme -> its members (skos:inScheme, its sub-properties, skos:topConceptOf)."""
    membership = {SKOS + "inScheme", SKOS + "topConceptOf"}
    membership |= {
        q.subject.value for q in quads if q.predicate.value == RDFS + "subPropertyOf" and q.object.value in membership
    }
    schemes = {
        q.subject.value: set()
        for q in quads
        if q.predicate.value == RDF_TYPE
        and q.object.value == SKOS + "ConceptScheme"
        and isinstance(q.subject, ox.NamedNode)
    }
    for q in quads:
        if q.predicate.value in membership and q.object.value in schemes:
            schemes[q.object.value].add(q.subject.value)
    return {scheme: sorted(members) for scheme, members in schemes.items()}


@dataclass(frozen=True)
class Entry:
    """One individual as its entry shows it: labels, types, definitions, then its other properties."""

    iri: str
    names: list[ox.Term]
    types: list[ox.Term]
    definitions: list[ox.Term]
    rows: list[tuple[str, list[ox.Term]]]


def _entry(iri: str, quads_by_subject: dict[str, list[ox.Quad]]) -> Entry:
    own = quads_by_subject.get(iri, [])

    def values(predicate: str) -> list[ox.Term]:
        return [q.object for q in own if q.predicate.value == predicate]

    rows: dict[str, list[ox.Term]] = {}
    for q in own:
        if q.predicate.value not in _SHOWN_APART:
            rows.setdefault(q.predicate.value, []).append(q.object)
    return Entry(
        iri=iri,
        names=values(RDFS_LABEL),
        types=[t for t in values(RDF_TYPE) if t.value != OWL + "NamedIndividual"],
        definitions=values(SKOS + "definition"),
        rows=sorted(rows.items()),
    )


@dataclass(frozen=True)
class Scheme:
    entry: Entry
    members: list[Entry]


def vocabularies_page(quads: Sequence[ox.Quad], labels: dict[str, str]) -> str:
    """Every concept scheme with its members, then the named individuals in no scheme."""
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            by_subject.setdefault(q.subject.value, []).append(q)
    schemes = _schemes(quads)
    named = individuals(quads)

    def by_label(iris):
        return sorted(iris, key=lambda iri: (labels.get(iri, compact(iri)).lower(), iri))

    loose = named - set(schemes) - {m for members in schemes.values() for m in members}
    return page(
        "vocabularies.html.j2",
        "vocabularies.html",
        "Vocabularies & individuals",
        labels=labels,
        local=named | set(schemes),
        schemes=[
            Scheme(_entry(scheme, by_subject), [_entry(member, by_subject) for member in by_label(schemes[scheme])])
            for scheme in by_label(schemes)
        ],
        loose=[_entry(iri, by_subject) for iri in by_label(loose)],
    )


def _example(query: CatalogQuery) -> str:
    """The required parameters of ``query``, as its command line shows them."""
    return " ".join(f"-p {p.name}=…" for p in query.parameters if p.required)


def queries_page(queries: dict[str, CatalogQuery]) -> str:
    """The query catalog: summary, description, parameters, how to run it, and its SPARQL."""
    return page("queries.html.j2", "queries.html", "Query catalog", queries=queries, example=_example)


def quality_page(rules: Sequence[Rule], reasoner_levels: dict[str, str]) -> str:
    """The quality rules of ``kgtool check``: level, what each checks, and its SPARQL."""
    return page(
        "quality.html.j2",
        "quality.html",
        "Quality rules",
        rules=rules,
        reasoner_levels=sorted(reasoner_levels.items()),
    )
