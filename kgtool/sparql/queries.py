"""Running catalog queries on a backend (the embedded store or a SPARQL endpoint) and returning rows.

A query is prepared the same way for every backend: its parameters are bound as RDF terms
(``kgtool.sparql.binding``) and the result is checked locally, before anything is sent anywhere, to be one
SPARQL SELECT: an update, a CONSTRUCT or a syntax error is refused with a one-line message whichever backend
was asked. The default graph is the union of all named graphs, so a query sees the ontology, the reference
vocabularies, the data and the ingested submissions at once without naming graphs.

One answer from every engine: SPARQL leaves some things to the engine, and engines use the freedom
(docs/ENGINES.md). The order of the items a ``GROUP_CONCAT`` joins is undefined (Oxigraph and Virtuoso differ,
and one engine's order changes with the query's shape); Oxigraph keeps a language tag all items share where
Virtuoso drops it; Virtuoso writes an ``xsd:boolean`` as ``1``/``0``. So kgtool reads a list cell as its
items, not as text: before the query runs, each ``GROUP_CONCAT``'s separator is swapped for a control character
no text of the knowledge graph holds (U+001F, the unit separator), and the cell that comes back is split on it,
its empty items dropped (catalog lists join ``COALESCE(?value, "")``), the rest deduplicated, sorted by code
point and joined with the query's own separator, as a plain string (unbound when no item is left). Booleans
are written in their canonical form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.labels import best_labels
from kgtool.rdf.namespaces import PREFIXES, XSD
from kgtool.sparql.answers import repeatable
from kgtool.sparql.backends import StoreBackend, connect
from kgtool.sparql.binding import bind_parameters, with_bindings
from kgtool.sparql.catalog import CatalogQuery
from kgtool.sparql.guard import NO_NETWORK, Policy, check_query, without_service
from kgtool.sparql.results import DEFAULT_TIMEOUT, Backend, QueryResult, Term
from kgtool.sparql.text import undeclared_prefix

__all__ = ["QueryResult", "Term", "labels", "normalize_row", "prepare", "run", "run_on", "run_on_store", "select"]

_UPDATE_KEYWORDS = ("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "COPY", "MOVE", "ADD")


def prepare(query: CatalogQuery, values: dict[str, str] | None = None, policy: Policy = NO_NETWORK) -> str:
    """The query's text with its parameters bound, checked to be a SPARQL SELECT that nests within the limit
    and calls no SERVICE the ``policy`` does not allow (``kgtool.sparql.guard``); raises UsageError."""
    text = with_bindings(query.text, bind_parameters(query, values or {}))
    try:
        check_query(text, policy, PREFIXES, source=str(query.path))
    except UsageError as error:
        raise UsageError(f"{query.path}: {error}") from error
    try:
        # pyoxigraph parses only by evaluating, on an empty store here; it would call a SERVICE at once, so
        # the check reads SERVICE as GRAPH (the same grammar) and nothing leaves the machine.
        parsed = ox.Store().query(without_service(text), prefixes=PREFIXES)
    except SyntaxError as error:
        message = _syntax_message(query, str(error))
        raise UsageError(message, es=f"SPARQL no válido: {message}") from error
    if not isinstance(parsed, ox.QuerySolutions):
        raise UsageError(
            f"query {query.name!r} is not a SELECT query; kgtool query prints SELECT results",
            es=f"la consulta {query.name!r} no es una consulta SELECT; kgtool query muestra resultados de SELECT",
        )
    return text


def _syntax_message(query: CatalogQuery, message: str) -> str:
    code = " ".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#")).upper()
    if any(keyword in code.split() for keyword in _UPDATE_KEYWORDS):
        return f"{query.path}: SPARQL Update is refused: kgtool query only reads"
    undeclared = undeclared_prefix(query.text)
    if undeclared:
        line, prefix = undeclared
        return (
            f"{query.path}:{line}: unknown prefix {prefix}: declare it (PREFIX {prefix}: <https://…>) "
            f"or use one kgtool knows: {', '.join(name + ':' for name in PREFIXES)}"
        )
    return f"{query.path}: invalid SPARQL: {' '.join(message.split())}"


def run_on(backend: Backend, query: CatalogQuery, values: dict[str, str] | None = None) -> QueryResult:
    """Run a catalog query with ``values`` for its parameters on ``backend``."""
    return select(backend, prepare(query, values))


def select(backend: Backend, text: str) -> QueryResult:
    """Run a prepared query on ``backend``; its list cells and booleans written alike on every engine."""
    running, lists = list_columns(text)
    answers = getattr(backend, "answers", None)  # a store on disk keeps slow answers (kgtool.sparql.answers)
    if answers is not None and not repeatable(running):
        answers = None
    return normalized(answers.select(backend.select, running) if answers else backend.select(running), lists)


def run_on_store(store: ox.Store, query: CatalogQuery, values: dict[str, str] | None = None) -> QueryResult:
    """Run a catalog query on an open pyoxigraph store (e.g. an in-memory one)."""
    return run_on(StoreBackend(store), query, values)


def run(
    store_dir: Path | None,
    query: CatalogQuery,
    values: dict[str, str] | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run ``query`` on the store at ``store_dir``, or on the SPARQL endpoint ``endpoint`` when given (each request
    may take ``timeout`` seconds)."""
    with connect(store_dir, endpoint, timeout) as backend:
        return run_on(backend, query, values)


