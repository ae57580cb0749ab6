"""A researcher's wrong IRI, plain word, unknown prefix or misspelt query name (issue 20).

Before, `kgtool query legitimacy-gaps -p strategy=sal:PovertyReductionStrategy` printed 0 rows and exit 0 (read as
"no gaps"); `-p strategy=poverty-reduction` was refused with "No scheme found"; an unknown prefix gave the SPARQL
parser's grammar; a misspelt query name got the whole catalog. Now each gets one line saying what is wrong and the
nearest thing that is right, found by label and alternative label in English and Spanish among the terms the
position allows (the parameter's type); a plain word that names exactly one such term is read as that term.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import run_kgtool

POVERTY_REDUCTION = "https://w3id.org/sal#PovertyReduction"


def gaps(store_dir: Path, *params: str):
    args = [arg for param in params for arg in ("-p", param)]
    return run_kgtool("query", "legitimacy-gaps", "--store", str(store_dir), "--format", "csv", *args)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_an_iri_the_store_does_not_know_is_refused_with_the_nearest_term_of_the_parameters_type(store_dir: Path):
    wrong = gaps(store_dir, "strategy=sal:PovertyReductionStrategy")

    assert wrong.code == 2 and wrong.stdout == ""
    (line,) = wrong.stderr.splitlines()
    assert "sal:PovertyReductionStrategy" in line and "development strategy" in line
    assert "did you mean sal:PovertyReduction" in line
    # what the user does next: the suggested term gives the answer
    right = gaps(store_dir, "strategy=sal:PovertyReduction")
    assert right.code == 0 and rows(right.stdout)
    assert {row["strategy"] for row in rows(right.stdout)} == {POVERTY_REDUCTION}


def test_a_known_iri_of_another_type_is_refused_and_says_what_it_is(store_dir: Path):
    wrong = gaps(store_dir, "strategy=sald:newmont")

    assert wrong.code == 2
    (line,) = wrong.stderr.splitlines()
    assert "sald:newmont" in line and "not a development strategy" in line and "mining company" in line
    for strategy in ("sal:SustainableDevelopment", "sal:PovertyReduction", "sal:InstitutionalDevelopment"):
        assert strategy in line  # few allowed values: all of them are listed


@pytest.mark.parametrize(
    "words", ["poverty-reduction", "poverty reduction", "Reducción de la pobreza", "PovertyReduction"]
)
def test_plain_words_naming_one_term_by_its_label_are_read_as_that_term(store_dir: Path, words: str):
    done = gaps(store_dir, f"strategy={words}")

    assert done.code == 0, done.stderr
    assert {row["strategy"] for row in rows(done.stdout)} == {POVERTY_REDUCTION}
    assert "sal:PovertyReduction" in done.stderr  # it says how it read the words
    assert done.stdout == gaps(store_dir, "strategy=sal:PovertyReduction").stdout


def test_plain_words_naming_no_term_are_refused_with_a_suggestion(store_dir: Path):
    wrong = gaps(store_dir, "strategy=poverty reductoin")

    assert wrong.code == 2
    (line,) = wrong.stderr.splitlines()
    assert "'poverty reductoin'" in line and "did you mean sal:PovertyReduction" in line


def test_a_record_parameter_suggests_a_record_of_the_right_type(store_dir: Path):
    wrong = run_kgtool("query", "actor-alliances", "--store", str(store_dir), "-p", "actor=sald:newmnt")

    assert wrong.code == 2
    assert "did you mean sald:newmont" in wrong.stderr
    by_label = run_kgtool("query", "actor-alliances", "--store", str(store_dir), "-p", "actor=Newmont", "-f", "csv")
    assert by_label.code == 0, by_label.stderr
    assert rows(by_label.stdout)


def test_an_unknown_query_name_gets_the_nearest_names_not_the_whole_catalog():
    wrong = run_kgtool("query", "legitimacy-gap")

    assert wrong.code == 2
    (line,) = wrong.stderr.splitlines()
    assert "did you mean legitimacy-gaps" in line
    assert "projects-by-region" not in line  # not the whole list
    assert "kgtool queries" in line  # where the whole list is
    shown = run_kgtool("queries", "stratgy-profile")
    assert shown.code == 2 and "did you mean strategy-profile" in shown.stderr


def test_an_unknown_prefix_in_ones_own_query_is_one_line(tmp_path: Path, store_dir: Path):
    mine = tmp_path / "mine.rq"
    mine.write_text("SELECT ?x WHERE {\n  ?x a sal:NGO ;\n  schema:name ?n ;\n  ex:foo ?y .\n}\n", encoding="utf-8")

    wrong = run_kgtool("query", str(mine), "--store", str(store_dir))

    assert wrong.code == 2
    (line,) = wrong.stderr.splitlines()
    assert f"{mine}:4" in line and "ex:" in line and "PREFIX ex:" in line
    assert "expected" not in line  # not the parser's grammar


def test_an_unknown_term_in_ones_own_query_is_named_with_the_nearest_one(tmp_path: Path, store_dir: Path):
    mine = tmp_path / "mine.rq"
    mine.write_text("SELECT ?alliance ?partner WHERE {\n  ?alliance sal:hasPartnr ?partner .\n}\n", encoding="utf-8")

    ran = run_kgtool("query", str(mine), "--store", str(store_dir))

    assert "0 rows" in ran.stdout
    assert f"{mine}:2" in ran.stderr and "sal:hasPartnr" in ran.stderr
    assert "did you mean sal:hasPartner" in ran.stderr
