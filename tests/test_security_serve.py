"""``kgtool serve`` and ``kgtool query`` as doors to the network (issue 13): SERVICE, Host headers, signals.

The endpoint is a real ``kgtool serve`` on loopback; the hosts a query may call are loopback servers that
record what reaches them (``tests/hostile.py``), so a test proves that nothing left, not just that an error
was printed.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from hostile import Tripwire, answer, http_server, nested_sparql, nested_triple_sparql, results

from conftest import copy_store, kgtool_serve, run_kgtool, start_kgtool_serve

ROWS = results("s", [{"type": "uri", "value": "https://w3id.org/sal/id/from-elsewhere"}])


@pytest.fixture()
def tripwire():
    wire = Tripwire()
    yield wire
    wire.close()


def _ask(base: str, text: str, host: str | None = None, field: str = "query", path: str = "/query"):
    """POST a SPARQL form to the endpoint, with the Host header a browser would send for ``host``."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    body = urllib.parse.urlencode({field: text})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    if host is not None:
        headers["Host"] = host
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def _service(url: str, silent: bool = False) -> str:
    return f"SELECT * WHERE {{ SERVICE {'SILENT ' if silent else ''}<{url}/sparql> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("silent", [False, True], ids=["service", "service-silent"])
def test_the_served_endpoint_makes_no_request_for_a_service_clause(store_dir: Path, tripwire: Tripwire, silent):
    """Regression: the served endpoint executed SERVICE <http://…> and returned the remote reply (SSRF)."""
    with kgtool_serve(store_dir) as (_, base):
        status, body = _ask(base, _service(tripwire.url, silent))
        assert status == 400 and "SERVICE" in body and "--allow-service" in body
        hidden = f"SELECT * WHERE {{ ?s ?p ?o FILTER(1<2)SERVICE#>\n<{tripwire.url}/x> {{ ?s ?p ?o }} }}"
        assert _ask(base, hidden)[0] == 400
        # A comment between SERVICE and SILENT: the keyword reader gave up on it and the server ran the query.
        commented = f"SELECT * WHERE {{ SERVICE #x\n SILENT <{tripwire.url}/x> {{ ?s ?p ?o }} }}"
        assert _ask(base, commented)[0] == 400
        assert _ask(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0] == 200  # still serving
    tripwire.assert_untouched("kgtool serve")


def test_kgtool_query_refuses_service_on_the_store(store_dir: Path, tmp_path: Path, tripwire: Tripwire):
    """Regression: `kgtool query` on the local store sent SERVICE requests (`SERVICE SILENT` exited 0)."""
    for silent in (False, True):
        query = tmp_path / "federated.rq"
        query.write_text(_service(tripwire.url, silent), encoding="utf-8")
        result = run_kgtool("query", str(query), "--store", str(store_dir))
        assert result.code == 2 and "--allow-service" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    tripwire.assert_untouched("kgtool query")


def test_a_federated_query_runs_only_against_the_hosts_allowed(store_dir: Path, tmp_path: Path, tripwire: Tripwire):
    with http_server(answer(200, ROWS, "application/sparql-results+json")) as (elsewhere, seen):
        query = tmp_path / "federated.rq"
        query.write_text(_service(elsewhere), encoding="utf-8")
        store = ("--store", str(store_dir))
        allowed = run_kgtool("query", str(query), "-f", "csv", "--allow-service", "127.0.0.1", *store)
        assert allowed.code == 0, allowed.stderr
        assert "https://w3id.org/sal/id/from-elsewhere" in allowed.stdout and len(seen) == 1
        other = run_kgtool("query", str(query), "--allow-service", "localhost", *store)
        assert other.code == 2 and "127.0.0.1" in other.stderr and len(seen) == 1
    variable = tmp_path / "variable.rq"
    variable.write_text("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }", encoding="utf-8")
    refused = run_kgtool("query", str(variable), "--allow-service", "127.0.0.1", "--store", str(store_dir))
    assert refused.code == 2 and "SERVICE ?where" in refused.stderr, refused.stderr  # was exit 70
    tripwire.assert_untouched("kgtool query --allow-service")


