"""The shapes graph: every ``*.ttl`` of ``shapes/`` (or another folder) read as one graph, for both engines."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kgtool.errors import InputError
from kgtool.rdf import resources
from kgtool.rdf.parsing import parse_quads
from kgtool.validation.model import Shapes


def load_shapes(folder: Path | None = None) -> Shapes:
    """Every ``*.ttl`` of the shapes folder, as one shapes graph."""
    folder = Path(folder) if folder else resources.folder("shapes")
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise InputError(f"{folder}: no shapes (*.ttl) found")
    quads = [quad for path in files for quad in parse_quads(path)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return Shapes(quads, digest=digest.hexdigest())
