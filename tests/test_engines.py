"""Engine conformance (issue 12): every catalog query gives the same answer on every engine.

The engines: the embedded store (the reference: its answers are the golden files), a stock ``oxigraph serve``
(empty default graph) and Debian's Virtuoso 7 with its shipped ``virtuoso.ini`` (row cap and time cap as
shipped), both started by tests/servers.py; rdflib's SPARQL engine is an independent reference on the paper's
data. The data: the paper's store, the golden edge-case fixture and a seeded synthetic store of 100k+ triples
(benchmarks/generate.py) with the paper's data in it. The parameter sets: every golden case of tests/goldens.py
(defaults, ``lang=es``, every documented example, the edge cases) on the paper and the fixture; the defaults on
the synthetic store. "The same answer" is the golden comparison: the same variables, the same rows in the same
order, each cell the same RDF term. Each store reaches a server by ``kgtool push`` (its count check included),
and each remote answer is asked as ``kgtool query --endpoint`` asks it (``queries.run(endpoint=...)``); the
command line itself is compared on the paper's defaults.

An answer longer than Virtuoso's 10,000-row cap (``fact-provenance`` on the synthetic store) must come back whole:
Virtuoso refuses to sort past its cap, so kgtool reads it in partitions and sorts it itself (kgtool.sparql.caps).
"""

from __future__ import annotations

import html
import json
import urllib.error
import warnings
from functools import cache
from pathlib import Path

import pytest
import rdflib
from goldens import Answer, cases, differences, serialize
from servers import Server, virtuoso
from test_remote import gate

from conftest import run_kgtool
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql import catalog, queries
from kgtool.sparql import http as sparql_http
from kgtool.sparql.remote import UNION_GRAPH, RemoteEndpoint
from kgtool.sparql.results import QueryResult
from kgtool.store import build
from kgtool.store.core import GRAPH_BASE, graph_counts, opened

ENGINES = ("oxigraph", "virtuoso")
#: Virtuoso's ResultSetMaxRows as its package ships it.
VIRTUOSO_ROW_CAP = 10_000
SYNTHETIC_TRIPLES = 100_000
SEED = 20240601
ENTRIES = json.loads(run_kgtool("queries", "--format", "json").stdout)
GOLDEN_CASES = cases(ENTRIES)


def _plan() -> list[tuple[str, str, str, tuple[tuple[str, str], ...]]]:
    """(data, engine, query, parameters), grouped by data then engine, so that each server switches data twice."""
    by_data = {
        "paper": [(case.query, case.values) for case in GOLDEN_CASES if case.store == "paper"],
        "fixture": [(case.query, case.values) for case in GOLDEN_CASES if case.store == "fixture"],
        # The defaults only (and a required parameter's documented value): the synthetic store is the slow one.
        "synthetic": [
            (case.query, case.values)
            for case in GOLDEN_CASES
            if case.store == "paper" and all(_required(case.query, name) for name, _ in case.values)
        ],
    }
    steps = [(data, engine, *case) for data, planned in by_data.items() for engine in ENGINES for case in planned]
    # The one listing past Virtuoso's row cap is compared through the command line instead (below).
    return [step for step in steps if step[:3] != ("synthetic", "virtuoso", "fact-provenance")]


def _required(query: str, name: str) -> bool:
    entry = next(entry for entry in ENTRIES if entry["name"] == query)
    return any(parameter["name"] == name and parameter["required"] for parameter in entry["parameters"])


PLAN = _plan()


def _id(step: tuple) -> str:
    data, engine, query, values = step
    return "/".join([data, engine, query + "".join(f"@{k}={v}" for k, v in values)])


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory) -> Path:
    """The project's data and a seeded synthetic data set of 100k+ triples (benchmarks/generate.py) in one store."""
    from test_benchmarks import generate

    folder = tmp_path_factory.mktemp("synthetic")
    data = folder / "synthetic.ttl"
    data.write_bytes(generate.generate(SYNTHETIC_TRIPLES, SEED).bytes)
    sources = [*build.project_sources(), build.SourceFile("data", data, GRAPH_BASE + "tests/synthetic.ttl")]
    build.build(folder / "store", sources, keep_submissions=False)
    return folder / "store"


@pytest.fixture(scope="session")
def stores(store_dir: Path, fixture_store: Path, synthetic_store: Path) -> dict[str, Path]:
    return {"paper": store_dir, "fixture": fixture_store, "synthetic": synthetic_store}


