"""kgtool.sparql.queries and kgtool.sparql.backends: one preparation for every backend, checked before anything runs."""

from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.errors import UsageError
from kgtool.sparql import backends, catalog, queries
from kgtool.sparql.catalog import load_query

EX = "http://example.org/"


def query_file(tmp_path: Path, text: str, name: str = "probe.rq") -> catalog.CatalogQuery:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_query(path)


@pytest.mark.parametrize(
    "text",
    ["DROP ALL", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "CLEAR DEFAULT", "LOAD <http://e/x>"],
)
def test_updates_are_refused_before_any_backend_is_asked(tmp_path: Path, text: str):
    with pytest.raises(UsageError, match="SPARQL Update is refused"):
        queries.prepare(query_file(tmp_path, text))


@pytest.mark.parametrize("text", ["ASK { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://e/a>"])
def test_only_select_queries_are_run(tmp_path: Path, text: str):
    with pytest.raises(UsageError, match="is not a SELECT query"):
        queries.prepare(query_file(tmp_path, text))


def test_a_syntax_error_is_one_line_with_the_file(tmp_path: Path):
    with pytest.raises(UsageError) as error:
        queries.prepare(query_file(tmp_path, "SELECT ?x WHERE {\n  ?x ?p \n"))
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'probe.rq'}: invalid SPARQL:") and "\n" not in message


def test_preparing_a_query_never_touches_the_network(tmp_path: Path):
    # A SERVICE clause is parsed, not evaluated: the listening socket below must see no connection. Without a
    # host allowed it is refused (issue 13); with its host allowed it is prepared, still without a request.
    from kgtool.sparql.guard import Policy

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.3)
        port = listener.getsockname()[1]
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        with pytest.raises(UsageError, match="--allow-service"):
            queries.prepare(query_file(tmp_path, text))
        assert "SERVICE" in queries.prepare(query_file(tmp_path, text), policy=Policy.allowing(["127.0.0.1"]))
        with pytest.raises(TimeoutError):
            listener.accept()


def test_prepare_binds_defaults_and_values():
    text = queries.prepare(catalog.resolve("actor-alliances"), {"actor": "sald:newmont"})
    assert "sal:operatesThrough <https://w3id.org/sal/id/newmont> ." in text
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert 'langMatches(lang(?aWanted), "en")' in text and not [line for line in code if "?_actor_iri" in line]


@pytest.fixture()
def labelled() -> backends.StoreBackend:
    store = ox.Store()
    rdfs_label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    pref_label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    facts = [
        ("a", rdfs_label, ox.Literal("alpha", language="en")),
        ("a", rdfs_label, ox.Literal("alfa", language="es")),
        ("b", rdfs_label, ox.Literal("beta", language="en")),
        ("c", rdfs_label, ox.Literal("gamma")),
        ("c", rdfs_label, ox.Literal("gamma (de)", language="de")),
        ("d", pref_label, ox.Literal("delta", language="es")),
    ]
    graph = ox.NamedNode(EX + "graph")
    for thing, predicate, label in facts:
        store.add(ox.Quad(ox.NamedNode(EX + thing), predicate, label, graph))
    return backends.StoreBackend(store)


def test_labels_prefer_the_language_then_english_then_untagged(labelled):
    iris = {EX + name for name in "abcde"}
    assert queries.labels(labelled, iris, "es") == {
        EX + "a": "alfa",
        EX + "b": "beta",  # no Spanish label: English
        EX + "c": "gamma",  # neither: the untagged one before another language
        EX + "d": "delta",  # skos:prefLabel counts
    }
    assert queries.labels(labelled, iris, "en")[EX + "a"] == "alpha"
    assert queries.labels(labelled, set(), "en") == {}


def test_the_default_graph_is_the_union_of_the_named_graphs(labelled):
    # The labels above sit in a named graph; a query without GRAPH sees them.
    result = labelled.select("SELECT ?x WHERE { ?x rdfs:label ?l } ORDER BY ?x")
    assert result.variables == ["x"] and len(result.rows) == 5


def test_unbound_variables_are_absent_from_a_row(labelled):
    result = labelled.select(f"SELECT ?x ?none WHERE {{ VALUES ?x {{ <{EX}a> }} }}")
    assert result.variables == ["x", "none"] and result.rows == [{"x": ox.NamedNode(EX + "a")}]


def test_run_opens_the_store_by_folder(store_dir: Path):
    # The README's notebook example: queries.run(store folder, catalog query, values).
    result = queries.run(store_dir, catalog.resolve("legitimacy-strategy-matrix"), {"lang": "es"})
    labels = sorted(row["strategyLabel"].value for row in result.rows)  # the three strategies, and "not stated"
    assert labels == ["desarrollo institucional", "desarrollo sostenible", "no consta", "reducción de la pobreza"]


def test_a_missing_store_is_a_backend_error(tmp_path: Path):
    from kgtool.errors import BackendUnavailable

    with pytest.raises(BackendUnavailable, match="kgtool build"):
        queries.run(tmp_path / "none", catalog.resolve("legitimacy-strategy-matrix"))


def test_list_cells_and_booleans_come_back_alike_whatever_the_engine_wrote():
    text = (
        'SELECT ?a (GROUP_CONCAT(DISTINCT COALESCE(?x, ""); separator=" \\" | ") AS ?list) '
        "WHERE { ?a ?p ?x } GROUP BY ?a"
    )
    running, lists = queries.list_columns(text)
    assert lists == {"list": ' " | '} and queries.UNIT_SEPARATOR in running and '" \\" | "' not in running
    boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    # As Virtuoso writes them: items in its order, no language tag, "" for no item, a boolean as 1.
    written = [
        {"list": ox.Literal("zeta\x1falpha\x1f\x1falpha"), "flag": ox.Literal("1", datatype=boolean)},
        {"list": ox.Literal(""), "flag": ox.Literal("0", datatype=boolean)},
        {"list": ox.Literal("beta\x1falpha", language="en")},
    ]
    result = queries.normalized(backends.QueryResult(["list", "flag"], written), lists)
    assert result.rows == [
        {"list": ox.Literal('alpha " | zeta'), "flag": ox.Literal("true", datatype=boolean)},
        {"flag": ox.Literal("false", datatype=boolean)},
        {"list": ox.Literal('alpha " | beta')},
    ]
