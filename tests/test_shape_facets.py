"""Every constraint of every shape fails where it should and passes at its boundary, with the rule's expected
severity and message; the shapes' README table and code lists checked against their sources.

tests/test_validation_shapes.py proves each rule with one violating fixture (violations/<Rule>.ttl), which
trips one of the rule's constraints; ``FIXTURE_COMPONENT`` there says which. Here every other constraint of a
rule gets its own failing record (``FACETS``), and the boundaries their passing one (``PASSES``). All records
are synthetic, built from a valid template per kind with one change, written beside tests/fixtures/validation/
base.ttl and validated in one `kgtool validate --format json` run.

The severities expected (``EXPECTED_SEVERITY``) are written here, from the shapes README's rule table as it was
reviewed, not read from the shapes under test: a Violation turned into a Warning fails here.
"""

from __future__ import annotations

import json
import re

import pytest
import rdflib
from rdflib.collection import Collection
from shape_expectations import EXPECTED_SEVERITY, FIXTURE_COMPONENT, message_pattern, readme_rules

from conftest import FIXTURES, ROOT, run_kgtool

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SALSH = "https://w3id.org/sal/shapes#"
BASE = FIXTURES / "validation" / "base.ttl"
REFERENCE = FIXTURES / "reference"

#: The constraint parameters a rule can use, and the component a result then names.
COMPONENTS = {
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "class": "Class",
    "datatype": "Datatype",
    "in": "In",
    "pattern": "Pattern",
    "minInclusive": "MinInclusive",
    "maxInclusive": "MaxInclusive",
    "uniqueLang": "UniqueLang",
    "or": "Or",
    "sparql": "SPARQL",
    "qualifiedValueShape": "QualifiedMinCount",  # FigureQuantityNotNegative's is QualifiedMaxCount: see below
}

# -- records: a valid template per kind, and one change per case ------------------------------------------

LABELS = {"rdfs:label": ['"Facet record (synthetic)"@en', '"Registro de faceta (sintético)"@es']}
CITED = {"sal:citesSource": ["sald:t-source"]}
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "Organization": {"a": ["sal:Organization"], **LABELS, **CITED},
    "Alliance": {"a": ["sal:StrategicAlliance"], **LABELS, "sal:hasPartner": ["sald:t-ngo", "sald:t-municipality"]}
    | CITED,
    "Partnership": {
        "a": ["sal:Partnership"],
        **LABELS,
        "sal:partner": ["sald:t-leader"],
        "sal:partnershipIn": ["{id}-alliance"],
        **CITED,
    },
    "Assessment": {
        "a": ["sal:PrincipleAssessment"],
        **LABELS,
        "sal:assessedAlliance": ["sald:t-alliance"],
        "sal:assessedPrinciple": ["sal:Transparency"],
        "sal:assessmentDate": ['"2021-06-01"^^xsd:date'],
        "sal:rating": ["3"],
        **CITED,
    },
    "Attribution": {
        "a": ["sal:LegitimacyAttribution"],
        **LABELS,
        "sal:attributionOf": ["sald:t-alliance"],
        "sal:legitimacyHolder": ["sald:t-ngo"],
        "sal:legitimacyType": ["sal:SocialLegitimacy"],
        "sal:evidence": ['"A synthetic sentence."@en'],
        **CITED,
    },
    "Amount": {"a": ["sal:MonetaryAmount"], "schema:value": ["10"], "schema:currency": ['"PEN"']},
    "Project": {"a": ["sal:Project"], **LABELS, **CITED},
    "Contribution": {
        "a": ["sal:Contribution"],
        **LABELS,
        "sal:contributor": ["sald:t-company"],
        "sal:toFund": ["sald:t-fund"],
        "sal:amount": ["sald:t-amount"],
        **CITED,
    },
    "Figure": {
        "a": ["sal:Figure"],
        **LABELS,
        "sal:figureAbout": ["sald:t-fund"],
        "sal:measure": ['"a synthetic count"@en'],
        "sal:quantity": ["5"],
        **CITED,
    },
    "Outcome": {
        "a": ["sal:OutcomeIndicator"],
        **LABELS,
        "sal:figureAbout": ["sald:t-project"],
        "sal:measure": ['"a synthetic rate"@en'],
        "sal:quantity": ["1.5"],
        "sal:outcome": ['"a synthetic rate"@en'],
        **CITED,
    },
    "Locality": {"a": ["sal:Locality"], **LABELS, **CITED},
    "Source": {"a": ["sal:Source"], **LABELS, "dcterms:title": ['"A synthetic title"@en']},
}
#: Records a template refers to that base.ttl does not hold: a second alliance, and a second fund.
COMPANIONS = {
    "{id}-alliance": TEMPLATES["Alliance"],
    "{id}-fund": {"a": ["sal:Fund"], **LABELS, **CITED},
}

