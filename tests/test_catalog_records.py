"""The catalog questions the paper leaves empty, answered on synthetic records beside the paper's data.

The paper states no project status, no principle assessment, no stated strategy preference, no project
below region level and no contribution to a fund under a strategy. tests/fixtures/catalog/records.ttl
states one of each; the expected rows below follow from its statements.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from kgtool.rdf.namespaces import SAL, SALD
from kgtool.sparql import backends, catalog, queries
from kgtool.store import build
from kgtool.store.core import GRAPH_BASE

RECORDS = FIXTURES / "catalog" / "records.ttl"


@pytest.fixture(scope="module")
def records_store(tmp_path_factory) -> Path:
    """The paper's data plus the synthetic records, each file in its own named graph."""
    target = tmp_path_factory.mktemp("records") / "store"
    source = build.SourceFile("data", RECORDS, GRAPH_BASE + "tests/fixtures/catalog/records.ttl")
    build.build(target, [*build.project_sources(), source], keep_submissions=False)
    return target


def ask(store: Path, name: str, **values: str) -> list[dict]:
    with backends.connect(store) as backend:
        return queries.run_on(backend, catalog.resolve(name), values).rows


def slug(term) -> str:
    return term.value.removeprefix(SALD).removeprefix(SAL)


def test_principle_assessments(records_store: Path):
    (row,) = ask(records_store, "principle-assessments")
    # "The NGO rates the alliance's transparency 4 of 5" on 2011-03-01.
    assert (slug(row["principle"]), slug(row["assessor"]), int(row["rating"].value)) == ("Transparency", "test-ngo", 4)
    assert row["date"].value == "2011-03-01" and slug(row["alliance"]) == "newmont-buenaventura-ifc-alliance"
    assert ask(records_store, "principle-assessments", principle="sal:Flexibility") == []


def test_projects_by_status_with_completion_budget_and_beneficiaries(records_store: Path):
    (row,) = ask(records_store, "projects-by-status")
    assert (slug(row["status"]), slug(row["project"])) == ("Underway", "test-water-project")
    assert float(row["completion"].value) == 40 and float(row["budget"].value) == 250_000
    assert (row["currency"].value, row["beneficiaries"].value) == ("PEN", "1200")
    assert ask(records_store, "projects-by-status", status="sal:Finished") == []


def test_a_project_in_a_district_counts_for_its_region(records_store: Path):
    rows = {slug(r["region"]): r for r in ask(records_store, "projects-by-region")}
    assert set(rows) == {"region-cajamarca", "region-la-libertad"}
    cajamarca = rows["region-cajamarca"]
    assert (slug(cajamarca["project"]), cajamarca["ubigeo"].value) == ("test-water-project", "06")
    assert (cajamarca["fundedBy"].value, cajamarca["executedBy"].value) == ("Test NGO", "Test municipality")


def test_preferences_execution_funding_and_contributions_place_actors_under_strategies(records_store: Path):
    found = {
        (slug(r["actor"]), slug(r["strategy"]), r["involvement"].value, slug(r["through"]) if "through" in r else None)
        for r in ask(records_store, "actor-strategy-preference")
    }
    assert {
        ("test-municipality", "InstitutionalDevelopment", "prefers", None),  # the actor's own preference
        ("newmont", "SustainableDevelopment", "prefers", "newmont-buenaventura-ifc-alliance"),  # within the alliance
        ("test-municipality", "PovertyReduction", "executor", "test-water-project"),
        ("test-ngo", "PovertyReduction", "funder", "test-water-project"),
        ("xstrata", "PovertyReduction", "contributor", "test-fund"),
    } <= found
    mine = ask(
        records_store, "actor-strategy-preference", actor="sald:test-municipality", strategy="sal:PovertyReduction"
    )
    assert [(r["involvement"].value, slug(r["through"])) for r in mine] == [("executor", "test-water-project")]


def test_a_partners_preference_shows_in_its_profile(records_store: Path):
    (row,) = ask(records_store, "partner-profile", partner="sald:newmont")
    assert row["preferredStrategy"].value == "sustainable development"


def test_contributions_filtered_by_contributor(records_store: Path):
    (row,) = ask(records_store, "fund-contributions", contributor="sald:xstrata")
    assert (slug(row["fund"]), float(row["amount"].value), row["currency"].value) == ("test-fund", 1_000_000, "USD")
    assert slug(row["qualifier"]) == "Approximately" and "periodEnd" not in row
    assert len(ask(records_store, "fund-contributions")) == 2  # and Yanacocha's, from the paper


def test_provenance_names_the_graph_a_fact_came_from(records_store: Path):
    rows = ask(records_store, "fact-provenance", fact="sald:test-water-project")
    assert [(slug(r["source"]), r["graph"].value) for r in rows] == [
        ("test-source", GRAPH_BASE + "tests/fixtures/catalog/records.ttl")
    ]


def test_the_matrix_counts_only_alliances_not_funds_or_projects(records_store: Path):
    # The records add a fund and a project under poverty reduction, but no alliance: the row stays at zero.
    rows = {slug(r["strategy"]): r for r in ask(records_store, "legitimacy-strategy-matrix") if "strategy" in r}
    assert [int(rows["PovertyReduction"][c].value) for c in ("market", "relational", "social")] == [0, 0, 0]