@pytest.fixture(scope="session")
def servers(oxigraph_stock_server: Server, request) -> dict[str, Server]:
    """The engines' servers, started when first needed (Virtuoso may be skipped where it is not installed)."""
    found = {"oxigraph": oxigraph_stock_server}

    class Lazy(dict):
        def __missing__(self, engine: str) -> Server:
            self[engine] = request.getfixturevalue("virtuoso_server")
            return self[engine]

    return Lazy(found)


@pytest.fixture(scope="session")
def served(servers: dict[str, Server], stores: dict[str, Path]):
    """The server of ``engine`` holding exactly the graphs of one store: pushed with `kgtool push` (which counts
    them back), and the graphs of the store it held before dropped."""
    holds: dict[str, str] = {}

    def hold(engine: str, data: str) -> Server:
        server = servers[engine]
        if holds.get(engine) != data:
            pushed = run_kgtool("push", "--store", str(stores[data]), "--endpoint", server.query, "--timeout", "600")
            assert pushed.code == 0 and pushed.stderr == "", pushed.stderr
            keep = _graphs(stores[data]) | {UNION_GRAPH}
            for graph in set(RemoteEndpoint(server.query, name_dataset=True).graphs()) - keep:
                try:
                    sparql_http.send("POST", server.update, f"DROP SILENT GRAPH <{graph}>".encode(), _UPDATE, 600)
                except urllib.error.HTTPError as error:
                    raise AssertionError(f"DROP GRAPH <{graph}> failed: {error.read()[:300]!r}") from None
            holds[engine] = data
        return server

    return hold


_UPDATE = "application/sparql-update"


def _graphs(store: Path) -> set[str]:
    """The named graphs of a store (opened and released here, so that no test frame keeps its lock)."""
    with opened(store) as opened_store:
        return set(graph_counts(opened_store))


@pytest.fixture(scope="session")
def embedded(stores: dict[str, Path]):
    """The embedded store's answer to a case (each asked once per session)."""

    @cache
    def answer(data: str, query: str, values: tuple[tuple[str, str], ...]) -> QueryResult:
        return queries.run(stores[data], catalog.resolve(query), dict(values))

    return answer


def _answer(result: QueryResult) -> Answer:
    return Answer.parse(serialize(list(result.variables), result.rows))


@pytest.mark.parametrize(("data", "engine", "query", "values"), PLAN, ids=[_id(step) for step in PLAN])
def test_every_engine_gives_the_embedded_answer(data, engine, query, values, served, embedded):
    expected = embedded(data, query, values)
    server = served(engine, data)
    entry = catalog.resolve(query)
    found = queries.run(None, entry, dict(values), endpoint=server.query, timeout=600)
    problems = differences(entry.text, _answer(expected), _answer(found))
    title = f"{_id((data, engine, query, values))} differs from the embedded answer:"
    assert not problems, "\n".join([title, *problems])


# -- what a server cuts short -----------------------------------------------------------------------------------


def test_a_listing_past_virtuosos_row_cap_comes_back_whole(served, synthetic_store: Path):
    # Synthetic data (benchmarks/generate.py: every record is marked synthetic): fact-provenance lists more rows
    # than Virtuoso's shipped ResultSetMaxRows. Virtuoso cuts the answer (X-SPARQL-MaxRows) and refuses sorted
    # pages past its cap (SR353), so kgtool reads it in partitions and sorts it itself (kgtool.sparql.caps).
    server = served("virtuoso", "synthetic")
    args = ("query", "fact-provenance", "-f", "csv", "--timeout", "600")
    remote = run_kgtool(*args, "--endpoint", server.query)
    local = run_kgtool(*args, "--store", str(synthetic_store))
    assert remote.code == 0 and remote.stderr == "", remote.stderr
    assert local.stdout.count("\n") - 1 > VIRTUOSO_ROW_CAP
    assert remote.stdout == local.stdout


