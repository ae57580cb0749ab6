"""Running the catalog queries the report is made of, on one backend, in one language.

The report never writes SPARQL of its own: every number and name comes from a query of ``queries/`` (the same
that ``kgtool query NAME`` runs), with its ``lang`` parameter set to the report's language. A bulk listing the
report sorts itself is asked without the query's final ``ORDER BY`` (``kgtool.sparql.ordering.split``, as
``kgtool query`` streams listings): the same rows, but at a
million triples Oxigraph's sort on strings looked up on disk costs more than the rest of the query (fact-provenance:
60 s ordered, 22 s not), while Python sorts the plain strings in milliseconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from kgtool.errors import DataProblem
from kgtool.sparql.results import Backend, QueryResult


class CatalogReader:
    """The catalog queries, run on one backend in one language; rows come back as plain strings."""

    def __init__(self, backend: Backend, lang: str) -> None:
        from kgtool.sparql import catalog

        self.backend = backend
        self.lang = lang
        self.queries = catalog.catalog()

    def rows(self, name: str, ordered: bool = True, **values: str) -> list[dict[str, str]]:
        """The rows of catalog query ``name``, each a dict of lexical values (a variable is absent where unbound);
        with ``ordered=False`` in no particular order (the caller sorts them)."""
        from kgtool.sparql import ordering, queries

        query = self.queries.get(name)
        if query is None:
            raise DataProblem(f"the query catalog has no {name!r}, which the report is made from; reinstall kgtool")
        if any(parameter.name == "lang" for parameter in query.parameters):
            values.setdefault("lang", self.lang)
        split = None if ordered else ordering.split(query.text)
        if split is not None:
            query = dataclasses.replace(query, text=split.unordered)
        result: QueryResult = queries.run_on(self.backend, query, values)
        return [{key: term.value for key, term in row.items()} for row in result.rows]

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The best label of each IRI in the report's language (English, then any, where it has none)."""
        from kgtool.sparql import queries

        return queries.labels(self.backend, set(iris), self.lang)
