"""A window of a SELECT result (``--offset``/``--limit``) and the total it was cut from.

The terminal shows a page, not 70,000 rows: the query still runs in full (its total is part of the answer a
person reads), but on the embedded store only the rows inside the window become Python terms; the others are
only counted, and a final ORDER BY is done by kgtool where it orders exactly as the engine
(``kgtool.sparql.sorting``, as for csv/tsv/json). A remote endpoint answers in full and is cut afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kgtool.sparql import ordering, sorting
from kgtool.sparql.backends import StoreBackend
from kgtool.sparql.results import Backend, QueryResult


@dataclass(frozen=True)
class Page:
    """``result`` holds the rows ``offset`` .. ``offset + len(result.rows)`` of ``total``."""

    result: QueryResult
    offset: int
    total: int

    @property
    def complete(self) -> bool:
        return self.offset == 0 and len(self.result.rows) == self.total


def window(
    backend: Backend, text: str, offset: int = 0, limit: int | None = None, lists: dict[str, str] | None = None
) -> Page:
    """The rows ``offset`` .. ``offset + limit`` (all remaining when ``limit`` is None) and the total count;
    ``lists`` names the list columns (``kgtool.sparql.queries.list_columns``), which kgtool's sort normalizes."""
    solutions = getattr(backend, "solutions", None)
    if solutions is None:
        result = backend.select(text)
        end = None if limit is None else offset + limit
        return Page(QueryResult(result.variables, result.rows[offset:end]), offset, len(result.rows))
    plan = ordering.split(text)
    if plan is not None and isinstance(backend, StoreBackend):
        with sorting.scratch() as folder:
            try:
                answer = sorting.sorted_answer(backend, plan, lists or {}, folder) if folder else None
            except (ordering.Unsortable, OSError):  # the engine sorts (OSError: no room in the temporary folder)
                answer = None
            if answer is not None:
                parsed = ox.parse_query_results(path=answer.path, format=ox.QueryResultsFormat.TSV)
                variables = [variable.value for variable in parsed.variables]
                kept = islice(parsed, offset, None if limit is None else offset + limit)  # the total is known
                return Page(QueryResult(variables, _rows(variables, kept)), offset, answer.rows)
    variables, iterator = solutions(text)
    skipped = sum(1 for _ in islice(iterator, offset))
    rows = _rows(variables, iterator if limit is None else islice(iterator, limit))
    rest = sum(1 for _ in iterator)
    return Page(QueryResult(variables, rows), offset, skipped + len(rows) + rest)


def _rows(variables: list[str], solutions: Iterable[ox.QuerySolution]) -> list[dict[str, ox.Term]]:
    return [{v: solution[v] for v in variables if solution[v] is not None} for solution in solutions]
