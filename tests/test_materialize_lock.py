"""``kgtool check --materialize`` writes the store, so it takes kgtool's exclusive store lock as ``build``,
``ingest`` and ``retract`` do: a store served read-only (``kgtool serve`` holds the shared lock; Oxigraph does not
lock a read-only store) is not written under the server, the command waits, then exits 3 in one line. It wrote
anyway before. HermiT runs on a real JRE; the data are the project's."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from conftest import run_kgtool
from kgtool.store.core import lock, opened

INFERRED = ox.NamedNode("https://w3id.org/sal/graph/inferred")


def _inferred(store: Path) -> int:
    with opened(store) as opened_store:
        count = sum(1 for _ in opened_store.quads_for_pattern(None, None, None, INFERRED))
        del opened_store
    return count


def test_materialize_waits_for_a_server_of_the_store_then_exits_3(fresh_store: Path):
    before = _inferred(fresh_store)
    with lock(fresh_store, exclusive=False):  # as `kgtool serve` (read-only) holds it
        refused = run_kgtool("check", "--materialize", "--store", str(fresh_store), env={"KGTOOL_LOCK_WAIT": "0"})
    assert refused.code == 3, refused.stdout + refused.stderr
    assert "in use" in refused.stderr and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert _inferred(fresh_store) == before  # nothing written under the server
    done = run_kgtool("check", "--materialize", "--store", str(fresh_store))
    assert done.code == 0, done.stderr
    assert _inferred(fresh_store) > before  # once the server is gone, the same command writes


def test_a_store_in_use_refuses_materialize_before_the_reasoner_runs(fresh_store: Path):
    """The report (its first line is HermiT's verdict) is printed once HermiT has run: a refusal without it came
    before the reasoner; before the fix the whole report came first, then the refusal."""
    with lock(fresh_store, exclusive=False):  # another process holds the store, as `kgtool serve` does
        refused = run_kgtool("check", "--materialize", "--store", str(fresh_store), env={"KGTOOL_LOCK_WAIT": "0"})
    assert refused.code == 3 and "in use" in refused.stderr and refused.stderr.count("\n") == 1, refused.stderr
    assert "HermiT" not in refused.stdout, refused.stdout  # no verdict: the reasoner never ran
    done = run_kgtool("check", "--materialize", "--store", str(fresh_store))
    assert done.code == 0 and "Reasoner (HermiT): consistent" in done.stdout, done.stdout + done.stderr


def test_materialize_into_a_missing_store_makes_nothing(tmp_path: Path):
    missing = tmp_path / "no" / "store"
    refused = run_kgtool("check", "--materialize", "--store", str(missing))
    assert refused.code == 3 and "no kgtool store" in refused.stderr and refused.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no folder, no lock file
