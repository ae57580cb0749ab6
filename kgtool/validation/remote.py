"""Validating a graph that is already on a SPARQL server, without downloading it: ``kgtool validate --endpoint``.

The compiled program (``kgtool.validation.compiled``) is a list of SELECT queries over all focus nodes at once,
so the same queries can be sent to a SPARQL 1.1 endpoint instead of the embedded store: the server evaluates
them where the data is, and only the results come back. ``--graph G`` limits the focus nodes to the subjects of
the named graph ``G`` (a submission pushed there), checked against everything else the server holds, as the
embedded engine checks a submission against the knowledge graph; without it every focus node of the server's
default graph is validated. The server's default graph must be the union of its named graphs (as ``kgtool push``
expects), so that ``rdfs:subClassOf`` chains and the records a graph points to are seen.

What comes back besides the results is small and bounded: the number of records, and the types and labels of the
records the report names (asked for by IRI, in batches). A shape the compiler does not claim cannot be validated
remotely (pySHACL would need the whole graph), so it is refused in one line rather than skipped. kgtool's own
checks (undefined ``sal:`` terms, references nobody describes, untyped records) walk a submission's files; they
are not run on an endpoint, and the report says so.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.namespaces import RDFS_LABEL_NODE, SKOS_PREFLABEL_NODE, TYPE_NODE
from kgtool.sparql.remote import RemoteEndpoint
from kgtool.sparql.results import DEFAULT_TIMEOUT
from kgtool.validation import compiled
from kgtool.validation import records as validation_records
from kgtool.validation.compiled.run import run_rule
from kgtool.validation.compiled.targets import Targets
from kgtool.validation.model import ValidationReport
from kgtool.validation.pipeline import LENIENT, as_result
from kgtool.validation.shapes import load_shapes
from kgtool.validation.workspace import CONTEXT, ONTOLOGY, Workspace

#: IRIs asked about in one query when naming the records of a report.
BATCH = 500
#: Queries sent to the server at once (it evaluates them in parallel; more would only queue there).
PARALLEL = 4


def validate_endpoint(
    url: str,
    graph: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    shapes_dir: Path | None = None,
    ontology_dir: Path | None = None,
) -> ValidationReport:
    """Validate the focus nodes of the server at ``url`` (the subjects of ``graph`` if given) with the compiled
    shapes, every query evaluated by the server. Raises ``UsageError`` for a shape that cannot be compiled and
    ``BackendUnavailable`` for a server that fails or does not answer (exit 3)."""
    from kgtool.validation import cache

    endpoint = RemoteEndpoint(url, timeout)
    focus_graph = _graph(graph)
    program = cache.program(load_shapes(shapes_dir), LENIENT)
    if program.fallback:
        shape, reason = next(iter(program.fallback.items()))
        raise UsageError(
            f"the shape {getattr(shape, 'value', shape)} cannot be compiled ({reason}), so it cannot be "
            "validated on an endpoint; validate the graph's files instead",
            es=f"la forma {getattr(shape, 'value', shape)} no se puede compilar ({reason}), así que no se puede "
            "validar en un punto SPARQL; valide los archivos del grafo",
        )
    focus = Targets(program.target_sets, [focus_graph] if focus_graph else None)

    def one(rule: compiled.Rule) -> list[compiled.Finding]:
        return run_rule(rule, lambda text: endpoint.select(text).rows, focus)

    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(program.rules) or 1, os.cpu_count() or 1)) as pool:
        results = [as_result(f) for found in pool.map(one, program.rules) for f in found]
    named = _named(endpoint, results, ontology_dir)
    view = validation_records.View(named, named.store)
    results.sort(key=view.sort_key)
    found = view.records({r.focus for r in results})
    return ValidationReport(
        files=[],
        results=results,
        records=found,
        labels=view.labels(validation_records.iris_in(results, found.values())),
        record_count=_record_count(endpoint, focus_graph),
        references="endpoint",
        references_location=endpoint.url + (f" (graph <{focus_graph.value}>)" if focus_graph else ""),
    )


def _graph(graph: str | None) -> ox.NamedNode | None:
    if graph is None:
        return None
    try:
        return ox.NamedNode(graph)
    except ValueError:
        raise UsageError(f"--graph: not an IRI: {graph!r}", es=f"--graph: no es un IRI: {graph!r}") from None


def _record_count(endpoint: RemoteEndpoint, graph: ox.NamedNode | None) -> int:
    """Distinct subjects of ``graph`` (of the default graph without one), counted by the server."""
    pattern = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    rows = endpoint.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}").rows
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


def _named(endpoint: RemoteEndpoint, results: list, ontology_dir: Path | None) -> Workspace:
    """A workspace without files holding the ontology and the types and labels of the IRIs the results name
    (asked of the server in batches): what a report needs to name and order its records."""
    from kgtool.validation import cache

    workspace = Workspace([])
    workspace.store.load(cache.ontology_ntriples(ontology_dir), format=ox.RdfFormat.N_TRIPLES, to_graph=ONTOLOGY)
    iris = sorted({t for r in results for t in (r.focus, r.value) if isinstance(t, ox.NamedNode)}, key=str)
    wanted = f"VALUES ?p {{ {TYPE_NODE} {RDFS_LABEL_NODE} {SKOS_PREFLABEL_NODE} }}"
    for start in range(0, len(iris), BATCH):
        terms = " ".join(map(str, iris[start : start + BATCH]))
        rows = endpoint.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {terms} }} {wanted} ?s ?p ?o }}").rows
        workspace.store.extend(ox.Quad(row["s"], row["p"], row["o"], CONTEXT) for row in rows)
    return workspace
