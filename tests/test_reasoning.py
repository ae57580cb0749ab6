"""HermiT (owlready2, on the JRE) over the ontology and the paper's data: consistent, and it infers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgtool.rdf import ontology
from kgtool.rdf.namespaces import SAL, SALD
from kgtool.rdf.parsing import parse_quads
from kgtool.reasoning.reasoner import reason
from kgtool.store import build as building


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


def test_the_paper_s_alliance_between_companies_is_not_classified_public_private(result):
    # "Alliances between companies, like the one established between the American mining company Newmont, the
    # Peruvian mining group Buenaventura and the International Finance Corporation, ..." (seed l.178): the paper
    # states no sector for the IFC, so HermiT must not classify that alliance as public-private.
    assert (SALD + "newmont-buenaventura-ifc-alliance", SAL + "PublicPrivateAlliance") not in result.inferred_types
    with_sector = {subject for subject, predicate, _ in result.inferred_facts if predicate == SAL + "inSocietalSector"}
    assert SALD + "newmont" in with_sector  # the reasoner does infer sectors where a kind states one
    assert not with_sector & {SALD + "ifc", SALD + "snmpe", SALD + "technical-coordination-commission"}


def test_the_defined_class_classifies_a_public_private_alliance():
    # SYNTHETIC: an alliance of a mining company (private sector) and a municipality (public sector), typed
    # neither way: HermiT must classify it as a sal:PublicPrivateAlliance from its partners' kinds alone.
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    alliance, company, town = (
        ox.NamedNode(SALD + f"synthetic-test-{name}") for name in ("alliance", "company", "town")
    )
    quads = [
        *ontology.load(),
        ox.Quad(alliance, rdf_type, ox.NamedNode(SAL + "StrategicAlliance")),
        ox.Quad(company, rdf_type, ox.NamedNode(SAL + "MiningCompany")),
        ox.Quad(town, rdf_type, ox.NamedNode(SAL + "LocalGovernment")),
        ox.Quad(alliance, ox.NamedNode(SAL + "hasPartner"), company),
        ox.Quad(alliance, ox.NamedNode(SAL + "hasPartner"), town),
    ]
    found = reason(quads)
    assert found.consistent and (alliance.value, SAL + "PublicPrivateAlliance") in found.inferred_types


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