#: One failing record per constraint that no violations/<Rule>.ttl trips: (kind, change), the change
#: replacing a property's values (an empty list removes the property).
FACETS: dict[tuple[str, str], tuple[str, dict[str, list[str]]]] = {
    ("ActorSocietalSector", "maxCount"): (
        "Organization",
        {"sal:inSocietalSector": ["sal:CivilSociety", "sal:PrivateSector"]},
    ),
    ("AllianceUnidentifiedPartnersFlag", "maxCount"): ("Alliance", {"sal:hasUnidentifiedPartners": ["true", "false"]}),
    ("AmountCurrency", "minCount"): ("Amount", {"schema:currency": []}),
    ("AmountCurrency", "maxCount"): ("Amount", {"schema:currency": ['"PEN"', '"USD"']}),
    ("AmountValue", "minCount"): ("Amount", {"schema:value": []}),
    ("AmountValue", "maxCount"): ("Amount", {"schema:value": ["10", "20"]}),
    # a number, and 0 or more, but neither decimal nor integer: only sh:or fails (the fixture's "1,000" fails sh:or
    # and sh:minInclusive with one message, reported once)
    ("AmountValue", "or"): ("Amount", {"schema:value": ['"50"^^xsd:double']}),
    ("AssessmentAlliance", "minCount"): ("Assessment", {"sal:assessedAlliance": []}),
    ("AssessmentAlliance", "maxCount"): ("Assessment", {"sal:assessedAlliance": ["sald:t-alliance", "{id}-alliance"]}),
    ("AssessmentDate", "maxCount"): (
        "Assessment",
        {"sal:assessmentDate": ['"2021-06-01"^^xsd:date', '"2021-06-02"^^xsd:date']},
    ),
    ("AssessmentPrinciple", "minCount"): ("Assessment", {"sal:assessedPrinciple": []}),
    ("AssessmentPrinciple", "maxCount"): (
        "Assessment",
        {"sal:assessedPrinciple": ["sal:Transparency", "sal:Flexibility"]},
    ),
    ("AssessmentRating", "minCount"): ("Assessment", {"sal:rating": []}),
    ("AssessmentRating", "maxCount"): ("Assessment", {"sal:rating": ["3", "4"]}),
    ("AssessmentRating", "datatype"): ("Assessment", {"sal:rating": ["3.0"]}),
    ("AssessmentRating", "minInclusive"): ("Assessment", {"sal:rating": ["0"]}),
    ("AttributionAlliance", "class"): ("Attribution", {"sal:attributionOf": ["sald:t-ngo"]}),
    ("AttributionHolder", "maxCount"): ("Attribution", {"sal:legitimacyHolder": ["sald:t-ngo", "sald:t-municipality"]}),
    ("AttributionHolder", "class"): ("Attribution", {"sal:legitimacyHolder": ["sald:t-fund"]}),
    ("AttributionType", "maxCount"): (
        "Attribution",
        {"sal:legitimacyType": ["sal:SocialLegitimacy", "sal:MarketLegitimacy"]},
    ),
    ("AttributionType", "in"): ("Attribution", {"sal:legitimacyType": ["sal:Transparency"]}),
    ("BeneficiaryCountValue", "maxCount"): ("Project", {"sal:beneficiaryCount": ["10", "20"]}),
    ("BeneficiaryCountValue", "or"): ("Project", {"sal:beneficiaryCount": ["10.5"]}),
    ("CompletionPercent", "maxCount"): ("Project", {"sal:completion": ["10", "20"]}),
    ("CompletionPercent", "minInclusive"): ("Project", {"sal:completion": ["-1"]}),
    ("CompletionPercent", "or"): ("Project", {"sal:completion": ['"50"^^xsd:double']}),
    ("ContributionContributor", "class"): ("Contribution", {"sal:contributor": ["sald:t-fund"]}),
    ("ContributionFund", "minCount"): ("Contribution", {"sal:toFund": []}),
    ("ContributionFund", "maxCount"): ("Contribution", {"sal:toFund": ["sald:t-fund", "{id}-fund"]}),
    ("FigureMeasure", "datatype"): ("Figure", {"sal:measure": ['"a count without language"']}),
    ("FigureQuantity", "maxCount"): ("Figure", {"sal:quantity": ["5", "6"]}),
    ("FigureRank", "maxCount"): ("Figure", {"sal:rank": ["1", "2"]}),
    ("FigureRank", "datatype"): ("Figure", {"sal:rank": ["2.0"]}),
    ("FigureRefDate", "maxCount"): ("Figure", {"sal:refDate": ['"2010"^^xsd:gYear', '"2011"^^xsd:gYear']}),
    ("FigureUnit", "maxCount"): ("Figure", {"sal:unit": ['"projects"', '"percent"']}),
    ("OutcomeChange", "maxCount"): ("Outcome", {"sal:change": ["-1.5", "-2.5"]}),
    ("OutcomePopulationSize", "maxCount"): ("Outcome", {"sal:populationSize": ["10", "20"]}),
    ("OutcomePopulationSize", "or"): ("Outcome", {"sal:populationSize": ["10.5"]}),
    ("OutcomeText", "datatype"): ("Outcome", {"sal:outcome": ['"a rate without language"']}),
    ("PartnershipAlliance", "maxCount"): ("Partnership", {"sal:partnershipIn": ["sald:t-alliance", "{id}-alliance"]}),
    ("PartnershipAlliance", "class"): ("Partnership", {"sal:partnershipIn": ["sald:t-fund"]}),
    ("PartnershipPartner", "maxCount"): ("Partnership", {"sal:partner": ["sald:t-leader", "sald:t-company"]}),
    ("PartnershipPartner", "class"): ("Partnership", {"sal:partner": ["sald:t-fund"]}),
    ("PeriodEndDate", "maxCount"): ("Project", {"sal:periodEnd": ['"2010"^^xsd:gYear', '"2011"^^xsd:gYear']}),
    ("PeriodStartDate", "maxCount"): ("Project", {"sal:periodStart": ['"2010"^^xsd:gYear', '"2011"^^xsd:gYear']}),
    ("PlaceUbigeo", "maxCount"): ("Locality", {"sal:ubigeo": ['"03"', '"04"']}),
    ("PlaceUbigeo", "datatype"): ("Locality", {"sal:ubigeo": ['"03"@es']}),
    ("ProjectBudget", "class"): ("Project", {"sal:budget": ["sald:t-fund"]}),
    ("ProjectStatusValue", "maxCount"): ("Project", {"sal:projectStatus": ["sal:Planned", "sal:Underway"]}),
    ("SourceIssued", "maxCount"): ("Source", {"dcterms:issued": ['"2010"^^xsd:gYear', '"2011"^^xsd:gYear']}),
    ("ValueQualifierValue", "in"): ("Amount", {"sal:valueQualifier": ["sal:Transparency"]}),
}
#: The other rules a failing record cannot help tripping (an attribution of a non-alliance is no alliance's).
ALSO = {
    ("AttributionAlliance", "class"): {"AttributionHolderTakesPart", "AttributionAllianceFulfils"},
    ("AttributionHolder", "class"): {"AttributionHolderTakesPart"},  # a fund takes no part in the alliance
    ("AttributionType", "in"): {"AttributionAllianceFulfils"},  # the alliance fulfils no such type
    ("AttributionType", "maxCount"): {"AttributionAllianceFulfils"},  # nor market legitimacy
}

