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

Servers differ: each query is written as every engine answers it alike (``kgtool.validation.portable``), and the
shapes that Virtuoso 7 still answers wrongly (``VIRTUOSO_DIFFERS``, docs/ENGINES.md V20) are not run there; the
report names them, so nothing is missed or made up in silence.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.namespaces import RDFS_LABEL_NODE, SALSH, SKOS_PREFLABEL_NODE, TYPE_NODE
from kgtool.sparql import http
from kgtool.sparql.queries import normalize_row
from kgtool.sparql.remote import UNION_GRAPH, RemoteEndpoint, with_dataset
from kgtool.sparql.results import DEFAULT_TIMEOUT, QueryResult
from kgtool.validation import compiled
from kgtool.validation import records as validation_records
from kgtool.validation.compiled.run import run_rule
from kgtool.validation.model import ValidationReport
from kgtool.validation.pipeline import LENIENT, as_result
from kgtool.validation.portable import FencedTargets, portable
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

    focus_graph = _graph(graph)
    endpoint = ValidatedServer(url, timeout, focus_graph)
    program = cache.program(load_shapes(shapes_dir), LENIENT)
    if program.fallback:
        shape, reason = next(iter(program.fallback.items()))
        raise UsageError(
            f"the shape {getattr(shape, 'value', shape)} cannot be compiled ({reason}), so it cannot be "
            "validated on an endpoint; validate the graph's files instead",
            es=f"la forma {getattr(shape, 'value', shape)} no se puede compilar ({reason}), así que no se puede "
            "validar en un punto SPARQL; valide los archivos del grafo",
        )
    focus = FencedTargets(program.target_sets, [focus_graph] if focus_graph else None)
    refused = refused_shapes(_server(endpoint), program)
    rules = [rule for rule in program.rules if rule.shape.value not in refused]

    def one(rule: compiled.Rule) -> list[compiled.Finding]:
        return run_rule(rule, lambda text: endpoint.select(text).rows, focus)

    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(rules) or 1, os.cpu_count() or 1)) as pool:
        results = [as_result(f) for found in pool.map(one, rules) for f in found]
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
        references_location=endpoint.url
        + (f" (graph <{focus_graph.value}>)" if focus_graph else "")
        + _not_run(refused),
    )


class ValidatedServer(RemoteEndpoint):
    """The endpoint as validation asks it: each query written as every engine answers it alike (``portable``), its
    booleans canonical (Virtuoso writes ``1``), and on a server that reads the dataset a query names and holds the
    union graph ``kgtool push`` writes, the dataset named: every graph kgtool wrote but that union. Its default graph
    would hold each triple twice there (Virtuoso's is every graph), and each blank node twice as two nodes (the union
    is a copy), so a record with one budget would have two (docs/ENGINES.md V20)."""

    def __init__(self, url: str, timeout: float, focus_graph: ox.NamedNode | None) -> None:
        super().__init__(url, timeout)
        self._focus_graph = focus_graph
        self._dataset: list[str] | None = None

    def select(self, text: str) -> QueryResult:
        answer = super().select(with_dataset(portable(text), self.dataset()))
        return QueryResult(answer.variables, [normalize_row(row, {}) for row in answer.rows])

    def dataset(self) -> list[str]:
        """The graphs named as the dataset (asked once): none where the server's default graph will do."""
        if self._dataset is None:
            self._dataset = []
            if self.honours_from() and UNION_GRAPH in self.graphs():
                named = [graph for graph in self.graphs() if graph != UNION_GRAPH]
                focus = self._focus_graph.value if self._focus_graph else None
                self._dataset = named + ([focus] if focus and focus not in named else [])
        return self._dataset


#: Shapes whose compiled queries Virtuoso 7 answers otherwise than SPARQL 1.1 on the probe of one fault per kind of
#: constraint (``tests/test_validation_remote.py`` shows each one still differs): on Virtuoso they are not run, and
#: the report names them (docs/ENGINES.md V20): never a result missed or made up in silence.
VIRTUOSO_DIFFERS = {
    SALSH + "AllianceTwoPartners": "sh:or of a value and a count over alternative paths",
    SALSH + "AllianceUnnamedPartners": "sh:or of a value and a count over alternative paths",
    SALSH + "AssessmentRating": "numeric datatypes and ranges",
    SALSH + "CompletionPercent": "an ill-typed number stops the query",
    SALSH + "FigureQuantityNotNegative": "NaN in a range",
    SALSH + "FigureRank": "numeric datatypes and ranges",
    SALSH + "FigureUnit": "the datatype of a language-tagged string",
}


def refused_shapes(server: str, program: compiled.Program) -> list[str]:
    """The program's shapes that ``server`` (its HTTP ``Server`` header) would answer wrongly, in order."""
    if "virtuoso" not in server.lower():
        return []
    return sorted({rule.shape.value for rule in program.rules} & set(VIRTUOSO_DIFFERS))


def _server(endpoint: RemoteEndpoint) -> str:
    """The software the endpoint says it is (one ``ASK {}``; its HTTP ``Server`` header)."""
    return http.sparql_query(endpoint.url, "ASK {}", endpoint.timeout, endpoint.auth).headers.get("server", "")


def _not_run(refused: list[str]) -> str:
    """The one line of the report that names the shapes not validated on this server, if any."""
    if not refused:
        return ""
    names = ", ".join(shape.replace(SALSH, "salsh:") for shape in refused)
    return f"; NOT validated on this server (Virtuoso 7 answers their queries wrongly, docs/ENGINES.md V20): {names}"


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