def test_serve_allows_a_named_service_host(store_dir: Path, tmp_path: Path):
    with http_server(answer(200, ROWS, "application/sparql-results+json")) as (elsewhere, _):
        process, port = start_kgtool_serve(store_dir, extra=("--allow-service", "127.0.0.1"))
        try:
            status, body = _ask(f"http://127.0.0.1:{port}", _service(elsewhere))
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=15)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["s"]["value"] == "https://w3id.org/sal/id/from-elsewhere"


def test_a_writable_server_loads_nothing_from_the_network(fresh_store: Path, tripwire: Tripwire):
    process, port = start_kgtool_serve(fresh_store, extra=("--writable",))
    try:
        base = f"http://127.0.0.1:{port}"
        for update in (
            f"LOAD <{tripwire.url}/data.ttl>",
            f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{tripwire.url}/sparql> {{ ?s ?p ?o }} }}",
        ):
            status, body = _ask(base, update, field="update", path="/update")
            assert status == 400 and "--allow-service" in body, body
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    tripwire.assert_untouched("kgtool serve --writable")


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "127.0.0.1.nip.io:{port}"])
def test_the_endpoint_answers_only_its_own_host_names(store_dir: Path, host: str):
    """Regression: the endpoint answered any Host header, so a web page could reach it by DNS rebinding."""
    with kgtool_serve(store_dir) as (_, base):
        port = urllib.parse.urlsplit(base).port
        status, body = _ask(base, "ASK { ?s ?p ?o }", host=host.replace("{port}", str(port)))
        assert status == 403 and "Host" in body
        for own in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
            assert _ask(base, "ASK { ?s ?p ?o }", host=own)[0] == 200, own


def test_a_query_nested_too_deep_is_refused_and_the_server_lives(store_dir: Path):
    with kgtool_serve(store_dir) as (process, base):
        status, body = _ask(base, nested_sparql(4000))
        assert status == 400 and "KGTOOL_MAX_DEPTH" in body
        assert process.poll() is None and _ask(base, "ASK { ?s ?p ?o }")[0] == 200


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGHUP], ids=["kill-9", "sighup"])
def test_nothing_keeps_serving_after_kgtool_serve_dies(tmp_path: Path, store_template: Path, stop: int):
    """Regression: kill -9 (or SIGHUP when the terminal closed) left the oxigraph child serving with no lock,
    and `kgtool build` then swapped the store under it."""
    store = copy_store(store_template, tmp_path / "kg")
    process, port = start_kgtool_serve(store)
    process.send_signal(stop)
    process.wait(timeout=15)
    deadline = time.monotonic() + 10  # the kernel closes a dead process's sockets at once; allow a busy machine
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _listening(port), "something still serves the store"
    leftovers = subprocess.run(["pgrep", "-f", f"oxigraph .*{store}"], capture_output=True, text=True).stdout
    assert leftovers.strip() == "", "an oxigraph process outlived kgtool serve"
    assert run_kgtool("build", "--store", str(store)).code == 0


def test_serving_beyond_loopback_or_writable_is_warned_about(fresh_store: Path):
    """Regression: `serve --bind 0.0.0.0` and `--writable` started without a word. The writable warning is
    checked on a real server; the network ones through the function the command prints (binding 0.0.0.0 in a
    test would open a port to the network of a shared machine)."""
    from kgtool.sparql.serving import Endpoint, bind_warnings

    process, _ = start_kgtool_serve(fresh_store, extra=("--writable",))
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=15)
    assert "kgtool: warning: --writable" in stderr and "change or delete" in stderr

    def warned(host: str) -> str:
        return " ".join(bind_warnings(Endpoint(host, 7878), writable=False))

    assert "all network interfaces" in warned("0.0.0.0") and "all network interfaces" in warned("::")
    assert "reachable from the network" in warned("192.0.2.10")
    assert warned("127.0.0.1") == warned("localhost") == warned("::1") == ""


