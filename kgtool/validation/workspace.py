"""The one store a validation works on: the submission, what it points to in the knowledge graph, the ontology.

Each submitted file is parsed straight into a named graph of its own (Oxigraph's parser writes it, with no
Python object per triple; blank nodes are renamed per file), so that the store knows which file describes a
record, and a triple stated in two files is kept in the first only: the union of the graphs is the set of
triples the knowledge graph would hold (literals in canonical form, duplicates merged), exactly the data graph
pySHACL is given. The context described from the knowledge graph and the ontology go into two more graphs,
minus what the submission restates. The compiled SHACL engine, kgtool's own checks and the naming of records
are queries on this store; a large submission is kept in a temporary store on disk instead of in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.rdf.namespaces import SALD
from kgtool.rdf.parsing import load_into
from kgtool.validation.model import Subject
from kgtool.validation.submission import TableOrigins, read_tables

if TYPE_CHECKING:
    from kgtool.validation.csv_templates import CsvRecords

PREFIX = "urn:kgtool:validation:"
CONTEXT = ox.NamedNode(PREFIX + "context")
ONTOLOGY = ox.NamedNode(PREFIX + "ontology")
#: Input from which the workspace is a temporary store on disk rather than in memory (bytes of all its files).
#: Measured on 1M synthetic triples (52 MB of Turtle): in memory 31 s and 696 MiB peak, on disk (RocksDB) 58 s
#: and 962 MiB (its bulk loader's buffers), so memory is both faster and smaller up to about a million triples.
ON_DISK_BYTES = 64_000_000
#: The same holds for a submission being ingested since its write streams from the workspace in batches
#: (``kgtool.store.submissions``): 100,000 records (1M triples) ingested in 77 s and 792 MiB with the workspace in
#: memory against 138 s and 985 MiB on disk (``benchmarks/run --only large``, same session, under load).


class Workspace(TableOrigins):
    """The submission's files, each in its graph, beside the context and the ontology (``read``, ``add``)."""

    def __init__(self, files: list[Path], on_disk: bool = False) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kgtool-validation-") if on_disk else None
        self.store = ox.Store(self._folder.name) if self._folder else ox.Store()
        self.files = files
        self.graphs = [ox.NamedNode(f"{PREFIX}file/{index}") for index in range(len(files))]
        self.csv: dict[Path, CsvRecords] = {}
        self._inventory: Inventory | None = None
        self.file_of = cache(self._file_of)
        self.parent_of = cache(self._parent_of)

    @classmethod
    def read(cls, files: list[Path], input_format: str | None = None, on_disk_from: int = ON_DISK_BYTES) -> Workspace:
        """Parse every file (all of them, before anything else) with kgtool's strict offline parsers; into a
        store on disk from ``on_disk_from`` bytes of input."""
        size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
        workspace = cls(files, on_disk=size >= on_disk_from)
        tables = read_tables(files, input_format)  # every bad cell of every CSV template at once
        for path, graph in zip(files, workspace.graphs, strict=True):
            table = tables[path]
            if table is not None:
                workspace.csv[path] = table
                workspace.store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in table.quads)
            else:
                load_into(workspace.store, path, graph, input_format, on_disk=workspace._folder is not None)
        for index, graph in enumerate(workspace.graphs[1:], start=1):
            workspace.drop_restated(graph, workspace.graphs[:index])
        return workspace

    # ----------------------------------------------------------------------------------------- the data

    def add(self, graph: ox.NamedNode, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        """Add ``quads`` to ``graph`` (the context or the ontology) minus what the submission restates."""
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        self.drop_restated(graph, self.graphs)

    def drop_restated(self, graph: ox.NamedNode, earlier: list[ox.NamedNode]) -> None:
        """Remove from ``graph`` the triples that one of the ``earlier`` graphs holds already."""
        if earlier:  # each triple of ``graph`` looked up in the earlier ones (not the other way round)
            self.store.update(
                f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} FILTER EXISTS {{ "
                f"VALUES ?earlier {{ {' '.join(map(str, earlier))} }} GRAPH ?earlier {{ ?s ?p ?o }} }} }}"
            )

    def query(self, text: str) -> Iterable:
        """A query over the union of every graph (submission, context, ontology)."""
        return self.store.query(text, use_default_graph_as_union=True)

    def in_submission(self, var: str) -> str:
        """A group binding nothing that holds when ``var`` is a subject of the submission."""
        return (
            f"VALUES ?file_graph {{ {' '.join(map(str, self.graphs))} }} GRAPH ?file_graph {{ {var} ?file_p ?file_o }}"
        )

    def inventory(self) -> Inventory:
        """The distinct subjects, predicates and IRI values of the submission (found once, then kept).

        One pass over the files' quads in Python: half the time of three ``SELECT DISTINCT`` queries, each of
        which walks every quad again (measured: 2.5 s against 5 s for a million triples)."""
        if self._inventory is None:
            subjects: set[Subject] = set()
            predicates: set[ox.NamedNode] = set()
            values: set[ox.NamedNode] = set()
            named = ox.NamedNode
            for graph in self.graphs:
                for quad in self.store.quads_for_pattern(None, None, None, graph):
                    subjects.add(quad.subject)
                    predicates.add(quad.predicate)
                    if type(quad.object) is named:
                        values.add(quad.object)
            self._inventory = Inventory(subjects, predicates, values)
        return self._inventory

    @property
    def triples(self) -> SubmittedTriples:
        return SubmittedTriples(self)

    def record_count(self) -> int:
        """Distinct subjects (IRIs and blank nodes) in the files."""
        return len(self.inventory().subjects)

    def mentioned(self) -> list[ox.NamedNode]:
        """Every ``sald:`` IRI the submission names, as subject or value (what the knowledge graph may describe:
        blank nodes are the submission's own)."""
        inventory = self.inventory()
        return [
            t for t in inventory.subjects | inventory.values if isinstance(t, ox.NamedNode) and t.value.startswith(SALD)
        ]

    # ----------------------------------------------------------------------------------------- its records

    def __contains__(self, term: object) -> bool:
        return isinstance(term, ox.NamedNode | ox.BlankNode) and self.file_of(term) is not None

    def _file_of(self, term: Subject) -> Path | None:
        """The first file that describes ``term`` (has it as subject)."""
        for path, graph in zip(self.files, self.graphs, strict=True):
            if next(iter(self.store.quads_for_pattern(term, None, None, graph)), None) is not None:
                return path
        return None

    def _parent_of(self, term: Subject) -> tuple[Subject, str] | None:
        """A record of the submission that points to ``term``, and through which property."""
        for graph in self.graphs:
            for quad in self.store.quads_for_pattern(None, None, term, graph):
                return quad.subject, quad.predicate.value
        return None


@dataclass(frozen=True)
class Inventory:
    """What the submission names: its distinct subjects, predicates, and IRIs as values."""

    subjects: set[Subject]
    predicates: set[ox.NamedNode]
    values: set[ox.NamedNode]


class SubmittedTriples:
    """The submission's triples (each once), counted and iterated from the workspace store."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            graphs = " ".join(map(str, self._workspace.graphs))
            rows = self._workspace.query(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
            )
            self._count = int(next(iter(rows))["n"].value)
        return self._count

    def __iter__(self) -> Iterator[ox.Triple]:
        for graph in self._workspace.graphs:
            for quad in self._workspace.store.quads_for_pattern(None, None, None, graph):
                yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def with_predicates(self, predicates: Iterable[ox.NamedNode]) -> Iterator[ox.Triple]:
        """The triples whose predicate is one of ``predicates``, by index look-ups (the entailments of a write need
        the types and a few properties of a million triples, not all of them)."""
        for graph in self._workspace.graphs:
            for predicate in predicates:
                for quad in self._workspace.store.quads_for_pattern(None, predicate, None, graph):
                    yield ox.Triple(quad.subject, quad.predicate, quad.object)
