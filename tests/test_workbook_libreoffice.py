"""A workbook filled by a real spreadsheet program: LibreOffice Calc, headless, types the records and saves .xlsx.

kgtool writes the template; a LibreOffice Basic macro (in a throw-away user profile) opens it, types values into
cells as a person would (labels from the drop-down lists, numbers as numbers) and saves it with Calc's own .xlsx
filter; kgtool validates it, ingests it and the catalog queries find the records. Debian's ``libreoffice-calc-nogui``
runs it (``.ci/run`` installs it); without it the test is skipped on a developer's machine and fails in CI.
Every record is synthetic.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from conftest import run_kgtool

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

#: What the person types: sheet -> cell -> text (typed as text) or number (typed as a number).
TYPED: dict[str, dict[str, str | float]] = {
    "Source": {"A5": "src-synthetic-calc", "B5": "Source", "C5": "Synthetic Calc source (example)",
               "D5": "Fuente sintética de Calc (ejemplo)", "E5": "A synthetic source typed in LibreOffice Calc"},
    "Actor": {
        "A5": "synthetic-calc-ngo", "B5": "Non-governmental organization", "C5": "Synthetic Calc NGO (example)",
        "D5": "ONG sintética de Calc (ejemplo)", "F5": "Cusco (08)", "I5": "src-synthetic-calc",
        "A6": "synthetic-calc-municipality", "B6": "Local government", "C6": "Synthetic Calc municipality (example)",
        "D6": "Municipalidad sintética de Calc (ejemplo)", "F6": "Cusco (08)", "I6": "src-synthetic-calc",
    },
    "Strategic alliance": {
        "A5": "synthetic-calc-alliance", "B5": "Strategic alliance", "C5": "Synthetic Calc alliance (example)",
        "D5": "Alianza sintética de Calc (ejemplo)", "E5": "synthetic-calc-ngo; synthetic-calc-municipality",
        "G5": "Social legitimacy", "H5": "Poverty reduction", "J5": "src-synthetic-calc",
    },
    "Project": {
        "A5": "synthetic-calc-project", "B5": "Project", "C5": "Synthetic Calc project (example)",
        "D5": "Proyecto sintético de Calc (ejemplo)", "E5": "Education", "F5": "Underway", "G5": 35.5,
        "H5": "Cusco (08)", "I5": 120000, "J5": "PEN", "K5": 300, "M5": "synthetic-calc-municipality",
        "N5": "Poverty reduction", "O5": "src-synthetic-calc",
    },
}  # fmt: skip


def _basic(template: Path, out: Path) -> str:
    """The macro: open the template hidden, type every value, save with Calc's .xlsx filter, close."""
    lines = [
        "Sub Fill",
        "  Dim hidden(0) As New com.sun.star.beans.PropertyValue",
        '  hidden(0).Name = "Hidden" : hidden(0).Value = True',
        f'  doc = StarDesktop.loadComponentFromURL("{template.as_uri()}", "_blank", 0, hidden())',
    ]
    for sheet, cells in TYPED.items():
        lines.append(f'  sheet = doc.Sheets.getByName("{sheet}")')
        for ref, value in cells.items():
            if isinstance(value, str):
                text = value.replace('"', '""')
                lines.append(f'  sheet.getCellRangeByName("{ref}").setString("{text}")')
            else:
                lines.append(f'  sheet.getCellRangeByName("{ref}").setValue({value})')
    lines += [
        "  Dim filter(0) As New com.sun.star.beans.PropertyValue",
        '  filter(0).Name = "FilterName" : filter(0).Value = "Calc MS Excel 2007 XML"',
        f'  doc.storeToURL("{out.as_uri()}", filter())',
        "  doc.close(True)",
        "End Sub",
    ]
    return "\n".join(lines)


def _calc_fills(template: Path, out: Path, profile: Path) -> None:
    if SOFFICE is None:
        reason = "no LibreOffice (soffice): apt-get install libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    installation = f"-env:UserInstallation={profile.as_uri()}"
    subprocess.run([SOFFICE, installation, "--headless", "--terminate_after_init"], check=True, timeout=180)
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    module.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">{escape(_basic(template, out), {chr(34): "&quot;"})}</script:module>\n',
        encoding="utf-8",
    )
    command = [SOFFICE, installation, "--headless", "--invisible", "macro:///Standard.Module1.Fill"]
    subprocess.run(command, check=True, timeout=180, capture_output=True)
    assert out.is_file(), "LibreOffice did not save the workbook"


def test_a_workbook_filled_in_libreoffice_calc_validates_ingests_and_answers(fresh_store, tmp_path):
    template = tmp_path / "template.xlsx"
    made = run_kgtool("template", "--out", str(template))
    assert made.code == 0, made.stderr
    filled = tmp_path / "filled-in-calc.xlsx"
    _calc_fills(template, filled, tmp_path / "profile")

    book = openpyxl.load_workbook(filled)  # Calc kept the drop-downs and the hidden sheets (very hidden -> hidden)
    assert book["kgtool"].sheet_state != "visible" and book["Lists"].sheet_state == "hidden"
    assert any(v.type == "list" for v in book["Project"].data_validations.dataValidation)
    assert book["Project"]["G5"].value == 35.5 and book["Project"]["I5"].value == 120000

    store = ["--store", str(fresh_store)]
    checked = run_kgtool("validate", str(filled), *store)
    assert checked.code == 0, checked.stdout + checked.stderr
    assert "5 records" in checked.stdout or "6 records" in checked.stdout
    ingested = run_kgtool("ingest", str(filled), "--submitter", "Synthetic Calc user", *store)
    assert ingested.code == 0, ingested.stdout + ingested.stderr
    region = run_kgtool("query", "projects-by-region", "-p", "region=sald:region-cusco", "--format", "csv", *store)
    assert "Synthetic Calc project (example)" in region.stdout
    assert "Synthetic Calc municipality (example)" in region.stdout
    alliances = run_kgtool("query", "actor-alliances", "-p", "actor=sald:synthetic-calc-ngo", "--format", "csv", *store)
    assert "Synthetic Calc alliance (example)" in alliances.stdout
