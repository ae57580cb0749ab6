"""The embedded Oxigraph store: where it is, opening and locking it (``core``), building it from the project's
files (``build``), backups (``backup``) and accepted submissions (``submissions``). Builds on ``kgtool.rdf``.
Serving it over SPARQL is ``kgtool.sparql.serving``: the endpoint applies the SPARQL policy of
``kgtool.sparql.guard``.

``build``, ``backup`` and ``submissions`` are modules: ``from kgtool.store import build`` then
``build.build(path)``.
"""

from kgtool.store.core import GRAPH_BASE, exists, graph_counts, lock, open_store, opened, store_path

__all__ = [
    "GRAPH_BASE",
    "exists",
    "graph_counts",
    "lock",
    "open_store",
    "opened",
    "store_path",
]
