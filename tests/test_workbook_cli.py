"""Workbooks through the command line, as a data steward uses them: ``kgtool template``, then ``validate`` and
``ingest`` of the filled workbook, and the records found again by the catalog queries. Every record is synthetic.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from conftest import ROOT, run_kgtool

EXAMPLES = ROOT / "data" / "examples"
GOOD, MISTAKES = EXAMPLES / "water-alliance.xlsx", EXAMPLES / "water-alliance-with-mistakes.xlsx"
CSV_FILES = [EXAMPLES / f"{name}.csv" for name in ("sources", "actors", "funds", "alliances", "partnerships")] + [
    EXAMPLES / f"{name}.csv" for name in ("legitimacy-attributions", "contributions", "projects")
]
NO_STORE = {"KGTOOL_STORE": ""}
SCHEMA = json.loads((ROOT / "shapes" / "validation-report.schema.json").read_text(encoding="utf-8"))


def _one_line_error(result, code: int = 2) -> str:
    assert result.code == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


# --------------------------------------------------------------------------------------------- kgtool template


def test_template_writes_a_workbook_in_either_language(tmp_path):
    made = run_kgtool("template", "--out", str(tmp_path / "envio.xlsx"), "--lang", "es")
    assert made.code == 0, made.stderr
    assert "8 sheets (Fuente, Actor, Alianza estratégica" in made.stdout
    book = openpyxl.load_workbook(tmp_path / "envio.xlsx")
    assert book.sheetnames[0] == "Instrucciones" and "Proyecto" in book.sheetnames
    assert book["Proyecto"]["F1"].value == "Tiene estado del proyecto" and book["Proyecto"]["F2"].value.startswith(
        "Has"
    )


def test_template_puts_filled_csv_templates_into_the_workbook(tmp_path):
    made = run_kgtool("template", "--out", str(tmp_path / "prefilled.xlsx"), *map(str, CSV_FILES))
    assert made.code == 0, made.stderr
    assert made.stdout.strip().endswith("13 records.".replace("13", "12")) or "records." in made.stdout
    book = openpyxl.load_workbook(tmp_path / "prefilled.xlsx")
    assert book["Project"]["F5"].value == "Underway" and book["Project"]["H5"].value == "La Libertad (13)"


def test_template_writes_to_standard_output_with_a_dash(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", "template", "--out", "-"],
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0 and done.stdout[:2] == b"PK" and b"Wrote -: 8 sheets" in done.stderr
    (tmp_path / "piped.xlsx").write_bytes(done.stdout)
    assert "Instructions" in openpyxl.load_workbook(tmp_path / "piped.xlsx").sheetnames


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--out", "{tmp}/workbook.csv"], "--out {tmp}/workbook.csv: a submission workbook is an .xlsx file"),
        (["--out", "{tmp}/no/x.xlsx"], "--out {tmp}/no/x.xlsx: the folder {tmp}/no does not exist"),
        (["--out", "{tmp}/x.xlsx", "{tmp}/none.csv"], "{tmp}/none.csv: no such file"),
        (
            ["--out", "{tmp}/x.xlsx", str(ROOT / "data" / "examples" / "sources.ttl")],
            "sources.ttl: not a CSV template (.csv); only their records can be put into a workbook",
        ),
    ],
)
def test_template_refuses_bad_requests_in_one_line(tmp_path, args, expected):
    error = _one_line_error(run_kgtool("template", *(arg.format(tmp=tmp_path) for arg in args)))
    assert error.startswith("kgtool: error: ") and error.endswith(expected.format(tmp=tmp_path)), error
    assert not (tmp_path / "x.xlsx").exists()


# --------------------------------------------------------------------------------------------- validate


def test_the_example_workbook_conforms():
    checked = run_kgtool("validate", str(GOOD), env=NO_STORE)
    assert checked.code == 0, checked.stdout + checked.stderr
    assert "No problems found. The submission conforms." in checked.stdout


#: (severity, cell, header, what the message says): the mistakes of data/examples/workbooks.py.
EXPECTED = {
    ("Violation", "Actor!C6", "Name in English", "no English name"),
    ("Warning", "Actor!D5", "Name in Spanish", "no Spanish label"),
    ("Violation", "'Strategic alliance'!E5", "Has partner", "nearest known record is sald:synthetic-mining-company"),
    ("Violation", "Contribution!H5", "Amount — currency", '"PEN" for soles'),
    ("Violation", "Contribution!J5", "Period end", "ends before it starts"),
    ("Violation", "Project!G5", "Completion", "the completion is below 100 %"),
    ("Violation", "Project!I5", "Budget — value", "without thousands separators"),
    ("Warning", "'Legitimacy attribution'!J5", "Cites source", "cites no source"),
}


def test_every_mistake_is_reported_at_its_cell_with_its_header():
    checked = run_kgtool("validate", str(MISTAKES), "--format", "json", env=NO_STORE)
    assert checked.code == 1, checked.stderr
    report = json.loads(checked.stdout)
    jsonschema.validate(report, SCHEMA)
    found = {(r["severity"], r["cell"], r["column"], r["message"]) for r in report["results"]}
    for severity, cell, header, words in EXPECTED:
        assert any(f[:3] == (severity, cell, header) and words in f[3] for f in found), (cell, found)
    assert {r["cell"] for r in report["results"]} == {cell for _, cell, _, _ in EXPECTED}
    project = next(r["record"] for r in report["results"] if r["cell"] == "Project!G5")
    assert (project["sheet"], project["line"], project["file"]) == ("Project", 5, str(MISTAKES))


def test_the_text_report_names_sheet_row_and_cell_in_spanish():
    checked = run_kgtool("validate", str(MISTAKES), "--lang", "es", env=NO_STORE)
    assert checked.code == 1
    assert f"(sald:synthetic-water-project) — {MISTAKES}, hoja Project, fila 5" in checked.stdout
    assert '= "soles"  [Contribution!H5: Amount — currency]' in checked.stdout


def test_a_workbook_and_the_csv_templates_it_was_made_from_give_the_same_results(tmp_path):
    workbook = tmp_path / "from-csv.xlsx"
    bad_projects = EXAMPLES / "bad-projects.csv"
    files = [*CSV_FILES[:-1], bad_projects]
    assert run_kgtool("template", "--out", str(workbook), *map(str, files)).code == 0
    as_csv = json.loads(run_kgtool("validate", *map(str, files), "--format", "json", env=NO_STORE).stdout)
    as_workbook = json.loads(run_kgtool("validate", str(workbook), "--format", "json", env=NO_STORE).stdout)

    def key(result: dict) -> tuple:
        return (result["severity"], result["record"]["id"], result["path"], json.dumps(result["value"]))

    assert sorted(map(key, as_workbook["results"])) == sorted(map(key, as_csv["results"]))
    assert len(as_csv["results"]) >= 8
    assert all(r["cell"] for r in as_workbook["results"] if r["column"])


@pytest.mark.parametrize("output_format", ["turtle", "html"])
def test_every_report_format_reads_a_workbook(output_format):
    checked = run_kgtool("validate", str(MISTAKES), "--format", output_format, env=NO_STORE)
    assert checked.code == 1 and checked.stdout.strip(), checked.stderr
    if output_format == "html":
        assert "Project!I5" in checked.stdout and "Content-Security-Policy" in checked.stdout


def test_the_html_report_of_a_conforming_submission_says_it_can_be_accepted():
    checked = run_kgtool("validate", str(GOOD), "--format", "html", "--lang", "es", env=NO_STORE)
    assert checked.code == 0, checked.stderr
    assert "El envío es conforme: puede aceptarse." in checked.stdout and "Violaciones" not in checked.stdout


def test_the_html_report_reads_rdf_files_too():
    bad = EXAMPLES / "water-alliance-with-errors.ttl"
    checked = run_kgtool("validate", str(bad), "--format", "html", env=NO_STORE)
    assert checked.code == 1
    assert (
        "water-alliance-with-errors.ttl, line 43" in checked.stdout and "did you mean sal:hasPartner?" in checked.stdout
    )
    assert "<th>Cell</th>" not in checked.stdout  # no spreadsheet, no cell column


def test_a_workbook_that_is_not_ours_is_one_line_exit_2(tmp_path):
    other = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "synthetic budget"
    book.save(other)
    error = _one_line_error(run_kgtool("validate", str(other), env=NO_STORE))
    assert error == (
        f"kgtool: error: {other}: not a kgtool submission workbook (make one with `kgtool template --out FILE.xlsx`)"
    )


def test_a_workbook_with_macros_is_refused_by_ingest_too(tmp_path, fresh_store):
    macros = tmp_path / "records.xlsm"
    macros.write_bytes(GOOD.read_bytes())
    error = _one_line_error(run_kgtool("ingest", str(macros), "--submitter", "x", "--store", str(fresh_store)))
    assert error.endswith("a workbook with macros (.xlsm) is refused; save it as .xlsx (without macros)")


# --------------------------------------------------------------------------------------------- round trip


def test_generate_fill_validate_ingest_and_query_back(tmp_path, fresh_store):
    """A person fills a fresh workbook with the drop-down labels and typed cells; kgtool takes it in."""
    workbook = tmp_path / "filled.xlsx"
    assert run_kgtool("template", "--out", str(workbook), "--lang", "es").code == 0
    book = openpyxl.load_workbook(workbook)
    rows = {
        "Fuente": ["src-synthetic-round-trip", "Fuente", "Synthetic round-trip source", "Fuente sintética"],
        "Actor": ["synthetic-rt-company", "Empresa minera", "Synthetic round-trip company", "Empresa sintética",
                  None, "Cajamarca (06)", "Perú", "Desarrollo sostenible", "src-synthetic-round-trip"],
        "Proyecto": ["synthetic-rt-project", "Proyecto", "Synthetic round-trip project", "Proyecto sintético",
                     "Educación; Salud", "En ejecución", 62.5, "Cajamarca (06)", 125000.5, "PEN", 4200,
                     "synthetic-rt-company", "synthetic-rt-company", "Reducción de la pobreza",
                     "src-synthetic-round-trip"],
    }  # fmt: skip
    for sheet, values in rows.items():
        for column, value in enumerate(values, start=1):
            book[sheet].cell(5, column, value)
    book.save(workbook)

    store = ["--store", str(fresh_store)]
    checked = run_kgtool("validate", str(workbook), *store)
    assert checked.code == 0, checked.stdout
    ingested = run_kgtool("ingest", str(workbook), "--submitter", "Synthetic steward", "-m", "round trip", *store)
    assert ingested.code == 0 and "Ingested submission" in ingested.stdout, ingested.stdout + ingested.stderr
    region = run_kgtool("query", "projects-by-region", "-p", "region=sald:region-cajamarca", "--format", "csv", *store)
    row = next(line for line in region.stdout.splitlines() if "synthetic-rt-project" in line)
    assert "Synthetic round-trip project" in row and ",06," in row and "Synthetic round-trip company" in row
    sectors = run_kgtool("query", "projects-by-sector", "--format", "csv", *store)
    assert sum("synthetic-rt-project" in line for line in sectors.stdout.splitlines()) == 2  # education and health
    again = run_kgtool("ingest", str(workbook), "--submitter", "Synthetic steward", *store)
    assert "Already in the store" in again.stdout


def test_the_shipped_example_workbooks_are_what_the_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("example_workbooks", EXAMPLES / "workbooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for written in module.main(tmp_path):
        assert _cells(written) == _cells(EXAMPLES / written.name), written.name


def _cells(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows()] for sheet in book.worksheets}
