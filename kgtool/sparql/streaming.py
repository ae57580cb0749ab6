"""Listings written as they are read: csv and json by Oxigraph's own result serializers, tsv row by row.

A listing of 70,000 rows needs neither a Python object per term nor the whole answer in memory: Oxigraph
serializes CSV and SPARQL-results JSON itself, in 8 KB chunks, straight to the output. The bytes are those
``kgtool.sparql.render`` writes for the same rows (tested on every catalog query), but for two things Oxigraph
does its own way. It quotes a value holding a lone CR, which Python's csv writer left bare (a CSV reader took
it for a line end). And: CSV records end in CRLF (SPARQL 1.1 CSV, RFC 4180), so ``_LineEnds`` turns each record's end
back into the ``\\n`` kgtool has always written, leaving a CRLF inside a quoted value as it is. Oxigraph's TSV
is another format (terms in N-Triples syntax), so tsv is written here from the solutions, one row at a time.

A query with list cells (``GROUP_CONCAT``) is written row by row too: each row's items are deduplicated and sorted
as it is read (``kgtool.sparql.queries.normalize_row``), so the items come out alike on every engine while the
rows stay in the query's order and nothing but the current row is held.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable
from typing import BinaryIO

import pyoxigraph as ox

from kgtool.sparql import ordering, sorting
from kgtool.sparql.answers import repeatable
from kgtool.sparql.backends import StoreBackend, _failed
from kgtool.sparql.queries import normalize_row
from kgtool.sparql.render import plain_value, term_json

_QUOTE = b'"'


class _LineEnds(io.RawIOBase):
    """A byte stream that writes CSV with ``\\n`` record ends to ``target`` (Oxigraph writes ``\\r\\n``).

    Only whole records are written: the bytes after the last record end wait for the next chunk, so every
    chunk handled starts outside quotes. Splitting at quotes, the even pieces lie outside quoted values (a quote
    inside a value is doubled); there a CRLF ends a record.
    """

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.pending = b""

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        data = self.pending + bytes(chunk)
        pieces = data.split(_QUOTE)
        for index in range(len(pieces) - 1 - (len(pieces) - 1) % 2, -1, -2):
            end = pieces[index].rfind(b"\r\n")
            if end >= 0:
                complete = sum(len(piece) + 1 for piece in pieces[:index]) + end + 2
                self.target.write(_records(data[:complete]))
                self.pending = data[complete:]
                return len(chunk)
        self.pending = data
        return len(chunk)

    def close(self) -> None:
        if self.pending:
            self.target.write(_records(self.pending))
            self.pending = b""
        super().close()


def _records(data: bytes) -> bytes:
    """Whole CSV records with ``\\n`` ends (a CRLF inside a quoted value stays)."""
    if _QUOTE not in data:
        return data.replace(b"\r\n", b"\n")
    pieces = data.split(_QUOTE)
    pieces[::2] = [piece.replace(b"\r\n", b"\n") for piece in pieces[::2]]
    return _QUOTE.join(pieces)


def write(
    backend: StoreBackend,
    text: str,
    output_format: str,
    out: BinaryIO,
    lists: dict[str, str] | None = None,
    sort: bool = True,
    run_rows: int = sorting.RUN_ROWS,
) -> sorting.SortedAnswer | None:
    """Run ``text`` on the store and write every row to ``out`` as csv, tsv or json (as ``render`` would); ``lists``
    names the list columns and their separators (``kgtool.sparql.queries.list_columns``). With ``sort`` a final
    ORDER BY is done by kgtool where it can order exactly as the engine (``kgtool.sparql.sorting``), else by the
    engine, in runs of at most ``run_rows`` rows. On a store on disk the bytes are also kept beside it, and a listing
    kept on the store as it is now is copied instead (``kgtool.sparql.listings``). Returns how kgtool sorted (rows,
    runs spilled), None when the engine ordered the rows or a kept copy was written."""
    lists = lists or {}
    answers = getattr(backend, "answers", None)  # a store on disk (kgtool.sparql.answers), not one in memory
    if answers is None or not repeatable(text):  # NOW(), SERVICE ...: computed every time
        return _written(backend, text, output_format, out, lists, sort, run_rows)
    from kgtool.sparql import listings

    produce = functools.partial(_written, backend, text, output_format, lists=lists, sort=sort, run_rows=run_rows)
    return listings.write(answers.store_dir, listings.key(text, output_format, lists), out, produce)


def _written(
    backend: StoreBackend,
    text: str,
    output_format: str,
    out: BinaryIO,
    lists: dict[str, str],
    sort: bool,
    run_rows: int,
) -> sorting.SortedAnswer | None:
    """The listing computed and written (``write`` without kept listings)."""
    plan = ordering.split(text) if sort else None
    answer = _write_sorted(backend, plan, output_format, out, lists, run_rows) if plan else None
    if answer is not None:
        return answer
    if lists or output_format == "tsv":
        _write_rows(backend, text, output_format, out, lists)
    else:
        _serialize(backend.results(text), output_format, out)
    return None


def _serialize(result: ox.QuerySolutions, output_format: str, out: BinaryIO) -> None:
    """Oxigraph's own csv or json of ``result`` (csv records ended by ``\\n``)."""
    target = _LineEnds(out) if output_format == "csv" else out
    try:
        result.serialize(target, ox.QueryResultsFormat.CSV if output_format == "csv" else ox.QueryResultsFormat.JSON)
    except OSError as error:  # evaluation failed while writing: a SERVICE call, the disk
        raise _failed(error) from error
    if output_format == "csv":
        target.close()
    else:
        out.write(b"\n")


