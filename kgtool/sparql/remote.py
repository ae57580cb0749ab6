"""A remote SPARQL 1.1 endpoint as a kgtool backend.

Queries go out through ``kgtool.sparql.http`` (SPARQLWrapper's protocol, kgtool's policy for credentials,
timeouts and redirects) and their results are read by pyoxigraph, so they come back as the same terms the
embedded store returns and a catalog query answers alike on either. A server that answers with something that
is not SPARQL results becomes one ``BackendUnavailable`` line (exit 3).

Two things a server may do on its own are not left to it (docs/ENGINES.md):
- Its default graph may be anything (empty on a stock ``oxigraph serve``, every graph of every user on
  Virtuoso). Asked for the catalog (``name_dataset``), the endpoint names the dataset itself: ``FROM`` the union
  graph ``kgtool push`` writes (``UNION_GRAPH``), and ``FROM NAMED`` each graph kgtool writes (the project's
  ``https://w3id.org/sal/graph/…`` and the ``sald:submission-…`` graphs) where the query reads named graphs; found
  once per endpoint. Without a union graph (data put there by other means) it names each graph ``FROM``, which
  Virtuoso 7 may refuse as too costly (MaxQueryCostEstimationTime): run ``kgtool push`` then.
- It may cut an answer short: Virtuoso caps every answer at ``ResultSetMaxRows`` rows (10,000 as shipped, with
  the header ``X-SPARQL-MaxRows``) and stops a query at ``MaxQueryExecutionTime`` with whatever it has. An
  answer that reaches a cap (or is exactly a round number of rows, 1,000 or more) is read again in pages of
  that size (``LIMIT``/``OFFSET``, over the query's own ``ORDER BY``: every catalog query orders its rows
  completely); where the server refuses the pages, or the query has no order, or the server stopped it at its
  time limit, the answer is an error (exit 3) that names the cap and the setting, never a short answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, InputError
from kgtool.rdf.limits import check_results
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql import caps, http
from kgtool.sparql.results import DEFAULT_TIMEOUT, QueryResult
from kgtool.store.core import GRAPH_BASE, SUBMISSION_PREFIX

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


#: The union of the graphs ``kgtool push`` sent: the default graph of kgtool's queries on a server.
UNION_GRAPH = GRAPH_BASE + "union"
#: The graphs kgtool writes on a server, found in one query (FILTER on the graph name).
_KGTOOL_GRAPHS = (
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
    f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}") || STRSTARTS(STR(?g), "{SUBMISSION_PREFIX}")) }}'
)


#: A query of a graph that does not exist: any row means the server ignored its FROM.
_IN_NO_GRAPH = "SELECT ?s FROM <urn:x-kgtool:no-such-graph> WHERE { ?s ?p ?o } LIMIT 1"


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint. With ``name_dataset``, a query that names no dataset is asked about the
    graphs kgtool writes (``FROM`` each), whatever the server's default graph is."""

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        auth: http.Credentials | None = None,
        name_dataset: bool = False,
    ) -> None:
        self.url = http.check_url(url)
        self.timeout = http.check_timeout(timeout)
        self.auth = auth if auth is not None else http.credentials(url)
        self.name_dataset = name_dataset
        self._graphs: list[str] | None = None
        self._honours_from: bool | None = None

    def select(self, text: str) -> QueryResult:
        if self.name_dataset and self.honours_from():
            return self._whole(text, lambda query: with_dataset(query, self.graphs()))
        return self._whole(text)

    def honours_from(self) -> bool:
        """Whether the server reads the dataset a query names (asked once): ``oxigraph serve --union-default-graph``
        does not, its default graph is every graph whatever FROM says (docs/ENGINES.md O4), so a query there names
        none and ``kgtool push`` writes no union graph."""
        if self._honours_from is None:
            self._honours_from = not self._ask(_IN_NO_GRAPH)[0].rows
        return self._honours_from

    def graphs(self) -> list[str]:
        """The graphs kgtool writes that the server holds (asked once)."""
        if self._graphs is None:
            rows = self._whole(_KGTOOL_GRAPHS).rows
            self._graphs = sorted(row["g"].value for row in rows if isinstance(row.get("g"), ox.NamedNode))
        return self._graphs

    def _ask(self, text: str) -> tuple[QueryResult, int | None]:
        """One request: its rows, and the row cap the server says it applied (None when it says none)."""
        try:
            reply = http.sparql_query(self.url, text, self.timeout, self.auth)
        except http.ServerFailure as failure:
            raise _stopped(self.url, failure.body) or failure from None
        stopped = _stopped(self.url, f"{reply.headers.get('x-sql-state', '')} {reply.headers.get('x-sql-message', '')}")
        if stopped:
            raise stopped
        try:
            result = parse_results(self.url, reply.content_type, reply.body)
        except BackendUnavailable as error:
            raise _stopped(self.url, reply.body) or error from None
        cap = reply.headers.get("x-sparql-maxrows", "")
        return result, int(cap) if cap.isdigit() else None

    def _whole(self, text: str, dataset: Callable[[str], str] = str) -> QueryResult:
        """The whole answer to ``text`` (asked about the dataset ``dataset`` names): read again in partitions
        (kgtool.sparql.caps) when the server cut it at a row cap it says, or at a round number of rows with more
        behind it."""
        prepared = with_prefixes(dataset(text))
        result, cap = self._ask(prepared)
        count = len(result.rows)
        if not (cap and count >= cap):
            cut = caps.looks_capped(count) and not caps.limited(text)
            if not cut or not self._ask(f"{prepared}\nLIMIT 1 OFFSET {count}")[0].rows:
                return result
            cap = count  # it did not say so, but there is more
        return caps.whole(self.url, text, result, cap, lambda query: self._ask(with_prefixes(dataset(query))))


