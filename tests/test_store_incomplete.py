"""What a killed ingest left before its commit point (part of a submission's graph, no metadata record) is removed
only under kgtool's exclusive store lock, the lock every writer takes. A command that opens the store while another
process holds it (``kgtool serve`` holds the shared lock while it serves read-only, which Oxigraph does not lock)
neither removes the part nor shows it: one line, exit 3. Before, the first command to open the store for writing
(a query, an export) removed it under the server's feet. Once no one holds the store, the same command removes it
and answers without it; ``kgtool serve`` started on such a store removes it before it serves."""

from __future__ import annotations

import json
import signal
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from conftest import one_line_error, run_kgtool, start_kgtool_serve
from kgtool.rdf.namespaces import SALD
from kgtool.store.core import SUBMISSION_PREFIX, lock

GRAPH = ox.NamedNode(SUBMISSION_PREFIX + "0123456789abcdef")
ORPHAN = ox.NamedNode(SALD + "synthetic-orphan-org")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ACTOR = ox.NamedNode("https://w3id.org/sal#NonGovernmentalOrganization")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _leave_part(store: Path) -> None:
    """What a write killed between two batches leaves (synthetic): part of a submission graph, no record."""
    db = ox.Store(str(store))
    db.extend([ox.Quad(ORPHAN, LABEL, ox.Literal("Orphan"), GRAPH), ox.Quad(ORPHAN, TYPE, ACTOR, GRAPH)])
    del db


def _has_part(store: Path) -> bool:
    """Whether the part is still in the store (read by pyoxigraph itself, which removes nothing)."""
    db = ox.Store.read_only(str(store))
    found = any(db.quads_for_pattern(ORPHAN, None, None, GRAPH))
    del db
    return found


def test_a_command_under_a_holder_of_the_store_neither_removes_nor_shows_the_part(fresh_store: Path):
    _leave_part(fresh_store)
    with lock(fresh_store, exclusive=False):  # as `kgtool serve` holds it while it serves read-only
        for command in (("query", "actors-by-sector", "-f", "csv"), ("export", "--format", "nquads")):
            refused = run_kgtool(*command, "--store", str(fresh_store))
            one_line_error(refused, 3, "killed", "0123456789abcdef")
            assert "synthetic-orphan-org" not in refused.stdout
        assert _has_part(fresh_store)  # nothing written under the holder
    listed = run_kgtool("query", "actors-by-sector", "-f", "csv", "--store", str(fresh_store))
    assert listed.code == 0 and "Antamina" in listed.stdout and "synthetic-orphan-org" not in listed.stdout
    assert not _has_part(fresh_store)  # removed once no one else held the store


def test_a_server_started_on_the_store_removes_the_part_before_it_serves(fresh_store: Path):
    _leave_part(fresh_store)
    process, port = start_kgtool_serve(fresh_store)
    try:
        text = (
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ <{ORPHAN.value}> <{SALD}antamina> }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/query?{urllib.parse.urlencode({'query': text})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            served = [row["s"]["value"] for row in json.load(response)["results"]["bindings"]]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    assert served == [SALD + "antamina"]  # the store is served, without the part
    assert not _has_part(fresh_store)
