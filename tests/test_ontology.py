"""The ontology: complete annotations on every term, the contract's core terms, local-only imports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT
from kgtool.errors import InputError
from kgtool.rdf import ontology
from kgtool.rdf.namespaces import ONTOLOGY_IRI, SAL

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"

CONTRACT_CLASSES = [
    "Actor",
    "Organization",
    "Person",
    "Company",
    "MiningCompany",
    "GovernmentBody",
    "NationalGovernment",
    "RegionalGovernment",
    "LocalGovernment",
    "CivilSocietyOrganization",
    "NGO",
    "CommunityOrganization",
    "InternationalOrganization",
    "CommunityLeader",
    "StrategicAlliance",
    "Partnership",
    "LegitimacyType",
    "DevelopmentStrategy",
    "Project",
    "Fund",
    "SocialFund",
    "Contribution",
    "MonetaryAmount",
    "Place",
    "Source",
]
CONTRACT_INDIVIDUALS = [
    "MarketLegitimacy",
    "RelationalLegitimacy",
    "SocialLegitimacy",
    "InvestmentLegitimacy",
    "AllianceLegitimacy",
    "SustainableDevelopment",
    "PovertyReduction",
    "InstitutionalDevelopment",
]
CONTRACT_PROPERTIES = [
    "hasPartner",
    "fulfilsLegitimacy",
    "underStrategy",
    "drivingNeed",
    "motivation",
    "legitimacySource",
    "targetAudience",
    "benefit",
    "instrument",
]


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    store = ox.Store()
    store.extend(ontology.load())
    return store


def _objects(graph: ox.Store, subject: str, predicate: str) -> list:
    return [q.object for q in graph.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)]


def sal_terms(graph: ox.Store) -> list[str]:
    """Every sal: IRI the ontology types (classes, properties, individuals, concepts, schemes)."""
    return sorted(
        {
            q.subject.value
            for q in graph.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(SAL)
        }
    )


def test_the_ontology_loads_every_term_its_files_declare(graph):
    """Exactly the sal: terms the Turtle files of ontology/ type (read here with rdflib, file by file)."""
    import rdflib

    declared = set()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        for subject in rdflib.Graph().parse(path).subjects(rdflib.RDF.type, None):
            if isinstance(subject, rdflib.URIRef) and str(subject).startswith(SAL):
                declared.add(str(subject))
    assert sal_terms(graph) == sorted(declared)


def test_every_term_has_english_and_spanish_labels_a_definition_and_is_defined_by(graph):
    problems = []
    for term in sal_terms(graph):
        labels = {o.language for o in _objects(graph, term, RDFS + "label") if isinstance(o, ox.Literal)}
        definitions = {o.language for o in _objects(graph, term, SKOS + "definition")}
        defined_by = [o.value for o in _objects(graph, term, RDFS + "isDefinedBy")]
        if not {"en", "es"} <= labels:
            problems.append(f"{term}: labels {sorted(map(str, labels))}")
        if "en" not in definitions:
            problems.append(f"{term}: no English skos:definition")
        if defined_by != [ONTOLOGY_IRI]:
            problems.append(f"{term}: rdfs:isDefinedBy {defined_by}")
    assert problems == []


def test_contract_core_terms_exist_with_their_kind(graph):
    for name in CONTRACT_CLASSES:
        assert ox.NamedNode(OWL + "Class") in _objects(graph, SAL + name, RDF_TYPE), name
    for name in CONTRACT_INDIVIDUALS:
        assert ox.NamedNode(OWL + "NamedIndividual") in _objects(graph, SAL + name, RDF_TYPE), name
    for name in CONTRACT_PROPERTIES:
        kinds = {o.value.rsplit("#", 1)[-1] for o in _objects(graph, SAL + name, RDF_TYPE)}
        assert kinds & {"ObjectProperty", "DatatypeProperty", "AnnotationProperty"}, name


def test_the_ontology_header(graph):
    for predicate in ("title", "description", "license", "creator"):
        assert _objects(graph, ONTOLOGY_IRI, DCTERMS + predicate), predicate
    assert _objects(graph, ONTOLOGY_IRI, OWL + "versionInfo")
    assert _objects(graph, ONTOLOGY_IRI, OWL + "versionIRI")[0].value.startswith(ONTOLOGY_IRI + "/")


def test_every_object_and_datatype_property_has_domain_and_range(graph):
    missing = []
    for kind in ("ObjectProperty", "DatatypeProperty"):
        for quad in graph.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + kind)):
            prop = quad.subject.value
            if prop.startswith(SAL) and not (
                _objects(graph, prop, RDFS + "domain") and _objects(graph, prop, RDFS + "range")
            ):
                missing.append(prop)
    assert missing == []


def test_imports_are_resolved_from_local_files_only(tmp_path: Path):
    main = tmp_path / "main.ttl"
    main.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://example.org/o> a owl:Ontology ; owl:imports <http://192.0.2.1/elsewhere.owl> .\n"
    )
    with pytest.raises(InputError, match="has no local copy"):
        ontology.load(main)


def test_the_entry_module_imports_every_module():
    modules = ontology.module_map()
    loaded_files = {path for path, _ in modules.values()}
    assert {p.name for p in loaded_files} >= {"sal.ttl", "legitimacy.ttl", "strategies.ttl", "vocabularies.ttl"}
    quads = ontology.load()
    declared = {q.subject.value for q in quads if q.object == ontology.OWL_ONTOLOGY}
    assert declared == set(modules)


def test_protege_catalog_maps_every_module_to_its_file():
    catalog = ET.parse(ROOT / "ontology" / "catalog-v001.xml").getroot()
    mapped = {element.get("name"): element.get("uri") for element in catalog.iter() if element.get("name")}
    for iri, (path, _) in ontology.module_map().items():
        assert mapped.get(iri) == path.name, iri
