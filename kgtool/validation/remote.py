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

import itertools
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.namespaces import RDFS_LABEL_NODE, SKOS_PREFLABEL_NODE, TYPE_NODE
from kgtool.sparql.remote import RemoteEndpoint
from kgtool.sparql.results import DEFAULT_TIMEOUT
from kgtool.validation import compiled
from kgtool.validation import records as validation_records
from kgtool.validation.compiled.model import RDF, RDFS, Term
from kgtool.validation.compiled.run import run_rule
from kgtool.validation.compiled.targets import Targets, pattern
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
    focus = FencedTargets(program.target_sets, [focus_graph] if focus_graph else None)

    def one(rule: compiled.Rule) -> list[compiled.Finding]:
        return run_rule(rule, lambda text: endpoint.select(portable(text)).rows, focus)

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


class FencedTargets(Targets):
    """The focus nodes the embedded run binds, written as Virtuoso 7 evaluates them right: a target class's
    subclasses found in a sub-SELECT of their own, fenced with a LIMIT no data reaches, and each focus node
    ``?this a ?kind`` of one of them (the catalog's shape 1); the focus set is fenced too. Virtuoso merges an
    unfenced ``rdf:type/rdfs:subClassOf*`` step into the outer plan and then finds no focus node at all next to a
    ``FILTER EXISTS { GRAPH … }`` (docs/ENGINES.md V1, V18). The answer is the same on every engine."""

    def _union(self, key: int, var: str, restrict: bool) -> str:
        limit = self.limit(var) if restrict else ""
        parts = [
            f"{{ {self._pattern(kind, term, var, index)} {limit} }}"
            for index, (kind, term) in enumerate(self.sets[key])
        ]
        return f"{{ SELECT DISTINCT {var} WHERE {{ {' UNION '.join(parts)} }} LIMIT {FENCE} }}"

    @staticmethod
    def _pattern(kind: str, term: Term, var: str, index: int) -> str:
        if kind != "targetClass":
            return pattern(kind, term, var)
        kind_var = f"?focus_kind_{index}"
        closure = f"{{ SELECT DISTINCT {kind_var} WHERE {{ {kind_var} <{RDFS}subClassOf>* {term} }} LIMIT {FENCE} }}"
        return f"{closure} {var} a {kind_var}"


#: The LIMIT of a fenced sub-SELECT (``FencedTargets``): no data set has that many focus nodes.
FENCE = 1_000_000_000
#: A string, an IRI, a comment, or a ``$`` variable (SPARQL's other spelling of ``?``).
_DOLLAR_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*|\$(\w+)'
)


#: An instance test of the compiled checks: ``?v rdf:type/rdfs:subClassOf* <C>`` (``sh:class``, ``sh:or`` of classes).
_INSTANCE = re.compile(rf"(\?\w+) <{re.escape(RDF)}type>/<{re.escape(RDFS)}subClassOf>\* (<[^<>\s]+>)")


def portable(text: str) -> str:
    """``text`` as every engine evaluates it alike (docs/ENGINES.md V17, V18): the same query, written so.

    - Every ``$name`` variable is written ``?name`` (strings, IRIs and comments left alone): both spellings name one
      variable in SPARQL, and the compiled SHACL-SPARQL constraints keep the shapes' ``$this`` beside the focus
      sub-SELECT's ``?this``; Virtuoso reads ``$this`` as another variable, so the two never joined and every
      record on the server came back as a focus node.
    - Each instance test ``?v rdf:type/rdfs:subClassOf* C`` becomes ``?v a ?kind`` with the kinds below ``C`` from a
      fenced sub-SELECT: inside ``MINUS`` or ``NOT EXISTS`` Virtuoso's property path removed nothing (V17), so
      every value of ``sh:class`` was reported as not an instance."""
    text = _DOLLAR_TOKENS.sub(lambda m: "?" + m.group(1) if m.group(1) else m.group(0), text)
    counter = itertools.count()

    def instance(match: re.Match) -> str:
        kind = f"?kgtool_kind_{next(counter)}"
        closure = f"SELECT DISTINCT {kind} WHERE {{ {kind} <{RDFS}subClassOf>* {match.group(2)} }} LIMIT {FENCE}"
        return f"{match.group(1)} a {kind} . {{ {closure} }}"

    return _fold_exists(_INSTANCE.sub(instance, text))


#: ``EXISTS { FILTER NOT EXISTS {`` (either negation optional), up to the inner group's brace.
_NESTED_EXISTS = re.compile(r"(NOT\s+|!\s*)?EXISTS\s*\{\s*FILTER\s*(NOT\s+)?EXISTS\s*\{")
#: What a brace count skips: strings, IRIs, comments.
_OPAQUE = re.compile(_DOLLAR_TOKENS.pattern.removesuffix(r"|\$(\w+)") + r"|[{}]")
_CLOSING = re.compile(r"\s*\}")


def _fold_exists(text: str) -> str:
    """``EXISTS { FILTER NOT EXISTS { X } }`` written ``NOT EXISTS { X }`` (the same test; likewise the other
    negations): the compiled ``sh:or``/``sh:not`` members are such tests, and Virtuoso fails on them ("SQ156:
    Internal Optimized compiler error : unknown table for a column", docs/ENGINES.md V18)."""
    out, position = [], 0
    for match in _NESTED_EXISTS.finditer(text):
        if match.start() < position:
            continue  # inside a group already written
        opened = match.end() - 1
        closed = _matching(text, opened)
        after = _CLOSING.match(text, closed + 1) if closed >= 0 else None
        if after is None:  # the outer group holds more than the inner test: not the same test then
            continue
        negated = bool(match.group(1)) != bool(match.group(2))
        out += [text[position : match.start()], "NOT EXISTS {" if negated else "EXISTS {"]
        out += [_fold_exists(text[opened + 1 : closed]), "}"]
        position = after.end()
    return "".join(out) + text[position:]


def _matching(text: str, opened: int) -> int:
    """The index of the brace that closes the one at ``opened`` (-1 if none)."""
    depth = 0
    for token in _OPAQUE.finditer(text, opened):
        if token.group(0) == "{":
            depth += 1
        elif token.group(0) == "}":
            depth -= 1
            if depth == 0:
                return token.start()
    return -1


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
