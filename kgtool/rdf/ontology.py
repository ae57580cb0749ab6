"""Loading the ontology: its modules and their ``owl:imports``, resolved from local files only.

Each Turtle file under ``ontology/`` declares one ``owl:Ontology``; an import is followed only when a local
file declares the imported IRI. An import with no local copy is an error, never a download: kgtool works
offline, and owlready2 would otherwise fetch it over HTTP.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.rdf import resources
from kgtool.rdf.namespaces import OWL, TYPE_NODE
from kgtool.rdf.parsing import parse_quads

OWL_ONTOLOGY = ox.NamedNode(OWL + "Ontology")
OWL_IMPORTS = ox.NamedNode(OWL + "imports")
MAIN_MODULE = "sal.ttl"


def _declared_ontologies(quads: list[ox.Quad]) -> list[str]:
    return [q.subject.value for q in quads if q.predicate == TYPE_NODE and q.object == OWL_ONTOLOGY]


def module_map(folder: Path | None = None) -> dict[str, tuple[Path, list[ox.Quad]]]:
    """Every ontology module of ``folder``: ontology IRI -> (file, quads)."""
    folder = folder or resources.folder("ontology")
    modules = {}
    for path in sorted(folder.glob("*.ttl")):
        quads = parse_quads(path)
        for iri in _declared_ontologies(quads):
            modules[iri] = (path, quads)
    return modules


def load(path: Path | None = None) -> list[ox.Quad]:
    """The quads of an ontology file or folder and, transitively, of every module it imports.

    ``path`` may be a folder (its ``sal.ttl`` is the entry point, else every module in it) or one file whose
    imports are looked up among the Turtle files beside it.
    """
    return load_files(path)[0]


def load_files(path: Path | None = None) -> tuple[list[ox.Quad], list[Path]]:
    """``load``, with the files it read (so that commands can say which), in the order read."""
    path = Path(path) if path else resources.folder("ontology")
    folder = path if path.is_dir() else path.parent
    modules = module_map(folder)
    if path.is_dir():
        entry = folder / MAIN_MODULE
        starts = [entry] if entry.exists() else [file for file, _ in modules.values()]
    else:
        starts = [path]
    quads: list[ox.Quad] = []
    seen_files: set[Path] = set()
    pending = [(file, parse_quads(file)) for file in starts]
    while pending:
        file, file_quads = pending.pop()
        if file in seen_files:
            continue
        seen_files.add(file)
        quads.extend(file_quads)
        for quad in file_quads:
            if quad.predicate != OWL_IMPORTS:
                continue
            imported = quad.object.value
            if imported not in modules:
                raise InputError(
                    f"{file}: owl:imports <{imported}> has no local copy in {folder}; "
                    "kgtool never fetches ontologies from the network"
                )
            pending.append(modules[imported])
    return quads, sorted(seen_files)


def without_imports(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads minus ``owl:imports``, for tools (owlready2) that would follow them over HTTP."""
    return [q for q in quads if q.predicate != OWL_IMPORTS]
