"""kgtool.report.html: one self-contained page, safe against hostile labels, in the report's language.

These read the HTML as a parser does; tests/test_browser_report.py opens it in a real browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report import collect, expected_counts, records_store  # noqa: F401  (records_store is a fixture)

from kgtool.rdf.namespaces import SAL
from kgtool.report import html as report_html


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of <style> and <script>."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline: dict[str, list[str]] = {"style": [], "script": [], "data": []}
        self._inside: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        data = tag == "script" and attributes.get("type") == "application/json"  # never run (the cards' data)
        self._inside = "data" if data else tag if tag in self.inline else None

    @property
    def scripts(self) -> list[dict[str, str]]:
        """The script elements a browser runs."""
        return [a for t, a in self.tags if t == "script" and a.get("type") != "application/json"]

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside:
            self.inline[self._inside].append(data)

    def attrs(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]


@pytest.fixture(scope="module")
def pages(store_dir: Path) -> dict[str, str]:
    return {lang: report_html.render(collect(store_dir, lang), "the test store") for lang in ("en", "es")}


def test_the_page_is_one_file_that_loads_nothing(pages):
    for text in pages.values():
        page = Page(text)
        for tag, attrs in page.tags:
            for name in ("src", "href", "srcset", "action", "data", "poster", "xlink:href"):
                value = attrs.get(name, "")
                assert not re.match(r"\s*(https?:)?//", value), (tag, name, value)
            if tag in ("script", "img", "iframe", "embed", "object", "audio", "video", "source"):
                assert "src" not in attrs, (tag, attrs)
        assert not page.attrs("link", rel="stylesheet") and not [t for t, _ in page.tags if t in ("img", "iframe")]
        assert "@import" not in "".join(page.inline["style"]) and "url(" not in "".join(page.inline["style"])


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_a_content_security_policy_allows_only_the_pages_own_style_and_script(pages):
    page = Page(pages["en"])
    (meta,) = page.attrs("meta", **{"http-equiv": "Content-Security-Policy"})
    policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["img-src"] == "'none'"
    (style,), (script,) = page.inline["style"], page.inline["script"]
    assert policy["style-src"] == _sha256(style) and policy["script-src"] == _sha256(script)
    assert len(page.attrs("style")) == 1 and len(page.scripts) == 1
    (data,) = page.inline["data"]  # the cards' data: one JSON island that no "<" can end
    assert json.loads(data)["cards"] and "<" not in data
    assert not [a for _, a in page.tags if "style" in a or any(n.startswith("on") for n in a)]  # no inline handlers


def test_heatmap_cells_carry_the_counts_and_link_to_their_alliances(pages):
    page = Page(pages["en"])
    cells = page.attrs("td")
    counted = {(c["data-strategy"], c["data-type"]): int(c["data-count"]) for c in cells if "data-count" in c}
    expected = expected_counts()
    assert counted == {
        (strategy, type_): expected.get((strategy.removeprefix(SAL), type_.removeprefix(SAL)), 0)
        for strategy, type_ in counted
    }
    assert len(counted) == 20  # three strategies and the alliances with no stated strategy, by five types
    ids = {a.get("id") for _, a in page.tags}
    links = {a["href"][1:] for a in page.attrs("a") if a.get("href", "").startswith("#cell-")}
    assert len(links) == 4 and links <= ids  # the four non-empty cells, each with its list


def test_every_internal_link_has_a_target(pages):
    for text in pages.values():
        page = Page(text)
        ids = {a["id"] for _, a in page.tags if "id" in a}
        targets = {a["href"][1:] for _, a in page.tags if a.get("href", "").startswith("#")}
        assert targets <= ids, targets - ids


def test_the_spanish_page_speaks_spanish(pages):
    page = Page(pages["es"])
    assert page.attrs("html")[0]["lang"] == "es"
    assert "Estrategia × legitimidad" in pages["es"] and "Red de alianzas" in pages["es"]
    assert "legitimidad de mercado" in pages["es"] and "desarrollo sostenible" in pages["es"]
    assert "Strategy × legitimacy" not in pages["es"]


def test_labels_are_escaped_not_run(records_store: Path):  # noqa: F811
    # An alliance named "<script>alert('x')</script> & "Co" alliance" (tests/fixtures/report/records.ttl).
    text = report_html.render(collect(records_store, "en"), "the test store")
    page = Page(text)
    assert len(page.scripts) == 1
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Co&quot; alliance" in text
    (data,) = page.inline["data"]
    assert r"\u003cscript>alert('x')\u003c/script> & \"Co\" alliance" in data
    named = [card[3] for card in json.loads(data)["cards"]]
    assert "<script>alert('x')</script> & \"Co\" alliance" in named


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_is_byte_for_byte_its_golden_copy(records_store: Path, lang: str, request):  # noqa: F811
    # The page is rendered from templates (kgtool/report/assets/*.j2); a change to them, or to the code that fills
    # them, must not change one byte where nothing should change. The store: the paper's data with the markup-named
    # alliance of tests/fixtures/report/records.ttl. When the page is meant to change, --update-golden and review.
    import datetime

    from kgtool import __version__

    text = report_html.render(collect(records_store, lang), "the test store", today=datetime.date(2026, 1, 2))
    text = text.replace(f"kgtool {__version__}", "kgtool VERSION")
    golden = Path(__file__).parent / "golden" / "report" / f"records-{lang}.html"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        return
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        shorter = min(len(text), len(expected))
        at = next((index for index in range(shorter) if text[index] != expected[index]), shorter)
        pytest.fail(f"the page differs from {golden.name} at character {at}: {text[at - 80 : at + 80]!r}")
