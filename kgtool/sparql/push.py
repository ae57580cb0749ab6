"""Copying the store to a SPARQL server: every named graph replaced on the server, then counted back.

For researchers whose data outgrows one machine: ``kgtool push`` puts each named graph of the store (one
per source file or submission) on a shared server, replacing the server's graph of the same name and leaving
its other graphs alone. Each graph goes by one Graph Store Protocol PUT where the server has the protocol;
otherwise by SPARQL Update, in batches into a staging graph that one ``MOVE`` then swaps in, so a push that
fails half-way never leaves a graph half-replaced. Batches never split the triples that share a blank node
(a blank node label only means the same node within one request), so OWL restrictions and lists arrive
whole. Last comes one more graph, ``UNION_GRAPH``: the union of the store's graphs, which kgtool's queries on
the server read as their default graph (``FROM``, kgtool.sparql.remote), as the store's own default graph is the
union of its graphs. The server's default graph does not matter then (a stock ``oxigraph serve`` has an empty
one, Virtuoso the union of every graph it holds, other users' too), and one FROM graph is what Virtuoso 7
accepts: with a dozen it estimates catalog queries to take hours and refuses them (MaxQueryCostEstimationTime).
After the push the server's triple count of every graph is compared with the store's.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, UsageError
from kgtool.sparql.http import Credentials, check_timeout, check_url, credentials, http_failure, send
from kgtool.sparql.remote import UNION_GRAPH, RemoteEndpoint
from kgtool.sparql.results import DEFAULT_TIMEOUT
from kgtool.store.core import graph_counts, lock, opened, require

GRAPH_STORE = "Graph Store Protocol"
UPDATE = "SPARQL Update"
#: Triples per SPARQL Update request.
DEFAULT_BATCH = 2000
#: HTTP statuses that mean "this server has no Graph Store Protocol here".
_NO_GRAPH_STORE = (404, 405, 501)
_FUSEKI_SERVICE = re.compile(r"(/.+)/(query|sparql)")

#: Called after each request: (graph IRI being sent, triples sent so far, triples to send in all).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Targets:
    """The server's three services: query (always), update and Graph Store Protocol (either may be None)."""

    query: str
    update: str | None = None
    graph_store: str | None = None


@dataclass(frozen=True)
class _Sending:
    """How every request of one push goes: its timeout, batch size, credentials, and whom to tell of progress
    (graph IRI, triples of it sent so far)."""

    timeout: float
    batch_size: int
    auth: Credentials | None
    advance: Callable[[str, int], None]


@dataclass
class PushReport:
    """What a push did: the graphs with their triple counts, how they were sent, what the server shows."""

    targets: Targets
    method: str = GRAPH_STORE
    graphs: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_triples(self) -> int:
        return sum(count for _, count in self.graphs)


def targets(endpoint: str, update_endpoint: str | None = None, graph_store: str | None = None) -> Targets:
    """The services to push to. Given only the query endpoint, the others are derived for Oxigraph
    (``/query`` -> ``/update``, ``/store``), Virtuoso (``/sparql`` -> ``/sparql``, ``/sparql-graph-crud``;
    ``/sparql-auth`` -> ``/sparql-auth``, ``/sparql-graph-crud-auth``) and Fuseki (``/ds/query`` or
    ``/ds/sparql`` -> ``/ds/update``, ``/ds/data``); for any other server, say where updates go with
    ``--update-endpoint``."""
    check_url(endpoint)
    if update_endpoint or graph_store:
        return Targets(
            endpoint,
            check_url(update_endpoint, "--update-endpoint") if update_endpoint else None,
            check_url(graph_store, "--graph-store") if graph_store else None,
        )
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if path == "/query":
        return Targets(endpoint, at("/update"), at("/store"))
    if path in ("/sparql", "/sparql-auth"):  # Virtuoso: updates on the query endpoint
        return Targets(endpoint, endpoint, at(path.replace("/sparql", "/sparql-graph-crud")))
    fuseki = _FUSEKI_SERVICE.fullmatch(path)
    if fuseki:
        return Targets(endpoint, at(fuseki.group(1) + "/update"), at(fuseki.group(1) + "/data"))
    raise UsageError(
        f"cannot tell where {endpoint} takes updates (kgtool knows Oxigraph's /query, Virtuoso's /sparql and "
        "Fuseki's /DATASET/query); "
        "pass --update-endpoint URL, and --graph-store URL if the server has the Graph Store Protocol"
    )


