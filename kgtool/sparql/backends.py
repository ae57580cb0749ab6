"""Where a query runs: the embedded store or a remote SPARQL endpoint, behind one small interface.

Everything that asks the knowledge graph (the ``query`` command, label lookups, the tests) talks to a
``Backend``: one method, ``select(text)``, that takes a complete SPARQL SELECT (parameters already bound,
prefixes undeclared or declared) and returns a ``QueryResult`` of pyoxigraph terms. Both backends see the
union of the named graphs as the default graph, so a catalog query answers alike on either, and the one
test suite that checks the paper's rows runs against both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, UsageError
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql.results import DEFAULT_TIMEOUT, Backend, QueryResult

if TYPE_CHECKING:
    from kgtool.sparql.answers import Answers


class StoreBackend:
    """An open embedded Oxigraph store; the default graph is the union of its named graphs."""

    def __init__(self, store: ox.Store, answers: Answers | None = None) -> None:
        self.store = store
        #: The answers kept beside a store on disk (``kgtool.sparql.answers``); None for a store in memory.
        self.answers = answers

    def solutions(self, text: str) -> tuple[list[str], Iterator[ox.QuerySolution]]:
        """The variables of a SELECT and its solutions, evaluated lazily (errors while iterating included)."""
        result = self.results(text)
        return [variable.value for variable in result.variables], _guarded(result)

    def results(self, text: str) -> ox.QuerySolutions:
        """Oxigraph's own lazy result of a SELECT (``kgtool.sparql.streaming`` serializes it as it is)."""
        result = self._query(text)
        if not isinstance(result, ox.QuerySolutions):
            raise UsageError(
                "not a SELECT query; kgtool prints SELECT results",
                es="no es una consulta SELECT; kgtool muestra resultados de SELECT",
            )
        return result

    def select(self, text: str) -> QueryResult:
        variables, solutions = self.solutions(text)
        rows = [{v: solution[v] for v in variables if solution[v] is not None} for solution in solutions]
        return QueryResult(variables, rows)

    def _query(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise UsageError(f"invalid SPARQL: {error}", es=f"SPARQL no válido: {error}") from error
        except OSError as error:  # Oxigraph may evaluate eagerly, e.g. a SERVICE call
            raise _failed(error) from error


def _guarded(solutions: ox.QuerySolutions) -> Iterator[ox.QuerySolution]:
    """The solutions, an evaluation failure (a SERVICE call, the disk) as one line."""
    try:
        yield from solutions
    except OSError as error:
        raise _failed(error) from error


@contextmanager
def connect(
    store_dir: Path | None = None, endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[Backend]:
    """The backend to ask: the SPARQL endpoint at ``endpoint`` if given, else the store at ``store_dir``.

    The store is opened once for the whole ``with`` block (one query and its label lookup share it) and
    released on exit; a remote endpoint holds no connection between requests.
    """
    if endpoint:
        from kgtool.sparql.remote import RemoteEndpoint

        yield RemoteEndpoint(endpoint, timeout=timeout, name_dataset=True)
        return
    from kgtool.sparql.answers import Answers
    from kgtool.store.core import opened, store_path

    path = store_path(store_dir)
    with opened(path) as store:
        backend = StoreBackend(store, Answers(path))
        try:
            yield backend
        finally:
            backend.store = None  # the caller may keep the backend object: it must not keep the store's lock
        del store


def _failed(error: OSError) -> BackendUnavailable:
    """The store could not evaluate the query (a SERVICE call, the disk): one line, in English and Spanish."""
    words = " ".join(str(error).split())
    return BackendUnavailable(f"the query failed: {words}", es=f"la consulta falló: {words}")
