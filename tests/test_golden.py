"""Every catalog query's exact answer, rows and order, on the paper's data and on synthetic edge cases.

Each case (tests/goldens.py) runs one query with one parameter set and compares its answer with the golden
file tests/golden/<store>/<case>.tsv. A change that changes an answer must change its golden file in the same
commit: rerun with ``python -m pytest tests/test_golden.py --update-golden``, review ``git diff tests/golden``
and say in the commit message why the answer changed. The paper's goldens were reviewed against the paper
(tests/golden/README.md); tests/test_catalog_paper.py derives the headline rows from the paper's sentences.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from goldens import GOLDEN, KEYS, STORES, Answer, Case, cases, differences, serialize

from conftest import run_kgtool
from kgtool.sparql import catalog, queries

ENTRIES = json.loads(run_kgtool("queries", "--format", "json").stdout)
CASES = cases(ENTRIES)


@pytest.fixture(scope="session")
def answer(store_dir: Path, fixture_store: Path):
    """The actual answer of a case (each case runs once per session)."""
    stores = {"paper": store_dir, "fixture": fixture_store}

    @cache
    def run(case: Case) -> Answer:
        entry = catalog.resolve(case.query)
        result = queries.run(stores[case.store], entry, dict(case.values))
        return Answer.parse(serialize(list(result.variables), result.rows))

    return run


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_answer_is_the_golden_one(case: Case, answer, request):
    actual = answer(case)
    if request.config.getoption("--update-golden"):
        case.path.parent.mkdir(parents=True, exist_ok=True)
        case.path.write_text(actual.text())
        return
    assert case.path.is_file(), f"no golden file {case.path}: run pytest {__file__} --update-golden and review it"
    golden = Answer.parse(case.path.read_text())
    problems = differences(catalog.resolve(case.query).text, golden, actual)
    assert not problems, "\n".join([f"{case.id} differs from {case.path.name}:", *problems])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_no_two_rows_share_a_key(case: Case, answer):
    actual = answer(case)
    key = KEYS[case.query]
    assert set(key) <= set(actual.variables), f"{case.query}: key {key} not among {actual.variables}"
    assert actual.duplicate_keys(key) == []


def test_every_query_declares_its_key():
    assert set(KEYS) == {entry["name"] for entry in ENTRIES}


def test_every_golden_file_belongs_to_a_case(request):
    expected = {case.path for case in CASES}
    present = {path for store in STORES for path in (GOLDEN / store).glob("*.tsv")}
    if request.config.getoption("--update-golden"):
        for stale in present - expected:
            stale.unlink()
        return
    assert present == expected


@pytest.mark.parametrize("name", sorted(KEYS))
def test_every_query_answers_and_binds_every_column_somewhere(name: str):
    """A golden of nothing would pass on an empty answer: each query has rows, and each column a value."""
    goldens = [Answer.parse(case.path.read_text()) for case in CASES if case.query == name and case.path.is_file()]
    assert any(golden.rows for golden in goldens)
    for variable in goldens[0].variables:
        assert any(golden.column(row, variable) for golden in goldens for row in golden.rows), variable


def test_actors_with_a_sector_have_no_sectorless_row(answer):
    """actors-by-sector lists an actor without sector only when none is stated or implied for it."""
    for store in STORES:
        actual = answer(Case(store, "actors-by-sector", ()))
        sectors: dict[tuple[str, str], set[str]] = {}
        for row in actual.rows:
            sectors.setdefault((actual.column(row, "actor"), actual.column(row, "kind")), set()).add(
                actual.column(row, "sector")
            )
        mixed = {actor: found for actor, found in sectors.items() if "" in found and len(found) > 1}
        assert mixed == {}, store