#: Virtuoso names a blank node ``nodeID://b10174`` in results JSON, which is no blank node label (SPARQL 1.1 Query
#: Results JSON: the label as in Turtle): pyoxigraph refuses the whole answer, so the prefix is dropped
#: (docs/ENGINES.md V19). Only the catalog's answers hold no blank nodes; the compiled SHACL rules' do.
_VIRTUOSO_BLANK_NODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')


def parse_results(url: str, content_type: str, body: bytes) -> QueryResult:
    """A SELECT answer (SPARQL results JSON, or XML or TSV when the server says so) as a QueryResult."""
    kind = content_type.split(";")[0].strip().lower()
    fmt = _RESULTS_FORMATS.get(kind, ox.QueryResultsFormat.JSON)
    try:
        check_results(url, body, fmt)
    except InputError as error:
        raise BackendUnavailable(f"{error} (the answer of the endpoint)") from None
    if fmt == ox.QueryResultsFormat.JSON:
        body = _VIRTUOSO_BLANK_NODE.sub(rb"\1", body)
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


def with_dataset(text: str, graphs: list[str]) -> str:
    """``text`` with its dataset named before its WHERE clause: ``FROM`` the union graph (each graph when there is
    none) and, if it reads named graphs, ``FROM NAMED`` each graph. Unchanged when it names its own dataset or
    there is no graph to name."""
    tokens = [token for token in caps.TOKEN.finditer(text) if not token.group("skipped")]
    words = caps.words(text)
    if not graphs or "FROM" in words:
        return text
    where = next((token for token in tokens if token.group("brace") == "{" or token.group("word") == "WHERE"), None)
    if where is None:
        return text
    named = [graph for graph in graphs if graph != UNION_GRAPH]
    dataset = [f"FROM <{graph}>" for graph in ([UNION_GRAPH] if UNION_GRAPH in graphs else named)]
    if "GRAPH" in words:
        dataset += [f"FROM NAMED <{graph}>" for graph in named]
    return f"{text[: where.start()]}{' '.join(dataset)}\n{text[where.start() :]}"


def _stopped(url: str, said: bytes | str) -> BackendUnavailable | None:
    """The error for a query the server stopped at its time limit (Virtuoso says S1TAT) or refused as too costly
    (Virtuoso: "The estimated execution time ... exceeds the limit"), else None."""
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else said
    if "estimated execution time" in text:
        return BackendUnavailable(
            f"{url} refused the query: it estimates it would take longer than it allows{first_words(text)}; raise the "
            "limit (Virtuoso: MaxQueryCostEstimationTime in the [SPARQL] section of virtuoso.ini) or narrow the "
            "query with a parameter",
            es=f"{url} rechazó la consulta: estima que tardaría más de lo que permite{first_words(text)}; suba el "
            "límite (Virtuoso: MaxQueryCostEstimationTime en la sección [SPARQL] de virtuoso.ini) o acote la "
            "consulta con un parámetro",
        )
    if "S1TAT" not in text and "incomplete results" not in text:
        return None
    return BackendUnavailable(
        f"{url} stopped the query at its time limit and sent part of the answer; kgtool does not show a partial "
        "answer: raise the limit (Virtuoso: MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini) or "
        "narrow the query with a parameter",
        es=f"{url} detuvo la consulta en su límite de tiempo y envió parte de la respuesta; kgtool no muestra "
        "una respuesta parcial: suba el límite (Virtuoso: MaxQueryExecutionTime en la sección [SPARQL] de "
        "virtuoso.ini) o acote la consulta con un parámetro",
    )


def first_words(text: str) -> str:
    """``" (<the server's first line>)"``, or nothing."""
    line = http.first_line(text.encode("utf-8"))
    return f" ({line.removeprefix(': ')})" if line else ""
