"""What ``kgtool check`` asks of the reasoner: one HermiT run over ontology and data, read as inferences, and
when something is wrong, who is to blame (``kgtool.reasoning.explanation``, a few more runs)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.rdf.namespaces import RDF_TYPE, RDFS_SUBCLASS_OF
from kgtool.rdf.ontology import without_imports
from kgtool.reasoning import explanation
from kgtool.reasoning.explanation import Explanation
from kgtool.reasoning.hermit import OWL_THING, run_hermit


@dataclass
class ReasoningResult:
    """What HermiT concluded: consistency, unsatisfiable classes, and what it inferred.

    When the ontology is inconsistent, ``diagnosis`` names the culprits (``kgtool.reasoning.explanation``) and
    ``explanation`` says it in one sentence.
    """

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred_types: list[tuple[str, str]] = field(default_factory=list)  # (individual IRI, class IRI)
    inferred_subclasses: list[tuple[str, str]] = field(default_factory=list)  # (subclass, superclass)
    inferred_facts: list[tuple[str, str, str]] = field(default_factory=list)  # other triples, e.g. property values
    explanation: str = ""
    diagnosis: Explanation | None = None

    def inferred_triples(self) -> list[tuple[str, str, str]]:
        """Every inference as an (s, p, o) IRI triple, e.g. to materialize them."""
        return sorted(
            [(s, RDF_TYPE, o) for s, o in self.inferred_types]
            + [(s, RDFS_SUBCLASS_OF, o) for s, o in self.inferred_subclasses]
            + self.inferred_facts
        )


def reason(quads: list[ox.Quad], explain: bool = True) -> ReasoningResult:
    """Run HermiT over ``quads`` (ontology and data together) and report what it found.

    With ``explain`` (the default), an inconsistent ontology is diagnosed: the unsatisfiable classes and the
    individuals whose facts contradict the ontology are named in ``diagnosis`` (a few more HermiT runs).
    """
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in without_imports(quads)]
    run = run_hermit(triples)
    if not run.consistent:
        result = ReasoningResult(consistent=False, explanation="HermiT: the ontology and data are inconsistent")
        if explain:
            result.diagnosis = explanation.explain(quads)
            result.explanation = result.diagnosis.summary()
        return result
    result = ReasoningResult(consistent=True, unsatisfiable=run.unsatisfiable)
    for s, p, o in run.inferred:
        if p == RDF_TYPE:
            result.inferred_types.append((s, o))
        elif p == RDFS_SUBCLASS_OF:
            if o != OWL_THING:
                result.inferred_subclasses.append((s, o))
        else:
            result.inferred_facts.append((s, p, o))
    if run.unsatisfiable and explain:
        result.diagnosis = explanation.unsatisfiable_only(quads, run.unsatisfiable)
        result.explanation = result.diagnosis.summary()
    return result
