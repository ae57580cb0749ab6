"""Running catalog queries on a backend (the embedded store or a SPARQL endpoint) and returning rows.

A query is prepared the same way for every backend: its parameters are bound as a VALUES block
(``kgtool.sparql.binding``) and the result is checked locally, before anything is sent anywhere, to be one
SPARQL SELECT: an update, a CONSTRUCT or a syntax error is refused with a one-line message whichever backend
was asked. The default graph is the union of all named graphs, so a query sees the ontology, the reference
vocabularies, the data and the ingested submissions at once without naming graphs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.labels import best_labels
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql.backends import StoreBackend, connect
from kgtool.sparql.binding import SKIPPED_TOKEN, bind_parameters, with_bindings
from kgtool.sparql.catalog import CatalogQuery
from kgtool.sparql.results import Backend, QueryResult, Term

__all__ = ["QueryResult", "Term", "labels", "prepare", "run", "run_on", "run_on_store"]

# A SERVICE keyword (and its SILENT) outside comments, strings and IRIs; or a token to leave alone.
_SERVICE_OR_SKIPPED = re.compile(
    f"(?P<skipped>{SKIPPED_TOKEN.pattern})" + r"|(?P<service>(?<![\w:?$])SERVICE(?![\w:])(?:\s+SILENT(?![\w:]))?)",
    re.IGNORECASE,
)
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "COPY", "MOVE", "ADD")


def prepare(query: CatalogQuery, values: dict[str, str] | None = None) -> str:
    """The query's text with its parameters bound, checked to be a SPARQL SELECT (raises UsageError)."""
    text = with_bindings(query.text, bind_parameters(query, values or {}))
    try:
        # pyoxigraph parses only by evaluating, on an empty store here; it would call a SERVICE at once, so
        # the check reads SERVICE as GRAPH (the same grammar) and nothing leaves the machine.
        parsed = ox.Store().query(_without_service(text), prefixes=PREFIXES)
    except SyntaxError as error:
        message = _syntax_message(query, str(error))
        raise UsageError(message, es=f"SPARQL no válido: {message}") from error
    if not isinstance(parsed, ox.QuerySolutions):
        raise UsageError(
            f"query {query.name!r} is not a SELECT query; kgtool query prints SELECT results",
            es=f"la consulta {query.name!r} no es una consulta SELECT; kgtool query muestra resultados de SELECT",
        )
    return text


def _without_service(text: str) -> str:
    return _SERVICE_OR_SKIPPED.sub(lambda match: "GRAPH" if match.group("service") else match.group(0), text)


def _syntax_message(query: CatalogQuery, message: str) -> str:
    code = " ".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#")).upper()
    if any(keyword in code.split() for keyword in _UPDATE_KEYWORDS):
        return f"{query.path}: SPARQL Update is refused: kgtool query only reads"
    return f"{query.path}: invalid SPARQL: {' '.join(message.split())}"


def run_on(backend: Backend, query: CatalogQuery, values: dict[str, str] | None = None) -> QueryResult:
    """Run a catalog query with ``values`` for its parameters on ``backend``."""
    return backend.select(prepare(query, values))


def run_on_store(store: ox.Store, query: CatalogQuery, values: dict[str, str] | None = None) -> QueryResult:
    """Run a catalog query on an open pyoxigraph store (e.g. an in-memory one)."""
    return run_on(StoreBackend(store), query, values)


def run(
    store_dir: Path | None,
    query: CatalogQuery,
    values: dict[str, str] | None = None,
    endpoint: str | None = None,
) -> QueryResult:
    """Run ``query`` on the store at ``store_dir``, or on the SPARQL endpoint ``endpoint`` when given."""
    with connect(store_dir, endpoint) as backend:
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
