"""The embedded Oxigraph store: where it is, opening and locking it (``core``), building it from the project's
files (``build``), backups (``backup``), accepted submissions (``submissions``) and serving it over SPARQL
(``serving``). Builds on ``kgtool.rdf``.

``build``, ``backup``, ``submissions`` and ``serving`` are modules: ``from kgtool.store import build`` then
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
