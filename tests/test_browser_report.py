"""The report in a real browser: headless Chromium opens the file with the network shut, as a reader would.

The heatmap must carry the paper's counts (from the paper's statements, tests/test_paper_case.py), each count
must lead to its alliances, the network must show every alliance of the paper's case with its partners and no
two visible names overlapping (as Chromium measures them), and the page must make no request and log no
error. Screenshots of the English and Spanish reports are saved under the test's temporary folder.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import chromium, is_png, page, screenshot
from generated_store import build_generated_store
from report_synthetic import build_synthetic_store
from test_paper_case import PAPER_ROWS
from test_report import PAPER_ALLIANCES, expected_counts

from kgtool.rdf.namespaces import SAL, SALD
from kgtool.report import generate as report
from kgtool.report.network import text_width
from kgtool.report.svg import LEGITIMACY_COLOURS, SECTOR_COLOURS, UNKNOWN_SECTOR_COLOUR

NBI = SALD + "newmont-buenaventura-ifc-alliance"


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def reports(store_dir: Path, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    return {
        lang: report.write_report(folder / f"report-{lang}.html", store_dir, lang=lang).path for lang in ("en", "es")
    }


@contextmanager
def open_report(browser, path: Path) -> Iterator[tuple]:
    """A page on the report file, in a context with no network at all (offline, and every request refused)."""
    with page(browser, offline=True) as (tab, watch):
        tab.goto(path.as_uri())
        yield tab, watch


def label_boxes(tab) -> list[dict]:
    """Chromium's boxes of every visible name in the network, and of every node shape."""
    return tab.evaluate(
        """() => {
          const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
          const nodes = [...document.querySelectorAll('#network-svg .node')];
          return nodes.map(n => {
            const label = n.querySelector('text.label');
            const shown = getComputedStyle(label).display !== 'none';
            return {key: n.dataset.key, name: n.dataset.name, text: label.textContent,
                    bold: n.classList.contains('alliance'),
                    label: shown ? box(label) : null, shape: box(n.querySelector('a, .shape') || n)};
          });
        }"""
    )


