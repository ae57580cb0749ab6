"""``kgtool serve``: a real Oxigraph server on loopback, read-only by default, union default graph, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port, kgtool_serve, run_kgtool, start_kgtool_serve
from kgtool.sparql import catalog, queries


def _post(url: str, field: str, text: str, accept: str = "application/sparql-results+json"):
    data = urllib.parse.urlencode({field: text}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    return urllib.request.urlopen(request, timeout=30)


@pytest.fixture()
def server(store_dir: Path):
    with kgtool_serve(store_dir) as running:
        yield running


def test_the_served_union_graph_answers_the_headline_like_the_store(server, store_dir: Path):
    _, base = server
    headline = catalog.resolve("alliance-legitimacy-strategy")
    text = headline.text.replace("?__lang", '"en"')  # the catalog's default, bound by hand for the raw endpoint
    remote = json.load(_post(base + "/query", "query", text))["results"]["bindings"]
    embedded = queries.run(store_dir, headline).rows
    assert len(remote) == len(embedded) > 0
    assert {(r["alliance"]["value"], r["legitimacy"]["value"]) for r in remote} == {
        (r["alliance"].value, r["legitimacy"].value) for r in embedded
    }


def test_the_query_editor_page_is_served(server):
    _, base = server
    page = urllib.request.urlopen(base + "/", timeout=30).read().decode()
    assert "yasgui" in page.lower()


def test_read_only_by_default(server):
    _, base = server
    with pytest.raises(urllib.error.HTTPError) as refused:
        _post(base + "/update", "update", "DROP ALL")
    assert refused.value.code == 403


def test_ctrl_c_stops_cleanly_and_frees_the_store(server, store_dir: Path):
    process, _ = server
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    assert "Stopped." in process.stdout.read()
    assert run_kgtool("query", "alliance-legitimacy-strategy", "-f", "csv", "--store", str(store_dir)).code == 0


def test_a_build_waits_for_the_server_then_refuses(server, store_dir: Path):
    result = run_kgtool("build", "--store", str(store_dir), env={"KGTOOL_LOCK_WAIT": "1"})
    assert result.code == 3 and "in use by another kgtool process" in result.stderr


def test_a_second_server_on_a_store_in_use_exits_3(server, store_dir: Path):
    result = run_kgtool("serve", "--store", str(store_dir), "--bind", f"127.0.0.1:{free_port()}", "--writable")
    assert result.code == 3 and "in use" in result.stderr


def test_bad_bind_and_missing_store(tmp_path: Path):
    assert run_kgtool("serve", "--store", str(tmp_path), "--bind", "nonsense").code == 2
    missing = run_kgtool("serve", "--store", str(tmp_path / "none"), "--bind", f"127.0.0.1:{free_port()}")
    assert missing.code == 3 and "kgtool build" in missing.stderr


def test_the_server_is_a_child_that_dies_with_kgtool(server):
    process, base = server
    os.kill(process.pid, signal.SIGINT)
    process.wait(timeout=15)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/", timeout=5)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_server_started_in_the_background_still_stops_when_asked(store_dir: Path, stop: int):
    """Started as a non-interactive shell starts a background job (SIGINT ignored), it stops on SIGINT and on
    SIGTERM (a service manager), and its Oxigraph child with it."""
    import socket

    process, port = start_kgtool_serve(store_dir, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    process.send_signal(stop)
    assert process.wait(timeout=15) == 0 and "Stopped." in process.stdout.read()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the Oxigraph server stopped with kgtool"