def test_an_unresolvable_bind_host_is_a_usage_error(store_dir: Path):
    """Regression: `serve --bind no-such-host.invalid:7878` ended in an internal error (exit 70)."""
    result = run_kgtool("serve", "--bind", "no-such-host.invalid:7878", "--store", str(store_dir))
    assert result.code == 2 and "no-such-host.invalid" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_lock_is_held_by_the_process_that_serves(tmp_path: Path, store_template: Path):
    store = copy_store(store_template, tmp_path / "kg")
    process, _ = start_kgtool_serve(store)
    try:
        held = run_kgtool("build", "--store", str(store), env={"KGTOOL_LOCK_WAIT": "0.5"})
        assert held.code == 3 and "in use" in held.stderr
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout
        assert children.strip() == "", "kgtool serve runs the endpoint itself, not in a child that can outlive it"
    finally:
        os.kill(process.pid, signal.SIGINT)
        process.wait(timeout=15)


def _write_request(base: str, path: str, body: str, method: str = "POST", **headers: str):
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request(method, path, body=body.encode(), headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def test_another_sites_page_cannot_write_to_a_writable_server(fresh_store: Path):
    """Regression (issue 13 audit): a cross-origin text/plain POST of DROP ALL to serve --writable emptied the
    store; a web page can send one without asking the browser. Writes from programs (no Origin) still work."""
    process, port = start_kgtool_serve(fresh_store, extra=("--writable",))
    base, own = f"http://127.0.0.1:{port}", f"127.0.0.1:{port}"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        before = json.loads(_ask(base, count)[1])["results"]["bindings"][0]["n"]["value"]
        assert int(before) > 0
        form = "application/x-www-form-urlencoded"
        forged = [
            ("/update", "DROP ALL", {"Content-Type": "text/plain", "Origin": "http://evil.example"}, 403),
            ("/update", "DROP ALL", {"Content-Type": "text/plain"}, 415),
            ("/update", "update=DROP+ALL", {"Content-Type": form, "Origin": "http://evil.example"}, 403),
            ("/update", "update=DROP+ALL", {"Content-Type": form, "Sec-Fetch-Site": "cross-site"}, 403),
            ("/update", "update=DROP+ALL", {"Content-Type": form, "Origin": "null"}, 403),
            ("/store?default", "", {"Origin": f"http://{own}.evil.example"}, 403),
        ]
        for path, body, headers, status in forged:
            method = "DELETE" if path.startswith("/store") else "POST"
            got = _write_request(base, path, body, method, **headers)
            assert got[0] == status, (path, headers, got)
        after = json.loads(_ask(base, count)[1])["results"]["bindings"][0]["n"]["value"]
        assert after == before
        insert = "INSERT DATA { <https://w3id.org/sal/id/synthetic-x> <https://w3id.org/sal#note> 'x' }"
        own_page = _write_request(base, "/update", insert, Origin=base, **{"Content-Type": "application/sparql-update"})
        assert own_page[0] == 204, own_page
        program = _write_request(base, "/update", insert, **{"Content-Type": "application/sparql-update"})
        assert program[0] == 204, program
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def test_the_served_endpoint_refuses_every_hostile_query_and_keeps_serving(store_dir: Path, tripwire: Tripwire):
    """The hostile queries of tests/hostile.py, sent to `kgtool serve` instead of `kgtool query`: each one is
    refused with a client error, nothing is called, and the server still answers afterwards."""
    url = tripwire.url + "/sparql"
    queries = {
        "service": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "service-var": "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "service-comment": f"SELECT * WHERE {{ SERVICE #x\n SILENT <{url}> {{ ?s ?p ?o }} }}",
        "service-hidden": f"SELECT * {{ ?s ?p ?o FILTER(1<2)SERVICE#>\n<{url}> {{ ?s ?p ?o }} }}",
        "nested": nested_sparql(4000),
        "nested-triples": nested_triple_sparql(20_000),
    }
    with kgtool_serve(store_dir) as (_, base):
        for name, text in queries.items():
            status, body = _ask(base, text)
            assert 400 <= status < 500, (name, status, body[:300])
        assert _ask(base, "ASK { ?s ?p ?o }")[0] == 200
    tripwire.assert_untouched("kgtool serve, hostile queries")
