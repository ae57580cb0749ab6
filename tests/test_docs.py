"""``kgtool docs``: the offline site documents every legitimacy type, strategy, query and rule, renders
whatever shapes/ holds (a fixture here, nothing, and the shipped folder), and loads nothing from the network.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, run_kgtool
from kgtool.check import quality
from kgtool.docs import shapes as docs_shapes
from kgtool.docs import site as docs
from kgtool.errors import InputError
from kgtool.rdf import ontology, resources
from kgtool.rdf.labels import label_index
from kgtool.rdf.namespaces import SAL
from kgtool.sparql import catalog

LEGITIMACY_TYPES = [
    "MarketLegitimacy",
    "RelationalLegitimacy",
    "SocialLegitimacy",
    "InvestmentLegitimacy",
    "AllianceLegitimacy",
]
STRATEGIES = ["SustainableDevelopment", "PovertyReduction", "InstitutionalDevelopment"]
#: Elements whose src/href/data make a browser fetch something (a plain <a href> is only a link).
FETCHING = {"script", "link", "img", "iframe", "source", "video", "audio", "embed", "object", "input", "track"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> docs.Site:
    return docs.build_site(tmp_path_factory.mktemp("site"), shapes_dir=FIXTURES / "docs" / "shapes")


@pytest.fixture(scope="module")
def english_labels() -> dict[str, str]:
    return label_index(ontology.load(), "en")


def text_of(path: Path) -> str:
    """The visible text of an HTML page, tags removed and whitespace collapsed."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    import html as html_module

    return re.sub(r"\s+", " ", html_module.unescape(text))


