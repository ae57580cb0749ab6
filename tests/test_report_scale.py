"""The report at scale: the same bytes whatever the hash seed, and a network overview that draws the most
connected alliances only, stating its rule and what it leaves out (synthetic store, 400 alliances)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_synthetic import build_synthetic_store

from conftest import run_kgtool
from kgtool.report.island import PAGE_SIZE
from kgtool.report.svg import MOST_CONNECTED

ALLIANCES = 400


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_synthetic_store(tmp_path_factory.mktemp("report-scale"), alliances=ALLIANCES)


def _report(store: Path, out: Path, seed: str) -> str:
    done = run_kgtool("report", "--store", str(store), "--out", str(out), env={"PYTHONHASHSEED": seed})
    assert done.code == 0, done.stderr
    return out.read_text()


def test_the_same_bytes_whatever_the_hash_seed(store: Path, tmp_path: Path):
    first = _report(store, tmp_path / "a.html", "1")
    assert first == _report(store, tmp_path / "b.html", "2")


def test_the_overview_draws_the_most_connected_and_says_what_is_left_out(store: Path, tmp_path: Path):
    page = _report(store, tmp_path / "r.html", "0")
    start = page.index('<div class="network-frame">')
    svg = page[start : page.index("</svg>", start)]
    assert len(re.findall(r'class="node alliance', svg)) == MOST_CONNECTED < ALLIANCES
    note = re.search(r'<p class="note" id="network-left-out">([^<]*)</p>', page)
    assert note and f"{MOST_CONNECTED} alliances with the most partners" in note.group(1)
    assert f"{ALLIANCES - MOST_CONNECTED} more alliances" in note.group(1)
    # Every alliance keeps its card: the first page in HTML, every card in the page's data (the script pages them).
    assert page.count('<article class="card') == PAGE_SIZE < ALLIANCES
    data = page[page.index('<script type="application/json" id="report-data">') :].split(">", 1)[1]
    assert len(json.loads(data[: data.index("</script>")])["cards"]) == ALLIANCES
