"""A window of a SELECT result (``--offset``/``--limit``) and the total it was cut from.

The terminal shows a page, not 70,000 rows: the query still runs in full (its total is part of the answer a
person reads), but on the embedded store only the rows inside the window become Python terms; the others are
only counted. A remote endpoint answers in full and is cut afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

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


def window(backend: Backend, text: str, offset: int = 0, limit: int | None = None) -> Page:
    """The rows ``offset`` .. ``offset + limit`` (all remaining when ``limit`` is None) and the total count."""
    solutions = getattr(backend, "solutions", None)
    if solutions is None:
        result = backend.select(text)
        end = None if limit is None else offset + limit
        return Page(QueryResult(result.variables, result.rows[offset:end]), offset, len(result.rows))
    variables, iterator = solutions(text)
    skipped = sum(1 for _ in islice(iterator, offset))
    kept = iterator if limit is None else islice(iterator, limit)
    rows = [{v: solution[v] for v in variables if solution[v] is not None} for solution in kept]
    rest = sum(1 for _ in iterator)
    return Page(QueryResult(variables, rows), offset, skipped + len(rows) + rest)
