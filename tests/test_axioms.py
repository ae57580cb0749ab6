"""Each axiom that matters has a consequence HermiT draws because of it, and not without it.

A probe is a few synthetic statements checked with the ontology by `kgtool check --format json` (HermiT on the JRE):
- a clash probe is a class that the axiom makes unsatisfiable (the class of things that are both a company and an
  international organization; of partnerships with two different partners; ...): clashes as classes, not as
  individuals, so that one consistent run tests them all;
- an inference probe is an individual that the axiom gives a class or a property value.
With the shipped ontology every probe class is unsatisfiable and every inference drawn (one run). Then every probed
axiom is removed from a copy of the ontology, and no probe class is unsatisfiable and no inference drawn (one run):
each consequence is the axiom's, not something else's. tests/test_reasoning.py checks clashes of real individuals.

Redundant on purpose, so not probed (removing one alone changes no consequence): sal:hasPartner's domain and range
(sal:partnerIn, its inverse, has them the other way round) and sal:partner's range (a partnership is in some
alliance, whose sal:hasPartner the chain sal:hasPartnership/sal:partner yields). owlready2 reports no inferred
value of an inverse property (sal:partnerIn), so the inverse is not probed either.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ROOT, run_kgtool

SAL = rdflib.Namespace("https://w3id.org/sal#")
SALD = "https://w3id.org/sal/id/"
PREFIXES = (
    "@prefix sal: <https://w3id.org/sal#> .\n@prefix sald: <https://w3id.org/sal/id/> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)
ALL_DISJOINT = "AllDisjointClasses"


def functional(prop: rdflib.URIRef):
    return (prop, RDF.type, OWL.FunctionalProperty)


def both(*classes: str) -> str:
    """A probe class below all of ``classes``."""
    return f"{{c}} a owl:Class ; rdfs:subClassOf {' , '.join(classes)} ."


def two_values(prop: str, first: str, second: str, different: bool = False) -> str:
    """A probe class whose members have two values of ``prop`` (declared different where they are new)."""
    text = f"{{c}} a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty {prop} ; owl:hasValue {first} ] ,"
    text += f" [ a owl:Restriction ; owl:onProperty {prop} ; owl:hasValue {second} ] ."
    return text + (f" {first} owl:differentFrom {second} ." if different else "")


#: Clash probes: name -> (the axiom, a probe class {c} unsatisfiable because of it). New individuals: {p}a, {p}b.
CLASHES = {
    "organization-person": ((SAL.Organization, OWL.disjointWith, SAL.Person), both("sal:Organization", "sal:Person")),
    "company-international": (ALL_DISJOINT, both("sal:Company", "sal:InternationalOrganization")),
    "government-international": (ALL_DISJOINT, both("sal:GovernmentBody", "sal:InternationalOrganization")),
    "fund-actor": ((SAL.Fund, OWL.disjointWith, SAL.Actor), both("sal:Fund", "sal:Organization")),
    "fund-project": ((SAL.Fund, OWL.disjointWith, SAL.Project), both("sal:Fund", "sal:Project")),
    "fund-place": ((SAL.Fund, OWL.disjointWith, SAL.Place), both("sal:Fund", "sal:Place")),
    "fund-source": ((SAL.Fund, OWL.disjointWith, SAL.Source), both("sal:Fund", "sal:Source")),
    "one-sector": (
        functional(SAL.inSocietalSector),
        two_values("sal:inSocietalSector", "sal:PublicSector", "sal:PrivateSector"),
    ),
    "one-partner": (functional(SAL.partner), two_values("sal:partner", "{p}a", "{p}b", different=True)),
    "one-alliance-per-partnership": (
        functional(SAL.partnershipIn),
        two_values("sal:partnershipIn", "{p}a", "{p}b", different=True),
    ),
    "one-alliance-per-attribution": (
        functional(SAL.attributionOf),
        two_values("sal:attributionOf", "{p}a", "{p}b", different=True),
    ),
    "one-holder": (
        functional(SAL.legitimacyHolder),
        two_values("sal:legitimacyHolder", "{p}a", "{p}b", different=True),
    ),
    "one-type": (
        functional(SAL.legitimacyType),
        two_values("sal:legitimacyType", "sal:MarketLegitimacy", "sal:SocialLegitimacy"),
    ),
    "one-assessed-alliance": (
        functional(SAL.assessedAlliance),
        two_values("sal:assessedAlliance", "{p}a", "{p}b", different=True),
    ),
    "one-principle": (
        functional(SAL.assessedPrinciple),
        # The principles are not declared different (owl:AllDifferent) in the ontology: the probe says so.
        two_values("sal:assessedPrinciple", "sal:Transparency", "sal:Flexibility", different=True),
    ),
    "one-evidence-kind": (
        functional(SAL.evidenceKind),
        two_values("sal:evidenceKind", "sal:ExplicitStatement", "sal:ListedExample"),
    ),
    "one-rating": (functional(SAL.rating), two_values("sal:rating", "2", "4")),
    "one-flag": (functional(SAL.hasUnidentifiedPartners), two_values("sal:hasUnidentifiedPartners", "true", "false")),
    "one-ubigeo": (functional(SAL.ubigeo), two_values("sal:ubigeo", '"01"', '"02"')),
    # The legitimacy types are all different individuals: one type cannot be both market and social legitimacy.
    "types-differ": (
        "AllDifferent legitimacy types",
        both(
            "[ a owl:Class ; owl:oneOf ( sal:MarketLegitimacy ) ]",
            "[ a owl:Class ; owl:oneOf ( sal:SocialLegitimacy ) ]",
        ),
    ),
}

#: Inference probes: name -> (the axiom, an ABox, (individual, class) or (subject, property, object) inferred).
INFERENCES = {
    "fulfils-domain": (
        (SAL.fulfilsLegitimacy, RDFS.domain, SAL.StrategicAlliance),
        "{p}a sal:fulfilsLegitimacy {p}t .",
        ("{p}a", SAL.StrategicAlliance),
    ),
    "fulfils-range": (
        (SAL.fulfilsLegitimacy, RDFS.range, SAL.LegitimacyType),
        "{p}a sal:fulfilsLegitimacy {p}t .",
        ("{p}t", SAL.LegitimacyType),
    ),
    "strategy-range": (
        (SAL.underStrategy, RDFS.range, SAL.DevelopmentStrategy),
        "{p}a sal:underStrategy {p}s .",
        ("{p}s", SAL.DevelopmentStrategy),
    ),
    "operator-range": (
        (SAL.operatesThrough, RDFS.range, SAL.Organization),
        "{p}a sal:operatesThrough {p}o .",
        ("{p}o", SAL.Organization),
    ),
    "attribution-range": (
        (SAL.attributionOf, RDFS.range, SAL.StrategicAlliance),
        "{p}x sal:attributionOf {p}a .",
        ("{p}a", SAL.StrategicAlliance),
    ),
    "attribution-domain": (
        (SAL.attributionOf, RDFS.domain, SAL.LegitimacyAttribution),
        "{p}x sal:attributionOf {p}a .",
        ("{p}x", SAL.LegitimacyAttribution),
    ),
    "holder-range": (
        (SAL.legitimacyHolder, RDFS.range, SAL.Actor),
        "{p}x sal:legitimacyHolder {p}h .",
        ("{p}h", SAL.Actor),
    ),
    "to-fund-range": ((SAL.toFund, RDFS.range, SAL.Fund), "{p}c sal:toFund {p}f .", ("{p}f", SAL.Fund)),
    "contributor-range": ((SAL.contributor, RDFS.range, SAL.Actor), "{p}c sal:contributor {p}k .", ("{p}k", SAL.Actor)),
    "assessed-range": (
        (SAL.assessedAlliance, RDFS.range, SAL.StrategicAlliance),
        "{p}x sal:assessedAlliance {p}a .",
        ("{p}a", SAL.StrategicAlliance),
    ),
    # An attribution of an alliance implies that the alliance fulfils its type (property chain).
    "chain": (
        "fulfilsLegitimacy chain",
        "{p}x sal:attributionOf {p}a ; sal:legitimacyType sal:InvestmentLegitimacy .",
        ("{p}a", SAL.fulfilsLegitimacy, SAL.InvestmentLegitimacy),
    ),
    # Each kind of actor states its sector (owl:hasValue): a community leader is in civil society.
    "leader-sector": (
        "CommunityLeader sector",
        "{p}x a sal:CommunityLeader .",
        ("{p}x", SAL.inSocietalSector, SAL.CivilSociety),
    ),
}


def _probe_class(name: str) -> str:
    return f"{SALD}Probe-{name}"


def _abox(name: str, text: str) -> str:
    return text.replace("{c}", f"<{_probe_class(name)}>").replace("{p}", f"sald:probe-{name}-")


def _expand(name: str, term) -> str:
    return str(term).replace("{p}", f"{SALD}probe-{name}-")


def _probes() -> str:
    texts = [_abox(name, text) for name, (_, text) in CLASHES.items()]
    texts += [_abox(name, text) for name, (_, text, _) in INFERENCES.items()]
    return "\n".join(texts) + "\n"


def _check(ontology: Path, folder: Path) -> dict:
    """`kgtool check` of the ontology folder with every probe: the reasoner's part of its JSON report."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "probes.ttl"
    data.write_text(PREFIXES + _probes(), encoding="utf-8")
    profile = folder / "profile.tsv"  # every quality rule at INFO: this test is about the reasoner
    profile.write_text("".join(f"INFO\t{p.stem}\n" for p in (ROOT / "queries" / "quality").glob("*.rq")))
    done = run_kgtool(
        "check",
        "--ontology",
        str(ontology),
        "--data",
        str(data),
        "--format",
        "json",
        "--fail-on",
        "none",
        "--profile",
        str(profile),
    )
    assert done.code == 0, done.stderr
    reasoner = json.loads(done.stdout)["reasoner"]
    assert reasoner["consistent"], reasoner["explanation"]
    return reasoner


