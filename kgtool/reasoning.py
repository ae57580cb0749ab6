"""OWL reasoning with HermiT through owlready2, offline.

owlready2 cannot read Turtle and follows ``owl:imports`` over HTTP, so the ontology and data are merged here
(imports already resolved locally by ``kgtool.ontology``), stripped of ``owl:imports`` and handed over as
N-Triples. HermiT needs a Java runtime; without one the error is ``BackendUnavailable`` (exit 3).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable
from kgtool.ontology import without_imports

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OWL_KINDS = {
    "http://www.w3.org/2002/07/owl#" + kind
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
} | {"http://www.w3.org/2000/01/rdf-schema#Datatype"}


@dataclass
class ReasoningResult:
    """What HermiT concluded: consistency, unsatisfiable classes, and the class memberships it inferred."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred_types: list[tuple[str, str]] = field(default_factory=list)  # (individual IRI, class IRI)
    inferred_subclasses: list[tuple[str, str]] = field(default_factory=list)  # (subclass, superclass)
    explanation: str = ""


def java_available() -> bool:
    """Whether a ``java`` executable is on the PATH (HermiT runs on the JVM)."""
    return shutil.which("java") is not None


def _typed_subjects(quads: list[ox.Quad]) -> set[str]:
    """IRIs that the quads give an rdf:type (owlready2 lists only individuals declared owl:NamedIndividual)."""
    return {
        q.subject.value
        for q in quads
        if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode) and q.object.value not in _OWL_KINDS
    }


def _named_types(world, iris: set[str]) -> dict[str, set[str]]:
    """The named classes of each individual among ``iris``, by IRI."""
    types = {}
    for iri in iris:
        entity = world[iri]
        if entity is not None and hasattr(entity, "is_a") and not isinstance(entity, type):
            types[iri] = {c.iri for c in entity.is_a if hasattr(c, "iri")}
    return types


def _named_superclasses(world) -> dict[str, set[str]]:
    return {cls.iri: {parent.iri for parent in cls.is_a if hasattr(parent, "iri")} for cls in world.classes()}


def reason(quads: list[ox.Quad]) -> ReasoningResult:
    """Run HermiT over ``quads`` (ontology and data together) and report what it found."""
    if not java_available():
        raise BackendUnavailable(
            "HermiT needs a Java runtime and `java` is not on the PATH (apt-get install default-jre-headless)"
        )
    import owlready2

    with tempfile.TemporaryDirectory(prefix="kgtool-hermit-") as folder:
        merged = Path(folder) / "merged.nt"
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in without_imports(quads)]
        merged.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        world = owlready2.World()
        ontology = world.get_ontology(merged.as_uri()).load(format="ntriples")
        individuals = _typed_subjects(quads)
        before_types = _named_types(world, individuals)
        before_classes = _named_superclasses(world)
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
                )
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ReasoningResult(consistent=False, explanation=str(error))
        except owlready2.OwlReadyJavaError as error:
            raise BackendUnavailable(f"HermiT failed to run: {str(error).strip().splitlines()[-1]}") from error
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if hasattr(c, "iri"))
        after_types = _named_types(world, individuals)
        after_classes = _named_superclasses(world)
    return ReasoningResult(
        consistent=True,
        unsatisfiable=unsatisfiable,
        inferred_types=sorted(
            (iri, cls) for iri, classes in after_types.items() for cls in classes - before_types.get(iri, set())
        ),
        inferred_subclasses=sorted(
            (iri, parent)
            for iri, parents in after_classes.items()
            for parent in parents - before_classes.get(iri, set())
            if parent != "http://www.w3.org/2002/07/owl#Thing"
        ),
    )
