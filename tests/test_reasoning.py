"""HermiT (owlready2, on the JRE) over the ontology and the paper's data: consistent, and it infers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool import build as building
from kgtool import ontology
from kgtool.namespaces import SAL, SALD
from kgtool.parsing import parse_quads
from kgtool.reasoning import reason


def knowledge_graph_quads() -> list[ox.Quad]:
    """Ontology modules (imports resolved locally) plus every data file the build loads."""
    quads = ontology.load()
    for source in building.project_sources():
        if source.kind != "ontology":
            quads += parse_quads(source.path)
    return quads


@pytest.fixture(scope="module")
def result():
    return reason(knowledge_graph_quads())


def test_ontology_and_data_are_consistent_with_no_unsatisfiable_class(result):
    assert result.consistent, result.explanation
    assert result.unsatisfiable == []


def test_the_defined_class_infers_the_newmont_buenaventura_ifc_alliance(result):
    # Newmont and Buenaventura are mining companies (private sector), the IFC an intergovernmental
    # organization (public sector): HermiT must classify the alliance, which the data does not type so.
    assert (SALD + "newmont-buenaventura-ifc-alliance", SAL + "PublicPrivateAlliance") in result.inferred_types


def test_the_defined_class_is_not_asserted_for_that_alliance():
    asserted = {
        q.object.value
        for q in knowledge_graph_quads()
        if q.subject.value == SALD + "newmont-buenaventura-ifc-alliance" and q.predicate.value.endswith("#type")
    }
    assert SAL + "PublicPrivateAlliance" not in asserted


def test_a_contradiction_is_caught():
    # A deliberately broken copy: mining companies declared disjoint with companies, while the data has them.
    broken = [
        *knowledge_graph_quads(),
        ox.Quad(
            ox.NamedNode(SAL + "MiningCompany"),
            ox.NamedNode("http://www.w3.org/2002/07/owl#disjointWith"),
            ox.NamedNode(SAL + "Company"),
        ),
    ]
    assert reason(broken).consistent is False


def test_an_actor_in_two_sectors_is_inconsistent():
    # inSocietalSector is functional and the sectors are all different: a company cannot be public too.
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    odd = ox.NamedNode(SALD + "synthetic-test-actor")
    broken = [
        *ontology.load(),
        ox.Quad(odd, rdf_type, ox.NamedNode(SAL + "MiningCompany")),
        ox.Quad(odd, rdf_type, ox.NamedNode(SAL + "LocalGovernment")),
    ]
    assert reason(broken).consistent is False
