"""`kgtool push`: the store's named graphs on a real Oxigraph server, replaced whole, by either protocol.

What reaches the server is compared with the store as canonicalized RDF (RDFC-1.0), so blank nodes (OWL
restrictions, lists) must arrive connected, and literals with quotes, backslashes, newlines, braces and `#`
must arrive unchanged, whether sent by Graph Store Protocol PUT or by SPARQL Update in small batches.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import LOOPBACK, free_port, oxigraph_server
from test_remote import gate

from conftest import run_kgtool
from kgtool.errors import BackendUnavailable, UsageError
from kgtool.sparql import http as sparql_http
from kgtool.sparql import push, remote
from kgtool.store import build
from kgtool.store.core import opened

EX = "http://example.org/"
HOSTILE_LITERALS = [
    'a "quoted" word',
    "back\\slash and \\u0022 written out",
    "new\nline\ttab\r",
    "} DROP ALL ; INSERT DATA { <urn:x> <urn:y> 'z' } #",
    "ünïcödé — ñandú 🚀",
    "'''triple''' and \"\"\"quotes\"\"\"",
]


@pytest.fixture()
def hostile_store(tmp_path: Path) -> Path:
    """A store with awkward literals and a six-element RDF list (a chain of blank nodes) in two graphs."""
    target = tmp_path / "hostile-store"
    store = ox.Store(str(target))
    graph = ox.NamedNode(EX + "graph/literals")
    for number, text in enumerate(HOSTILE_LITERALS):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{number}"), ox.NamedNode(EX + "text"), ox.Literal(text), graph))
    store.add(ox.Quad(ox.NamedNode(EX + "s0"), ox.NamedNode(EX + "lang"), ox.Literal("hola", language="es"), graph))
    lists = ox.NamedNode(EX + "graph/list")
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    node: ox.NamedNode | ox.BlankNode = ox.NamedNode(rdf + "nil")
    for item in range(6):
        cell = ox.BlankNode()
        store.add(ox.Quad(cell, ox.NamedNode(rdf + "first"), ox.Literal(str(item)), lists))
        store.add(ox.Quad(cell, ox.NamedNode(rdf + "rest"), node, lists))
        node = cell
    store.add(ox.Quad(ox.NamedNode(EX + "thing"), ox.NamedNode(EX + "items"), node, lists))
    store.flush()
    del store
    return target


def canonical(quads) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def store_quads(*store_dirs: Path) -> set[ox.Quad]:
    """The named-graph quads of the stores, canonicalized together (blank node labels are per dataset)."""
    quads = []
    for store_dir in store_dirs:
        with opened(store_dir) as store:
            quads.extend(q for q in store if isinstance(q.graph_name, ox.NamedNode))
    return canonical(quads)


def server_quads(base: str) -> set[ox.Quad]:
    """The server's quads but for the union graph kgtool push writes beside the store's graphs."""
    rows = remote.RemoteEndpoint(base + "/query").select("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return canonical(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows if r["g"].value != remote.UNION_GRAPH)


@pytest.mark.parametrize("method", [push.GRAPH_STORE, push.UPDATE])
def test_the_server_holds_exactly_the_stores_graphs(method, store_dir: Path, hostile_store: Path, tmp_path: Path):
    with oxigraph_server(tmp_path / "server") as base:
        to = push.targets(base + "/query")
        if method == push.UPDATE:
            to = push.Targets(to.query, to.update, None)
        for source in (store_dir, hostile_store):
            report = push.push(source, to, batch_size=2)
            assert report.method == method
        assert server_quads(base) == store_quads(store_dir, hostile_store)


def test_a_push_replaces_its_graphs_and_leaves_the_others_alone(hostile_store: Path, tmp_path: Path):
    with oxigraph_server(tmp_path / "server") as base:
        seed = f"""INSERT DATA {{
            GRAPH <{EX}graph/literals> {{ <{EX}stale> <{EX}text> "from an older push" }}
            GRAPH <{EX}graph/someone-else> {{ <{EX}kept> <{EX}text> "not the store's" }} }}"""
        sparql_http.send("POST", base + "/update", seed.encode(), "application/sparql-update", 30)
        for to in (push.targets(base + "/query"), push.Targets(base + "/query", base + "/update")):
            push.push(hostile_store, to, batch_size=3)
            graphs = {
                r["g"].value
                for r in remote.RemoteEndpoint(base + "/query")
                .select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
                .rows
            }
            # No staging graph left, and no union graph: this server's default graph is the union (docs/ENGINES.md O5)
            assert graphs == {EX + "graph/literals", EX + "graph/list", EX + "graph/someone-else"}
            assert server_quads(base) - store_quads(hostile_store) == canonical(
                [
                    ox.Quad(
                        ox.NamedNode(EX + "kept"),
                        ox.NamedNode(EX + "text"),
                        ox.Literal("not the store's"),
                        ox.NamedNode(EX + "graph/someone-else"),
                    )
                ]
            )


def test_without_a_graph_store_the_push_falls_back_to_sparql_update(hostile_store: Path, tmp_path: Path):
    with oxigraph_server(tmp_path / "server") as base:
        # No Graph Store Protocol at that path (HTTP 404): the graphs go by SPARQL Update instead.
        report = push.push(hostile_store, push.Targets(base + "/query", base + "/update", base + "/no-graph-store"))
        assert report.method == push.UPDATE
        assert server_quads(base) == store_quads(hostile_store)
        with pytest.raises(BackendUnavailable, match=r"no SPARQL service at .*/no-graph-store \(HTTP 404\)"):
            push.push(hostile_store, push.Targets(base + "/query", None, base + "/no-graph-store"))


def test_progress_is_reported_up_to_every_triple(store_dir: Path, tmp_path: Path):
    seen: list[tuple[str, int, int]] = []
    with oxigraph_server(tmp_path / "server") as base:
        report = push.push(
            store_dir,
            push.Targets(base + "/query", base + "/update"),
            batch_size=500,
            progress=lambda graph, sent, total: seen.append((graph, sent, total)),
        )
    assert seen[-1][1:] == (report.total_triples, report.total_triples)
    assert [sent for _, sent, _ in seen] == sorted(sent for _, sent, _ in seen)
    assert {graph for graph, _, _ in seen} == {graph for graph, _ in report.graphs}


def _named_graph_count(store: Path) -> int:
    """Counted in a function: the database's lock goes with the last reference to it, which ends here."""
    with opened(store) as db:
        return sum(1 for _ in db.named_graphs())