def overlaps(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_heatmap_carries_the_papers_counts_with_no_request_and_no_error(browser, reports, lang, tmp_path):
    with open_report(browser, reports[lang]) as (tab, watch):
        cells = tab.eval_on_selector_all(
            "table.heatmap td",
            "cells => cells.map(c => [c.dataset.strategy, c.dataset.type, c.innerText.trim()])",
        )
        expected = expected_counts()
        assert len(cells) == 20  # three strategies and the alliances with no stated strategy, by five types
        assert {(s, t): int(text) for s, t, text in cells} == {
            (s, t): expected.get((s.removeprefix(SAL), t.removeprefix(SAL)), 0) for s, t, _ in cells
        }
        heading = tab.inner_text("#matrix h2")
        assert heading == {"en": "Strategy × legitimacy", "es": "Estrategia × legitimidad"}[lang]
        assert tab.evaluate("document.documentElement.lang") == lang
        shot = screenshot(tab, tmp_path / f"report-{lang}.png")
        assert is_png(shot)
        assert watch.requests == [reports[lang].as_uri()]  # the page itself, nothing else
        watch.assert_clean()


def test_a_count_leads_to_the_alliances_behind_it(browser, reports):
    # "The organizations that form this kind of alliance include the mining companies Yanacocha, Barrick,
    # Xstrata, Antamina, Poderosa, Marcobre": six social-legitimacy alliances under sustainable development.
    cell = f'td[data-strategy="{SAL}SustainableDevelopment"][data-type="{SAL}SocialLegitimacy"] a'
    with open_report(browser, reports["en"]) as (tab, watch):
        tab.click(cell)
        target = tab.evaluate("location.hash")
        assert target == "#cell-SustainableDevelopment-SocialLegitimacy"
        assert tab.is_visible(target)
        alliances = tab.eval_on_selector_all(f"{target} a", "links => links.map(a => a.dataset.alliance)")
        assert len(alliances) == 6
        partner_sets = set()
        for alliance in alliances:
            tab.click(f'{target} a[data-alliance="{alliance}"]')
            card = tab.evaluate("location.hash")
            assert tab.get_attribute(card, "data-iri") == alliance and tab.is_visible(card)
            partner_sets.add(
                frozenset(
                    tab.eval_on_selector_all(
                        f'{card} [data-role="partner"]', "els => els.map(e => e.dataset.actor.split('/').pop())"
                    )
                )
            )
            tab.go_back()
        expected = {partners for partners, type_, _ in PAPER_ROWS if type_ == "SocialLegitimacy"}
        assert partner_sets == expected
        watch.assert_clean()


def test_the_network_shows_every_alliance_of_the_papers_case(browser, reports, tmp_path):
    with open_report(browser, reports["en"]) as (tab, watch):
        drawn = {item["key"]: item for item in label_boxes(tab)}
        for slug, partners in PAPER_ALLIANCES.items():
            iri = SALD + slug
            node = tab.locator(f'#network-svg .node.alliance[data-key="{iri}"]')
            assert node.count() == 1 and node.is_visible(), slug
            shown = drawn[iri]
            assert shown["label"], f"{slug}: its name is hidden"
            assert shown["text"].rstrip("…") in shown["name"] or shown["text"] in shown["name"], slug
            for partner in partners:
                edge = f'#network-svg line.edge.partner[data-source="{iri}"][data-target="{SALD + partner}"]'
                assert tab.locator(edge).count() == 1, (slug, partner)
        # Colours: the Newmont–Buenaventura–IFC alliance in its three types' colours, its partners by sector.
        fills = set(
            tab.eval_on_selector_all(f'.node[data-key="{NBI}"] path', "ps => ps.map(p => p.getAttribute('fill'))")
        )
        types = ("MarketLegitimacy", "RelationalLegitimacy", "SocialLegitimacy")
        assert fills == {LEGITIMACY_COLOURS[SAL + name] for name in types}
        newmont = tab.get_attribute(f'.node[data-key="{SALD}newmont"] rect', "fill")
        ifc = tab.get_attribute(f'.node[data-key="{SALD}ifc"] rect', "fill")
        # The IFC's sector is not stated: its alliance is one of the "Alliances between companies" (seed l.178).
        assert (newmont, ifc) == (SECTOR_COLOURS[SAL + "PrivateSector"], UNKNOWN_SECTOR_COLOUR)
        assert is_png(screenshot(tab.locator("#network"), tmp_path / "network-en.png"))
        watch.assert_clean()


def assert_legible(items: list[dict]) -> None:
    """No visible name overlaps another, or a node other than its own (boxes as Chromium draws them)."""
    shown = [item for item in items if item["label"]]
    for a, b in itertools.combinations(shown, 2):
        assert not overlaps(a["label"], b["label"]), (a["text"], b["text"])
    for item in shown:
        for other in items:
            if other is not item:
                assert not overlaps(item["label"], other["shape"]), (item["text"], other["name"])


def test_visible_names_do_not_overlap_and_the_width_estimate_is_generous(browser, reports):
    with open_report(browser, reports["en"]) as (tab, watch):
        items = label_boxes(tab)
        assert_legible(items)
        for item in items:  # the layout's width estimate must not fall short of what Chromium draws
            drawn_width = item["label"][2] - item["label"][0]
            estimate = text_width(item["text"], bold=item["bold"])
            assert drawn_width <= estimate + 1, (item["text"], drawn_width, estimate)
        watch.assert_clean()


def test_hovering_an_alliance_lights_its_partners_and_search_finds_nodes(browser, reports):
    with open_report(browser, reports["en"]) as (tab, watch):
        tab.hover(f'.node[data-key="{NBI}"] .ring')
        assert "focus" in tab.get_attribute("#network-svg", "class")
        lit = tab.eval_on_selector_all("#network-svg .node.lit", "ns => ns.map(n => n.dataset.key.split('/').pop())")
        assert set(lit) == {"newmont-buenaventura-ifc-alliance", "newmont", "buenaventura", "ifc", "yanacocha"}
        tab.fill("#network-search", "Barrick")  # its two alliances and the company
        assert tab.inner_text("#network-matches") == "3"
        watch.assert_clean()


def test_the_spanish_report_falls_back_to_english_where_a_text_has_no_translation(browser, reports):
    with open_report(browser, reports["es"]) as (tab, watch):
        card = tab.inner_text("#alliance-newmont-buenaventura-ifc-alliance")
        assert "Alianza Newmont–Buenaventura–CFI (Yanacocha)" in card and "Beneficios" in card
        assert "líder en la industria del oro" in card  # the partner's benefit, translated
        # The evidence keeps the words of the paper's English translation (seed l.178).
        assert "because it engages in social responsibility activities" in card
        assert tab.inner_text("#network h2") == "Red de alianzas"
        watch.assert_clean()


def test_a_network_of_three_hundred_alliances_in_the_browser(browser, tmp_path_factory, tmp_path):
    store = build_synthetic_store(tmp_path_factory.mktemp("synthetic-browser"))
    out = report.write_report(tmp_path / "synthetic.html", store).path
    with open_report(browser, out) as (tab, watch):
        items = label_boxes(tab)
        assert sum(1 for item in items if item["key"].startswith(SALD + "syn-alliance-")) == 300
        assert_legible(items)
        assert is_png(screenshot(tab.locator("#network"), tmp_path / "synthetic-network.png"))
        watch.assert_clean()


def _card_markup(tab) -> list[str]:
    return tab.eval_on_selector_all("#cards > article.card", "cards => cards.map(c => c.outerHTML)")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_script_draws_each_card_as_the_page_does(browser, reports, lang):
    # Cards past the first page are drawn by report.js from the JSON island; the first page is drawn by the
    # template. Redrawing the first page with the script must give the same markup, card for card.
    with open_report(browser, reports[lang]) as (tab, watch):
        served = _card_markup(tab)
        assert len(served) == len(PAPER_ALLIANCES)  # every alliance of the paper, on the first page
        tab.select_option("#card-type", index=1)  # the script redraws...
        assert len(_card_markup(tab)) < len(served)
        tab.select_option("#card-type", "")  # ...and back to every card
        assert _card_markup(tab) == served
        watch.assert_clean()


@pytest.fixture(scope="module")
def synthetic_report(tmp_path_factory) -> Path:
    """The report of a seeded synthetic store (benchmarks/generate.py: 334 alliances, synthetic data only)."""
    folder = tmp_path_factory.mktemp("synthetic-report")
    store = build_generated_store(folder, 40_000, seed=20240601)
    return report.write_report(folder / "report.html", store).path


def test_a_large_report_finds_pages_and_counts_what_the_network_leaves_out(browser, synthetic_report):
    with open_report(browser, synthetic_report) as (tab, watch):
        data = tab.evaluate("JSON.parse(document.getElementById('report-data').textContent)")
        cards, size = data["cards"], data["pageSize"]
        assert len(cards) > 300 and tab.locator("#cards > article.card").count() == size
        # Search reaches a card that is not on the first page.
        wanted = cards[-1]
        tab.fill("#card-search", wanted[3])
        assert tab.is_visible(f'#cards > article.card[data-iri="{wanted[1]}"]')
        assert tab.inner_text("#card-status").endswith(f"of {tab.locator('#cards > article.card').count()}")
        tab.fill("#card-search", "")
        # Paging: the second page starts with the card after the first page.
        tab.click("#card-next")
        assert tab.get_attribute("#cards > article.card", "data-iri") == cards[size][1]
        assert tab.inner_text("#card-status") == f"Alliances {size + 1}–{2 * size} of {len(cards)}"
        # A link to a card on no page drawn (as the network's and the matrix's links are) brings its page.
        tab.evaluate(f"location.hash = '#{cards[-2][0]}'")
        tab.wait_for_selector(f"#{cards[-2][0]}")
        assert tab.get_attribute(f"#{cards[-2][0]}", "data-iri") == cards[-2][1]
        # The network draws the most connected alliances; its note counts the rest, alliances and actors.
        drawn = set(tab.eval_on_selector_all("#network-svg .node", "ns => ns.map(n => n.dataset.key)"))
        alliances = [card[1] for card in cards]
        actors = {data["actors"][part[0]][0] for card in cards for part in card[9]}
        assert len(drawn & set(alliances)) == 300
        note = tab.inner_text("#network-left-out")
        assert f"{len(alliances) - 300} more alliances and {len(actors - drawn)} actors" in note
        watch.assert_clean()


def test_the_watch_catches_a_page_that_reaches_out(browser, tmp_path):
    # The guard the tests above rely on: a page that loads from the network is caught, not waved through.
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><img src="https://cdn.example.org/x.png"><script src="http://127.0.0.1:9/x.js"></script>',
        encoding="utf-8",
    )
    with page(browser) as (tab, watch):
        tab.goto(leaky.as_uri())
        assert set(watch.refused) == {"https://cdn.example.org/x.png", "http://127.0.0.1:9/x.js"}
        with pytest.raises(AssertionError, match="reach the network"):
            watch.assert_clean()


