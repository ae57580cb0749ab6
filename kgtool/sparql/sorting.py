"""A listing sorted by kgtool instead of the engine: asked without its ORDER BY, sorted in bounded runs, merged.

Why: Oxigraph's ORDER BY evaluates both rows' keys at every comparison and holds the whole answer (at a million
triples it is the larger part of most listings: ``actors-by-sector`` 6.3 s ordered, 2.4 s not). Here the engine
writes the unordered answer in its own SPARQL TSV serializer (no Python term per cell) to a file; kgtool reads it
line by line, builds each row's key from the ORDER BY cells only (``kgtool.sparql.ordering``, the engine's order
exactly), sorts at most ``RUN_ROWS`` rows at a time in memory, spills each sorted run to a file and merges the
runs (``heapq.merge``) into one sorted TSV file. Memory is bounded by the run, whatever the answer's size.

The result is the engine's answer, in the engine's order, byte for byte (tested on every catalog query): rows
whose keys tie but whose cells differ would be in an order Oxigraph leaves to chance (it sorts unstably), so a
tie between different rows, like any key kgtool cannot reproduce, raises ``Unsortable`` and the caller lets
the engine sort. List cells (``GROUP_CONCAT``) are normalized on the way, as ``queries.normalize_row`` does.
The run files are pickles kgtool wrote itself a moment before, in a private temporary folder.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.sparql.backends import StoreBackend, _failed
from kgtool.sparql.ordering import Ordered, Unsortable, column_reader, escape, literal
from kgtool.sparql.queries import UNIT_SEPARATOR

#: Rows sorted in memory at once; a larger answer is sorted in runs of this size spilled to disk and merged.
RUN_ROWS = 50_000
_CHUNK = 1_024  # rows per pickle in a run file: what the merge holds of each run


@dataclass(frozen=True)
class SortedAnswer:
    """The answer as SPARQL TSV in the query's order at ``path``: ``rows`` rows, ``runs`` sorted runs spilled."""

    path: Path
    rows: int
    runs: int


def sorted_answer(
    backend: StoreBackend, plan: Ordered, lists: dict[str, str], folder: Path, run_rows: int = RUN_ROWS
) -> SortedAnswer:
    """Ask ``plan.unordered`` and write its rows sorted by ``plan.keys`` to ``folder/sorted.tsv`` (list cells
    normalized); raises ``Unsortable`` when the engine must sort instead."""
    result = backend.results(plan.unordered)  # lazy: nothing is evaluated before it is serialized
    names = [variable.value for variable in result.variables]
    keys = list(plan.keys)
    while keys and (keys[-1].variable not in names or keys[-1].variable in lists):
        keys.pop()  # a last key kgtool cannot see only orders rows the others tie on: _checked refuses those
    if any(key.variable not in names or key.variable in lists for key in keys):
        raise Unsortable("a key is not a plain projected variable")
    unordered = folder / "unordered.tsv"
    try:
        result.serialize(str(unordered), ox.QueryResultsFormat.TSV)
    except OSError as error:  # evaluation failed while writing: a SERVICE call, the disk
        raise _failed(error) from error
    runs: list[Path] = []
    with unordered.open(encoding="utf-8", newline="\n") as lines:
        header = next(lines, "\n")
        readers = [(names.index(key.variable), column_reader(key)) for key in keys]
        listed = [(names.index(name), separator) for name, separator in lists.items() if name in names]
        batch: list[tuple[tuple, str]] = []
        rows = 0
        for line in lines:
            if line.startswith("<<") or "\t<<" in line:  # a triple term, which kgtool's tsv would write otherwise
                raise Unsortable("a triple term")
            cells = line[:-1].split("\t")
            if listed:
                line = _normalized(cells, listed)
            batch.append((tuple(read(cells[index]) for index, read in readers), line))
            if len(batch) >= run_rows:
                runs.append(_spill(batch, folder / f"run-{len(runs)}.pickle"))
                rows += len(batch)
                batch = []
    rows += len(batch)
    batch.sort()
    sorted_path = folder / "sorted.tsv"
    with sorted_path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        merged = heapq.merge(*(_read_run(path) for path in runs), batch) if runs else batch
        out.writelines(_checked(merged))
    unordered.unlink()
    return SortedAnswer(sorted_path, rows, len(runs))


@contextmanager
def scratch() -> Iterator[Path | None]:
    """A private temporary folder to sort in (removed afterwards), None when none can be made: the engine sorts."""
    try:
        holder = tempfile.TemporaryDirectory(prefix="kgtool-sort-")
    except OSError:
        yield None
        return
    with holder as folder:
        yield Path(folder)


def _spill(batch: list[tuple[tuple, str]], path: Path) -> Path:
    """``batch`` sorted and written to ``path`` in chunks the merge reads one at a time."""
    batch.sort()
    with path.open("wb") as out:
        for start in range(0, len(batch), _CHUNK):
            pickle.dump(batch[start : start + _CHUNK], out, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _read_run(path: Path) -> Iterator[tuple[tuple, str]]:
    with path.open("rb") as run:
        while True:
            try:
                chunk = pickle.load(run)  # written by _spill into our own private folder a moment ago
            except EOFError:
                return
            yield from chunk


def _checked(rows: Iterable[tuple[tuple, str]]) -> Iterator[str]:
    """The lines of ``rows`` (sorted); two different rows with one key would be in the engine's chance order."""
    previous: tuple[tuple, str] | None = None
    for row in rows:
        if previous is not None and row[0] == previous[0] and row[1] != previous[1]:
            raise Unsortable("two different rows have the same keys")
        previous = row
        yield row[1]


def _normalized(cells: list[str], listed: list[tuple[int, str]]) -> str:
    """The TSV line of ``cells`` with each list cell's items deduplicated, sorted by code point and joined with
    its separator as a plain string, unbound when none is left (``kgtool.sparql.queries.normalize_row``)."""
    for index, separator in listed:
        found = literal(cells[index])
        if found is not None:
            items = sorted({item for item in found[0].split(UNIT_SEPARATOR) if item})
            cells[index] = f'"{escape(separator.join(items))}"' if items else ""
    return "\t".join(cells) + "\n"