def test_kgtool_push_then_query_on_the_server(store_dir: Path, tmp_path: Path):
    with oxigraph_server(tmp_path / "server") as base:
        result = run_kgtool("push", "--endpoint", base + "/query", "--store", str(store_dir))
        assert result.code == 0, result.stderr
        graphs = _named_graph_count(store_dir)
        assert graphs == len(build.project_sources()) + 1  # one named graph per source file and the entailments
        assert result.stdout.startswith(f"Pushed {graphs} named graphs (")
        assert "by Graph Store Protocol" in result.stdout
        assert result.stderr == ""
        matrix = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--endpoint", base + "/query")
    assert (
        matrix.stdout
        == run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--store", str(store_dir)).stdout
    )


def test_a_server_whose_default_graph_is_empty_needs_no_setting(store_dir: Path, tmp_path: Path):
    # A stock `oxigraph serve`: its default graph is empty, so a query that relied on it would find nothing.
    with oxigraph_server(tmp_path / "server", union=False) as base:
        result = run_kgtool("push", "--endpoint", base + "/query", "--store", str(store_dir))
        assert result.code == 0 and result.stderr == "", result.stderr
        default_graph = remote.RemoteEndpoint(base + "/query").select("SELECT * WHERE { ?s ?p ?o } LIMIT 1").rows
        assert default_graph == []
        matrix = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--endpoint", base + "/query")
    assert matrix.code == 0, matrix.stderr
    embedded = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--store", str(store_dir))
    assert matrix.stdout == embedded.stdout


def test_push_through_an_authenticating_gateway(hostile_store: Path, tmp_path: Path):
    with oxigraph_server(tmp_path / "server") as base, gate(base, "alice", "s3cret") as front:
        args = ["push", "--endpoint", front + "/query", "--store", str(hostile_store)]
        no_file = {"NETRC": str(tmp_path / "none")}
        refused = run_kgtool(*args, env=no_file)
        assert refused.code == 3 and "refused the credentials (HTTP 401)" in refused.stderr
        credentials = {**no_file, "KGTOOL_ENDPOINT_USER": "alice", "KGTOOL_ENDPOINT_PASSWORD": "s3cret"}
        accepted = run_kgtool(*args, env=credentials)
        assert accepted.code == 0, accepted.stderr
        assert server_quads(base) == store_quads(hostile_store)


