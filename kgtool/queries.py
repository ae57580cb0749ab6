"""Running catalog queries on the embedded store and returning rows of RDF terms.

The union of all named graphs is the default graph, so a query sees the ontology, the reference
vocabularies and the data at once without naming graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.binding import bind_parameters, with_bindings
from kgtool.catalog import CatalogQuery
from kgtool.errors import UsageError
from kgtool.namespaces import PREFIXES
from kgtool.store import opened

_UPDATE_KEYWORDS = ("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "COPY", "MOVE", "ADD")

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class QueryResult:
    """A SELECT result: the variables in order, and one dict per row (unbound variables are absent)."""

    variables: list[str]
    rows: list[dict[str, Term]]


def run_on_store(store: ox.Store, query: CatalogQuery, values: dict[str, str] | None = None) -> QueryResult:
    """Run a SELECT catalog query on an open store; SPARQL Update and non-SELECT forms are refused."""
    text = with_bindings(query.text, bind_parameters(query, values or {}))
    try:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise UsageError(_syntax_message(query, str(error))) from error
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError(f"query {query.name!r} is not a SELECT query; kgtool query prints SELECT results")
    variables = [variable.value for variable in result.variables]
    rows = [{v: solution[v] for v in variables if solution[v] is not None} for solution in result]
    return QueryResult(variables, rows)


def _syntax_message(query: CatalogQuery, message: str) -> str:
    code = " ".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#")).upper()
    if any(keyword in code.split() for keyword in _UPDATE_KEYWORDS):
        return f"{query.path}: SPARQL Update is refused: kgtool query only reads the store"
    return f"{query.path}: invalid SPARQL: {message}"


def run(store_dir: Path, query: CatalogQuery, values: dict[str, str] | None = None) -> QueryResult:
    """Open the embedded store at ``store_dir`` and run ``query`` on it."""
    with opened(store_dir) as store:
        return run_on_store(store, query, values)


def labels(store_dir: Path, iris: set[str], lang: str = "en") -> dict[str, str]:
    """The best label of each IRI: ``rdfs:label`` in ``lang``, else English, else untagged, else any."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    text = f"""
        SELECT ?x ?label WHERE {{
          VALUES ?x {{ {values} }}
          {{ ?x rdfs:label ?label }} UNION {{ ?x skos:prefLabel ?label }}
        }}"""
    preference = {lang: 0, "en": 1, None: 2}
    best: dict[str, tuple[int, str]] = {}
    with opened(store_dir) as store:
        for row in store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True):
            rank = preference.get(row["label"].language, 3)
            iri = row["x"].value
            if iri not in best or rank < best[iri][0]:
                best[iri] = (rank, row["label"].value)
    return {iri: label for iri, (_, label) in best.items()}
