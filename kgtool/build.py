"""Building the embedded store from the project's files, each file in its own named graph.

The build writes a complete new store beside the old one and swaps the folders only when every file has
parsed and loaded, so a build that fails (or is killed) leaves the previous store untouched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool import resources
from kgtool.parsing import parse_quads
from kgtool.store import GRAPH_BASE, exists, lock, open_store, opened

#: The kinds of source, in load order, with the glob that finds them below the project root.
SOURCE_KINDS: tuple[tuple[str, str], ...] = (
    ("ontology", "ontology/*.ttl"),
    ("reference", "data/reference/*.ttl"),
    ("data", "data/*.ttl"),
)


@dataclass(frozen=True)
class SourceFile:
    """One project file to load: its kind, its path, and the named graph it goes to."""

    kind: str
    path: Path
    graph: str

    @property
    def relative_path(self) -> str:
        """The file's path as the project names it (its graph IRI without the base)."""
        return self.graph.removeprefix(GRAPH_BASE)


@dataclass
class BuildReport:
    """What a build loaded: one ``(source, triple count)`` entry per file."""

    store: Path
    loaded: list[tuple[SourceFile, int]] = field(default_factory=list)
    kept_triples: int = 0  # of ingested submissions carried over from the previous store

    @property
    def total_triples(self) -> int:
        return sum(count for _, count in self.loaded) + self.kept_triples


def project_sources(root: Path | None = None) -> list[SourceFile]:
    """The ontology modules, reference vocabularies and case data that make up the knowledge graph."""
    root = root or resources.project_root()
    sources = []
    for kind, pattern in SOURCE_KINDS:
        for path in sorted(root.glob(pattern)):
            relative = path.relative_to(root).as_posix()
            sources.append(SourceFile(kind, path, GRAPH_BASE + relative))
    return sources


def build(store_dir: Path, sources: list[SourceFile] | None = None, keep_submissions: bool = True) -> BuildReport:
    """(Re)create the store at ``store_dir`` from ``sources`` (default: the project's files).

    Ingested submissions (their graphs and the metadata graph) are carried over from the old store unless
    ``keep_submissions`` is False.
    """
    sources = project_sources() if sources is None else sources
    store_dir = Path(store_dir)
    parsed = [(source, parse_quads(source.path)) for source in sources]  # fail before touching any store

    with lock(store_dir, exclusive=True):
        staging = _fresh_staging(store_dir)
        report = BuildReport(store=store_dir)
        store = open_store(staging, create=True)
        for source, quads in parsed:
            graph = ox.NamedNode(source.graph)
            store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
            report.loaded.append((source, len(quads)))
        if keep_submissions and exists(store_dir):
            report.kept_triples = _copy_submissions(store_dir, store)
        store.flush()
        del store
        _swap_into_place(staging, store_dir)
    return report


def restore(store_dir: Path, backup: Path) -> int:
    """Recreate the store at ``store_dir`` from an export (TriG or N-Quads): every graph as it was."""
    quads = parse_quads(Path(backup))
    with lock(store_dir, exclusive=True):
        staging = _fresh_staging(store_dir)
        store = open_store(staging, create=True)
        store.extend(quads)
        store.flush()
        del store
        _swap_into_place(staging, store_dir)
    return len(quads)


def _fresh_staging(store_dir: Path) -> Path:
    staging = store_dir.with_name(store_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    return staging


def _copy_submissions(store_dir: Path, target: ox.Store) -> int:
    """Copy every submission graph and the metadata graph of the store at ``store_dir`` into ``target``."""
    from kgtool.submissions import kept_graphs

    copied = 0
    with opened(store_dir) as old:
        for graph in kept_graphs(old):
            quads = list(old.quads_for_pattern(None, None, None, graph))
            target.extend(quads)
            copied += len(quads)
    return copied


def _swap_into_place(staging: Path, store_dir: Path) -> None:
    """Replace ``store_dir`` by ``staging`` by two renames; the old store stays until the new one is in."""
    retired = store_dir.with_name(store_dir.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if store_dir.exists():
        open_store(store_dir).flush()  # raises BackendUnavailable if another process holds the store
        store_dir.rename(retired)
    staging.rename(store_dir)
    shutil.rmtree(retired, ignore_errors=True)
