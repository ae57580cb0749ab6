"""`kgtool query` as a researcher meets it: the matrix, every output format, parameters, one-line errors.

Real subprocesses on the store built from data/; the expected numbers are the paper's (see
test_catalog_paper.py for the sentences behind them).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import run_kgtool

MATRIX_COLUMNS = ["market", "relational", "social", "investment", "alliance"]
# Sustainable development: 1 market, 1 relational, 6 social; no alliance under the two other strategies. Barrick's
# market alliances have no stated strategy ("The company has also formed strategic alliances to ensure its presence
# in the international market, which constitutes a search to achieve market legitimacy."; seed l.131): their own row.
PAPER_MATRIX = {
    "sustainable development": [1, 1, 6, 0, 0],
    "poverty reduction": [0, 0, 0, 0, 0],
    "institutional development": [0, 0, 0, 0, 0],
    "not stated": [1, 0, 0, 0, 0],
}


def matrix(store_dir: Path, *args: str, env: dict[str, str] | None = None):
    return run_kgtool("query", "legitimacy-strategy-matrix", "--store", str(store_dir), *args, env=env)


def test_the_matrix_prints_the_strategies_by_five_legitimacy_types_zeros_included(store_dir: Path):
    result = matrix(store_dir)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    (head,) = [line for line in lines if "strategy" in line and "market" in line]
    assert re.findall(r"[a-z]+", head) == ["strategy", *MATRIX_COLUMNS]
    for label, counts in PAPER_MATRIX.items():
        (line,) = [line for line in lines if label in line]
        assert [int(n) for n in re.findall(r"\b\d+\b", line)] == counts
    assert lines[-1] == "4 rows"
    assert "https://" not in result.stdout


def test_the_matrix_in_spanish(store_dir: Path):
    result = matrix(store_dir, "--lang", "es")
    assert result.code == 0, result.stderr
    for label in ("desarrollo sostenible", "reducción de la pobreza", "desarrollo institucional"):
        assert label in result.stdout


def test_csv_keeps_iris_and_numbers(store_dir: Path):
    result = matrix(store_dir, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["strategy", "strategyLabel", *MATRIX_COLUMNS]
    found = {row["strategyLabel"]: [int(row[c]) for c in MATRIX_COLUMNS] for row in rows}
    assert found == PAPER_MATRIX
    assert {row["strategy"] for row in rows} == {
        f"https://w3id.org/sal#{name}"
        for name in ("SustainableDevelopment", "PovertyReduction", "InstitutionalDevelopment")
    } | {""}  # the row of the alliances with no stated strategy has no strategy IRI


def test_tsv_holds_the_same_table_as_csv(store_dir: Path):
    as_tsv = list(csv.reader(io.StringIO(matrix(store_dir, "-f", "tsv").stdout), delimiter="\t"))
    as_csv = list(csv.reader(io.StringIO(matrix(store_dir, "-f", "csv").stdout)))
    assert as_tsv == as_csv and len(as_tsv) == 5


def test_json_is_w3c_sparql_results_with_typed_counts(store_dir: Path):
    document = json.loads(matrix(store_dir, "-f", "json").stdout)
    assert document["head"]["vars"] == ["strategy", "strategyLabel", *MATRIX_COLUMNS]
    bindings = document["results"]["bindings"]
    assert len(bindings) == 4
    cell = bindings[0]["market"]
    assert cell["type"] == "literal" and cell["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert bindings[0]["strategy"]["type"] == "uri" and bindings[0]["strategyLabel"]["xml:lang"] == "en"


def test_markdown_is_a_table_of_labels(store_dir: Path):
    lines = matrix(store_dir, "-f", "markdown").stdout.splitlines()
    assert lines[0] == "| strategy | market | relational | social | investment | alliance |"
    assert lines[1] == "|---|---|---|---|---|---|"
    assert "| sustainable development | 1 | 1 | 6 | 0 | 0 |" in lines and len(lines) == 6
    assert "| not stated | 1 | 0 | 0 | 0 | 0 |" in lines


def test_wide_rows_are_shown_as_records_on_a_narrow_terminal(store_dir: Path):
    result = run_kgtool(
        "query", "partner-profile", "-p", "partner=sald:newmont", "--store", str(store_dir), env={"COLUMNS": "70"}
    )
    assert result.code == 0, result.stderr
    assert "row 1" in result.stdout and "geological and mining expertise" in " ".join(result.stdout.split())
    assert max(len(line) for line in result.stdout.splitlines()) <= 70


def test_text_from_the_data_is_not_taken_for_markup(tmp_path: Path, store_dir: Path):
    probe = tmp_path / "brackets.rq"
    probe.write_text('SELECT ?text WHERE { BIND("[bold]kept[/bold] [of Newmont]" AS ?text) }', encoding="utf-8")
    result = run_kgtool("query", str(probe), "--store", str(store_dir))
    assert result.code == 0, result.stderr
    assert "[bold]kept[/bold] [of Newmont]" in result.stdout


def test_a_missing_required_parameter_exits_2_naming_it(store_dir: Path):
    result = run_kgtool("query", "actor-alliances", "--store", str(store_dir))
    assert result.code == 2
    assert result.stderr == "kgtool: error: query 'actor-alliances' needs the parameter 'actor': pass -p actor=VALUE\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crossover-alliances", "-p", "min=two"], "'min': 'two' is not a valid integer"),
        (["crossover-alliances", "-p", "colour=red"], "has no parameter 'colour'"),
        (["crossover-alliances", "-p", "min=2", "-p", "min=3"], "-p min: given twice"),
        (["actor-alliances", "-p", "actor=sald:x> } DROP ALL {"], "is not an IRI"),
        (["legitimacy-strategy-matrix", "-f", "xml"], "unknown format 'xml'"),
        (["legitimacy-strategy-matrix", "--endpoint", "http://127.0.0.1:9/query"], "give --store or --endpoint"),
    ],
)
def test_bad_input_exits_2_in_one_line(store_dir: Path, args: list[str], message: str):
    result = run_kgtool("query", *args, "--store", str(store_dir))
    assert result.code == 2, result.stdout
    assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_hostile_string_parameter_is_only_a_value(store_dir: Path):
    before = matrix(store_dir, "-f", "csv").stdout
    hostile = 'en") } DROP ALL ; INSERT DATA { <urn:x> <urn:y> "z" } #'
    result = matrix(store_dir, "-p", f"lang={hostile}", "-f", "csv")
    assert result.code == 0, result.stderr
    assert result.stdout == before  # no label in that "language": English, as for any unknown language
    assert matrix(store_dir, "-f", "csv").stdout == before


def test_show_query_prints_the_bound_sparql_without_running_it(tmp_path: Path):
    result = run_kgtool(
        "query", "actor-alliances", "-p", "actor=sald:newmont", "--show-query", "--store", str(tmp_path / "none")
    )
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("#+ summary: The alliances of one actor")
    assert "PREFIX sald: <https://w3id.org/sal/id/>" in result.stdout
    assert "sal:operatesThrough <https://w3id.org/sal/id/newmont> ." in result.stdout
    assert "?_actor_iri" not in result.stdout and 'langMatches(lang(?aWanted), "en")' in result.stdout


def test_an_update_is_refused_before_any_endpoint_is_contacted(tmp_path: Path):
    update = tmp_path / "wipe.rq"
    update.write_text("DELETE WHERE { ?s ?p ?o }", encoding="utf-8")
    result = run_kgtool("query", str(update), "--endpoint", "http://127.0.0.1:9/query")
    assert result.code == 2 and "SPARQL Update is refused" in result.stderr


def test_a_query_that_fails_while_it_runs_on_the_store_exits_3(tmp_path: Path, store_dir: Path):
    federated = tmp_path / "federated.rq"
    federated.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", encoding="utf-8")
    # SERVICE is refused unless its host is allowed (issue 13); allowed, a call that fails is exit 3.
    result = run_kgtool("query", str(federated), "--allow-service", "127.0.0.1", "--store", str(store_dir))
    assert result.code == 3 and result.stderr.startswith("kgtool: error: the query failed: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
