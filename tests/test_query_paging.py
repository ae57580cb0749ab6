"""`kgtool query` shows a page in the terminal (the first rows, the total, how to see more); csv/tsv/json stay
complete, and --offset/--limit cut every format alike. On a seeded synthetic store with hundreds of rows."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from generated_store import build_generated_store

from conftest import run_kgtool

QUERY = "actor-strategy-preference"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_generated_store(tmp_path_factory.mktemp("paging"))


@pytest.fixture(scope="module")
def rows(store: Path) -> list[list[str]]:
    """Every row of the answer, as csv prints it (header first)."""
    done = run_kgtool("query", QUERY, "--store", str(store), "--format", "csv")
    assert done.code == 0, done.stderr
    return list(csv.reader(io.StringIO(done.stdout)))


def test_machine_formats_are_complete(store: Path, rows: list[list[str]]):
    assert len(rows) - 1 > 100  # far more than one page
    done = run_kgtool("query", QUERY, "--store", str(store), "--format", "tsv")
    assert len(done.stdout.splitlines()) == len(rows)


def test_the_table_shows_a_page_the_total_and_how_to_see_more(store: Path, rows: list[list[str]]):
    total = len(rows) - 1
    done = run_kgtool("query", QUERY, "--store", str(store))
    assert done.code == 0, done.stderr
    words = " ".join(done.stdout.split())
    assert f"rows 1–50 of {total} shown" in words
    assert "--offset 50" in words and "--all" in words
    assert len(re.findall(r"^│ Synthetic", done.stdout, re.MULTILINE)) <= 50 * 3  # a row may wrap, not 300 rows


def test_offset_and_limit_page_on(store: Path, rows: list[list[str]]):
    total = len(rows) - 1
    done = run_kgtool("query", QUERY, "--store", str(store), "--offset", "50", "--limit", "7", "--lang", "es")
    words = " ".join(done.stdout.split())
    assert f"se muestran las filas 51–57 de {total}" in words and "--offset 57" in words
    cut = run_kgtool("query", QUERY, "--store", str(store), "--format", "csv", "--offset", "50", "--limit", "7")
    assert list(csv.reader(io.StringIO(cut.stdout))) == [rows[0], *rows[51:58]]


def test_all_shows_every_row(store: Path, rows: list[list[str]]):
    total = len(rows) - 1
    done = run_kgtool("query", QUERY, "--store", str(store), "--all", "--format", "table")
    assert done.code == 0, done.stderr
    assert done.stdout.split()[-2:] == [str(total), "rows"]
    last_actor = rows[-1][1]
    assert last_actor in done.stdout


def test_limit_and_all_together_is_a_usage_error(store: Path):
    done = run_kgtool("query", QUERY, "--store", str(store), "--all", "--limit", "3")
    assert done.code == 2 and "--all" in done.stderr and "Traceback" not in done.stderr