@pytest.mark.parametrize("status", [500, 502])
def test_a_server_error_during_a_push_exits_3(hostile_store: Path, status: int):
    with gate(f"http://{LOOPBACK}:{free_port()}", failure=status) as front:
        result = run_kgtool("push", "--endpoint", front + "/query", "--store", str(hostile_store))
    assert result.code == 3 and f"failed with a server error (HTTP {status})" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_missing_store_exits_3_before_any_request(tmp_path: Path):
    result = run_kgtool(
        "push", "--endpoint", f"http://{LOOPBACK}:{free_port()}/query", "--store", str(tmp_path / "none")
    )
    assert result.code == 3 and "kgtool build" in result.stderr


def test_counts_that_differ_after_a_push_are_an_error(hostile_store: Path, tmp_path: Path):
    with oxigraph_server(tmp_path / "server") as base:
        push.push(hostile_store, push.targets(base + "/query"))
        sparql_http.send(
            "POST",
            base + "/update",
            f'DELETE DATA {{ GRAPH <{EX}graph/literals> {{ <{EX}s0> <{EX}lang> "hola"@es }} }}'.encode(),
            "application/sparql-update",
            30,
        )
        server = remote.RemoteEndpoint(base + "/query")
        with pytest.raises(
            BackendUnavailable, match=r"holds 6 triples in <http://example.org/graph/literals>, the store 7"
        ):
            push._check_counts(server, {EX + "graph/literals": 7})


# -- where to push -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "update", "graph_store"),
    [
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store"),  # Oxigraph
        ("http://host:3030/ds/query", "http://host:3030/ds/update", "http://host:3030/ds/data"),  # Fuseki
        ("https://host/fuseki/kg/sparql/", "https://host/fuseki/kg/update", "https://host/fuseki/kg/data"),
        ("http://host:8890/sparql", "http://host:8890/sparql", "http://host:8890/sparql-graph-crud"),  # Virtuoso
        ("http://host:8890/sparql-auth", "http://host:8890/sparql-auth", "http://host:8890/sparql-graph-crud-auth"),
    ],
)
def test_services_are_derived_for_oxigraph_virtuoso_and_fuseki(endpoint: str, update: str, graph_store: str):
    assert push.targets(endpoint) == push.Targets(endpoint, update, graph_store)


def test_given_services_are_used_as_given():
    explicit = push.targets("http://host/sparql", update_endpoint="http://host/sparql-auth")
    assert explicit == push.Targets("http://host/sparql", "http://host/sparql-auth", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--endpoint", "http://127.0.0.1:9/kg/endpoint"], "pass --update-endpoint URL"),
        (["--endpoint", "http://127.0.0.1:9/query", "--graph-store", "file:///tmp/x"], "give an http:// or https://"),
        (["--endpoint", "http://bob:pw@127.0.0.1:9/query"], "do not put credentials in the URL"),
        (["--endpoint", "http://127.0.0.1:9/query", "--batch-size", "0"], "give a positive number of triples"),
    ],
)
def test_bad_push_options_exit_2(args: list[str], message: str, store_dir: Path):
    result = run_kgtool("push", *args, "--store", str(store_dir))
    assert result.code == 2 and message in result.stderr and "pw@" not in result.stderr


def test_batches_keep_blank_node_chains_whole():
    def iri(name: str) -> ox.NamedNode:
        return ox.NamedNode(EX + name)

    chain = [ox.BlankNode() for _ in range(5)]
    linked = [ox.Triple(a, iri("next"), b) for a, b in itertools.pairwise(chain)]
    plain = [ox.Triple(iri(f"s{n}"), iri("p"), ox.Literal(str(n))) for n in range(7)]
    triples = plain[:3] + linked + plain[3:] + [ox.Triple(iri("root"), iri("first"), chain[0])]
    batches = list(push.batches(triples, 3))
    assert sorted(map(str, (t for batch in batches for t in batch))) == sorted(map(str, triples))
    holding = [batch for batch in batches if any(isinstance(t.object, ox.BlankNode) for t in batch)]
    assert len(holding) == 1 and len(holding[0]) >= 5  # the chain and the triple pointing at it, together
    assert all(len(batch) <= 3 for batch in batches if batch is not holding[0])
    with pytest.raises(UsageError):
        push.push(Path("unused"), push.Targets("http://127.0.0.1:9/query"), batch_size=0)
