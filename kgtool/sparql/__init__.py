"""Asking the knowledge graph: the query catalog and its grlc headers (``catalog``), binding parameters as RDF
terms (``binding``), the backends that answer a SELECT (``backends``: the store, or a remote endpoint through
``remote``; both return ``results.QueryResult``), every HTTP request under one policy (``http``), running a
catalog query (``queries``), printing its rows (``render``) and copying the store to a server (``push``).
Builds on ``kgtool.store`` and ``kgtool.rdf``.

``catalog``, ``queries`` and ``push`` are modules: ``from kgtool.sparql import catalog, queries``.
"""

from kgtool.sparql.backends import StoreBackend, connect
from kgtool.sparql.binding import bind_parameters, with_bindings
from kgtool.sparql.catalog import CatalogQuery, Parameter, load_query, resolve
from kgtool.sparql.results import DEFAULT_TIMEOUT, Backend, QueryResult

__all__ = [
    "DEFAULT_TIMEOUT",
    "Backend",
    "CatalogQuery",
    "Parameter",
    "QueryResult",
    "StoreBackend",
    "bind_parameters",
    "connect",
    "load_query",
    "resolve",
    "with_bindings",
]
