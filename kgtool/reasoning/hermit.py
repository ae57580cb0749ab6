"""OWL reasoning with HermiT through owlready2, offline.

owlready2 cannot read Turtle and follows ``owl:imports`` over HTTP, so the ontology and data are merged here
(imports already resolved locally by ``kgtool.rdf.ontology``), stripped of ``owl:imports`` and handed over as
N-Triples. HermiT needs a Java runtime; without one the error is ``BackendUnavailable`` (exit 3).

What HermiT adds is read as the difference between owlready2's triples before and after the run, so every kind
of inference (class memberships, subclass links, property values) is reported and can be materialized alike.
HermiT says only *that* an ontology is inconsistent; ``kgtool.reasoning.explanation`` finds *who* is to blame,
and ``kgtool.reasoning.reasoner`` puts both together.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, InputError
from kgtool.rdf.namespaces import OWL

OWL_THING = OWL + "Thing"
OWL_NOTHING = OWL + "Nothing"

#: What a JVM says when it cannot run HermiT at all (as opposed to HermiT refusing the ontology).
_JVM_FAILURES = (
    "Could not create the Java Virtual Machine",
    "UnsupportedClassVersionError",
    "Unable to access jarfile",
)


@dataclass
class HermitRun:
    """One HermiT run: consistency, unsatisfiable named classes, and the triples it inferred."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, predicate, object) IRIs


def java_available() -> bool:
    """Whether a ``java`` executable is on the PATH (HermiT runs on the JVM)."""
    return shutil.which("java") is not None


def require_java() -> None:
    """Raise ``BackendUnavailable`` (exit 3) when no JRE is on the PATH."""
    if not java_available():
        raise BackendUnavailable(
            "HermiT needs a Java runtime and `java` is not on the PATH (apt-get install default-jre-headless)"
        )


def _iri_triples(world) -> set[tuple[str, str, str]]:
    """owlready2's triples whose three terms are IRIs (blank nodes and literals are never inferred here)."""
    import rdflib

    return {
        (str(s), str(p), str(o))
        for s, p, o in world.as_rdflib_graph().triples((None, None, None))
        if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef)
    }


def run_hermit(
    triples: list[ox.Triple], infer_property_values: bool = True, ignore_unsupported_datatypes: bool = True
) -> HermitRun:
    """Run HermiT once over ``triples`` (no ``owl:imports`` among them) and report what it found.

    ``ignore_unsupported_datatypes``: tolerate literals outside the OWL 2 datatype map (a submission's data may
    hold them); the shipped ontology and data need no such leniency (``kgtool.reasoning.profile``).
    """
    require_java()
    import owlready2

    with tempfile.TemporaryDirectory(prefix="kgtool-hermit-") as folder:
        merged = Path(folder) / "merged.nt"
        merged.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        world = owlready2.World()
        ontology = world.get_ontology(merged.as_uri()).load(format="ntriples")
        before = _iri_triples(world)
        # owlready2 writes its copy for HermiT to a temporary file that it leaves behind when HermiT fails
        # (an inconsistency, which the diagnosis provokes often): let that file land in this folder.
        saved_tempdir, tempfile.tempdir = tempfile.tempdir, folder
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=infer_property_values,
                    debug=0,
                    ignore_unsupported_datatypes=ignore_unsupported_datatypes,
                )
        except owlready2.OwlReadyInconsistentOntologyError:
            return HermitRun(consistent=False)
        except owlready2.OwlReadyJavaError as error:
            raise _java_error(str(error)) from error
        finally:
            tempfile.tempdir = saved_tempdir
        unsatisfiable = sorted(
            c.iri for c in world.inconsistent_classes() if getattr(c, "iri", OWL_NOTHING) != OWL_NOTHING
        )
        inferred = sorted(_iri_triples(world) - before)
        world.close()
    return HermitRun(consistent=True, unsatisfiable=unsatisfiable, inferred=inferred)


def _java_error(message: str) -> BackendUnavailable | InputError:
    """A JVM that cannot start is a backend problem (exit 3); HermiT refusing the ontology is an input one (2)."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "no message"
    if any(marker in message for marker in _JVM_FAILURES):
        return BackendUnavailable(f"the Java runtime cannot run HermiT: {last}")
    return InputError(f"HermiT cannot reason over this ontology: {last}")
