"""A listing whose answer is not the store's alone is never kept (``kgtool.sparql.answers.repeatable``): a SERVICE
call reads another server, whose changes the store's state does not show, and NOW(), RAND(), UUID(), STRUUID()
and BNODE() give a new value at every evaluation. Kept, such a listing was served again as it was the first time:
rows the remote server no longer has, the same "random" numbers. Asked as ``kgtool query NAME --format csv`` asks
(``streaming.write`` on ``backends.connect``); the data are the paper's store and one synthetic note."""

from __future__ import annotations

import io
import signal
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_store, settled, start_kgtool_serve
from kgtool.sparql import answers, listings, streaming
from kgtool.sparql.backends import connect

NOTE = "<https://w3id.org/sal#note>"


@pytest.fixture()
def keeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every listing, however fast (the paper's store answers in milliseconds)."""
    monkeypatch.setattr(listings, "MIN_SECONDS", 0.0)


def _asked(store: Path, text: str) -> bytes:
    out = io.BytesIO()
    with connect(store) as backend:
        streaming.write(backend, text, "csv", out, {})
    return out.getvalue()


def test_a_listing_with_a_new_value_per_evaluation_is_computed_every_time(fresh_store: Path, keeping):
    text = "SELECT ?id (STRUUID() AS ?u) WHERE { VALUES ?id { 1 2 3 } }"
    settled(fresh_store, lambda path: _asked(path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    first, second = _asked(fresh_store, text), _asked(fresh_store, text)
    assert first.count(b"\n") == 4 and first != second  # three fresh UUIDs each time, not the first ones again
    assert not listings.path(fresh_store, listings.key(text, "csv", {})).exists()
    assert not any(answers.repeatable(t) for t in (text, "SELECT (rand() AS ?r) {}", "SELECT * { BIND(NOW() AS ?t) }"))
    assert answers.repeatable("SELECT ?now WHERE { ?now a ?service }")  # words, no call: kept as before


def test_a_listing_through_service_shows_the_remote_servers_change(fresh_store, store_template, tmp_path, keeping):
    remote = copy_store(store_template, tmp_path / "remote")
    process, port = start_kgtool_serve(remote, extra=("--writable",))
    try:
        text = f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{port}/query> {{ ?s {NOTE} ?o }} }} ORDER BY ?o"
        settled(fresh_store, lambda path: _asked(path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        before = _asked(fresh_store, text)
        update = f"INSERT DATA {{ <https://w3id.org/sal/id/synthetic-remote> {NOTE} 'synthetic remote note' }}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/update", update.encode(), {"Content-Type": "application/sparql-update"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 204
        after = _asked(fresh_store, text)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    assert b"synthetic remote note" not in before and b"synthetic remote note" in after
    assert not listings.path(fresh_store, listings.key(text, "csv", {})).exists()
