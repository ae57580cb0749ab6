"""``kgtool serve`` in a real browser: a researcher opens the query page, runs a catalog query, reads the paper.

The YASGUI page the Oxigraph server ships loads its script and style from the server itself. Its prefix
autocompletion also asks a third-party service (http://prefix.cc) for a list of prefixes; that one request is
answered here with an empty list, so that the test depends on no machine outside this one, and the test checks
it is the only request that leaves the server.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from browser import chromium, is_png, page, screenshot
from test_paper_case import PAPER_ROWS, SD

from conftest import kgtool_serve
from kgtool.sparql import catalog, queries

PREFIX_LIST = "http://prefix.cc/popular/all.file.json"


@pytest.fixture()
def served(store_dir: Path):
    """``kgtool serve`` on a free loopback port, as a user starts it; stopped with Ctrl-C (SIGINT)."""
    with kgtool_serve(store_dir) as (_, base):
        yield base


def run_in_yasgui(tab, base: str, text: str) -> list[dict[str, str]]:
    """Type ``text`` into the query editor as a user would (select all, type), press the run button, and read
    the result table: one dict per row, by column name, with the cells as YASR shows them."""
    tab.goto(base + "/")
    tab.wait_for_selector(".yasqe .CodeMirror")
    tab.click(".yasqe .CodeMirror")
    tab.keyboard.press("Control+A")
    tab.keyboard.insert_text(text)
    tab.click(".yasqe_queryButton")
    tab.wait_for_selector(".yasr table tbody tr", timeout=30_000)
    header = [
        cell.strip() for cell in tab.eval_on_selector_all(".yasr table thead th", "ths => ths.map(t => t.innerText)")
    ]
    rows = tab.eval_on_selector_all(
        ".yasr table tbody tr", "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText))"
    )
    return [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in rows]


def literal(cell: str) -> str:
    """``"Newmont–Buenaventura–IFC alliance (Yanacocha)"@en`` -> the text between the quotes."""
    return cell[cell.index('"') + 1 : cell.rindex('"')] if '"' in cell else cell


def test_a_catalog_query_run_in_the_served_query_page_reads_the_papers_alliances(served, store_dir, tmp_path):
    headline = catalog.resolve("alliance-legitimacy-strategy")
    text = queries.prepare(headline)  # the catalog query as kgtool sends it: parameters bound, nothing else
    prefix_list = {PREFIX_LIST: (200, "application/json", "{}")}
    with chromium() as browser, page(browser, allowed_origins=(served + "/",), stand_ins=prefix_list) as opened:
        tab, watch = opened
        rows = run_in_yasgui(tab, served, text)
        assert is_png(screenshot(tab, tmp_path / "kgtool-serve-yasgui.png"))
        watch.assert_clean()
        assert watch.stood_in == [PREFIX_LIST]  # the only request that left the server
        assert all(url.startswith(served + "/") for url in watch.requests if url != PREFIX_LIST)
    # Nine rows, as the paper's statements imply: two market, one relational, six social, under sustainable
    # development except Barrick's market alliances, whose strategy the paper does not state; the same alliances
    # as the store answers with.
    assert len(rows) == len(PAPER_ROWS) == 9
    by_type = Counter(re.sub(r"(?<!^)([A-Z])", r" \1", type_).lower() for _, type_, _ in PAPER_ROWS)
    assert Counter(literal(row["legitimacyLabel"]) for row in rows) == by_type
    assert by_type == {"market legitimacy": 2, "relational legitimacy": 1, "social legitimacy": 6}
    strategies = Counter("sustainable development" if s == SD else "not stated" for _, _, s in PAPER_ROWS)
    assert Counter(literal(row["strategyLabel"]) for row in rows) == strategies
    assert strategies == {"sustainable development": 8, "not stated": 1}
    stored = queries.run(store_dir, headline).rows
    assert Counter(literal(row["allianceLabel"]) for row in rows) == Counter(r["allianceLabel"].value for r in stored)
    assert "Newmont–Buenaventura–IFC alliance (Yanacocha)" in {literal(row["allianceLabel"]) for row in rows}