# A second amount where a case needs one.
COMPANIONS["{id}-amount"] = TEMPLATES["Amount"]

#: Records on a boundary or in an accepted form, which must draw no result at all.
PASSES: dict[str, tuple[str, dict[str, list[str]]]] = {
    "rating 1": ("Assessment", {"sal:rating": ["1"]}),
    "rating 5": ("Assessment", {"sal:rating": ["5"]}),
    "completion 0": ("Project", {"sal:completion": ["0"]}),
    "completion 100, finished": ("Project", {"sal:completion": ["100.0"], "sal:projectStatus": ["sal:Finished"]}),
    "beneficiaries 0": ("Project", {"sal:beneficiaryCount": ['"0"^^xsd:nonNegativeInteger']}),
    "amount 0": ("Amount", {"schema:value": ["0"]}),
    "amount 0.5": ("Amount", {"schema:value": ["0.5"]}),
    "rank 1": ("Figure", {"sal:rank": ["1"]}),
    "quantity 0": ("Figure", {"sal:quantity": ["0"]}),
    "population 0": ("Outcome", {"sal:populationSize": ["0"]}),
    "change 0": ("Outcome", {"sal:change": ["0"]}),
    "start year, end month": (
        "Project",
        {"sal:periodStart": ['"2010"^^xsd:gYear'], "sal:periodEnd": ['"2010-12"^^xsd:gYearMonth']},
    ),
    "start and end the same day": (
        "Project",
        {"sal:periodStart": ['"2010-12-31"^^xsd:date'], "sal:periodEnd": ['"2010-12-31"^^xsd:date']},
    ),
    "issued month": ("Source", {"dcterms:issued": ['"2010-06"^^xsd:gYearMonth']}),
    "ubigeo of two digits": ("Locality", {"sal:ubigeo": ['"03"']}),
    "ubigeo of four digits": ("Locality", {"sal:ubigeo": ['"0301"']}),
    "ubigeo of six digits": ("Locality", {"sal:ubigeo": ['"030101"']}),
    "unidentified partners, one named": (
        "Alliance",
        {
            "sal:hasPartner": ["sald:t-ngo"],
            "sal:hasUnidentifiedPartners": ["false"],
            "sal:hasPartnership": ["{id}-partnership"],
        },
    ),
}
COMPANIONS["{id}-partnership"] = {
    "a": ["sal:Partnership"],
    **LABELS,
    "sal:partner": ["sald:t-leader"],
    **CITED,
}


