"""A FIFO (or a link to one, or to a device) where a kept listing or answer would be, in ``<store>.answers/``, is
not waited on: the listing is computed as if nothing were kept. (Opening a FIFO for reading waits for a writer:
``kgtool query NAME --format csv`` hung for ever.) The data are the paper's store."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from conftest import kgtool_environment, run_kgtool
from kgtool.sparql import answers, catalog, listings, queries
from kgtool.sparql.backends import StoreBackend
from kgtool.store.core import opened

NAME = "actors-by-sector"


def test_a_fifo_for_a_kept_listing_is_not_waited_on(fresh_store: Path):
    text, lists = queries.list_columns(queries.prepare(catalog.resolve(NAME), {}))
    kept = listings.path(fresh_store, listings.key(text, "csv", lists))
    kept.parent.mkdir()
    os.mkfifo(kept)
    args = [sys.executable, "-m", "kgtool.cli", "query", NAME, "--format", "csv", "--store", str(fresh_store)]
    try:
        asked = subprocess.run(args, capture_output=True, text=True, env=kgtool_environment(), timeout=20)
    except subprocess.TimeoutExpired:
        raise AssertionError("kgtool query waited on the FIFO") from None
    assert asked.returncode == 0, asked.stderr
    fresh = run_kgtool("query", NAME, "--format", "csv", "--store", str(fresh_store))  # nothing kept is read
    assert asked.stdout == fresh.stdout and asked.stdout.count("\n") > 2


def test_a_fifo_for_a_kept_answer_is_not_waited_on(fresh_store: Path):
    text = queries.prepare(catalog.resolve(NAME), {})
    folder = answers.folder(fresh_store)
    folder.mkdir()
    os.mkfifo(folder / (answers.answer_key(text) + ".json"))
    found = []
    with opened(fresh_store) as store:
        backend = StoreBackend(store)
        kept = answers.Answers(fresh_store)
        # daemon: on a failure it stays blocked in open(), and the test ends all the same
        asking = threading.Thread(target=lambda: found.append(kept.select(backend.select, text)), daemon=True)
        asking.start()
        asking.join(20)
        backend.store = None
        del store
    assert found, "the kept answers waited on the FIFO"
    assert len(found[0].rows) > 2