def push(
    store_dir: Path,
    to: Targets,
    timeout: float = DEFAULT_TIMEOUT,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    auth: Credentials | None = None,
) -> PushReport:
    """Replace each named graph of the store at ``store_dir`` on the server, then check what it holds."""
    timeout = check_timeout(timeout)
    if batch_size < 1:
        raise UsageError(f"--batch-size {batch_size}: give a positive number of triples")
    require(store_dir)
    auth = auth if auth is not None else credentials(to.query)
    report = PushReport(to, method=GRAPH_STORE if to.graph_store else UPDATE)
    # opened before the shared lock is held: a killed ingest's rest is dropped under the exclusive one (core)
    with opened(store_dir) as store, lock(store_dir, exclusive=False):
        counts = graph_counts(store)
        total, sent = sum(counts.values()), 0

        def advance(graph: str, done_in_graph: int) -> None:
            if progress:
                progress(graph, sent + done_in_graph, total)

        how = _Sending(timeout, batch_size, auth, advance)
        for graph in sorted(counts):
            triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
            report.method = _send_graph(report.method, to, graph, triples, how)
            report.graphs.append((graph, len(triples)))
            sent += len(triples)
        server = RemoteEndpoint(to.query, timeout=timeout, auth=auth)
        expected = dict(report.graphs)
        if server.honours_from():
            union = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
            quietly = _Sending(timeout, batch_size, auth, lambda graph, done: None)  # progress counts the store's
            report.method = _send_graph(report.method, to, UNION_GRAPH, union, quietly)
            expected[UNION_GRAPH] = len(union)
        else:  # its default graph is every graph, whatever a query names: a union graph would double each triple
            _drop_union_graph(to, how)
    _check_counts(server, expected)
    return report


def _drop_union_graph(to: Targets, how: _Sending) -> None:
    """Remove the union graph an earlier push may have left (by SPARQL Update, else Graph Store Protocol)."""
    service = to.update or to.graph_store or ""
    try:
        if to.update:
            text = f"DROP SILENT GRAPH <{UNION_GRAPH}>".encode()
            send("POST", to.update, text, "application/sparql-update", how.timeout, how.auth)
        elif to.graph_store:
            send("DELETE", _graph_url(to.graph_store, UNION_GRAPH), b"", "application/n-triples", how.timeout, how.auth)
    except urllib.error.HTTPError as error:
        if error.code != 404:  # no such graph: nothing to drop
            raise http_failure(service, error.code, b"") from None


def _send_graph(method: str, to: Targets, graph: str, triples: list[ox.Triple], how: _Sending) -> str:
    """Send one graph by ``method``; returns the method that worked (Graph Store Protocol may fall back)."""
    if method == GRAPH_STORE and to.graph_store:
        try:
            _put_graph(to.graph_store, graph, triples, how)
        except urllib.error.HTTPError as error:
            if error.code not in _NO_GRAPH_STORE or not to.update:
                raise http_failure(to.graph_store, error.code, error.read()) from None
            method = UPDATE
        else:
            how.advance(graph, len(triples))
            return method
    if not to.update:
        raise UsageError("the server takes no SPARQL Update here: pass --update-endpoint URL")
    _update_graph(to.update, graph, triples, how)
    return method


def _put_graph(service: str, graph: str, triples: list[ox.Triple], how: _Sending) -> None:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    send("PUT", _graph_url(service, graph), body, "application/n-triples", how.timeout, how.auth)


def _graph_url(service: str, graph: str) -> str:
    """The Graph Store Protocol URL of ``graph`` at ``service``."""
    separator = "&" if "?" in service else "?"
    return f"{service}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _update_graph(service: str, graph: str, triples: list[ox.Triple], how: _Sending) -> None:
    """Fill a staging graph batch by batch, then swap it in with one MOVE (which drops the old graph)."""
    staging = "urn:kgtool:push-staging:" + hashlib.sha256(graph.encode()).hexdigest()[:32]

    def update(text: str) -> None:
        try:
            send("POST", service, text.encode("utf-8"), "application/sparql-update", how.timeout, how.auth)
        except urllib.error.HTTPError as error:
            raise http_failure(service, error.code, error.read()) from None

    update(f"DROP SILENT GRAPH <{staging}>")
    done = 0
    for batch in batches(triples, how.batch_size):
        data = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{data}}} }}")
        done += len(batch)
        how.advance(graph, done)
    if triples:
        update(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{graph}>")
    else:
        update(f"DROP SILENT GRAPH <{graph}> ; CREATE SILENT GRAPH <{graph}>")


def batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """``triples`` in batches of about ``size``; the triples connected through blank nodes stay together."""
    batch: list[ox.Triple] = []
    for group in _blank_node_groups(triples):
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _blank_node_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """The triples grouped so that two triples sharing a blank node (directly or by a chain) share a group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        nodes = [term.value for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)]
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[object, list[ox.Triple]] = {}
    for index, triple in enumerate(triples):
        node = next((t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)), None)
        groups.setdefault(root(node) if node else index, []).append(triple)
    return list(groups.values())


def _check_counts(server: RemoteEndpoint, expected: dict[str, int]) -> None:
    """Fail unless the server holds exactly as many triples in each pushed graph as the store."""
    if not expected:
        return
    graphs = " ".join(f"<{graph}>" for graph in expected)
    rows = server.select(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    ).rows
    found = {row["g"].value: int(row["n"].value) for row in rows}
    for graph, count in expected.items():
        if found.get(graph, 0) != count:
            raise BackendUnavailable(
                f"after the push {server.url} holds {found.get(graph, 0)} triples in <{graph}>, the store {count}"
            )
