"""The ontology and its data together are one OWL 2 DL whole (issue 20): Protégé with HermiT opens both, no flags.

Before, the ontology alone was in OWL 2 DL but the data was not: dates (``xsd:gYear``, outside the OWL 2 datatype
map) on data properties, which HermiT refuses unless told to ignore them. The dates now sit on annotation
properties (as ``dcterms:issued`` does), and this test checks both the OWL API's DL profile (the copy inside
owlready2's HermiT.jar, as ROBOT's ``validate-profile`` runs it) and HermiT itself without its leniency flag.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.rdf import ontology
from kgtool.rdf.parsing import parse_quads
from kgtool.reasoning import profile
from kgtool.reasoning.hermit import run_hermit
from kgtool.store import build

SYNTHETIC_DATE = """@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
sal:syntheticDate a owl:DatatypeProperty .
sald:synthetic-dated sal:syntheticDate "2007"^^xsd:gYear .
"""


@pytest.fixture(scope="module")
def ontology_and_data() -> list[ox.Quad]:
    """The ontology (imports resolved) and every file `kgtool build` loads as data, merged as Protégé sees them."""
    quads = ontology.load()
    for source in build.project_sources():
        if source.kind != "ontology":
            quads += parse_quads(source.path)
    return quads


def test_ontology_and_data_together_are_in_owl2_dl(ontology_and_data: list[ox.Quad]):
    assert profile.violations(ontology_and_data) == []


def test_hermit_reasons_over_them_without_ignoring_any_datatype(ontology_and_data: list[ox.Quad]):
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ontology.without_imports(ontology_and_data)]
    run = run_hermit(triples, ignore_unsupported_datatypes=False)
    assert run.consistent and run.unsatisfiable == []


def test_a_date_on_a_data_property_is_named_as_outside_owl2_dl(ontology_and_data: list[ox.Quad], tmp_path):
    extra = tmp_path / "dated.ttl"
    extra.write_text(SYNTHETIC_DATE, encoding="utf-8")
    found = profile.outside_datatype_map([ox.Triple(q.subject, q.predicate, q.object) for q in parse_quads(extra)])
    assert found == [
        'Use of a datatype outside the OWL 2 datatype map: xsd:gYear in sal:syntheticDate "2007" of '
        "sald:synthetic-dated"
    ]
