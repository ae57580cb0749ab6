"""Querying a remote SPARQL endpoint: a real `oxigraph serve` on 127.0.0.1, started and stopped by PID.

The paper-case suite of test_catalog_paper.py runs here again on a server the store was pushed to, every
catalog query is compared row for row with the embedded store, and the failures a researcher meets are
provoked for real: a port nobody listens on, a gateway whose server is down (HTTP 5xx), a query that fails
on the server while it streams, a server that never answers, a web page that is no endpoint, and an
endpoint behind HTTP basic authentication (a gate in front of the Oxigraph server, as a reverse proxy is).
"""

from __future__ import annotations

import base64
import http.server
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from servers import LOOPBACK, free_port, oxigraph_server
from test_catalog import SAMPLE_VALUES
from test_catalog_paper import CatalogPaperSuite

from conftest import FIXTURES, run_kgtool
from kgtool.errors import BackendUnavailable, UsageError
from kgtool.sparql import backends, catalog, push, queries, remote
from kgtool.sparql import http as sparql_http
from kgtool.store import build
from kgtool.store.core import GRAPH_BASE


class _GateHandler(http.server.BaseHTTPRequestHandler):
    """Forwards every request to the upstream server; demands credentials first when the gate has some, and cuts
    SPARQL results JSON to its row cap the way Virtuoso does (header ``X-SPARQL-MaxRows``) when it has one."""

    server: _Gate

    def _forward(self) -> None:
        gate = self.server
        if gate.expected and self.headers.get("Authorization") != gate.expected:
            self._answer(401, b"", "text/plain", {"WWW-Authenticate": 'Basic realm="kgtool-test"'})
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name: self.headers[name] for name in ("Content-Type", "Accept") if self.headers.get(name)}
        request = urllib.request.Request(gate.upstream + self.path, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                answer, kind, extra = response.read(), response.headers.get("Content-Type"), {}
            if gate.cap and "sparql-results+json" in (kind or ""):
                document = json.loads(answer)
                if len(document["results"]["bindings"]) > gate.cap:
                    document["results"]["bindings"] = document["results"]["bindings"][: gate.cap]
                    answer = json.dumps(document).encode()
                    extra = {"X-SPARQL-MaxRows": str(gate.cap)} if gate.announce else {}
            self._answer(response.status, answer, kind, extra)
        except urllib.error.HTTPError as error:
            self._answer(error.code, error.read(), error.headers.get("Content-Type"))
        except OSError:
            self._answer(gate.failure, b"upstream server unavailable\n", "text/plain")

    def _answer(self, status: int, body: bytes, content_type: str | None, extra: dict | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": content_type or "text/plain", **(extra or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, *args) -> None:
        pass


class _Gate(http.server.ThreadingHTTPServer):
    upstream: str
    expected: str | None
    failure: int
    cap: int | None
    announce: bool


@contextmanager
def gate(
    upstream: str,
    user: str | None = None,
    password: str | None = None,
    failure: int = 502,
    cap: int | None = None,
    announce: bool = True,
) -> Iterator[str]:
    """A reverse proxy on 127.0.0.1 in front of ``upstream``: basic authentication when given credentials,
    HTTP ``failure`` when the upstream server cannot be reached (as nginx answers 502), and a row cap (said in a
    header, or not when ``announce`` is false)."""
    server = _Gate((LOOPBACK, 0), _GateHandler)
    server.upstream = upstream
    server.cap, server.announce = cap, announce
    server.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode() if user else None
    server.failure = failure
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def paper_server(store_dir: Path, tmp_path_factory) -> Iterator[str]:
    """A union-default-graph Oxigraph server holding the store built from data/ (pushed by kgtool)."""
    with oxigraph_server(tmp_path_factory.mktemp("paper-server")) as base:
        push.push(store_dir, push.targets(base + "/query"))
        yield base


@pytest.fixture(scope="module")
def records_store(tmp_path_factory) -> Path:
    """The paper's data plus the synthetic records: every catalog question has rows on it."""
    target = tmp_path_factory.mktemp("records") / "store"
    records = FIXTURES / "catalog" / "records.ttl"
    sources = [*build.project_sources(), build.SourceFile("data", records, GRAPH_BASE + "tests/catalog-records")]
    build.build(target, sources, keep_submissions=False)
    return target


@pytest.fixture(scope="module")
def records_server(records_store: Path, tmp_path_factory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("records-server")) as base:
        push.push(records_store, push.targets(base + "/query"))
        yield base


class TestOnAnOxigraphServer(CatalogPaperSuite):
    """The paper-case suite of test_catalog_paper.py, on the server."""

    @pytest.fixture()
    def backend(self, paper_server: str):
        return remote.RemoteEndpoint(paper_server + "/query", timeout=30, name_dataset=True)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", sorted(catalog.catalog()))
def test_every_catalog_query_answers_alike_remote_and_embedded(records_store, records_server, name, lang):
    entry = catalog.resolve(name)
    values = {p.name: SAMPLE_VALUES[p.name] for p in entry.parameters if p.required}
    if any(p.name == "lang" for p in entry.parameters):
        values["lang"] = lang
    server = remote.RemoteEndpoint(records_server + "/query", timeout=30, name_dataset=True)
    with backends.connect(records_store) as store:
        embedded = queries.run_on(store, entry, values)
        iris = {t.value for row in embedded.rows for t in row.values() if t.__class__.__name__ == "NamedNode"}
        embedded_labels = queries.labels(store, iris, lang)
    answered = queries.run_on(server, entry, values)
    assert answered.variables == embedded.variables
    assert answered.rows == embedded.rows  # same rows, same order, same terms (datatypes and languages)
    assert queries.labels(server, iris, lang) == embedded_labels


def test_the_command_line_reads_the_server_like_the_store(paper_server: str, store_dir: Path):
    for name in ("legitimacy-strategy-matrix", "alliance-legitimacy-strategy"):
        remote_csv = run_kgtool("query", name, "-f", "csv", "--endpoint", paper_server + "/query")
        assert remote_csv.code == 0 and remote_csv.stderr == "", remote_csv.stderr
        assert remote_csv.stdout == run_kgtool("query", name, "-f", "csv", "--store", str(store_dir)).stdout
    table = run_kgtool("query", "legitimacy-strategy-matrix", "--lang", "es", "--endpoint", paper_server + "/query")
    assert "desarrollo sostenible" in table.stdout and "https://" not in table.stdout


def test_parameters_are_bound_on_the_server_too(paper_server: str):
    server = remote.RemoteEndpoint(paper_server + "/query", name_dataset=True)
    rows = queries.run_on(server, catalog.resolve("actor-alliances"), {"actor": "sald:yanacocha"}).rows
    assert [row["role"].value for row in rows] == ["operator"]
    hostile = queries.run_on(server, catalog.resolve("legitimacy-gaps"), {"lang": '"} DROP ALL #'}).rows
    assert len(hostile) == 12  # the value is only a language tag that matches no label
    assert len(queries.run_on(server, catalog.resolve("legitimacy-gaps")).rows) == 12


# -- failures --------------------------------------------------------------------------------------------------


def one_line_exit_3(result) -> str:
    assert result.code == 3, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_a_port_nobody_listens_on_exits_3(store_dir: Path):
    base = f"http://{LOOPBACK}:{free_port()}"
    message = one_line_exit_3(run_kgtool("query", "legitimacy-strategy-matrix", "--endpoint", base + "/query"))
    assert f"cannot reach {base}/query: Connection refused" in message
    pushed = one_line_exit_3(run_kgtool("push", "--endpoint", base + "/query", "--store", str(store_dir)))
    assert f"cannot reach {base}/store: Connection refused" in pushed


@pytest.mark.parametrize("status", [500, 502])
def test_a_server_error_exits_3(status: int):
    with gate(f"http://{LOOPBACK}:{free_port()}", failure=status) as front:
        message = one_line_exit_3(run_kgtool("query", "legitimacy-strategy-matrix", "--endpoint", front + "/query"))
    assert f"failed with a server error (HTTP {status})" in message


def test_a_query_that_fails_on_the_server_while_streaming_exits_3(paper_server: str, tmp_path: Path):
    # Oxigraph starts its 200 answer, then fails the SERVICE call and writes its error into the stream.
    failing = tmp_path / "failing.rq"
    failing.write_text(f"SELECT * WHERE {{ SERVICE <http://{LOOPBACK}:1/sparql> {{ ?s ?p ?o }} }}", encoding="utf-8")
    # kgtool refuses SERVICE unless its host is allowed, also on a remote endpoint (issue 13): allowed here.
    allowed = ("--allow-service", LOOPBACK)
    message = one_line_exit_3(run_kgtool("query", str(failing), *allowed, "--endpoint", paper_server + "/query"))
    assert "failed while answering" in message and "port 1 is not allowed" in message


def test_a_server_that_never_answers_times_out_with_exit_3():
    with socket.socket() as silent:
        silent.bind((LOOPBACK, 0))
        silent.listen(8)  # accepts connections into the backlog, never answers
        url = f"http://{LOOPBACK}:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        result = run_kgtool("query", "legitimacy-strategy-matrix", "--endpoint", url, "--timeout", "1.5")
        elapsed = time.monotonic() - started
    assert f"{url} did not answer within 1.5 s" in one_line_exit_3(result)
    assert elapsed < 120, "does not hang: the 1.5 s timeout ends it (a generous bound, not a speed test)"


def test_a_web_page_that_is_no_endpoint_exits_3(paper_server: str):
    # The server's root serves its query editor (HTML) to GET; posting a query there is refused.
    message = one_line_exit_3(run_kgtool("query", "legitimacy-strategy-matrix", "--endpoint", paper_server + "/"))
    assert paper_server in message and "HTTP 404" in message


def test_bad_endpoint_options_exit_2():
    for args, expected in [
        (["--endpoint", "ftp://127.0.0.1/query"], "give an http:// or https:// URL"),
        (["--endpoint", "http://alice:secret@127.0.0.1:9/query"], "do not put credentials in the URL"),
        (["--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], "give a positive number of seconds"),
    ]:
        result = run_kgtool("query", "legitimacy-strategy-matrix", *args)
        assert result.code == 2 and expected in result.stderr and "secret" not in result.stderr


# -- credentials -------------------------------------------------------------------------------------------


def test_credentials_come_from_the_environment_first(tmp_path: Path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {LOOPBACK} login carol password fromfile\n", encoding="utf-8")
    url = f"http://{LOOPBACK}:7878/query"
    env = {"KGTOOL_ENDPOINT_USER": "alice", "KGTOOL_ENDPOINT_PASSWORD": "s3cret", "NETRC": str(netrc)}
    assert sparql_http.credentials(url, env) == sparql_http.Credentials("alice", "s3cret", "basic")
    assert sparql_http.credentials(url, {"NETRC": str(netrc)}) == sparql_http.Credentials("carol", "fromfile", "basic")
    assert sparql_http.credentials(f"http://localhost:{7878}/query", {"NETRC": str(netrc)}) is None  # another machine
    assert sparql_http.credentials(url, {"NETRC": str(tmp_path / "missing")}) is None
    digest = sparql_http.credentials(url, {**env, "KGTOOL_ENDPOINT_AUTH": "digest"})
    assert digest is not None and digest.scheme == "digest"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KGTOOL_ENDPOINT_USER": "alice"}, "set both KGTOOL_ENDPOINT_USER and KGTOOL_ENDPOINT_PASSWORD"),
        ({"KGTOOL_ENDPOINT_AUTH": "kerberos"}, "use basic or digest"),
    ],
)
def test_incomplete_credentials_are_a_usage_error(env: dict[str, str], message: str):
    with pytest.raises(UsageError, match=message):
        sparql_http.credentials(f"http://{LOOPBACK}:7878/query", env)


def test_an_unreadable_netrc_is_a_usage_error(tmp_path: Path):
    broken = tmp_path / "netrc"
    broken.write_text("machine\n", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot read the credentials file"):
        sparql_http.credentials(f"http://{LOOPBACK}:7878/query", {"NETRC": str(broken)})


def test_an_endpoint_behind_basic_authentication(paper_server: str, store_dir: Path, tmp_path: Path):
    expected = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--store", str(store_dir)).stdout
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {LOOPBACK}\n  login alice\n  password s3cret\n", encoding="utf-8")
    no_file = {"NETRC": str(tmp_path / "none")}
    with gate(paper_server, "alice", "s3cret") as front:
        url = front + "/query"

        def ask(env: dict[str, str]):
            return run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--endpoint", url, env=env)

        refused = ask(no_file)
        assert "refused the credentials (HTTP 401)" in one_line_exit_3(refused)
        wrong = ask({**no_file, "KGTOOL_ENDPOINT_USER": "alice", "KGTOOL_ENDPOINT_PASSWORD": "guess"})
        assert "refused the credentials" in one_line_exit_3(wrong) and "guess" not in wrong.stderr
        from_env = ask({**no_file, "KGTOOL_ENDPOINT_USER": "alice", "KGTOOL_ENDPOINT_PASSWORD": "s3cret"})
        assert from_env.code == 0 and from_env.stdout == expected
        from_netrc = ask({"NETRC": str(netrc)})
        assert from_netrc.code == 0 and from_netrc.stdout == expected


def test_a_missing_endpoint_path_is_not_found(paper_server: str):
    with pytest.raises(BackendUnavailable, match=r"no SPARQL service at .*/nothing \(HTTP 404\)"):
        remote.RemoteEndpoint(paper_server + "/nothing").select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


# -- results JSON --------------------------------------------------------------------------------------------


def test_results_json_becomes_the_terms_the_store_returns():
    body = b"""{"head": {"vars": ["a", "b", "c", "d", "e"]}, "results": {"bindings": [
        {"a": {"type": "uri", "value": "https://w3id.org/sal/id/newmont"},
         "b": {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
         "c": {"type": "literal", "value": "legitimidad", "xml:lang": "es"},
         "d": {"type": "bnode", "value": "x1"}, "e": {"type": "literal", "value": "plain"}},
        {"d": {"type": "bnode", "value": "x1"}}]}}"""
    result = remote.parse_results("http://example.test/query", "application/sparql-results+json", body)
    first, second = result.rows
    assert str(first["a"]) == "<https://w3id.org/sal/id/newmont>"
    assert str(first["b"]) == '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(first["c"]) == '"legitimidad"@es' and str(first["e"]) == '"plain"'
    assert first["d"] == second["d"]  # one blank node label, one node within a result
    assert "a" not in second


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Welcome</body></html>", "did not answer with SPARQL results JSON (text/html"),
        (b'{"head":{"vars":["n"]},"results":{"bindings":[Query timed out', "failed while answering: Query timed out"),
    ],
)
def test_answers_that_are_not_results_are_backend_errors(body: bytes, message: str):
    with pytest.raises(BackendUnavailable, match=re.escape(message)):
        remote.parse_results("http://example.test/query", "text/html; charset=utf-8", body)


def test_prefixes_are_declared_for_the_server_unless_the_query_declares_them():
    text = "#+ summary: x\nPREFIX sal: <http://other.example/#>\nSELECT ?x WHERE { ?x a sal:T ; rdfs:label ?l }"
    declared = remote.with_prefixes(text)
    assert declared.startswith("#+ summary: x\nPREFIX sald: <https://w3id.org/sal/id/>")
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in declared
    assert "PREFIX sal: <https://w3id.org/sal#>" not in declared


class _Redirecting(http.server.BaseHTTPRequestHandler):
    """Answers every request with a redirect to another host, as a misconfigured proxy might."""

    def _redirect(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(302)
        self.send_header("Location", "http://elsewhere.invalid/sparql")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = _redirect

    def log_message(self, *args) -> None:
        pass


def test_redirects_are_not_followed_and_say_where_they_point():
    """One policy for every request: a redirect is an error (a POST would lose its body, credentials their host)."""
    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), _Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{LOOPBACK}:{server.server_address[1]}/query"
    try:
        with pytest.raises(BackendUnavailable, match=r"redirects to http://elsewhere\.invalid/sparql \(HTTP 302\)"):
            remote.RemoteEndpoint(url, timeout=10, auth=None).select("SELECT * WHERE { ?s ?p ?o }")
        with pytest.raises(BackendUnavailable, match="does not follow redirects"):
            sparql_http.send("PUT", url + "?graph=urn:x", b"", "application/n-triples", 10)
    finally:
        server.shutdown()
        server.server_close()
