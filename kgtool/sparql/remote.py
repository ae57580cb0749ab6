"""A remote SPARQL 1.1 endpoint as a kgtool backend.

Queries go out through ``kgtool.sparql.http`` (SPARQLWrapper's protocol, kgtool's policy for credentials,
timeouts and redirects) and their results are read by pyoxigraph, so they come back as the same terms the
embedded store returns and a catalog query answers alike on either. A server that answers with something that
is not SPARQL results becomes one ``BackendUnavailable`` line (exit 3).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, InputError
from kgtool.rdf.limits import check_results
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql import http
from kgtool.sparql.results import DEFAULT_TIMEOUT, QueryResult

_DECLARED_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)
_TRAILING_TEXT = re.compile(r'[\[{,:]\s*([^"\[\]{}]*[A-Za-z][^"\[\]{}]*)$')
#: The results formats a server may answer in, by media type; JSON (what kgtool asks for) otherwise.
_RESULTS_FORMATS = {
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def with_prefixes(text: str) -> str:
    """``text`` with PREFIX declarations for the project's prefixes it uses without declaring them.

    The embedded store takes the prefixes as an option; a remote endpoint needs them in the text. Declared
    prefixes are left alone, so a query's own declaration always wins.
    """
    declared = {match.group(1) or "" for match in _DECLARED_PREFIX.finditer(text)}
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    lines = text.splitlines()
    header = 0  # the leading comments (a catalog query's #+ decorators) stay on top
    while header < len(lines) and (not lines[header].strip() or lines[header].lstrip().startswith("#")):
        header += 1
    return "\n".join([*lines[:header], *missing, *lines[header:]])


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint; its default graph must be the union of its named graphs."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, auth: http.Credentials | None = None) -> None:
        self.url = http.check_url(url)
        self.timeout = http.check_timeout(timeout)
        self.auth = auth if auth is not None else http.credentials(url)

    def select(self, text: str) -> QueryResult:
        content_type, body = http.sparql_query(self.url, with_prefixes(text), self.timeout, self.auth)
        return parse_results(self.url, content_type, body)


def parse_results(url: str, content_type: str, body: bytes) -> QueryResult:
    """A SELECT answer (SPARQL results JSON, or XML or TSV when the server says so) as a QueryResult."""
    kind = content_type.split(";")[0].strip().lower()
    fmt = _RESULTS_FORMATS.get(kind, ox.QueryResultsFormat.JSON)
    try:
        check_results(url, body, fmt)
    except InputError as error:
        raise BackendUnavailable(f"{error} (the answer of the endpoint)") from None
    try:
        solutions = ox.parse_query_results(body, format=fmt)
        if not isinstance(solutions, ox.QuerySolutions):
            raise SyntaxError("a boolean answer")
        variables = [variable.value for variable in solutions.variables]
        rows = [{name: term for name in variables if (term := solution[name]) is not None} for solution in solutions]
    except (SyntaxError, ValueError, OSError):
        words = _trailing_message(body)
        if words:  # a server that failed after it began to stream results appends its error message
            raise BackendUnavailable(
                f"{url} failed while answering: {words}", es=f"{url} falló mientras respondía: {words}"
            ) from None
        raise BackendUnavailable(
            f"{url} did not answer with SPARQL results JSON ({kind or 'no content type'}, {len(body)} bytes): "
            "is it a SPARQL query endpoint?",
            es=f"{url} no respondió con resultados SPARQL en JSON ({kind or 'sin tipo de contenido'}, "
            f"{len(body)} bytes): ¿es un punto de consulta SPARQL?",
        ) from None
    return QueryResult(variables, rows)


def _trailing_message(body: bytes) -> str:
    """The text a server appended to results JSON it could not finish (after the last JSON delimiter)."""
    text = body.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        return ""
    match = _TRAILING_TEXT.search(text)
    return " ".join(match.group(1).split())[:200] if match else ""
