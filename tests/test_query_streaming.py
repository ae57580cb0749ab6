"""Listings stream (csv, tsv, json written by Oxigraph's serializers or row by row) with the bytes the rendering
of the whole answer writes: every catalog query, on the paper's data and on a seeded synthetic store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from generated_store import build_generated_store

from conftest import run_kgtool
from kgtool.sparql import catalog, queries, render, streaming
from kgtool.sparql.backends import StoreBackend
from kgtool.store.core import opened

#: One value for each required parameter, from the paper (the synthetic store answers them with no rows).
REQUIRED = {"actor": "sald:newmont", "alliance": "sald:newmont-buenaventura-ifc-alliance"}


def _expected(result, output_format: str) -> bytes:
    if output_format == "json":
        return (render.to_json(result) + "\n").encode()
    return render.to_delimited(result, "," if output_format == "csv" else "\t").encode()


def _streamed(backend: StoreBackend, text: str, output_format: str, lists: dict[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    streaming.write(backend, text, output_format, out, lists)
    return out.getvalue()


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> Path:
    return build_generated_store(tmp_path_factory.mktemp("streaming"))


@pytest.mark.parametrize("which", ["paper", "synthetic"])
def test_every_catalog_query_streams_what_the_rendering_writes(which, store_dir: Path, synthetic_store: Path):
    checked = with_lists = 0
    with opened(store_dir if which == "paper" else synthetic_store) as store:
        backend = StoreBackend(store)
        for entry in catalog.catalog().values():
            values = {p.name: REQUIRED[p.name] for p in entry.parameters if p.required}
            text, lists = queries.list_columns(queries.prepare(entry, values))
            result = queries.normalized(backend.select(text), lists)
            checked += len(result.rows)
            with_lists += len(result.rows) if lists else 0
            for output_format in ("csv", "tsv", "json"):
                expected = _expected(result, output_format)
                streamed = _streamed(backend, text, output_format, lists)
                if output_format == "json":
                    assert json.loads(streamed) == json.loads(expected), entry.name
                else:
                    assert streamed == expected, (entry.name, output_format)
        backend.store = None  # the store's lock goes with the last reference
        del store
    assert checked > 100 and with_lists > 20


def test_awkward_values_stream_as_rendered():
    """Quotes, commas, tabs, CRLF and LF inside values, a missing value, a blank node: the same bytes."""
    store = ox.Store()
    subject = ox.NamedNode("https://example.org/s")
    texts = ['say "hi", then', "a\r\nb", "c\nd", "tab\there", '""', "ñandú €"]
    for index, text in enumerate(texts):
        store.add(ox.Quad(subject, ox.NamedNode(f"https://example.org/p{index}"), ox.Literal(text)))
    store.add(ox.Quad(subject, ox.NamedNode("https://example.org/b"), ox.BlankNode("x")))
    text = "SELECT ?p ?o ?none WHERE { ?s ?p ?o } ORDER BY ?p"
    backend = StoreBackend(store)
    result = backend.select(text)
    for output_format in ("csv", "tsv"):
        assert _streamed(backend, text, output_format) == _expected(result, output_format)


def test_a_lone_carriage_return_is_quoted():
    """Oxigraph quotes a value holding a lone CR (Python's csv writer did not): csv reads it back whole."""
    store = ox.Store()
    values = ["a\rb", "\r", "end"]
    for index, value in enumerate(values):
        store.add(
            ox.Quad(
                ox.NamedNode(f"https://example.org/s{index}"), ox.NamedNode("https://example.org/p"), ox.Literal(value)
            )
        )
    text = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    streamed = _streamed(StoreBackend(store), text, "csv").decode()
    assert list(csv.reader(io.StringIO(streamed, newline=""))) == [["o"], *([value] for value in values)]


def test_line_ends_survive_any_chunking():
    """Oxigraph writes 8 KB chunks; a CRLF or a quote split between two chunks reads the same."""
    crlf = b'a,"x\r\ny"\r\n"q""\r\n",b\r\nlast\r\n'
    for size in (1, 2, 3, 5, len(crlf)):
        out = io.BytesIO()
        stream = streaming._LineEnds(out)
        for start in range(0, len(crlf), size):
            stream.write(crlf[start : start + size])
        stream.close()
        assert out.getvalue() == b'a,"x\r\ny"\n"q""\r\n",b\nlast\n'


@pytest.mark.parametrize("name", ["actor-strategy-preference", "crossover-alliances"])
def test_the_command_streams_complete_listings(name: str, synthetic_store: Path):
    """Without list cells (the engine's serializer) and with them (sorted row by row): what the rendering writes."""
    expected = render.to_delimited(queries.run(synthetic_store, catalog.resolve(name), {}))
    done = run_kgtool("query", name, "--store", str(synthetic_store), "--format", "csv")
    assert done.code == 0, done.stderr
    assert done.stdout == expected and done.stdout.count("\n") > 10


def test_list_cells_stream_sorted_row_by_row():
    """A list cell's items come out deduplicated and sorted whatever order the engine joined them in, an empty
    list unbound, in every format, each row in the query's order."""
    store = ox.Store()
    names = {"b": ["zeta", "alpha", "alpha", "Mu"], "a": ["ñu", "beta"], "c": []}
    for subject, items in names.items():
        node = ox.NamedNode(f"https://example.org/{subject}")
        store.add(ox.Quad(node, ox.NamedNode("https://example.org/kind"), ox.Literal("x")))
        for item in items:
            store.add(ox.Quad(node, ox.NamedNode("https://example.org/name"), ox.Literal(item)))
    text, lists = queries.list_columns(
        'SELECT ?s (GROUP_CONCAT(COALESCE(?n, ""); separator=", ") AS ?names) WHERE { ?s <https://example.org/kind> ?k '
        "OPTIONAL { ?s <https://example.org/name> ?n } } GROUP BY ?s ORDER BY DESC(?s)"
    )
    backend = StoreBackend(store)
    rows = list(csv.reader(io.StringIO(_streamed(backend, text, "csv", lists).decode())))
    assert rows == [
        ["s", "names"],
        ["https://example.org/c", ""],
        ["https://example.org/b", "Mu, alpha, zeta"],
        ["https://example.org/a", "beta, ñu"],
    ]
    assert _streamed(backend, text, "tsv", lists).decode().splitlines()[2] == "https://example.org/b\tMu, alpha, zeta"
    bindings = json.loads(_streamed(backend, text, "json", lists))["results"]["bindings"]
    assert [b.get("names", {}).get("value") for b in bindings] == [None, "Mu, alpha, zeta", "beta, ñu"]