def _iso_4217() -> list[str]:
    lines = (REFERENCE / "iso-4217.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


# Every ISO 4217 code but the testing and "no currency" codes is accepted as a currency.
NOT_CURRENCIES = {"XTS", "XXX"}
for _code in _iso_4217():
    if _code not in NOT_CURRENCIES:
        PASSES[f"currency {_code}"] = ("Amount", {"schema:currency": [f'"{_code}"']})


def _turtle(iri: str, properties: dict[str, list[str]]) -> str:
    parts = [
        f"{key} {' , '.join(value.replace('{id}', iri) for value in values)}"
        for key, values in properties.items()
        if values
    ]
    return f"{iri}\n    " + " ;\n    ".join(parts) + " .\n"


def _record(iri: str, kind: str, change: dict[str, list[str]]) -> str:
    """The record of ``kind`` with ``change``, and the companion records it refers to."""
    properties = {**TEMPLATES[kind], **change}
    text = _turtle(iri, properties)
    used = " ".join(v for values in properties.values() for v in values)
    for companion, template in COMPANIONS.items():
        if companion in used:
            text += _turtle(companion.replace("{id}", iri), template)
    return text


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


PREFIXES = "".join(line + "\n" for line in BASE.read_text(encoding="utf-8").splitlines() if line.startswith("@prefix"))


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path)
    return graph


def _rules(shapes: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted(s for s in set(shapes.subjects(SH.severity, None)) if isinstance(s, rdflib.URIRef))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, list[dict]]:
    """One `kgtool validate` run over base.ttl and every case: the results, by record IRI."""
    folder = tmp_path_factory.mktemp("facets")
    chunks = [PREFIXES]
    for (rule, parameter), (kind, change) in FACETS.items():
        chunks.append(_record(f"sald:facet-{_slug(rule)}-{parameter.lower()}", kind, change))
    for name, (kind, change) in PASSES.items():
        chunks.append(_record(f"sald:pass-{_slug(name)}", kind, change))
    cases = folder / "facets.ttl"
    cases.write_text("\n".join(chunks), encoding="utf-8")
    done = run_kgtool("validate", str(BASE), str(cases), "--format", "json", cwd=folder, env={"KGTOOL_STORE": ""})
    assert done.code in (0, 1), done.stderr
    by_record: dict[str, list[dict]] = {}
    for result in json.loads(done.stdout)["results"]:
        by_record.setdefault(result["record"]["id"].removeprefix("https://w3id.org/sal/id/"), []).append(result)
    return by_record