def _write_sorted(
    backend: StoreBackend,
    plan: ordering.Ordered,
    output_format: str,
    out: BinaryIO,
    lists: dict[str, str],
    run_rows: int = sorting.RUN_ROWS,
) -> sorting.SortedAnswer | None:
    """The answer sorted by kgtool (``kgtool.sparql.sorting``), then written by Oxigraph's serializers from the
    sorted TSV; None (nothing written) when the engine has to sort."""
    with sorting.scratch() as folder:
        try:
            answer = sorting.sorted_answer(backend, plan, lists, folder, run_rows) if folder else None
        except (ordering.Unsortable, OSError):  # OSError: the temporary folder is full or gone
            answer = None
        if answer is None:
            return None
        solutions = ox.parse_query_results(path=answer.path, format=ox.QueryResultsFormat.TSV)
        if lists:  # written as they have always been, row by row (their cells are already normalized)
            _write_solutions([v.value for v in solutions.variables], solutions, output_format, out, {})
            return answer
        if output_format != "tsv":
            _serialize(solutions, output_format, out)
            return answer
        records = folder / "sorted.csv"  # kgtool's tsv holds plain values: Oxigraph's csv, re-delimited
        solutions.serialize(str(records), ox.QueryResultsFormat.CSV)
        lines = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
        with records.open(encoding="utf-8", newline="") as source:
            csv.writer(lines, delimiter="\t", lineterminator="\n").writerows(csv.reader(source))
        lines.flush()
        lines.detach()
    return answer


def _write_rows(backend: StoreBackend, text: str, output_format: str, out: BinaryIO, lists: dict[str, str]) -> None:
    """csv, tsv or json written here one row at a time, each row's list cells sorted as it is read."""
    _write_solutions(*backend.solutions(text), output_format, out, lists)


def _write_solutions(
    variables: list[str],
    solutions: Iterable[ox.QuerySolution],
    output_format: str,
    out: BinaryIO,
    lists: dict[str, str],
) -> None:
    """``solutions`` as csv, tsv or json, one row at a time, each row's list cells sorted as it is read."""
    rows = (normalize_row({v: s[v] for v in variables if s[v] is not None}, lists) for s in solutions)
    lines = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    if output_format == "json":
        lines.write(json.dumps({"head": {"vars": variables}}, ensure_ascii=False)[:-1] + ', "results": {"bindings": [')
        for index, row in enumerate(rows):
            cells = {v: term_json(term) for v, term in row.items()}
            lines.write(("," if index else "") + json.dumps(cells, ensure_ascii=False))
        lines.write("]}}\n")
    else:
        writer = csv.writer(lines, delimiter="\t" if output_format == "tsv" else ",", lineterminator="\n")
        writer.writerow(variables)
        writer.writerows([plain_value(row.get(v)) for v in variables] for row in rows)
    lines.flush()
    lines.detach()
