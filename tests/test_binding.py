"""kgtool.sparql.catalog and kgtool.sparql.binding: grlc decorators, parameters, and binding that cannot be injected."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.errors import InputError, UsageError
from kgtool.sparql.binding import bind_parameters, with_bindings
from kgtool.sparql.catalog import load_query, parse_decorators
from kgtool.sparql.queries import run_on_store

QUERY = """#+ summary: Labels of one thing
#+ description: >
#+   A folded description: with a colon,
#+   over two lines.
#+ tags:
#+   - test
#+   - labels
#+ defaults:
#+   - lang: en

PREFIX ex: <http://example.org/>
# a comment with a brace { that must not be taken for the WHERE group
SELECT ?label WHERE {
  ?thing ex:label ?label .
  FILTER(?thing = ?_thing_iri || STR(?label) = ?_text)
  FILTER(!BOUND(?__lang) || langMatches(lang(?label), ?__lang))
}
"""


@pytest.fixture()
def query(tmp_path: Path):
    path = tmp_path / "labels-of.rq"
    path.write_text(QUERY, encoding="utf-8")
    return load_query(path)


@pytest.fixture()
def store() -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/"
    for thing, label in [("a", "alpha"), ("b", "beta"), ("c", 'x"} DROP ALL #')]:
        store.add(ox.Quad(ox.NamedNode(ex + thing), ox.NamedNode(ex + "label"), ox.Literal(label, language="en")))
    return store


def test_decorators_are_read_like_grlc(query):
    assert query.summary == "Labels of one thing"
    assert query.description == "A folded description: with a colon, over two lines."
    assert query.tags == ["test", "labels"]
    assert parse_decorators(QUERY)["defaults"] == {"lang": "en"}


def test_parameters_follow_grlc_naming(query):
    found = {(p.name, p.required, p.kind, p.default) for p in query.parameters}
    assert found == {
        ("thing", True, "iri", None),
        ("text", True, "string", None),
        ("lang", False, "string", "en"),
    }


def test_a_missing_required_parameter_is_named(query):
    with pytest.raises(UsageError, match="needs the parameter 'thing'"):
        bind_parameters(query, {"text": "x"})


def test_an_unknown_parameter_is_refused(query):
    with pytest.raises(UsageError, match="no parameter 'colour'"):
        bind_parameters(query, {"thing": "http://example.org/a", "text": "x", "colour": "red"})


def test_bound_values_select_rows(query, store):
    rows = run_on_store(store, query, {"thing": "http://example.org/a", "text": "beta"}).rows
    assert sorted(row["label"].value for row in rows) == ["alpha", "beta"]


@pytest.mark.parametrize(
    "hostile",
    ['x"} DROP ALL #', "x' } . ?s ?p ?o . #", "} UNION { ?thing ?p ?label }", 'a"""b', "\\\\ \\n {}", "#"],
)
def test_no_value_can_change_the_query_structure(query, store, hostile):
    rows = run_on_store(store, query, {"thing": "http://example.org/none", "text": hostile}).rows
    matches = [row["label"].value for row in rows]
    assert matches == ([hostile] if hostile == 'x"} DROP ALL #' else [])
    assert len(list(store)) == 3  # nothing dropped


def test_an_iri_parameter_refuses_a_broken_iri(query):
    with pytest.raises(UsageError, match="is not an IRI"):
        bind_parameters(query, {"thing": "http://example.org/a> } DROP ALL {", "text": "x"})


def test_a_term_replaces_its_variable_but_not_in_comments_strings_or_iris():
    text = 'PREFIX ex: <http://e/x?_s>\n# ?_s here is a comment\nSELECT ("?_s" AS ?b) ?o WHERE { ?_s ?p ?o }'
    bound = with_bindings(text, {"?_s": ox.NamedNode("http://e/a")})
    assert bound == text.replace("{ ?_s ?p", "{ <http://e/a> ?p")


def test_a_term_is_written_so_that_the_query_stays_valid_where_a_variable_is_needed():
    two = ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    text = (
        "SELECT ?__n (COUNT(?s) AS ?c) WHERE { ?s ?p ?o FILTER(!BOUND(?__n) || ?o > $__n) } "
        "GROUP BY ?s ?__n HAVING (?c >= ?__n)"
    )
    bound = with_bindings(text, {"?__n": two})
    assert bound == (
        f"SELECT ({two} AS ?__n) (COUNT(?s) AS ?c) WHERE {{ ?s ?p ?o FILTER(!true || ?o > {two}) }} "
        f"GROUP BY ?s  HAVING (?c >= {two})"
    )
    assert [str(row["__n"]) for row in ox.Store().query(bound).__iter__()] == []  # parses: no row on no data
    assert with_bindings(text, {}) == text  # an optional parameter left out stays an unbound variable


@pytest.mark.parametrize(
    "hostile",
    [
        "sald:x> } DROP ALL { <urn:y",
        "https://w3id.org/sal/id/a b",
        'sald:x"',
        "sald:x{}",
        "<https://w3id.org/sal/id/newmont>",
    ],
)
def test_a_catalog_iri_parameter_refuses_anything_but_one_iri(hostile: str):
    from kgtool.sparql.catalog import resolve

    with pytest.raises(UsageError, match="is not an IRI"):
        bind_parameters(resolve("actor-alliances"), {"actor": hostile})


def test_project_prefixes_are_expanded_and_full_iris_kept():
    from kgtool.sparql.catalog import resolve

    query = resolve("legitimacy-gaps")
    short = bind_parameters(query, {"strategy": "sal:PovertyReduction", "typology": "sald:x"})
    assert short["__strategy_iri"] == ox.NamedNode("https://w3id.org/sal#PovertyReduction")
    assert short["__typology_iri"] == ox.NamedNode("https://w3id.org/sal/id/x")
    full = bind_parameters(query, {"strategy": "https://example.org/s"})
    assert full["__strategy_iri"] == ox.NamedNode("https://example.org/s")


def test_a_catalog_query_binds_its_parameters_where_every_filter_and_having_sees_them(store_dir: Path):
    from kgtool.sparql import catalog, queries

    crossover = catalog.resolve("crossover-alliances")
    counts = {
        minimum: len(queries.run(store_dir, crossover, {"min": minimum}).rows) for minimum in ("1", "2", "3", "4")
    }
    # Seven alliances fulfil a legitimacy type; one of them fulfils three (see test_catalog_paper.py).
    assert counts == {"1": 7, "2": 1, "3": 1, "4": 0}


def test_headers_are_yaml_and_their_values_stay_text(tmp_path: Path):
    """grlc reads ``#+`` headers with a YAML parser; kgtool too, keeping numbers, dates and booleans as text."""
    header = parse_decorators(
        "#+ summary: 'Alliances: by strategy'\n#+ description: >\n#+   two\n#+   lines\n#+ tags:\n#+   - a\n"
        "#+ defaults:\n#+   - min: 2\n#+   - when: 2010-03-01\nSELECT * WHERE { ?s ?p ?o }\n"
    )
    assert header == {
        "summary": "Alliances: by strategy",
        "description": "two lines",
        "tags": ["a"],
        "defaults": {"min": "2", "when": "2010-03-01"},
    }
    broken = tmp_path / "broken.rq"
    broken.write_text("#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.rq: its #\+ header is not YAML: .*flow sequence"):
        load_query(broken)
