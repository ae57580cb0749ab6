"""kgtool.check, kgtool.check.quality, kgtool.reasoning.explanation: the reasoner's verdict and the quality report.

HermiT runs are few: one over the shipped ontology and data (shared by a module fixture), and small ones over a
tiny ontology of clubs for the diagnosis of inconsistencies.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURES
from kgtool.check import quality
from kgtool.check import run as check
from kgtool.errors import InputError, UsageError
from kgtool.rdf.namespaces import SAL, SALD
from kgtool.rdf.parsing import parse_quads
from kgtool.reasoning import explanation, hermit, reasoner
from kgtool.store import build as building

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"
TINY = "https://example.org/tiny#"
SLOPPY = "https://example.org/sloppy#"
PROJECT_RULES = {
    "legitimacy-type-table1",
    "legitimacy-type-need-sides",
    "strategy-profile",
    "contract-core-individuals",
    "legitimacy-type-without-typology",
    "legitimacy-type-not-all-different",
}


@pytest.fixture(scope="module")
def shipped() -> check.CheckReport:
    return check.check()


@pytest.fixture(scope="module")
def shipped_quads() -> tuple[list[ox.Quad], list[ox.Quad]]:
    return check.load_inputs()


def rules_by_entity(findings: list[quality.Finding]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in findings:
        found.setdefault(finding.entity, set()).add(finding.rule)
    return found


# --- the shipped ontology ----------------------------------------------------------------------------------


def test_the_shipped_ontology_and_data_pass_with_their_inferences(shipped):
    assert shipped.reasoning is not None and shipped.reasoning.consistent
    assert shipped.reasoning.unsatisfiable == []
    assert shipped.failing("error") == [], shipped.failing("error")
    # "Alliances between companies, like the one established between ... Newmont, ... Buenaventura and the
    # International Finance Corporation" (seed l.178): the IFC has no stated sector, so no public-private class.
    assert (
        SALD + "newmont-buenaventura-ifc-alliance",
        SAL + "PublicPrivateAlliance",
    ) not in shipped.reasoning.inferred_types
    assert (SAL + "PublicPrivateAlliance", SAL + "StrategicAlliance") in shipped.reasoning.inferred_subclasses
    # the sector HermiT infers from each actor's kind (owl:hasValue on the class), a property value
    assert (SALD + "newmont", SAL + "inSocietalSector", SAL + "PrivateSector") in shipped.reasoning.inferred_facts
    assert shipped.labels[SAL + "PublicPrivateAlliance"] == "public-private alliance"


def test_every_rule_file_ran_and_the_profile_covers_them(shipped):
    files = {path.stem for path in quality.quality_folder().glob("*.rq")}
    assert shipped.rules_run == len(files) >= 20
    profile = quality.load_profile(quality.quality_folder() / quality.PROFILE_NAME)
    assert set(profile) == files | set(quality.REASONER_RULES)


def test_the_fail_on_threshold(shipped):
    warnings = [f for f in shipped.findings if f.level == "WARN"]
    assert shipped.failing("none") == []
    assert len(shipped.failing("warn")) == len(warnings) + len(shipped.failing("error"))
    with pytest.raises(UsageError):
        shipped.failing("fatal")


# --- the quality rules -----------------------------------------------------------------------------------


def test_every_generic_rule_reports_its_problem_in_the_sloppy_ontology_and_spares_the_tidy_class():
    findings = quality.report(parse_quads(FIXTURES / "check" / "sloppy.ttl"))
    found = rules_by_entity(findings)
    expected = {
        "Bare": {"missing-spanish-label", "missing-definition", "missing-is-defined-by", "missing-superclass"},
        "Spanish": {"missing-english-label"},
        "TwinA": {"duplicate-label"},
        "TwinB": {"duplicate-label"},
        "Colour": {"duplicate-label-across-kinds"},
        "colour": {"duplicate-label-across-kinds", "property-without-domain", "property-without-range"},
        "Messy": {
            "multiple-labels",
            "label-whitespace",
            "label-formatting",
            "multiple-definitions",
            "lowercase-definition",
            "annotation-whitespace",
            "duplicate-definition",
        },
        "Copy": {"duplicate-definition"},
        "Old": {"deprecated-reference"},
        "Undeclared": {"undeclared-term"},
    }
    for local, rules in expected.items():
        assert found.get(SLOPPY + local, set()) == rules, local
    assert found["http://www.w3.org/2004/02/skos/core#relatedMatch"] == {"undeclared-property"}
    header = {"missing-ontology-description", "missing-ontology-license", "missing-ontology-version"}
    assert found["https://example.org/sloppy"] == header
    assert SLOPPY + "Tidy" not in found
    generic = {rule.name for rule in quality.load_rules()} - PROJECT_RULES - {"missing-ontology-title"}
    assert {f.rule for f in findings} == generic  # every generic rule is exercised by the fixture


def test_the_findings_carry_property_value_and_level():
    findings = quality.report(parse_quads(FIXTURES / "check" / "sloppy.ttl"))
    deprecated = next(f for f in findings if f.rule == "deprecated-reference")
    assert (deprecated.level, deprecated.property, deprecated.value) == (
        "ERROR",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
        SLOPPY + "UsesOld",
    )
    assert deprecated.value_is_iri
    assert [f.level for f in findings] == sorted((f.level for f in findings), key=quality.LEVELS.index)


def _without(quads: list[ox.Quad], subject: str, predicate: str) -> list[ox.Quad]:
    return [q for q in quads if not (q.subject.value == subject and q.predicate.value == predicate)]


def test_the_project_checks_name_what_is_missing(shipped_quads):
    ontology_quads, _ = shipped_quads
    broken = _without(ontology_quads, SAL + "SocialLegitimacy", SAL + "motivation")
    broken = _without(broken, SAL + "PovertyReduction", SAL + "instrument")
    broken = _without(broken, SAL + "MarketLegitimacy", RDF_TYPE)
    broken = _without(broken, SAL + "AllianceLegitimacyEnvironmentNeed", SAL + "needSide")
    broken = _without(broken, SAL + "PragmaticLegitimacy", SAL + "inTypology")  # the typology recipe, step 2
    broken = [q for q in broken if q.predicate.value != OWL + "distinctMembers"]  # step 5
    findings = {(f.rule, f.entity, f.property, f.value) for f in quality.report(broken)}
    assert ("legitimacy-type-without-typology", SAL + "PragmaticLegitimacy", SAL + "inTypology", None) in findings
    assert ("legitimacy-type-table1", SAL + "SocialLegitimacy", SAL + "motivation", None) in findings
    assert ("strategy-profile", SAL + "PovertyReduction", SAL + "instrument", None) in findings
    assert ("contract-core-individuals", SAL + "MarketLegitimacy", RDF_TYPE, SAL + "LegitimacyType") in findings
    assert ("legitimacy-type-need-sides", SAL + "AllianceLegitimacy", SAL + "drivingNeed", SAL + "EnvironmentSide") in (
        findings
    )
    assert {rule for rule, *_ in findings} & PROJECT_RULES == PROJECT_RULES


def test_only_the_ontologys_own_terms_are_reported_unless_a_rule_says_scope_all(tmp_path: Path, shipped_quads):
    ontology_quads, data_quads = shipped_quads
    # data individuals have no Spanish definition and no rdfs:isDefinedBy: not the ontology's business
    assert not any(f.entity.startswith(SALD) for f in quality.report(ontology_quads, data_quads))
    (tmp_path / "profile.tsv").write_text("WARN\tdata-without-definition\n", encoding="utf-8")
    (tmp_path / "data-without-definition.rq").write_text(
        "#+ summary: test rule\n#+ scope: all\n"
        "SELECT ?entity ?property ?value WHERE { BIND(skos:definition AS ?property) "
        "?entity a sal:Region FILTER NOT EXISTS { ?entity skos:definition ?d } }",
        encoding="utf-8",
    )
    findings = quality.report(ontology_quads, data_quads, quality.load_rules(tmp_path))
    assert SALD + "region-ancash" in {f.entity for f in findings}
    assert {f.level for f in findings} == {"WARN"}


def test_a_rule_takes_its_level_from_the_profile_else_from_its_header(tmp_path: Path):
    (tmp_path / "profile.tsv").write_text("# comment\nINFO\tlisted\n", encoding="utf-8")
    select = "SELECT ?entity ?property ?value WHERE { ?entity a owl:Class }\n"
    (tmp_path / "listed.rq").write_text("#+ level: ERROR\n" + select, encoding="utf-8")
    (tmp_path / "unlisted.rq").write_text("#+ level: warn\n" + select, encoding="utf-8")
    levels = {rule.name: rule.level for rule in quality.load_rules(tmp_path)}
    assert levels == {"listed": "INFO", "unlisted": "WARN"}


@pytest.mark.parametrize(
    ("profile", "rule", "error", "message"),
    [
        ("FATAL\tx\n", None, InputError, "LEVEL<TAB>rule"),
        ("ERROR\tno-such-rule\n", None, UsageError, "no-such-rule"),
        ("", "SELECT ?entity WHERE { ?entity a owl:Class }", UsageError, "has no level"),
        ("ERROR\tbad\n", "SELECT ?entity WHERE { ?entity a ", UsageError, "invalid SPARQL"),
        ("ERROR\tbad\n", "ASK { ?s ?p ?o }", UsageError, r"SELECT of \?entity"),
    ],
)
def test_broken_profiles_and_rules_are_usage_errors(tmp_path: Path, profile, rule, error, message):
    (tmp_path / "profile.tsv").write_text(profile, encoding="utf-8")
    if rule:
        (tmp_path / "bad.rq").write_text(rule, encoding="utf-8")
    with pytest.raises(error, match=message):
        quality.report(parse_quads(FIXTURES / "check" / "sloppy.ttl"), rules=quality.load_rules(tmp_path))


# --- materializing inferences ----------------------------------------------------------------------------


def test_materialize_writes_the_inferences_to_their_own_graph_and_replaces_them(tmp_path: Path, shipped):
    target = tmp_path / "store"
    building.build(target)
    written = check.materialize(target, shipped.reasoning)
    assert written == len(shipped.reasoning.inferred_triples()) > 0
    assert check.materialize(target, shipped.reasoning) == written  # replaced, not added twice
    store = ox.Store(str(target))
    graphs = {g.value for g in store.named_graphs()}
    assert check.INFERRED_GRAPH in graphs and len(graphs) == len(building.project_sources()) + 2  # and entailed
    inferred = ox.NamedNode(check.INFERRED_GRAPH)
    assert len(list(store.quads_for_pattern(None, None, None, inferred))) == written
    sector = store.query(
        "SELECT ?sector WHERE { sald:newmont sal:inSocietalSector ?sector }",
        prefixes={"sal": SAL, "sald": SALD},
        use_default_graph_as_union=True,
    )
    assert [row["sector"].value for row in sector] == [SAL + "PrivateSector"]


def test_an_inconsistent_result_is_not_materialized(tmp_path: Path):
    with pytest.raises(UsageError, match="inconsistent"):
        check.materialize(tmp_path / "store", check.ReasoningResult(consistent=False))


# --- diagnosing inconsistencies --------------------------------------------------------------------------


def test_quickxplain_finds_a_minimal_conflict_in_few_checks():
    calls = []

    def consistent(chosen: list[int]) -> bool:
        calls.append(chosen)
        return not {7, 23} <= set(chosen)

    assert sorted(explanation.quickxplain(list(range(40)), consistent)) == [7, 23]
    assert len(calls) < 20  # a linear search would need 40


def test_roots_are_the_unsatisfiable_classes_not_explained_by_a_superclass():
    quads = [
        ox.Quad(ox.NamedNode(TINY + child), ox.NamedNode(explanation.RDFS + "subClassOf"), ox.NamedNode(TINY + parent))
        for child, parent in (("B", "A"), ("C", "B"), ("D", "Thing"))
    ]
    assert explanation.roots([TINY + "A", TINY + "B", TINY + "C", TINY + "D"], quads) == [TINY + "A", TINY + "D"]


def test_an_individuals_facts_include_its_blank_nodes():
    quads = parse_quads(FIXTURES / "check" / "joint-clash" / "ontology.ttl")
    amount = ox.BlankNode()
    quads += [
        ox.Quad(ox.NamedNode(TINY + "ann"), ox.NamedNode(RDF_TYPE), ox.NamedNode(TINY + "Member")),
        ox.Quad(ox.NamedNode(TINY + "ann"), ox.NamedNode(TINY + "fee"), amount),
        ox.Quad(amount, ox.NamedNode(TINY + "value"), ox.Literal("3")),
    ]
    schema, groups = explanation.split(quads)
    assert set(groups) == {TINY + "ann"}
    assert len(groups[TINY + "ann"]) == 3
    assert not any(q.subject == amount for q in schema)


def _tiny(*extra: ox.Quad) -> list[ox.Quad]:
    folder = FIXTURES / "check" / "joint-clash"
    return [*parse_quads(folder / "ontology.ttl"), *parse_quads(folder / "data.ttl"), *extra]


def test_an_individual_in_two_disjoint_classes_is_named_in_one_run():
    eve = ox.NamedNode(TINY + "eve")
    quads = _tiny(
        ox.Quad(eve, ox.NamedNode(RDF_TYPE), ox.NamedNode(TINY + "Member")),
        ox.Quad(eve, ox.NamedNode(RDF_TYPE), ox.NamedNode(TINY + "Club")),
    )
    # without ann's owl:differentFrom, eve alone is to blame
    quads = [q for q in quads if q.predicate.value != OWL + "differentFrom"]
    found = explanation.explain(quads)
    assert found.runs == 1
    assert [(c.individual, c.types) for c in found.culprits] == [(TINY + "eve", [TINY + "Club", TINY + "Member"])]


def test_a_contradiction_between_individuals_is_isolated_by_quickxplain():
    found = explanation.explain(_tiny())
    assert found.culprits == []
    assert found.conflict == [TINY + "ann", TINY + "club1"]  # not bob, carl, dora, club2
    assert 2 <= found.runs <= 12
    assert "individuals contradicting it together Ann" in found.summary({TINY + "ann": "Ann"})


def test_the_diagnosis_stops_at_its_budget_of_runs():
    found = explanation.explain(_tiny(), max_runs=2)
    assert found.exhausted and found.conflict == [] and found.runs == 2
    assert "budget" in found.summary()


def test_a_consistent_ontology_with_an_unsatisfiable_class_names_it_and_its_root():
    hybrid, child = ox.NamedNode(TINY + "Hybrid"), ox.NamedNode(TINY + "HybridChild")
    sub_class_of = ox.NamedNode(explanation.RDFS + "subClassOf")
    owl_class = ox.NamedNode(OWL + "Class")
    extra = [
        ox.Quad(hybrid, ox.NamedNode(RDF_TYPE), owl_class),
        ox.Quad(hybrid, sub_class_of, ox.NamedNode(TINY + "Member")),
        ox.Quad(hybrid, sub_class_of, ox.NamedNode(TINY + "Club")),
        ox.Quad(child, ox.NamedNode(RDF_TYPE), owl_class),
        ox.Quad(child, sub_class_of, hybrid),
    ]
    result = reasoner.reason([*parse_quads(FIXTURES / "check" / "joint-clash" / "ontology.ttl"), *extra])
    assert result.consistent
    assert result.unsatisfiable == [TINY + "Hybrid", TINY + "HybridChild"]
    assert result.diagnosis is not None and result.diagnosis.roots == [TINY + "Hybrid"]
    findings = check.reasoner_findings(result, [], None)
    assert {(f.rule, f.entity, f.level) for f in findings} == {
        ("unsatisfiable-class", TINY + "Hybrid", "ERROR"),
        ("unsatisfiable-class", TINY + "HybridChild", "ERROR"),
    }


def test_a_failed_hermit_run_leaves_no_temporary_file(tmp_path: Path, monkeypatch):
    # regression: owlready2 leaves its temporary copy of the ontology behind when HermiT reports an inconsistency
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in _tiny()]
    assert hermit.run_hermit(triples).consistent is False
    assert list(tmp_path.iterdir()) == []


def test_a_jvm_that_cannot_start_is_a_backend_problem_and_a_refused_ontology_an_input_problem():
    from kgtool.errors import BackendUnavailable

    assert isinstance(hermit._java_error("Error: Could not create the Java Virtual Machine."), BackendUnavailable)
    refused = hermit._java_error("Java error message is:\nException in thread main\nUnsupportedDatatypeException: x")
    assert isinstance(refused, InputError) and "UnsupportedDatatypeException: x" in str(refused)
