"""Submission workbooks: made from the templates, ontology and shapes; read back cell by cell; hostile ones refused.

Every record here is synthetic (the examples of ``data/examples/``, or made up for the test).
"""

from __future__ import annotations

import csv
import datetime
import zipfile
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from conftest import ROOT
from kgtool.errors import InputError
from kgtool.rdf.namespaces import SAL, SALD
from kgtool.validation import csv_templates, workbook_layout, workbook_read, workbook_write

EXAMPLES = ROOT / "data" / "examples"
TEMPLATES = ROOT / "data" / "templates"
RECORD_TYPES = ("actors", "alliances", "partnerships", "legitimacy-attributions", "projects", "funds", "contributions")


def example_rows(name: str) -> list[dict[str, str]]:
    rows = list(csv.reader((EXAMPLES / f"{name}.csv").open(encoding="utf-8")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


def example_quads() -> set[ox.Quad]:
    return {quad for name in RECORD_TYPES for quad in csv_templates.read(EXAMPLES / f"{name}.csv").quads}


@pytest.fixture(scope="module")
def layout() -> workbook_layout.Layout:
    return workbook_layout.layout()


@pytest.fixture(scope="module")
def filled(tmp_path_factory, layout) -> dict[str, Path]:
    """The CSV examples put into a workbook in each language, as a person using the drop-downs would."""
    folder = tmp_path_factory.mktemp("workbooks")
    records = {name: example_rows(name) for name in RECORD_TYPES}
    found = {}
    for lang in ("en", "es"):
        found[lang] = folder / f"filled-{lang}.xlsx"
        found[lang].write_bytes(workbook_write.render(lang, records, layout))
    return found


def column(layout, sheet: str, key: str) -> workbook_layout.ColumnSpec:
    return next(c for c in layout.sheet(sheet).columns if c.key == key)


# --------------------------------------------------------------------------------------------- layout


def test_one_sheet_per_template_with_the_templates_columns(layout):
    templates = {path.stem: workbook_layout.read_template(path) for path in TEMPLATES.glob("*.csv")}
    assert {sheet.name for sheet in layout.sheets} == set(templates)
    for sheet in layout.sheets:
        keys, strings = templates[sheet.name]
        assert [c.key for c in sheet.columns] == keys
        assert [c.template for c in sheet.columns] == strings


def test_sheets_whose_records_are_referred_to_come_first(layout):
    names = [sheet.name for sheet in layout.sheets]
    assert names.index("actors") < names.index("alliances") < names.index("partnerships")
    assert names.index("funds") < names.index("contributions")


def test_closed_vocabularies_come_from_the_ontology(layout):
    strategy = column(layout, "alliances", "strategy")
    assert {c.value for c in strategy.choices} == {
        SAL + "SustainableDevelopment",
        SAL + "PovertyReduction",
        SAL + "InstitutionalDevelopment",
    }
    assert {c.shown("es") for c in strategy.choices} >= {"Reducción de la pobreza", "Desarrollo sostenible"}
    kinds = {c.value for c in column(layout, "actors", "kind").choices}
    assert {SAL + "MiningCompany", SAL + "NGO", SAL + "LocalGovernment", SAL + "Actor"} <= kinds
    assert SAL + "StrategicAlliance" not in kinds
    status = column(layout, "projects", "status")
    assert {c.shown("en") for c in status.choices} == {"Finished", "Planned", "Suspended", "Underway"}
    assert "PEN" in {c.value for c in column(layout, "projects", "budget_currency").choices}


def test_regions_by_name_with_their_ubigeo(layout):
    places = column(layout, "projects", "located_in")
    assert places.cell == "place"
    shown = [c.shown("es") for c in places.choices]
    assert shown[0] == "Amazonas (01)" and "La Libertad (13)" in shown and "Áncash (02)" in shown
    lookup = places.lookup()
    for spelling in ("La Libertad (13)", "la libertad", "13", "Ancash", "sald:region-cusco"):
        assert lookup[workbook_layout.normalized(spelling)].startswith(SALD + "region-"), spelling


def test_required_and_recommended_columns_come_from_the_shapes(layout):
    assert column(layout, "contributions", "contributor").requirement == "required"  # sh:minCount 1, Violation
    assert column(layout, "contributions", "amount").requirement == "recommended"  # sh:minCount 1, Warning
    assert column(layout, "actors", "label_en").requirement == "required"  # qualifiedMinCount, Violation
    assert column(layout, "actors", "label_es").requirement == "recommended"
    assert column(layout, "partnerships", "alliance").requirement == "required"  # an alternative path
    assert column(layout, "projects", "located_in").requirement is None


def test_typed_columns_and_references(layout):
    completion = column(layout, "projects", "completion_percent")
    assert (completion.cell, completion.bounds) == ("number", (0.0, 100.0))
    assert column(layout, "projects", "beneficiaries").cell == "integer"
    assert column(layout, "contributions", "period_start").cell == "year"
    assert column(layout, "alliances", "partners").target == "actors"
    assert column(layout, "contributions", "fund").target == "funds"
    assert column(layout, "projects", "funded_by").target is None  # an actor or a fund: no single sheet


# --------------------------------------------------------------------------------------------- writing


def test_the_workbook_has_instructions_data_sheets_and_hidden_lists(tmp_path, layout):
    path = tmp_path / "template.xlsx"
    path.write_bytes(workbook_write.render("es", sheets=layout))
    book = openpyxl.load_workbook(path)
    titles = [sheet.title("es") for sheet in layout.sheets]
    assert book.sheetnames == ["Instrucciones", *(s.title("es") for s in layout.sheets), "Lists", "kgtool"]
    assert book["Lists"].sheet_state == "hidden" and book["kgtool"].sheet_state == "veryHidden"
    assert all(book[title].sheet_state == "visible" for title in titles)
    projects = book[layout.sheet("projects").title("es")]
    headers = [cell.value for cell in projects[1]]
    assert headers[:3] == ["ID *", "Tipo *", "Nombre en inglés *"]
    assert [cell.value for cell in projects[2]][:3] == ["ID", "Kind", "Name in English"]
    assert [cell.value for cell in projects[3]] == [c.key for c in layout.sheet("projects").columns]
    assert projects.row_dimensions[3].hidden and projects.row_dimensions[4].hidden
    instructions = "\n".join(str(c.value) for row in book["Instrucciones"].iter_rows() for c in row if c.value)
    assert "ubigeo" in instructions and "Año de publicación" in instructions


def test_drop_downs_and_typed_cells(tmp_path, layout):
    path = tmp_path / "template.xlsx"
    path.write_bytes(workbook_write.render("en", sheets=layout))
    book = openpyxl.load_workbook(path)
    spec = layout.sheet("projects")
    sheet = book[spec.title("en")]
    by_column = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            by_column[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation
    letters = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(spec.columns, start=1)}
    status = by_column[letters["status"]]
    assert status.type == "list" and status.errorStyle == "stop"
    sheet_name, cells = status.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    listed = [c.value for row in book[sheet_name.strip("'")][f"{first}:{last}"] for c in row]
    assert sorted(listed) == ["Finished", "Planned", "Suspended", "Underway"]
    completion = by_column[letters["completion_percent"]]
    assert (completion.type, completion.formula1, completion.formula2) == ("decimal", "0", "100")
    assert by_column[letters["beneficiaries"]].type == "whole"
    executed = by_column[letters["executed_by"]]
    actors = openpyxl.utils.quote_sheetname(layout.sheet("actors").title("en"))
    assert executed.type == "list" and executed.formula1 == f"{actors}!$A$5:$A${4 + workbook_write.ROWS}"
    assert sheet.column_dimensions[letters["id"]].number_format == "@"


# --------------------------------------------------------------------------------------------- reading


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_filled_workbook_reads_as_the_csv_templates(filled, lang):
    records = workbook_read.read(filled[lang])
    assert set(records.quads) == example_quads()
    project = SALD + "synthetic-water-project"
    title = workbook_layout.capitalized({"en": "project", "es": "proyecto"}[lang])
    assert records.sheet_of[project] == title
    assert records.cell(project, SAL + "projectStatus") == f"{title}!F5"
    assert (
        records.column(project, SAL + "projectStatus")
        == {"en": "Has project status", "es": "Tiene estado del proyecto"}[lang]
    )
    assert records.cell(project, SAL + "fundedBy") == f"{title}!L5"


def test_the_cells_hold_labels_and_numbers_not_iris(filled, layout):
    book = openpyxl.load_workbook(filled["es"])
    sheet = book[layout.sheet("projects").title("es")]
    row = {c.key: sheet.cell(5, i).value for i, c in enumerate(layout.sheet("projects").columns, start=1)}
    assert row["status"] == "En ejecución" and row["strategy"] == "Reducción de la pobreza"
    assert row["located_in"] == "La Libertad (13)" and row["budget_currency"] == "PEN"
    assert row["completion_percent"] == 40 and row["beneficiaries"] == 1200


def _edit(source: Path, target: Path, sheet_name: str, cells: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(source)
    for ref, value in cells.items():
        book[sheet_name][ref] = value
    book.save(target)
    return target


def test_typed_cells_become_xsd_literals(filled, layout, tmp_path):
    title = layout.sheet("projects").title("en")
    letters = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(layout.sheet("projects").columns, 1)}
    path = _edit(
        filled["en"],
        tmp_path / "typed.xlsx",
        title,
        {
            f"{letters['completion_percent']}5": 12.5,
            f"{letters['budget_amount']}5": 1e-05,
            f"{letters['status']}5": "finished",
        },
    )
    records = workbook_read.read(path)
    values = {(q.subject.value, q.predicate.value): q.object for q in records.quads}
    project = SALD + "synthetic-water-project"
    assert values[(project, SAL + "completion")].value == "12.5"
    assert values[(project + "-budget", "https://schema.org/value")].value == "0.00001"
    assert values[(project, SAL + "projectStatus")] == ox.NamedNode(SAL + "Finished")


def test_a_text_that_no_drop_down_offers_is_refused_at_its_cell(filled, layout, tmp_path):
    title = layout.sheet("projects").title("en")
    path = _edit(filled["en"], tmp_path / "wrong.xlsx", title, {"F5": "almost done"})
    with pytest.raises(InputError) as raised:
        workbook_read.read(path)
    assert str(raised.value) == (
        f"{path}: {title}!F5 (Has project status): 'almost done' is not one of the choices of the drop-down list"
    )


def test_a_formula_is_read_as_its_saved_value_or_refused(filled, layout, tmp_path):
    title = layout.sheet("actors").title("en")
    path = _edit(filled["en"], tmp_path / "formula.xlsx", title, {"C5": '="Synthetic " & "formula"'})
    with pytest.raises(InputError, match=r"Actor!C5 holds a formula without a saved value; type the value instead"):
        workbook_read.read(path)
    saved = _with_saved_value(path, tmp_path / "saved.xlsx", "Synthetic formula")
    records = workbook_read.read(saved)
    labels = {q.object.value for q in records.quads if q.predicate.value.endswith("#label")}
    assert "Synthetic formula" in labels


def _with_saved_value(source: Path, target: Path, value: str) -> Path:
    """The workbook as a spreadsheet program saves it: the formula cell carries its computed value."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in package.infolist():
            data = package.read(item)
            if b"<f>" in data:
                text = data.decode("utf-8")
                start = text.index("<f>")
                end = text.index("</f>", start) + len("</f>")
                cell_start = text.rindex("<c ", 0, start)
                cell_end = text.index("</c>", end) + len("</c>")
                cell = text[cell_start:cell_end]
                replaced = cell.replace("<v></v>", "").replace("<v />", "")
                replaced = replaced.replace("</f>", f"</f><v>{value}</v>", 1).replace("<c ", '<c t="str" ', 1)
                data = (text[:cell_start] + replaced + text[cell_end:]).encode("utf-8")
            out.writestr(item, data)
    return target


# --------------------------------------------------------------------------------------------- hostile files


def _repacked(source: Path, target: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in package.infolist():
            out.writestr(item, package.read(item))
        for name, data in extra.items():
            out.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"xl/vbaProject.bin": b"\x00" * 64}, "the workbook contains macros; save it as .xlsx without macros"),
        (
            {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
            "the workbook links to other workbooks (external links); copy the values in and remove the links",
        ),
    ],
)
def test_macros_and_external_links_are_refused_before_parsing(filled, tmp_path, extra, message):
    path = _repacked(filled["en"], tmp_path / "hostile.xlsx", extra)
    with pytest.raises(InputError) as raised:
        workbook_read.read(path)
    assert str(raised.value) == f"{path}: {message}"


def test_an_xlsm_is_refused(filled, tmp_path):
    path = tmp_path / "macros.xlsm"
    path.write_bytes(filled["en"].read_bytes())
    with pytest.raises(InputError, match=r"macros \(\.xlsm\) is refused"):
        workbook_read.read(path)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/worksheets/sheet1.xml", b"\x00" * (workbook_read.MAX_UNPACKED_BYTES + 1))
    assert path.stat().st_size < 2 * 2**20
    with pytest.raises(InputError, match=r"unpacks to \d+ bytes; more than 400 MiB is refused"):
        workbook_read.read(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,kind\n", "not an .xlsx workbook (an old .xls or a password-protected file?)"),
        (b"", "not an .xlsx workbook (an old .xls or a password-protected file?)"),
    ],
)
def test_a_file_that_is_no_workbook_says_so(tmp_path, content, message):
    path = tmp_path / "records.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        workbook_read.read(path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_workbook_that_is_not_ours_says_so(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "name"
    book.save(path)
    with pytest.raises(InputError) as raised:
        workbook_read.read(path)
    assert str(raised.value) == (
        f"{path}: not a kgtool submission workbook (make one with `kgtool template --out FILE.xlsx`)"
    )


def test_a_renamed_sheet_is_named(filled, layout, tmp_path):
    book = openpyxl.load_workbook(filled["en"])
    book[layout.sheet("funds").title("en")].title = "My funds"
    book.save(tmp_path / "renamed.xlsx")
    with pytest.raises(InputError, match=r"the sheet 'Fund' is missing \(renamed or deleted\?\)"):
        workbook_read.read(tmp_path / "renamed.xlsx")


def test_dates_and_booleans_read_as_xsd_text():
    spec = workbook_layout.ColumnSpec("d", "AT sal:x^^xsd:date", csv_templates.Column("d", "AT"), {}, {})
    records = workbook_read.WorkbookRecords(Path("x.xlsx"))
    assert workbook_read._cell_text(records, spec, datetime.datetime(2024, 6, 30), None, 5, "S!A") == "2024-06-30"
    assert workbook_read._cell_text(records, spec, True, None, 5, "S!A") == "true"
    assert workbook_read._cell_text(records, spec, 250000.0, None, 5, "S!A") == "250000"