class FetchCollector(HTMLParser):
    """Every URL an HTML page would fetch, and the CSS it carries."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in FETCHING:
            self.fetched += [v for k, v in values.items() if k in ("src", "href", "data", "poster", "srcset") and v]
        if values.get("style"):
            self.css.append(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)


def test_the_site_has_every_page_the_stylesheet_and_the_ontology_files(site):
    names = [page.name for page in site.pages]
    assert names[0] == "index.html"
    assert set(names) == {file for file, _ in docs.docs_html.PAGES}
    assert (site.root / "style.css").is_file()
    shipped = {p.name for p in site.root.joinpath("ontology").iterdir()}
    assert shipped == {"sal.ttl", "legitimacy.ttl", "strategies.ttl", "vocabularies.ttl", "catalog-v001.xml"}
    index = (site.root / "index.html").read_text(encoding="utf-8")
    for file, _ in docs.docs_html.PAGES:
        assert f'href="{file}"' in index
    assert 'href="ontology/catalog-v001.xml"' in index


def test_nothing_is_fetched_from_the_network(site):
    pages = sorted(site.root.glob("*.html"))
    assert len(pages) == len(docs.docs_html.PAGES)
    for page in pages:
        collector = FetchCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        remote = [url for url in collector.fetched if re.match(r"(https?:)?//", url.strip(), re.I)]
        assert remote == [], page.name
        assert not any(re.search(r"@import|url\(\s*['\"]?(https?:)?//", css, re.I) for css in collector.css), page.name
    assert "url(" not in (site.root / "style.css").read_text(encoding="utf-8")


def test_every_legitimacy_type_and_strategy_is_documented_in_both_languages(site, english_labels):
    vocabularies = text_of(site.root / "vocabularies.html")
    spanish = label_index(ontology.load(), "es")
    for name in LEGITIMACY_TYPES + STRATEGIES:
        assert english_labels[SAL + name] in vocabularies, name
        assert spanish[SAL + name] in vocabularies, name
        assert f'id="sal-{name}"' in (site.root / "vocabularies.html").read_text(encoding="utf-8")
    # Table 1 attributes appear with the legitimacy types
    assert english_labels[SAL + "motivation"] in vocabularies and english_labels[SAL + "targetAudience"] in vocabularies


def test_the_pylode_pages_document_the_ontology_in_english_and_spanish(site, english_labels):
    english = (site.root / "ontology.html").read_text(encoding="utf-8")
    assert "<title>SAL: Strategic Alliances and Legitimacy ontology</title>" in english
    assert english_labels[SAL + "PublicPrivateAlliance"] in text_of(site.root / "ontology.html")
    assert 'class="kgtool"' in english  # kgtool's navigation bar
    spanish = text_of(site.root / "ontology-es.html")
    assert "alianza público-privada" in spanish and "SAL: ontología de alianzas estratégicas y legitimidad" in spanish


def test_every_query_and_rule_is_documented(site):
    queries = text_of(site.root / "queries.html")
    for name, query in catalog.catalog().items():
        assert name in queries and query.summary in queries
        for parameter in query.parameters:
            assert parameter.name in queries
    rules = text_of(site.root / "quality.html")
    for rule in quality.load_rules():
        assert rule.name in rules and rule.summary in rules
    assert "inconsistent-ontology" in rules


def test_the_shapes_page_says_what_each_shape_requires_in_both_languages(site):
    shapes = text_of(site.root / "shapes.html")
    assert "salsh:ExampleActorShape" in shapes and "File actors.ttl" in shapes
    assert "targetClass: actor (sal:Actor)" in shapes
    for message in ("An actor needs a name.", "Un actor necesita un nombre.", "El actor no tiene sector."):
        assert message in shapes
    assert "at least 1 value(s)" in shapes
    assert "^sal:partner" in shapes and "values are instances of partnership (sal:Partnership)" in shapes
    assert "(severity Warning)" in shapes
    assert "sal:partnerIn / sal:underStrategy" in shapes
    assert "one of: poverty reduction (sal:PovertyReduction), sustainable development" in shapes
    # a property shape shared from another file
    assert "at most 1 value(s)" in shapes and "Un solo sector." in shapes
    assert "SELECT $this WHERE" in shapes


def test_the_shapes_page_works_with_no_shapes_and_with_the_shipped_folder(tmp_path: Path):
    empty = docs_shapes.shapes_page(docs_shapes.load_shapes(tmp_path, {}))
    assert "No SHACL shapes yet" in empty
    shipped = docs_shapes.load_shapes(resources.folder("shapes"), {})
    page = docs_shapes.shapes_page(shipped)
    assert page.startswith("<!DOCTYPE html>")
    assert all("(unreadable path)" not in prop.path for shape in shipped for prop in shape.properties)


def test_an_ontology_without_title_is_refused(tmp_path: Path):
    untitled = tmp_path / "untitled.ttl"
    untitled.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<https://example.org/o> a owl:Ontology .\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="pyLODE needs an ontology title"):
        docs.ontology_html(ontology.load(untitled))


def test_pylode_gets_one_language_and_one_ontology_header():
    quads = ontology.load()
    kept = docs.pylode_input(quads, docs.main_ontology(quads), "en")
    languages = {q.object.language for q in kept if isinstance(q.object, ox.Literal) and q.object.language}
    assert languages == {"en"}
    headers = {q.subject.value for q in kept if q.object == ontology.OWL_ONTOLOGY}
    assert headers == {"https://w3id.org/sal"}


def test_kgtool_docs_from_the_command_line(tmp_path: Path):
    out = tmp_path / "site"
    result = run_kgtool("docs", "--out", str(out))
    assert result.code == 0, result.stderr
    assert "index.html" in result.stdout and (out / "index.html").is_file()
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    for args, message in (
        (["--out", str(a_file)], "is a file, not a folder"),
        (["--out", str(out), "--shapes", str(tmp_path / "none")], "no such folder"),
    ):
        failed = run_kgtool("docs", *args)
        assert failed.code == 2 and failed.stderr.count("\n") == 1 and message in failed.stderr
        assert "Traceback" not in failed.stderr
