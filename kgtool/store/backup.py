"""Exporting the whole store (every named graph) as TriG or N-Quads: a backup ``kgtool build --from`` reads.

The export is written to a temporary file beside the target and renamed into place, so an interrupted
export never leaves a truncated backup under the requested name.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.namespaces import PREFIXES
from kgtool.store.core import opened

EXPORT_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def export(store_dir: Path, output: Path | None, fmt: str = "trig") -> int:
    """Write every quad of the store to ``output`` (stdout when None); returns the number of quads."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    rdf_format = EXPORT_FORMATS[fmt]
    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TRIG else None
    with opened(store_dir) as store:
        count = len(store)
        if output is None:
            sys.stdout.buffer.write(store.dump(format=rdf_format, prefixes=prefixes))
            sys.stdout.buffer.flush()
            return count
        partial = output.with_name(f".{output.name}.partial-{os.getpid()}")
        try:
            store.dump(str(partial), format=rdf_format, prefixes=prefixes)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return count
