"""What every backend returns and accepts: a SELECT result of pyoxigraph terms, and the ``Backend`` interface.

They live apart from ``kgtool.sparql.backends`` so that the remote backend and the embedded one both build on
them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal

#: Seconds a remote endpoint may take to answer one request.
DEFAULT_TIMEOUT = 60.0


@dataclass
class QueryResult:
    """A SELECT result: the variables in order, and one dict per row (unbound variables are absent)."""

    variables: list[str]
    rows: list[dict[str, Term]]


class Backend(Protocol):
    """Anything that answers a SPARQL SELECT over the knowledge graph."""

    def select(self, text: str) -> QueryResult:
        """Run one SELECT query (already bound and checked) and return its rows."""
        ...