@pytest.mark.parametrize("hash_", ["#constructor", "#toString", "#__proto__", "#%E0%A4%A"])
def test_a_link_to_no_card_leaves_the_cards_as_they_are(browser, reports, hash_):
    # Regression (review): the script looked a link's anchor up in a plain object, so #constructor or #toString
    # (names every object inherits) counted as a card: page NaN, every card taken away, a TypeError; a malformed
    # escape (#%E0%A4%A) threw in decodeURIComponent.
    with open_report(browser, reports["en"]) as (tab, watch):
        served = _card_markup(tab)
        tab.goto(reports["en"].as_uri() + hash_)
        tab.reload()
        assert _card_markup(tab) == served
        assert "NaN" not in tab.inner_text("#card-status")
        watch.assert_clean()


def test_a_report_with_no_alliance_says_so_in_the_pager(browser, tmp_path):
    # Regression (review): the script's first status line counted "Alliances 1–0 of 0" on a store with no alliance.
    from conftest import run_kgtool

    data = tmp_path / "data"
    data.mkdir()
    (data / "synthetic-empty.ttl").write_text("@prefix sal: <https://w3id.org/sal#> .\n", encoding="utf-8")
    store = tmp_path / "store"
    assert run_kgtool("build", "--data", str(data), "--store", str(store)).code == 0
    path = report.write_report(tmp_path / "report.html", store).path
    with open_report(browser, path) as (tab, watch):
        assert tab.locator("#cards > article.card").count() == 0
        assert tab.inner_text("#card-status") == "No alliance matches."
        watch.assert_clean()
