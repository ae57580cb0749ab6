"""The HTML validation report in a real browser: headless Chromium opens it offline, as the submitter would.

The page is made by ``kgtool validate --format html`` from the example workbook with typical mistakes (synthetic
records); it must make no request and log no error, its stylesheet must pass its own Content-Security-Policy,
and it must show what the JSON report says: the same counts, every problem under its record with the same cell,
violations before warnings. Screenshots of both languages go under the test's temporary folder (and to
``$KGTOOL_SCREENSHOTS`` when set).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from browser import chromium, is_png, page, screenshot

from conftest import ROOT, run_kgtool

MISTAKES = ROOT / "data" / "examples" / "water-alliance-with-mistakes.xlsx"
NO_STORE = {"KGTOOL_STORE": ""}
TITLES = {"en": "Validation report for the submitted records", "es": "Informe de validación de los registros enviados"}
SECTIONS = {
    "en": ("Violations: must be corrected", "Warnings: should be corrected"),
    "es": ("Violaciones: deben corregirse", "Advertencias: deberían corregirse"),
}


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def _validate(path: Path, output_format: str, lang: str, cwd: Path) -> str:
    done = run_kgtool("validate", str(path), "--format", output_format, "--lang", lang, cwd=cwd, env=NO_STORE)
    assert done.code == 1, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    folder = tmp_path_factory.mktemp("html")
    found = {}
    for lang in ("en", "es"):
        html = folder / f"report-{lang}.html"
        html.write_text(_validate(MISTAKES, "html", lang, folder), encoding="utf-8")
        found[lang] = (html, json.loads(_validate(MISTAKES, "json", lang, folder)))
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_report_shows_what_the_json_says_offline_and_styled(browser, pages, lang, tmp_path):
    html, report = pages[lang]
    with page(browser, offline=True) as (tab, watch):
        tab.goto(html.as_uri())
        assert tab.title() == TITLES[lang]
        assert tab.evaluate("document.documentElement.lang") == lang
        counts = tab.eval_on_selector_all("#counts li strong", "items => items.map(i => Number(i.textContent))")
        summary = report["summary"]
        assert counts == [summary["violations"], summary["warnings"], summary["infos"], summary["records"]]
        assert summary["violations"] >= 6 and summary["warnings"] >= 2
        rows = tab.eval_on_selector_all(
            "tr.result", "rows => rows.map(r => [r.classList[1], r.dataset.cell, r.innerText])"
        )
        # every result, once: two constraints of one rule that say the same of one cell are one row
        expected = {(r["severity"], r["cell"] or "", r["message"]) for r in report["results"]}
        assert len(rows) == len(expected)
        for severity, cell, text in rows:
            assert any(e[:2] == (severity, cell) and e[2] in text for e in expected), (severity, cell, text)
        assert all(cell.startswith(("Actor!", "Contribution!", "Project!", "'")) for _, cell, _ in rows if cell)
        headings = tab.eval_on_selector_all("main h2", "hs => hs.map(h => h.textContent)")
        assert headings[0].startswith(SECTIONS[lang][0]) and headings[1].startswith(SECTIONS[lang][1])
        verdict = tab.eval_on_selector("#verdict", "v => getComputedStyle(v).backgroundColor")
        assert verdict not in ("rgba(0, 0, 0, 0)", "transparent"), "the stylesheet was refused"
        shot = screenshot(tab, tmp_path / f"validation-report-{lang}.png")
        watch.assert_clean()
        assert not watch.requests[1:], watch.requests
    assert is_png(shot)


def test_a_value_from_the_workbook_is_text_not_markup(browser, tmp_path):
    book = openpyxl.load_workbook(MISTAKES)
    book["Actor"]["C5"] = '<img src=x onerror="document.title=1"><script>document.title=2</script>'
    hostile = tmp_path / "hostile.xlsx"
    book.save(hostile)
    html = tmp_path / "hostile.html"
    html.write_text(_validate(hostile, "html", "en", tmp_path), encoding="utf-8")
    with page(browser, offline=True) as (tab, watch):
        tab.goto(html.as_uri())
        assert tab.title() == TITLES["en"]
        assert tab.evaluate("document.querySelectorAll('main img, main script').length") == 0
        assert '<img src=x onerror="document.title=1">' in tab.inner_text("main")
        watch.assert_clean()