def test_an_answer_past_a_cap_that_cannot_be_read_whole_exits_3_naming_the_cap(served, tmp_path: Path):
    # A query with its own LIMIT beyond a server's cap: no partition of it is the same query, so kgtool stops.
    server = served("oxigraph", "synthetic")
    listing = tmp_path / "listing.rq"
    listing.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 500\n", encoding="utf-8")
    with gate(server.query.removesuffix("/query"), cap=100) as capped:
        result = run_kgtool("query", str(listing), "-f", "csv", "--endpoint", capped + "/query")
    assert result.code == 3 and result.stdout == ""
    assert "at most 100 rows per answer" in result.stderr and "own LIMIT" in result.stderr
    assert "ResultSetMaxRows" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("announce", "cap", "query"),
    [(True, 500, "projects-by-status"), (False, 1000, "projects-by-status")],
    ids=["cap-in-header", "silent-round-cap"],
)
def test_a_long_answer_is_read_in_parts_under_the_servers_cap(announce, cap, query, served, embedded):
    # A server that cuts every answer, saying so in a header or not (then at a round number): a real Oxigraph
    # behind a gate that cuts its results. kgtool reads the rows in parts under the cap and sorts them itself.
    server = served("oxigraph", "synthetic")
    entry = catalog.resolve(query)
    expected = embedded("synthetic", query, ())
    assert len(expected.rows) > cap
    with gate(server.query.removesuffix("/query"), cap=cap, announce=announce) as capped:
        found = queries.run(None, entry, {}, endpoint=capped + "/query", timeout=600)
    assert not differences(entry.text, _answer(expected), _answer(found))


def test_an_answer_of_exactly_a_round_number_of_rows_is_checked_not_cut(served):
    # No header says so, but 1,000 rows look like a cap: kgtool asks for the next row, finds none, keeps the answer.
    server = served("oxigraph", "synthetic")
    endpoint = RemoteEndpoint(server.query, name_dataset=True)
    text = "SELECT ?s WHERE { ?s a sal:Project } ORDER BY ?s"
    projects = endpoint.select(text).rows
    assert len(projects) > 1000
    last = _quoted(projects[999])
    exactly = endpoint.select(f"SELECT ?s WHERE {{ ?s a sal:Project FILTER(STR(?s) <= {last}) }} ORDER BY ?s")
    assert exactly.rows == projects[:1000]


def _quoted(row: dict) -> str:
    return '"' + row["s"].value + '"'


def test_a_query_stopped_at_virtuosos_time_limit_exits_3(served, tmp_path: Path):
    # Virtuoso's anytime queries: at its time limit it answers with what it has (HTTP 200, X-SQL-State S1TAT).
    # MaxQueryExecutionTime as shipped is 60 s; the endpoint URL's timeout parameter (ms) sets a shorter one for
    # this request, and a count over three copies of the paper's triples (10^11 combinations) never ends in it.
    server = served("virtuoso", "paper")
    endless = tmp_path / "endless.rq"
    endless.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    result = run_kgtool("query", str(endless), "-f", "csv", "--endpoint", server.query + "?timeout=50")
    assert result.code == 3 and result.stdout == ""
    assert "stopped the query at its time limit" in result.stderr and "MaxQueryExecutionTime" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_query_virtuoso_estimates_too_costly_exits_3_naming_the_setting(store_dir: Path, tmp_path: Path):
    # The shipped MaxQueryCostEstimationTime = 400 (s), kept here: an estimate grows about twofold with each
    # OPTIONAL, so sixteen label lookups are refused however fast they would run.
    heavy = tmp_path / "many-labels.rq"
    lookups = "\n".join(f'  OPTIONAL {{ ?s{n} rdfs:label ?l{n} FILTER(lang(?l{n}) = "en") }}' for n in range(16))
    links = " ".join(f"?s{n} sal:underStrategy ?x ." for n in range(16))
    heavy.write_text(f"SELECT * WHERE {{ {links}\n{lookups}\n}}\nORDER BY ?x", encoding="utf-8")
    with virtuoso(tmp_path / "virtuoso", keep_debugging=True) as server:
        assert run_kgtool("push", "--store", str(store_dir), "--endpoint", server.query).code == 0
        result = run_kgtool("query", str(heavy), "-f", "csv", "--endpoint", server.query)
    assert result.code == 3 and result.stdout == ""
    assert "estimates it would take longer" in result.stderr and "MaxQueryCostEstimationTime" in result.stderr
    assert result.stderr.count("\n") == 1


# -- the command line, with and without --endpoint ------------------------------------------------------------


