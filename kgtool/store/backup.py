"""Exporting the whole store (every named graph) as TriG or N-Quads: a backup ``kgtool build --from`` reads.

The export goes through ``kgtool.files.writing``: never a partial backup under the requested name, never a
device replaced by a file, ``-`` for standard output.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.files import STDOUT, writing
from kgtool.rdf.namespaces import PREFIXES
from kgtool.store.core import opened

EXPORT_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def export(store_dir: Path, output: Path | str | None, fmt: str = "trig") -> int:
    """Write every quad of the store to ``output`` (standard output for None or ``-``); the number of quads.

    ``kgtool.files.writing`` decides how: a file is written beside and renamed into place, so an interrupted
    export never leaves a truncated backup under the requested name; a device or FIFO is written in place.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt]
    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TRIG else None
    with opened(store_dir) as store, writing(output if output is not None else STDOUT, "the export") as handle:
        store.dump(handle, format=rdf_format, prefixes=prefixes)
        return len(store)