def labels(backend: Backend, iris: set[str], lang: str = "en") -> dict[str, str]:
    """The best label of each IRI: ``rdfs:label`` or ``skos:prefLabel`` in ``lang``, else English, else any."""
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(iri)) for iri in sorted(iris))
    text = f"""
        SELECT ?x ?label WHERE {{
          VALUES ?x {{ {values} }}
          {{ ?x rdfs:label ?label }} UNION {{ ?x skos:prefLabel ?label }}
        }}"""
    return best_labels(((row["x"].value, row["label"]) for row in backend.select(text).rows), lang)


#: Stands for a GROUP_CONCAT separator while the query runs: never in a label, note or name (nor valid XML).
UNIT_SEPARATOR = "\x1f"
_XSD_BOOLEAN = XSD + "boolean"
_STRING = r'"(?P<separator>(?:[^"\\\n]|\\.)*)"'
# GROUP_CONCAT(... ; separator="S") AS ?column: the aggregate's arguments hold at most one level of parentheses.
_LIST = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?;\s*separator\s*=\s*" + _STRING + r"\s*\)\s*AS\s*[?$](?P<column>\w+)",
    re.IGNORECASE,
)
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def list_columns(text: str) -> tuple[str, dict[str, str]]:
    """``text`` with each ``GROUP_CONCAT`` separator swapped for U+001F, and the separator of each list column."""
    columns: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        escaped = match["separator"]
        columns[match["column"]] = re.sub(r"\\(.)", lambda e: _ESCAPES.get(e.group(1), e.group(1)), escaped)
        start, end = match.span("separator")
        return match.group(0)[: start - match.start()] + UNIT_SEPARATOR + match.group(0)[end - match.start() :]

    return _LIST.sub(swap, text), columns


def normalized(result: QueryResult, columns: dict[str, str]) -> QueryResult:
    """``result`` with its list cells in one order and its booleans canonical (rows changed in place)."""
    for row in result.rows:
        normalize_row(row, columns)
    return result


def normalize_row(row: dict[str, Term], columns: dict[str, str]) -> dict[str, Term]:
    """One row's list cells in one order and its booleans canonical (changed in place, and returned): a row at a
    time, so that a listing with list cells streams (``kgtool.sparql.streaming``) without holding its rows."""
    for name, term in list(row.items()):
        if name in columns and isinstance(term, ox.Literal):
            items = sorted({item for item in term.value.split(UNIT_SEPARATOR) if item})
            if items:
                row[name] = ox.Literal(columns[name].join(items))
            else:
                del row[name]
        elif isinstance(term, ox.Literal) and term.datatype.value == _XSD_BOOLEAN and term.value in ("1", "0"):
            row[name] = ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return row
