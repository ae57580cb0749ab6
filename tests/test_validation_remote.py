"""``kgtool validate --endpoint URL [--graph G]``: the compiled queries run on a real ``oxigraph serve`` on
127.0.0.1 (started and stopped by PID), with the results the embedded compiled engine gives on the same data.

The server holds the ontology, the reference regions, the paper's sources and synthetic records
(``tests/fixtures/validation``: the base records, the probe with one fault per kind of constraint; the example
with typical mistakes), each file in a named graph, sent by the Graph Store Protocol; the embedded run gets the
same graphs in a local store. Blank nodes are named by each store, so they are compared as blank nodes.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pyoxigraph as ox
import pytest
from servers import virtuoso
from test_remote import free_port, oxigraph_server

from conftest import FIXTURES, ROOT, run_kgtool
from kgtool.errors import BackendUnavailable
from kgtool.rdf.namespaces import SALSH
from kgtool.store.core import GRAPH_BASE
from kgtool.validation import cache, compiled, load_shapes
from kgtool.validation.pipeline import LENIENT, as_result
from kgtool.validation.remote import VIRTUOSO_DIFFERS, validate_endpoint

pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")
GRAPHS = {
    "urn:kgtool-test:ontology": None,  # the ontology as kgtool loads it (with its local imports)
    "urn:kgtool-test:regions": ROOT / "data" / "reference" / "regions.ttl",
    "urn:kgtool-test:sources": ROOT / "data" / "sources.ttl",  # the sources the regions and base records cite
    "urn:kgtool-test:base": FIXTURES / "validation" / "base.ttl",
    "urn:kgtool-test:probe": FIXTURES / "validation" / "probe.ttl",
    "urn:kgtool-test:errors": ROOT / "data" / "examples" / "water-alliance-with-errors.ttl",
}


def _content(path: Path | None) -> tuple[bytes, ox.RdfFormat]:
    if path is None:
        return cache.ontology_ntriples(), ox.RdfFormat.N_TRIPLES
    return path.read_bytes(), ox.RdfFormat.TURTLE


def _loaded(graphs: dict[str, Path | None]) -> ox.Store:
    """An in-memory store holding each file in its graph (the embedded engine's data)."""
    store = ox.Store()
    for graph, path in graphs.items():
        data, rdf_format = _content(path)
        store.load(data, format=rdf_format, to_graph=ox.NamedNode(graph))
    return store


@pytest.fixture(scope="module")
def local() -> ox.Store:
    return _loaded(GRAPHS)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """A union-default-graph ``oxigraph serve`` holding ``GRAPHS``; yields its query endpoint."""
    with oxigraph_server(tmp_path_factory.mktemp("validation-server")) as base:
        for graph, path in GRAPHS.items():
            data, rdf_format = _content(path)
            request = urllib.request.Request(
                f"{base}/store?graph={graph}", data=data, method="PUT", headers={"Content-Type": rdf_format.media_type}
            )
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status in (200, 201, 204)
        yield base + "/query"


def _key(result) -> tuple:
    def term(t):
        return "blank node" if isinstance(t, ox.BlankNode) else (str(t) if t is not None else None)

    return (
        term(result.focus), result.path, term(result.value), result.component, result.shape, result.severity,
        tuple(sorted(result.messages.items())),
    )  # fmt: skip


def _embedded(store: ox.Store, graph: str | None) -> Counter:
    program = cache.program(load_shapes(), LENIENT)
    focus = [ox.NamedNode(graph)] if graph else None
    return Counter(_key(as_result(f)) for f in compiled.run(program, store, focus_graphs=focus))


@pytest.mark.parametrize("graph", ["urn:kgtool-test:probe", "urn:kgtool-test:errors", None])
def test_remote_results_are_the_embedded_ones(server: str, local: ox.Store, graph: str | None):
    report = validate_endpoint(server, graph)
    expected = _embedded(local, graph)
    assert Counter(_key(r) for r in report.results) == expected
    assert sum(expected.values()) > 10 and report.count("Violation") > 0  # the faults are found, not just matched
    graphs = [graph] if graph else list(GRAPHS)
    subjects = {q.subject for g in graphs for q in local.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    assert report.record_count == len(subjects)


def test_kgtool_validate_endpoint(server: str):
    graph = "urn:kgtool-test:errors"
    done = run_kgtool("validate", "--endpoint", server, "--graph", graph, "--format", "json")
    assert done.code == 1, done.stderr
    report = json.loads(done.stdout)
    jsonschema.validate(report, json.loads((ROOT / "shapes" / "validation-report.schema.json").read_text("utf-8")))
    assert report["checked_against"] == {"references": "endpoint", "location": f"{server} (graph <{graph}>)"}
    api = validate_endpoint(server, graph)
    assert [(r["record"]["id"], r["path"], r["constraint"], r["shape"]) for r in report["results"]] == [
        (r.focus.value if isinstance(r.focus, ox.NamedNode) else f"_:{r.focus.value}", r.path, r.component, r.shape)
        for r in api.results
    ]
    named = {r["record"]["id"]: r["record"]["label"] for r in report["results"]}
    assert named["https://w3id.org/sal/id/example-water-project"] == "Example drinking water project (synthetic)"
    text = run_kgtool("validate", "--endpoint", server, "--graph", graph, "--lang", "es")
    assert text.code == 1 and "Proyecto" in text.stdout and "no es conforme" in text.stdout
    for output_format, marker in (("turtle", "sh:ValidationReport"), ("html", "<html")):
        done = run_kgtool("validate", "--endpoint", server, "--graph", graph, "--format", output_format)
        assert done.code == 1 and marker in done.stdout and "example-water-project" in done.stdout, done.stderr


def test_a_graph_without_faults_conforms(server: str):
    done = run_kgtool("validate", "--endpoint", server, "--graph", "urn:kgtool-test:base")
    assert done.code == 0, done.stdout + done.stderr
    assert "No problems found" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--endpoint", "http://127.0.0.1:9/query", "data/examples/water-alliance.ttl"),
        ("validate", "--graph", "urn:x", "data/examples/water-alliance.ttl"),
        ("validate", "--endpoint", "http://127.0.0.1:9/query", "--engine", "pyshacl"),
        ("validate", "--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri"),
        ("validate",),
    ],
)
def test_usage_errors(args):
    done = run_kgtool(*args, cwd=ROOT)
    assert done.code == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_an_unreachable_endpoint_is_exit_3():
    with pytest.raises(BackendUnavailable):
        validate_endpoint(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    done = run_kgtool("validate", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--timeout", "5")
    assert done.code == 3 and len(done.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------------------------- Virtuoso 7

#: The same files in graphs named as kgtool names the graphs it writes, pushed with `kgtool push` as a steward
#: pushes a store: Virtuoso then also holds the union graph push writes, which validation must not read twice.
ON_VIRTUOSO = {GRAPH_BASE + "test/" + graph.rsplit(":", 1)[1]: path for graph, path in GRAPHS.items()}


@pytest.fixture(scope="module")
def virtuoso_local() -> ox.Store:
    return _loaded(ON_VIRTUOSO)


@pytest.fixture(scope="module")
def on_virtuoso(tmp_path_factory, virtuoso_local: ox.Store) -> Iterator[str]:
    """Debian's Virtuoso (shipped settings, tests/servers.py) holding ``ON_VIRTUOSO`` by `kgtool push`; its
    endpoint. A server of this module's own: the engine tests' server holds other stores."""
    folder = tmp_path_factory.mktemp("validation-virtuoso")
    pushed_store = ox.Store(str(folder / "store"))
    pushed_store.extend(virtuoso_local)
    pushed_store.flush()
    del pushed_store
    with virtuoso(folder / "server") as server:
        done = run_kgtool("push", "--store", str(folder / "store"), "--endpoint", server.query, "--timeout", "600")
        assert done.code == 0, done.stderr
        yield server.query


def _without(counter: Counter, shapes) -> Counter:
    return Counter({key: n for key, n in counter.items() if key[4] not in shapes})


@pytest.mark.parametrize("name", ["probe", "errors", "base", None])
def test_virtuoso_gives_the_embedded_results_and_names_the_shapes_it_cannot(on_virtuoso, virtuoso_local, name):
    """The same results as the embedded engine, shape by shape, except the shapes Virtuoso answers wrongly: those
    are not run there and the report names them. The server's default graph holds every triple twice (the graphs
    and push's union graph) and every blank node twice as two nodes: a project with one budget would have two."""
    graph = GRAPH_BASE + "test/" + name if name else None
    report = validate_endpoint(on_virtuoso, graph)
    expected = _without(_embedded(virtuoso_local, graph), VIRTUOSO_DIFFERS)
    assert Counter(_key(r) for r in report.results) == expected
    assert sum(expected.values()) > 0 if name != "base" else True
    assert all(r.shape not in VIRTUOSO_DIFFERS for r in report.results)
    assert "NOT validated on this server" in report.references_location
    assert all(shape.replace(SALSH, "salsh:") in report.references_location for shape in VIRTUOSO_DIFFERS)
    graphs = [graph] if graph else list(ON_VIRTUOSO)
    subjects = {q.subject for g in graphs for q in virtuoso_local.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    assert report.record_count == len(subjects)


def test_each_shape_refused_on_virtuoso_is_still_answered_wrongly_there(on_virtuoso, virtuoso_local):
    """The list of refused shapes is no blanket: run anyway, each one's queries answer otherwise than the embedded
    engine (or fail) on the probe or on every graph. A shape that Virtuoso (or a rewrite) gets right fails this."""
    from kgtool.errors import BackendUnavailable as Unavailable
    from kgtool.validation.compiled.run import run_rule
    from kgtool.validation.portable import FencedTargets
    from kgtool.validation.remote import ValidatedServer

    program = cache.program(load_shapes(), LENIENT)
    for shape in VIRTUOSO_DIFFERS:
        rules = [rule for rule in program.rules if rule.shape.value == shape]
        assert rules, f"{shape} is not a shipped shape any more"
        differs = False
        for graph in (GRAPH_BASE + "test/probe", None):
            focus = [ox.NamedNode(graph)] if graph else None
            server = ValidatedServer(on_virtuoso, 60, focus[0] if focus else None)
            try:
                remote = Counter(
                    _key(as_result(f))
                    for rule in rules
                    for f in run_rule(
                        rule, lambda text, s=server: s.select(text).rows, FencedTargets(program.target_sets, focus)
                    )
                )
            except Unavailable:
                differs = True
                continue
            local = Counter(
                _key(as_result(f))
                for f in compiled.run(program, virtuoso_local, focus_graphs=focus)
                if f.shape.value == shape
            )
            differs = differs or remote != local
        assert differs, f"Virtuoso answers {shape} as the embedded engine does: take it off VIRTUOSO_DIFFERS"
