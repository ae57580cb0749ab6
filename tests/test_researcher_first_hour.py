"""A researcher's first hour (issue 20): which process holds the store, catalog queries on `kgtool serve`, and
query results as a table in Python (CSV always, a pandas DataFrame when pandas is there)."""

from __future__ import annotations

import csv
import io
import urllib.parse
import urllib.request
from pathlib import Path

from conftest import kgtool_serve, run_kgtool
from kgtool.sparql import catalog, queries


def test_a_busy_store_says_which_process_holds_it(store_dir: Path):
    with kgtool_serve(store_dir) as (server, _):
        busy = run_kgtool("build", "--store", str(store_dir), env={"KGTOOL_LOCK_WAIT": "1"})

    assert busy.code == 3
    (line,) = busy.stderr.splitlines()
    assert "in use by another kgtool process: `kgtool serve --store" in line
    assert f"(PID {server.pid}, since " in line  # what the user does next: stop that process (Ctrl-C in its terminal)


def test_catalog_queries_run_on_kgtool_serve_by_name_or_as_their_bound_sparql(store_dir: Path):
    local = run_kgtool("query", "legitimacy-strategy-matrix", "--store", str(store_dir), "-f", "csv")
    shown = run_kgtool("query", "legitimacy-strategy-matrix", "--show-query", "--lang", "es")
    with kgtool_serve(store_dir) as (_, base):
        by_name = run_kgtool("query", "legitimacy-strategy-matrix", "--endpoint", base + "/query", "-f", "csv")
        data = urllib.parse.urlencode({"query": shown.stdout}).encode()
        request = urllib.request.Request(base + "/query", data=data, headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            pasted = list(csv.DictReader(io.StringIO(answer.read().decode("utf-8"))))

    assert by_name.code == 0 and by_name.stdout == local.stdout
    # the --show-query text is complete SPARQL (prefixes declared, parameters bound) that any client can send
    in_spanish = run_kgtool(
        "query", "legitimacy-strategy-matrix", "--store", str(store_dir), "--lang", "es", "-f", "csv"
    )
    expected = [row["strategyLabel"] for row in csv.DictReader(io.StringIO(in_spanish.stdout))]
    assert [row["strategyLabel"] for row in pasted] == expected and "reducción de la pobreza" in expected


def test_query_results_as_csv_and_as_a_dataframe(store_dir: Path, tmp_path: Path):
    result = queries.run(store_dir, catalog.resolve("legitimacy-strategy-matrix"), {"lang": "en"})
    printed = run_kgtool("query", "legitimacy-strategy-matrix", "--store", str(store_dir), "-f", "csv").stdout

    assert result.to_csv() == printed
    assert result.to_csv(tmp_path / "matrix.csv") == (tmp_path / "matrix.csv").read_text(encoding="utf-8")
    frame = result.to_dataframe()
    assert list(frame.columns) == result.variables and len(frame) == len(result.rows) == printed.count("\n") - 1
    sustainable = frame.set_index("strategyLabel").loc["sustainable development"]
    assert [int(sustainable[c]) for c in ("market", "relational", "social")] == [1, 1, 6]  # test_queries_cli
    assert frame["social"].dtype.kind == "i"  # counts are numbers, not text


def test_how_projects_connect_to_companies_is_read_from_the_ontology_not_found_by_trial(
    store_dir: Path, tmp_path: Path
):
    # The researcher asks how a project leads to the companies behind it, by the word they know ...
    shown = run_kgtool("schema", "project")
    assert shown.code == 0, shown.stderr
    assert shown.stdout.startswith("sal:Project (project)\n")
    line = next(line for line in shown.stdout.splitlines() if "sal:fundedBy" in line)
    assert line.split()[:3] == ["?project", "sal:fundedBy", "?actor"] and "sal:Fund (fund)" in line
    # ... copies the pattern into their own query, and it answers (companies among the funders)
    pattern = " ".join(line.split()[:3])
    own = tmp_path / "funders.rq"
    own.write_text(
        f"SELECT DISTINCT ?project ?actor WHERE {{ ?project a sal:Project . {pattern} . ?actor a sal:MiningCompany }}",
        encoding="utf-8",
    )
    answered = run_kgtool("query", str(own), "--store", str(store_dir), "-f", "csv")
    assert answered.code == 0, answered.stderr
    rows = list(csv.DictReader(io.StringIO(answered.stdout)))
    assert rows and all(row["actor"].startswith("https://w3id.org/sal/id/") for row in rows)
    # the other direction: what leads to an actor, and a misspelt class gets the nearest one in one line
    assert "?strategicAlliance sal:hasPartner ?actor" in run_kgtool("schema", "sal:Actor").stdout
    wrong = run_kgtool("schema", "projekt")
    assert wrong.code == 2 and wrong.stdout == ""
    assert wrong.stderr.splitlines() == [
        "kgtool: error: 'projekt' is not a class of the ontology; did you mean sal:Project? "
        "(`kgtool schema` lists them)"
    ]
