"""Is the ontology, with its data, one OWL 2 DL whole? The check ROBOT's ``validate-profile`` makes, offline.

Protégé (with HermiT) refuses what falls outside OWL 2 DL, so kgtool checks it the same two ways:

- the OWL API's OWL 2 DL profile checker, from the copy that ships inside owlready2's ``HermiT.jar`` (no download),
  run as a single-file Java program (``assets/ProfileCheck.java``) on the merged ontology and data. That OWL API
  (3.4) predates RDF 1.1, so ``rdf:langString`` is given to it as ``rdf:PlainLiteral``, the datatype OWL 2 maps it to;
- the datatype map, which that OWL API version does not check for literals (later ones do): a literal of a data
  property or of a data property assertion must have a datatype of the OWL 2 datatype map (``xsd:gYear``,
  ``xsd:gYearMonth`` and ``xsd:date`` are not), the fault HermiT otherwise stops on.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable
from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import OWL, RDF, RDF_TYPE, RDFS, XSD
from kgtool.rdf.ontology import without_imports
from kgtool.reasoning.hermit import require_java

#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4), and rdfs:Literal.
DATATYPE_MAP = {
    *(
        XSD + name
        for name in [
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "double",
            "float",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        ]
    ),
    OWL + "real",
    OWL + "rational",
    RDF + "PlainLiteral",
    RDF + "XMLLiteral",
    RDF + "langString",
    RDFS + "Literal",
}
PROFILE_CHECK = Path(__file__).with_name("assets") / "ProfileCheck.java"


def violations(quads: Sequence[ox.Quad], timeout: float = 600) -> list[str]:
    """Every reason ``quads`` (ontology and data, imports resolved) are not in OWL 2 DL; empty when they are."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in without_imports(list(quads))]
    return outside_datatype_map(triples) + owl_api_violations(triples, timeout)


def outside_datatype_map(triples: Sequence[ox.Triple]) -> list[str]:
    """Literals of non-annotation properties whose datatype is outside the OWL 2 datatype map."""
    annotation = {
        t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object.value == OWL + "AnnotationProperty"
    }
    found = []
    for triple in triples:
        literal = triple.object
        if not isinstance(literal, ox.Literal) or literal.language or triple.predicate in annotation:
            continue
        if literal.datatype.value not in DATATYPE_MAP and not triple.predicate.value.startswith(RDF):
            found.append(
                f"Use of a datatype outside the OWL 2 datatype map: {compact(literal.datatype.value)} in "
                f'{compact(triple.predicate.value)} "{literal.value}" of {compact(str(triple.subject.value))}'
            )
    return sorted(set(found))


def owl_api_violations(triples: Sequence[ox.Triple], timeout: float = 600) -> list[str]:
    """The OWL API's OWL 2 DL profile violations, one line each."""
    require_java()
    import owlready2

    jar = Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"
    plain = ox.NamedNode(RDF + "PlainLiteral")
    given = [
        ox.Triple(t.subject, t.predicate, plain if t.object == ox.NamedNode(RDF + "langString") else t.object)
        for t in triples
    ]
    with tempfile.TemporaryDirectory(prefix="kgtool-profile-") as folder:
        document = Path(folder) / "merged.nt"
        document.write_bytes(ox.serialize(given, format=ox.RdfFormat.N_TRIPLES))
        done = subprocess.run(
            ["java", "-cp", str(jar), str(PROFILE_CHECK), str(document)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    if done.returncode not in (0, 1):
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackendUnavailable(f"the OWL API profile check could not run: {last}")
    return [line for line in done.stdout.splitlines() if line.strip()]