#: The command line on a few queries (the headline, the matrix, a required parameter): the rest of the path is
#: that of test_every_engine_gives_the_embedded_answer, which asks every query as the command line asks it.
CLI_QUERIES = ("alliance-legitimacy-strategy", "legitimacy-strategy-matrix", "actor-alliances")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_command_line_prints_the_same_with_and_without_endpoint(engine, served, store_dir: Path):
    server = served(engine, "paper")
    for entry in (entry for entry in ENTRIES if entry["name"] in CLI_QUERIES):
        required = [f"{p['name']}=sald:newmont" for p in entry["parameters"] if p["required"]]
        args = ["query", entry["name"], "-f", "json", *[arg for value in required for arg in ("-p", value)]]
        local, remote = run_kgtool(*args, "--store", str(store_dir)), run_kgtool(*args, "--endpoint", server.query)
        assert remote.code == 0 and remote.stderr == "", (entry["name"], remote.stderr)
        assert json.loads(remote.stdout) == json.loads(local.stdout), entry["name"]


# -- rdflib, an independent reference on the paper's data -----------------------------------------------------


class RdflibBackend:
    """rdflib's SPARQL engine over the store's quads, the default graph being their union (as the store's)."""

    def __init__(self, store: Path) -> None:
        import pyoxigraph as ox

        self.dataset = rdflib.Dataset(default_union=True)
        with opened(store) as opened_store:
            quads = ox.serialize(opened_store, format=ox.RdfFormat.N_QUADS)
        with warnings.catch_warnings():  # rdflib 7's own use of its deprecated Dataset.default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            self.dataset.parse(data=quads.decode("utf-8"), format="nquads")

    def select(self, text: str) -> QueryResult:
        import pyoxigraph as ox

        def term(value):
            if isinstance(value, rdflib.URIRef):
                return ox.NamedNode(str(value))
            if value.language:
                return ox.Literal(str(value), language=value.language)
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype or rdflib.XSD.string)))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            result = self.dataset.query(text, initNs=PREFIXES)
            names = [str(variable) for variable in result.vars]
            rows = [{name: term(row[name]) for name in names if row[name] is not None} for row in result]
        return QueryResult(names, rows)


RDFLIB_CASES = [case for case in GOLDEN_CASES if case.store == "paper" and set(dict(case.values)) <= {"actor", "lang"}]


@pytest.fixture(scope="module")
def rdflib_backend(store_dir: Path) -> RdflibBackend:
    return RdflibBackend(store_dir)


@pytest.mark.parametrize("case", RDFLIB_CASES, ids=lambda case: case.id)
def test_rdflib_gives_the_embedded_answer(case, rdflib_backend, embedded):
    entry = catalog.resolve(case.query)
    expected = embedded("paper", case.query, case.values)
    found = queries.run_on(rdflib_backend, entry, dict(case.values))
    problems = differences(entry.text, _answer(expected), _answer(found))
    assert not problems, "\n".join([f"rdflib: {case.id} differs from the embedded answer:", *problems])


# -- push and report on a real Virtuoso --------------------------------------------------------------------------


def test_digest_credentials_push_and_query_through_virtuosos_sparql_auth(served, store_dir: Path, tmp_path: Path):
    server = served("virtuoso", "paper")
    auth = server.query + "-auth"
    no_file = {"NETRC": str(tmp_path / "none"), "KGTOOL_ENDPOINT_AUTH": "digest"}
    refused = run_kgtool("push", "--endpoint", auth, "--store", str(store_dir), env=no_file)
    assert refused.code == 3 and "refused the credentials (HTTP 401)" in refused.stderr
    dba = {**no_file, "KGTOOL_ENDPOINT_USER": "dba", "KGTOOL_ENDPOINT_PASSWORD": "dba"}
    pushed = run_kgtool("push", "--endpoint", auth, "--store", str(store_dir), env=dba)
    assert pushed.code == 0 and "by Graph Store Protocol; the server holds them all" in pushed.stdout, pushed.stderr
    matrix = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--endpoint", auth, env=dba)
    local = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--store", str(store_dir))
    assert matrix.code == 0 and matrix.stdout == local.stdout


def test_the_report_from_virtuoso_is_the_report_from_the_store(served, store_dir: Path, tmp_path: Path):
    server = served("virtuoso", "paper")
    local, remote = tmp_path / "local.html", tmp_path / "remote.html"
    assert run_kgtool("report", "--out", str(local), "--store", str(store_dir)).code == 0
    done = run_kgtool("report", "--out", str(remote), "--endpoint", server.query)
    assert done.code == 0, done.stderr
    # Byte for byte, but for the line that says where the data came from (the store's folder, the endpoint).
    origin = html.escape(str(store_dir)).encode()
    assert origin in local.read_bytes() and html.escape(server.query).encode() in remote.read_bytes()
    assert remote.read_bytes().replace(html.escape(server.query).encode(), origin) == local.read_bytes()