@pytest.mark.parametrize(("rule", "parameter"), sorted(FACETS), ids=lambda x: x)
def test_each_constraint_fails_with_its_rule_severity_and_message(rule: str, parameter: str, report):
    results = report.get(f"facet-{_slug(rule)}-{parameter.lower()}", [])
    assert results, f"{rule}'s {parameter} does not fail"
    assert {r["shape"] for r in results} == {SALSH + name for name in {rule} | ALSO.get((rule, parameter), set())}
    results = [r for r in results if r["shape"] == SALSH + rule]
    assert {r["severity"] for r in results} == {EXPECTED_SEVERITY[rule]}
    assert f"http://www.w3.org/ns/shacl#{COMPONENTS[parameter]}ConstraintComponent" in {
        r["constraint"] for r in results
    }
    message = message_pattern(readme_rules()[rule][2])
    assert all(message.match(r["messages"]["en"]) for r in results), results[0]["messages"]["en"]
    assert all(r["messages"]["es"] and r["messages"]["es"] != r["messages"]["en"] for r in results)


@pytest.mark.parametrize("name", sorted(PASSES))
def test_each_boundary_passes(name: str, report):
    record = f"pass-{_slug(name)}"
    assert report.get(record, []) == []
    for companion in ("alliance", "fund", "amount", "partnership"):
        assert report.get(f"{record}-{companion}", []) == []


def test_the_companion_records_and_base_draw_no_result(report):
    """Only the failing case records have results: nothing the cases add trips anything else."""
    expected = {f"facet-{_slug(rule)}-{parameter.lower()}" for rule, parameter in FACETS}
    assert set(report) == expected


def test_every_constraint_has_a_failing_case(shapes):
    """Each constraint parameter of each rule fails in FACETS or in the rule's violations/<Rule>.ttl."""
    missing = []
    for rule in _rules(shapes):
        name = rule.removeprefix(SALSH)
        fixture = FIXTURE_COMPONENT[name]
        if (rule, SH.deactivated, rdflib.Literal(True)) in shapes:
            assert fixture == {f"{name}Component"}, name
            continue
        parameters = {p for p in COMPONENTS if (rule, SH[p], None) in shapes}
        covered = {p for r, p in FACETS if r == name} | {
            p for p in parameters if COMPONENTS[p] in fixture or (p == "qualifiedValueShape" and fixture & QUALIFIED)
        }
        missing += [f"{name}/{p}" for p in sorted(parameters - covered)]
    assert missing == []


QUALIFIED = {"QualifiedMinCount", "QualifiedMaxCount"}


def test_the_expected_severities_are_the_shapes_and_the_readmes(shapes):
    declared = {r.removeprefix(SALSH): str(shapes.value(r, SH.severity)).removeprefix(str(SH)) for r in _rules(shapes)}
    assert declared == EXPECTED_SEVERITY
    assert {rule: row[0] for rule, row in readme_rules().items()} == EXPECTED_SEVERITY


def test_the_readme_table_states_each_rules_targets_and_message(shapes):
    readme = readme_rules()
    assert set(readme) == {r.removeprefix(SALSH) for r in _rules(shapes)}
    for rule in _rules(shapes):
        name = rule.removeprefix(SALSH)
        _, applies, message = readme[name]
        if (rule, SH.deactivated, rdflib.Literal(True)) in shapes:
            assert applies == "every record (kgtool check)", name
            continue
        classes = {str(c).rsplit("#", 1)[1] for c in shapes.objects(rule, SH.targetClass)}
        subjects = {f"subjects of sal:{str(p).rsplit('#', 1)[1]}" for p in shapes.objects(rule, SH.targetSubjectsOf)}
        assert set(applies.split(", ")) == classes | subjects, name
        messages = list(shapes.objects(rule, SH.message))
        for sparql in shapes.objects(rule, SH.sparql):
            messages += list(shapes.objects(sparql, SH.message))
        english = [str(m) for m in messages if m.language == "en"]
        assert english == [message.replace("\\|", "|")], name


def test_the_currency_list_is_iso_4217_exactly(shapes):
    listed = [str(code) for code in Collection(shapes, shapes.value(rdflib.URIRef(SALSH + "AmountCurrency"), SH["in"]))]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(_iso_4217()) - NOT_CURRENCIES


def test_the_regions_are_ineis_departamentos_exactly():
    rows = [
        line.split("\t")
        for line in (REFERENCE / "inei-ubigeo-departamentos.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    graph = rdflib.Graph().parse(ROOT / "data" / "reference" / "regions.ttl")
    found = graph.query(
        "SELECT ?code ?name WHERE { ?r a <https://w3id.org/sal#Region> ; <https://w3id.org/sal#ubigeo> ?code ;"
        " <http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(lang(?name) = 'es') }"
    )
    assert sorted((str(code), str(name)) for code, name in found) == sorted((code, name) for code, name in rows)
