"""Answers kept beside the store: a catalog question asked again on an unchanged store is answered at once.

Why: a question that answers one thing (the strategy × legitimacy matrix, the gaps, Table 1, one actor's
alliances) joins thousands of records, and at a million triples Oxigraph takes a second or more for it however
the query is written (benchmarks/README.md). Researchers ask the same questions again and again of a store that
changes only when it is built, ingested into or retracted from; so the answer of a slow question is kept, and
given back as long as the store is the one it was computed on.

"The store is the one it was computed on" is read from the store's own files, not from a promise that every
writer says so: Oxigraph keeps its data in RocksDB table files (``*.sst``), which are never changed once
written (new data goes to new files with new numbers), and in a write-ahead log (``*.log``) until those are
written. Any write (a build, an ingest, a retraction, ``check --materialize``, an update through ``kgtool serve
--writable``, even a killed process whose log is replayed at the next open) therefore shows as a new or grown
file, and the state (each such file's name, size, modification time and inode) differs. A state that differs
for other reasons (RocksDB merging files in the background) only costs a recomputation.

An answer is kept in ``<store>.answers/<sha256 of the bound query text and versions>.json`` (beside the store, as its
``.lock``): the state on the first line, then the rows as W3C SPARQL results JSON, as the engine returned them
(list cells are sorted afterwards, as for any answer), which Oxigraph's own parser reads back. Only answers of
at most ``MAX_ROWS`` rows that took the engine at least ``MIN_SECONDS`` are kept, at most ``MAX_ANSWERS`` of
them; a folder that cannot be written (a read-only disk) keeps nothing, silently. A query whose answer is not the
store's alone is never kept, here or as a listing (``repeatable``): a SERVICE call, NOW(), RAND() ...
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path

import pyoxigraph as ox

import kgtool
from kgtool.files import open_regular, write_atomically
from kgtool.sparql.render import to_json
from kgtool.sparql.results import QueryResult

MAX_ROWS = 2_000
MIN_SECONDS = 0.1
MAX_ANSWERS = 256
_DATA_FILES = (".sst", ".log")


#: A call to a SPARQL function with a new value at every evaluation (a word in a string or comment counts too:
#: the answer is then computed, never wrong).
_NEW_EACH_TIME = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def repeatable(text: str) -> bool:
    """Whether ``text`` answers alike on a store in the same state, so that its answer may be kept: not with a
    function new at every evaluation (NOW(), RAND() ...), nor with a SERVICE call (another server's data, whose
    changes the store's state does not show)."""
    if _NEW_EACH_TIME.search(text):
        return False
    if "service" not in text.lower():
        return True
    from kgtool.errors import UsageError
    from kgtool.sparql.guard import service_targets

    try:
        return not service_targets(text)
    except UsageError:  # a SERVICE kgtool cannot read: not kept
        return False


def folder(store_dir: Path) -> Path:
    """Where the answers of the store at ``store_dir`` are kept."""
    return store_dir.with_name(store_dir.name + ".answers")


def state(store_dir: Path) -> str:
    """The store's data files as they are now (name, size, modification time, inode), as one digest."""
    entries = []
    with os.scandir(store_dir) as scanned:
        for entry in scanned:
            if entry.name.endswith(_DATA_FILES):
                info = entry.stat()
                if info.st_size:  # RocksDB opens a new, empty log at every open
                    entries.append(f"{entry.name} {info.st_size} {info.st_mtime_ns} {info.st_ino}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def answer_key(text: str) -> str:
    """The name of ``text``'s kept answer: a digest of the query and of the pyoxigraph and kgtool that answer it
    (after an upgrade the question is computed again, as a kept listing is: ``kgtool.sparql.listings.key``)."""
    versioned = json.dumps([ox.__version__, kgtool.__version__, text], ensure_ascii=False)
    return hashlib.sha256(versioned.encode()).hexdigest()


class Answers:
    """The kept answers of one store: ``select`` answers from them or runs the query and keeps its answer."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self.folder = folder(store_dir)

    def select(self, run, text: str) -> QueryResult:
        """The answer to ``text``: kept, if kept for the store as it is, else ``run(text)`` (kept when slow)."""
        try:
            now = state(self.store_dir)
        except OSError:
            return run(text)
        path = self.folder / (answer_key(text) + ".json")
        kept = _read(path, now)
        if kept is not None:
            return kept
        started = time.perf_counter()
        result = run(text)
        if (
            len(result.rows) <= MAX_ROWS
            and time.perf_counter() - started >= MIN_SECONDS
            and unchanged(self.store_dir, now)
        ):
            self._keep(path, now, result)
        return result

    def _keep(self, path: Path, now: str, result: QueryResult) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            write_atomically(path, f"{now}\n{to_json(result)}".encode(), "a kept answer")
            kept = sorted(entry for entry in kept_files(self.folder, ".json") if entry[2].endswith(".json"))
            for _, _, old in kept[:-MAX_ANSWERS]:
                os.unlink(old)
        except Exception:  # a read-only or full disk, a folder that vanished: the answer is simply not kept
            return


#: A temporary file (``.NAME.*.part``, ``kgtool.files.replacing``) this old in ``<store>.answers/`` was left by a
#: killed process: only the process that holds the store keeps answers and listings, one at a time, and its own
#: temporary file is renamed or removed before it looks at the others.
STALE_PARTS = 24 * 3600
PART = ".part"


def kept_files(kept_folder: Path, suffix: str) -> list[tuple[int, int, str]]:
    """The files in ``kept_folder`` whose name ends in ``suffix`` and the temporary files of any kept file, as
    (modification time in ns, size, path); temporary files older than ``STALE_PARTS`` are removed first. A file
    removed meanwhile is skipped; a folder that cannot be read gives none."""
    found = []
    try:
        with os.scandir(kept_folder) as scanned:
            entries = list(scanned)
    except OSError:
        return []
    for entry in entries:
        if not entry.name.endswith((suffix, PART)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if entry.name.endswith(PART) and time.time() - info.st_mtime > STALE_PARTS:
                os.unlink(entry.path)
                continue
        except OSError:
            continue
        found.append((info.st_mtime_ns, info.st_size, entry.path))
    return found


def unchanged(store_dir: Path, before: str) -> bool:
    """Whether the store's files are as they were before the query ran (RocksDB may merge files meanwhile)."""
    try:
        return state(store_dir) == before
    except OSError:
        return False


def _read(path: Path, now: str) -> QueryResult | None:
    """The answer kept at ``path`` if it was computed on the store in state ``now``; None otherwise."""
    try:
        with open_regular(path) as kept:  # a FIFO there is not waited on
            kept_state, _, answer = kept.read().partition(b"\n")
        if kept_state.decode("ascii", "replace") != now:
            return None
        solutions = ox.parse_query_results(answer, ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            return None
        variables = [variable.value for variable in solutions.variables]
        rows = [{v: solution[v] for v in variables if solution[v] is not None} for solution in solutions]
    except (OSError, ValueError, SyntaxError):  # parsed as it is read: a damaged file fails while iterating
        return None
    return QueryResult(variables, rows)
