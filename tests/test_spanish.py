"""`--lang es`: what a person reads in Spanish — query tables (titles, headers, units, numbers), the catalog listing,
the check report and the one-line errors — while csv, tsv and json keep the SPARQL variable names.

Real subprocesses on the store built from data/ (tests/conftest.py ``run_kgtool``). The numbers are the paper's:
"1,568 projects are underway" (seed l.27), "reducing chronic malnutrition by 2.94%" (l.33), "Yanacocha's
contribution to Social Fund totaled $49.6 million" (l.37).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from conftest import run_kgtool
from kgtool.sparql import backends, catalog, queries, words
from kgtool.sparql.render import readable_columns

#: English words the queries or kgtool itself would print; none may be left in a Spanish table.
ENGLISH = re.compile(
    r"\b(rows?|not stated|no case|not fulfilled|projects|percent|companies|regions|partner|operator|true|false|"
    r"strategy|alliance|legitimacy|source|quantity|unit|amount|currency|qualifier|rank|when|figure)\b"
)


def spanish(store_dir: Path, *args: str):
    result = run_kgtool("query", *args, "--lang", "es", "--store", str(store_dir), env={"COLUMNS": "250"})
    assert result.code == 0, result.stderr
    return result.stdout


def test_the_matrix_in_spanish_has_spanish_title_headers_and_row_count(store_dir: Path):
    out = spanish(store_dir, "legitimacy-strategy-matrix")
    assert "Número de alianzas por estrategia de desarrollo y tipo de legitimidad" in out
    head = next(line for line in out.splitlines() if "estrategia" in line and "mercado" in line)
    for column in ("estrategia", "mercado", "relacional", "social", "inversión", "de la alianza"):
        assert column in head
    # Barrick's market alliances have no stated strategy (seed l.131): "no consta", not "not stated".
    assert "no consta" in out and out.splitlines()[-1] == "4 filas"
    assert not ENGLISH.search(out), ENGLISH.search(out)


def test_figures_in_spanish_number_style_and_units(store_dir: Path):
    out = spanish(store_dir, "reported-figures", "-f", "markdown")
    lines = out.splitlines()
    assert lines[0].startswith("| cifra | cantidad | unidad | monto | moneda | calificador | posición | cuándo |")
    # "1,568 projects are underway" (SNMPE 2010): 1.568 proyectos.
    assert any("| 1.568 | proyectos |" in line for line in lines)
    # "reducing chronic malnutrition by 2.94%": 2,94 %.
    assert any("| 2,94 | % |" in line for line in lines)
    # "$49.6 million for the 2007 and 2009 period": 49.600.000 USD, 2007–2009.
    assert any("| 49.600.000 | USD | exactamente |  | 2007–2009 |" in line for line in lines)
    assert not ENGLISH.search(out.replace("Applicability", "")), ENGLISH.search(out)


def test_yes_no_and_roles_in_spanish(store_dir: Path):
    out = spanish(store_dir, "actor-alliances", "-p", "actor=sald:newmont", "-f", "markdown")
    # "Alliances between companies, like the one established between the American mining company Newmont, ..."
    assert out.splitlines()[0] == "| alianza | papel | socios | socios no identificados | estrategias |"
    assert "| socio |" in out and "| no |" in out


def test_machine_formats_keep_variable_names_and_lexical_numbers(store_dir: Path):
    out = spanish(store_dir, "reported-figures", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:4] == ["figure", "figureLabel", "quantity", "unit"]
    assert {"1568", "2.94"} <= {row["quantity"] for row in rows}
    assert "projects" in {row["unit"] for row in rows}


def test_the_catalog_listing_in_spanish(store_dir: Path):
    result = run_kgtool("queries", "--lang", "es", env={"COLUMNS": "250"})
    assert result.code == 0, result.stderr
    assert "catálogo de consultas de kgtool" in result.stdout and "obligatorio" in result.stdout
    assert "Qué alianzas cumplen qué legitimidad bajo qué estrategia" in result.stdout
    one = run_kgtool("queries", "legitimacy-gaps", "--lang", "es", env={"COLUMNS": "250"})
    assert "sin casos" in one.stdout and "etiquetas:" in one.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "consulta desconocida 'no-such-query'"),
        (["query", "actor-alliances"], "necesita el parámetro 'actor'"),
        (["query", "actor-alliances", "-p", "actor=sald:newmont", "-p", "colour=red"], "no tiene el parámetro"),
        (["query", "legitimacy-gaps", "-f", "yaml"], "formato desconocido"),
    ],
)
def test_errors_in_spanish_in_one_line(store_dir: Path, args: list[str], message: str):
    result = run_kgtool(*args, "--lang", "es", "--store", str(store_dir))
    assert result.code == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    english = run_kgtool(*args, "--store", str(store_dir))
    assert english.code == 2 and message not in english.stderr


def test_a_missing_store_in_spanish(tmp_path: Path):
    result = run_kgtool("query", "legitimacy-gaps", "--lang", "es", "--store", str(tmp_path / "none"))
    assert result.code == 3 and "no hay un almacén de kgtool" in result.stderr


def test_the_check_report_in_spanish():
    result = run_kgtool("check", "--no-reasoning", "--lang", "es")
    assert result.code == 0, result.stderr
    assert "Razonador: omitido" in result.stdout and "errores" in result.stdout and "aprobado" in result.stdout


def test_every_catalog_query_has_spanish_texts_and_headers(store_dir: Path):
    # Every column a person reads in a table of a catalog query has a Spanish header (or one spelled alike).
    alike = {"actor", "sector", "social", "ubigeo"}
    with backends.connect(store_dir) as backend:
        for name, entry in catalog.catalog().items():
            assert entry.summary_es and len(entry.summary_es) <= 110, name
            assert len(entry.description_es.split()) >= 15, name
            needed = {p.name for p in entry.parameters if p.required}
            spanish = {"lang": "es"} if any(p.name == "lang" for p in entry.parameters) else {}  # as kgtool query
            result = queries.run_on(backend, entry, {**dict.fromkeys(needed, "sald:newmont"), **spanish})
            for column in readable_columns(result):
                shown = words.header(column, "es", entry.headers_es)
                assert shown != column.removesuffix("Label") or shown in alike, (name, column)


@pytest.mark.parametrize(
    ("lexical", "lang", "shown"),
    [
        ("1568", "es", "1.568"),
        ("2.94", "es", "2,94"),
        ("49600000", "es", "49.600.000"),
        ("-1.5", "es", "-1,5"),
        ("1.5E3", "es", "1.5E3"),
        ("1568", "en", "1568"),
    ],
)
def test_number_style(lexical: str, lang: str, shown: str):
    assert words.number(lexical, lang) == shown


def test_row_counts():
    assert [words.row_count(n, "es") for n in (1, 4, 1568)] == ["1 fila", "4 filas", "1.568 filas"]
    assert [words.row_count(n, "en") for n in (1, 9)] == ["1 row", "9 rows"]