def _without(axioms: set, target: Path) -> Path:
    """A copy of ontology/ with the probed axioms removed (each module rewritten, imports kept local)."""
    shutil.copytree(ROOT / "ontology", target)
    for path in sorted(target.glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        for axiom in axioms:
            if isinstance(axiom, tuple):
                graph.remove(axiom)
        if ALL_DISJOINT in axioms:
            for node in list(graph.subjects(RDF.type, OWL.AllDisjointClasses)):
                graph.remove((node, None, None))
        if "AllDifferent legitimacy types" in axioms:
            for node in list(graph.subjects(RDF.type, OWL.AllDifferent)):
                members = graph.value(node, OWL.distinctMembers) or graph.value(node, OWL.members)
                if members is not None and SAL.MarketLegitimacy in list(Collection(graph, members)):
                    graph.remove((node, None, None))
        if "fulfilsLegitimacy chain" in axioms:
            graph.remove((SAL.fulfilsLegitimacy, OWL.propertyChainAxiom, None))
        if "CommunityLeader sector" in axioms:
            for restriction in list(graph.objects(SAL.CommunityLeader, RDFS.subClassOf)):
                if (restriction, OWL.onProperty, SAL.inSocietalSector) in graph:
                    graph.remove((SAL.CommunityLeader, RDFS.subClassOf, restriction))
        graph.serialize(path, format="turtle")
    return target


def _inferred(reasoner: dict) -> set[tuple[str, ...]]:
    types = {(t["individual"]["iri"], t["class"]["iri"]) for t in reasoner["inferredTypes"]}
    facts = {(f["subject"]["iri"], f["property"]["iri"], f["object"]["iri"]) for f in reasoner["inferredFacts"]}
    return types | facts


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict:
    return _check(ROOT / "ontology", tmp_path_factory.mktemp("shipped"))


@pytest.fixture(scope="module")
def stripped(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("stripped")
    axioms = {axiom for axiom, _ in CLASHES.values()} | {axiom for axiom, _, _ in INFERENCES.values()}
    return _check(_without(axioms, folder / "ontology"), folder / "check")


def _unsatisfiable(reasoner: dict) -> set[str]:
    return {entry["iri"] for entry in reasoner["unsatisfiable"]}


@pytest.mark.parametrize("name", sorted(CLASHES))
def test_each_clash_follows_from_its_axiom(name: str, shipped, stripped):
    assert _probe_class(name) in _unsatisfiable(shipped)
    assert _probe_class(name) not in _unsatisfiable(stripped)


@pytest.mark.parametrize("name", sorted(INFERENCES))
def test_each_inference_follows_from_its_axiom(name: str, shipped, stripped):
    inferred = tuple(_expand(name, term) for term in INFERENCES[name][2])
    assert inferred in _inferred(shipped)
    assert inferred not in _inferred(stripped)


def test_nothing_else_is_unsatisfiable(shipped):
    assert _unsatisfiable(shipped) == {_probe_class(name) for name in CLASHES}
