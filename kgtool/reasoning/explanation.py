"""Explaining an inconsistency: which classes and individuals are to blame.

HermiT (through owlready2) says only *that* an ontology is inconsistent, with an empty message, which does not
help anyone fix it. Two strategies name the culprits:

1. Probes, one HermiT run. The individuals' facts are taken out, and each named individual's own description
   (its asserted types, its property values, the values that point at it) comes back as a class: ``probe ⊑ T``,
   ``probe ⊑ ∃p.{o}``, ``probe ⊑ ∃p⁻.{s}``. An unsatisfiable probe is an individual whose own facts contradict
   the ontology; an unsatisfiable named class is reported with it. This finds the usual mistakes (a class made
   disjoint with its superclass while the data has its instances; an actor typed into two disjoint kinds).
2. QuickXplain (Junker 2004) over the individuals' facts when no probe is to blame, i.e. the contradiction needs
   several individuals together (``owl:sameAs`` between a company and a government body). It finds a minimal set
   of individuals in O(k log n) HermiT runs, within a budget of runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from kgtool.rdf.labels import name
from kgtool.rdf.namespaces import OWL, RDF, RDF_TYPE, RDFS, RDFS_SUBCLASS_OF, TYPE_NODE
from kgtool.rdf.ontology import without_imports
from kgtool.reasoning.hermit import run_hermit

PROBE_NAMESPACE = "urn:x-kgtool:probe#"
DEFAULT_MAX_RUNS = 30

#: Types that declare a schema element (a class, a property, an axiom node), not an individual's class.
_SCHEMA_KINDS = {
    OWL + kind
    for kind in (
        "Class",
        "ObjectProperty",
        "DatatypeProperty",
        "AnnotationProperty",
        "Ontology",
        "FunctionalProperty",
        "InverseFunctionalProperty",
        "TransitiveProperty",
        "SymmetricProperty",
        "AsymmetricProperty",
        "ReflexiveProperty",
        "IrreflexiveProperty",
        "Restriction",
        "AllDifferent",
        "AllDisjointClasses",
        "AllDisjointProperties",
        "Axiom",
        "DataRange",
    )
} | {RDFS + "Datatype", RDFS + "Class", RDF + "Property"}

T = TypeVar("T")


@dataclass
class Culprit:
    """An individual whose own facts contradict the ontology, with its asserted types."""

    individual: str
    types: list[str] = field(default_factory=list)
    unsatisfiable_types: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    """Who is to blame for an inconsistency or an unsatisfiable class."""

    unsatisfiable: list[str] = field(default_factory=list)  # every unsatisfiable named class
    roots: list[str] = field(default_factory=list)  # those not unsatisfiable merely through a superclass
    culprits: list[Culprit] = field(default_factory=list)  # individuals contradicting the ontology on their own
    conflict: list[str] = field(default_factory=list)  # a minimal set of individuals contradicting it together
    schema_inconsistent: bool = False  # the axioms contradict each other without any individual's facts
    runs: int = 0  # HermiT runs the diagnosis took
    exhausted: bool = False  # the budget of runs ran out before a culprit was isolated

    @property
    def isolated(self) -> bool:
        """Whether the diagnosis names someone to blame."""
        return bool(self.unsatisfiable or self.culprits or self.conflict or self.schema_inconsistent)

    def summary(self, labels: dict[str, str] | None = None) -> str:
        """One sentence naming the culprits, by label where ``labels`` has one."""
        labels = labels or {}
        parts = []
        if self.roots:
            parts.append("unsatisfiable classes " + ", ".join(name(c, labels) for c in self.roots))
        if self.culprits:
            parts.append("individuals contradicting it " + ", ".join(name(c.individual, labels) for c in self.culprits))
        if self.conflict:
            parts.append("individuals contradicting it together " + ", ".join(name(i, labels) for i in self.conflict))
        if self.schema_inconsistent:
            parts.append("the axioms contradict each other without any individual")
        if not parts:
            reason = "the budget of reasoner runs ran out" if self.exhausted else "no culprit could be isolated"
            parts.append(reason)
        return "; ".join(parts)


class _OutOfRuns(Exception):
    """The diagnosis used up its budget of HermiT runs."""


def individuals(quads: Sequence[ox.Quad]) -> set[str]:
    """Named subjects typed as individuals (by a class, or owl:NamedIndividual), not declared as schema terms."""
    schema, typed = set(), set()
    for q in quads:
        if q.predicate.value != RDF_TYPE or not isinstance(q.subject, ox.NamedNode):
            continue
        (schema if q.object.value in _SCHEMA_KINDS else typed).add(q.subject.value)
    return typed - schema


def split(quads: Sequence[ox.Quad]) -> tuple[list[ox.Quad], dict[str, list[ox.Quad]]]:
    """The schema (every quad not about a named individual) and each individual's facts.

    An individual's facts include the blank nodes it points at (e.g. its monetary amounts), recursively.
    """
    named = individuals(quads)
    by_blank: dict[str, list[ox.Quad]] = {}
    for q in quads:
        if isinstance(q.subject, ox.BlankNode):
            by_blank.setdefault(q.subject.value, []).append(q)
    groups: dict[str, list[ox.Quad]] = {iri: [] for iri in sorted(named)}
    claimed: set[str] = set()
    for q in quads:
        if isinstance(q.subject, ox.NamedNode) and q.subject.value in named:
            groups[q.subject.value].append(q)
            pending = [q.object] if isinstance(q.object, ox.BlankNode) else []
            while pending:
                blank = pending.pop().value
                if blank in claimed:
                    continue
                claimed.add(blank)
                for inner in by_blank.get(blank, []):
                    groups[q.subject.value].append(inner)
                    if isinstance(inner.object, ox.BlankNode):
                        pending.append(inner.object)
    schema = [
        q
        for q in quads
        if not (isinstance(q.subject, ox.NamedNode) and q.subject.value in named)
        and not (isinstance(q.subject, ox.BlankNode) and q.subject.value in claimed)
    ]
    return schema, groups


def _restriction(probe: ox.NamedNode, prop: ox.NamedNode | ox.BlankNode, value) -> list[ox.Triple]:
    """``probe ⊑ [owl:onProperty prop ; owl:hasValue value]`` as triples."""
    node = ox.BlankNode()
    return [
        ox.Triple(probe, ox.NamedNode(RDFS_SUBCLASS_OF), node),
        ox.Triple(node, TYPE_NODE, ox.NamedNode(OWL + "Restriction")),
        ox.Triple(node, ox.NamedNode(OWL + "onProperty"), prop),
        ox.Triple(node, ox.NamedNode(OWL + "hasValue"), value),
    ]


def probes(quads: Sequence[ox.Quad], groups: dict[str, list[ox.Quad]]) -> tuple[list[ox.Triple], dict[str, str]]:
    """One probe class per individual, standing for its own description; and probe IRI -> individual."""
    kinds = {(q.subject.value, q.object.value) for q in quads if q.predicate.value == RDF_TYPE}
    object_props = {s for s, o in kinds if o == OWL + "ObjectProperty"}
    data_props = {s for s, o in kinds if o == OWL + "DatatypeProperty"}
    probe_of = {iri: ox.NamedNode(f"{PROBE_NAMESPACE}p{n}") for n, iri in enumerate(groups)}
    triples: list[ox.Triple] = []
    for iri, probe in probe_of.items():
        triples.append(ox.Triple(probe, TYPE_NODE, ox.NamedNode(OWL + "Class")))
        for q in groups[iri]:
            if q.subject.value != iri:
                triples.append(ox.Triple(q.subject, q.predicate, q.object))  # its blank nodes, kept anonymous
            elif q.predicate.value == RDF_TYPE and q.object.value not in _SCHEMA_KINDS | {OWL + "NamedIndividual"}:
                triples.append(ox.Triple(probe, ox.NamedNode(RDFS_SUBCLASS_OF), q.object))
            elif q.predicate.value in object_props and isinstance(q.object, ox.NamedNode):
                triples += _restriction(probe, q.predicate, q.object)
                if q.object.value in probe_of:  # the value's own probe learns who points at it
                    inverse = ox.BlankNode()
                    triples.append(ox.Triple(inverse, ox.NamedNode(OWL + "inverseOf"), q.predicate))
                    triples += _restriction(probe_of[q.object.value], inverse, q.subject)
            elif q.predicate.value in data_props and isinstance(q.object, ox.Literal):
                triples += _restriction(probe, q.predicate, q.object)
    return triples, {probe.value: iri for iri, probe in probe_of.items()}


def _asserted_superclasses(quads: Sequence[ox.Quad]) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate.value in (RDFS_SUBCLASS_OF, OWL + "equivalentClass") and isinstance(q.object, ox.NamedNode):
            parents.setdefault(q.subject.value, set()).add(q.object.value)
    return parents


def roots(unsatisfiable: Sequence[str], quads: Sequence[ox.Quad]) -> list[str]:
    """The unsatisfiable classes that no asserted (transitive) superclass makes unsatisfiable."""
    parents, bad = _asserted_superclasses(quads), set(unsatisfiable)
    found = []
    for cls in unsatisfiable:
        seen, pending = set(), list(parents.get(cls, ()))
        while pending:
            parent = pending.pop()
            if parent not in seen:
                seen.add(parent)
                pending.extend(parents.get(parent, ()))
        if not (seen - {cls}) & bad:
            found.append(cls)
    return sorted(found)


def quickxplain(candidates: Sequence[T], consistent: Callable[[list[T]], bool]) -> list[T]:
    """A minimal subset of ``candidates`` that ``consistent`` rejects (Junker's QuickXplain).

    Assumes all candidates together are inconsistent and the empty set is consistent.
    """

    def qx(background: list[T], added: bool, items: list[T]) -> list[T]:
        if added and not consistent(background):
            return []
        if len(items) == 1:
            return list(items)
        half = len(items) // 2
        first, second = items[:half], items[half:]
        blame_second = qx(background + first, bool(first), second)
        blame_first = qx(background + blame_second, bool(blame_second), first)
        return blame_first + blame_second

    return qx([], False, list(candidates)) if candidates else []


def unsatisfiable_only(quads: Sequence[ox.Quad], unsatisfiable: Sequence[str]) -> Explanation:
    """The explanation of a consistent ontology with unsatisfiable classes (no individual is in them)."""
    return Explanation(unsatisfiable=sorted(unsatisfiable), roots=roots(unsatisfiable, quads))


def explain(quads: Sequence[ox.Quad], max_runs: int = DEFAULT_MAX_RUNS) -> Explanation:
    """Name the classes and individuals that make ``quads`` (known to be inconsistent) inconsistent."""
    quads = without_imports(list(quads))
    schema, groups = split(quads)
    probe_triples, individual_of = probes(quads, groups)
    schema_triples = [ox.Triple(q.subject, q.predicate, q.object) for q in schema]
    run = run_hermit(schema_triples + probe_triples, infer_property_values=False)
    result = Explanation(runs=1)
    if run.consistent:
        bad = set(run.unsatisfiable)
        result.unsatisfiable = sorted(c for c in bad if c not in individual_of)
        result.roots = roots(result.unsatisfiable, quads)
        for probe in sorted(c for c in bad if c in individual_of):
            iri = individual_of[probe]
            types = sorted(
                {q.object.value for q in groups[iri] if q.subject.value == iri and q.predicate.value == RDF_TYPE}
                - _SCHEMA_KINDS
                - {OWL + "NamedIndividual"}
            )
            result.culprits.append(Culprit(iri, types, [t for t in types if t in bad]))
        result.culprits.sort(key=lambda culprit: culprit.individual)
        if result.culprits:
            return result
    return _explain_jointly(result, schema_triples, groups, max_runs)


def _explain_jointly(
    result: Explanation, schema: list[ox.Triple], groups: dict[str, list[ox.Quad]], max_runs: int
) -> Explanation:
    """QuickXplain over the individuals' facts, counting HermiT runs against ``max_runs``."""

    def consistent(chosen: list[str]) -> bool:
        if result.runs >= max_runs:
            raise _OutOfRuns
        result.runs += 1
        facts = [ox.Triple(q.subject, q.predicate, q.object) for iri in chosen for q in groups[iri]]
        return run_hermit(schema + facts, infer_property_values=False).consistent

    try:
        if not consistent([]):
            result.schema_inconsistent = True
            return result
        result.conflict = sorted(quickxplain(list(groups), consistent))
    except _OutOfRuns:
        result.exhausted = True
    return result
