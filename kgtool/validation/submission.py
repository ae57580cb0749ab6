"""A submission as validation reads it: every file parsed (strictly, offline), its triples in a store of their
own in the knowledge graph's canonical form, and which file (and CSV row and column) describes each record."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.rdf.parsing import iter_quads
from kgtool.store.submissions import write_batch
from kgtool.validation.model import TABLE_SUFFIXES, Subject

if TYPE_CHECKING:
    from kgtool.validation.csv_templates import CsvRecords

#: Input from which a submission is kept on disk rather than in memory (bytes of all its files).
ON_DISK_BYTES = 20_000_000


class TableOrigins:
    """Where a record of a CSV template or a workbook was written (row, column, cell, sheet): for any submission
    that keeps its tables in ``csv`` and says which file describes a record (``file_of``)."""

    csv: dict[Path, CsvRecords]

    def file_of(self, term: Subject) -> Path | None:
        raise NotImplementedError

    def _table(self, term: Subject) -> CsvRecords | None:
        file = self.file_of(term)
        return self.csv.get(file) if file is not None else None

    def csv_row(self, term: Subject) -> int | None:
        """The CSV row that holds a record, when it comes from a CSV template."""
        records = self._table(term)
        return records.rows.get(term.value) if records is not None else None

    def csv_column(self, focus: Subject, path: str | None, missing: bool = False) -> str | None:
        """The CSV column (a workbook column's header) of a result's value, or of the empty cell where a missing
        value belongs, when the record comes from a table."""
        records = self._table(focus)
        return records.column(focus.value, path, missing) if records is not None and path is not None else None

    def csv_cell(self, focus: Subject, path: str | None, missing: bool = False) -> str | None:
        """The workbook cell (``Actor!C7``) of a result's value, or of the empty cell where it belongs."""
        records = self._table(focus)
        return records.cell(focus.value, path, missing) if records is not None and path is not None else None

    def csv_sheet(self, term: Subject) -> str | None:
        """The workbook sheet that holds a record, when it comes from a workbook."""
        records = self._table(term)
        return records.sheet(term.value) if records is not None else None


def read_table(path: Path, input_format: str | None) -> CsvRecords | None:
    """A filled CSV template or workbook (its quads and where each cell is), or None for an RDF file. The table
    readers are imported for a table only: an RDF submission (an ingest of a hundred records) does without them."""
    if input_format is not None or Path(path).suffix.lower() not in TABLE_SUFFIXES:
        return None
    from kgtool.validation import csv_templates, workbook_read

    if Path(path).suffix.lower() == ".csv":
        return csv_templates.read(path)
    if workbook_read.is_workbook(path):
        return workbook_read.read(path)
    return None


def read_tables(files: list[Path], input_format: str | None) -> dict[Path, CsvRecords | None]:
    """``read_table`` of every file; the bad cells of all the CSV templates raised together (``CellProblems``), so
    that a contributor sees every one after one run."""
    tables: dict[Path, CsvRecords | None] = {path: None for path in files}
    if input_format is not None or not any(Path(path).suffix.lower() in TABLE_SUFFIXES for path in files):
        return tables
    from kgtool.validation.csv_templates import CellProblems

    problems: list[str] = []
    for path in files:
        try:
            tables[path] = read_table(path, input_format)
        except CellProblems as error:
            problems += error.lines
    if problems:
        raise CellProblems(problems)
    return tables


@dataclass
class Submission(TableOrigins):
    """The parsed files: their triples (named graphs merged), and which file describes each record."""

    files: list[Path]
    triples: list[ox.Triple] | StoredTriples  # a part's list, or the whole submission's own store
    subjects: dict[Subject, Path]  # record -> first file that describes it
    csv: dict[Path, CsvRecords] = field(default_factory=dict)  # CSV templates, workbooks: where each cell is
    _stored: StoredTriples | None = field(default=None, repr=False, compare=False)

    @classmethod
    def read(cls, files: list[Path], input_format: str | None = None) -> Submission:
        """Parse every file (all of them, before any validation) with kgtool's strict offline parsers.

        The triples are taken as the store would keep them (``StoredTriples``): literals in
        canonical form (``60.0`` and ``60`` as decimals are one value, ``"850"^^xsd:nonNegativeInteger`` an
        integer), duplicates merged. Validation judges what would enter the knowledge graph, and a record stated
        in two files is not two values. Large inputs are streamed into a temporary store on disk.
        """
        size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
        stored = StoredTriples(on_disk=size >= ON_DISK_BYTES)
        subjects: dict[Subject, Path] = {}
        tables: dict[Path, CsvRecords] = {}
        tables_read = read_tables(files, input_format)  # every bad cell of every CSV file, reported together
        for path in files:
            table = tables_read[path]
            if table is not None:
                tables[path] = table
            quads: Iterable[ox.Quad] = table.quads if table is not None else iter_quads(path, input_format)
            stored.extend(_noting_subjects(quads, subjects, path))
        return cls(files, stored, subjects, tables)

    def stored(self) -> StoredTriples:
        """The triples in a store of their own (made once, in memory, for a submission built from a list)."""
        if isinstance(self.triples, StoredTriples):
            return self.triples
        if self._stored is None:
            self._stored = StoredTriples()
            self._stored.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.triples)
        return self._stored

    def __contains__(self, term: object) -> bool:
        return term in self.subjects

    def file_of(self, term: Subject) -> Path | None:
        """The first file that describes ``term``."""
        return self.subjects.get(term)

    def parent_of(self, term: Subject) -> tuple[Subject, str] | None:
        """A record of the submission that points to ``term``, and through which property."""
        for triple in self.triples:
            if triple.object == term:
                return triple.subject, triple.predicate.value
        return None

    def without_restated(self, context: list[ox.Triple]) -> list[ox.Triple]:
        """``context`` minus what the submission restates (both are in the store's canonical form)."""
        restated = set(self.triples)
        return [t for t in context if t not in restated]

    def mentioned(self) -> set[Subject]:
        """Every record the submission names, as subject or as value."""
        terms: set[Subject] = set(self.subjects)
        terms.update(t.object for t in self.triples if isinstance(t.object, ox.NamedNode | ox.BlankNode))
        return terms


def _noting_subjects(quads: Iterable[ox.Quad], subjects: dict[Subject, Path], path: Path) -> Iterator[ox.Quad]:
    """The quads, passed on as they come, noting the first file that describes each subject."""
    for quad in quads:
        subjects.setdefault(quad.subject, path)
        yield quad


class StoredTriples:
    """A submission's triples in a store of their own: canonical, without duplicates, findable by subject and
    object, and off the Python heap.

    Oxigraph gives literals back in canonical form (``60.0`` and ``60`` as decimals are one value), as the
    knowledge graph will hold them, and merges a triple stated twice. A small submission is kept in memory; from
    ``ON_DISK_BYTES`` of input on, in a temporary on-disk store, so that a million triples cost disk, not RAM.
    It answers ``about`` and ``pointing`` like the knowledge graph (``validation_context.Describable``), so that a
    part's context is described from the rest of the submission by the code that describes it from the store.
    """

    def __init__(self, on_disk: bool = False) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kgtool-submission-") if on_disk else None
        self.store = ox.Store(self._folder.name) if self._folder else ox.Store()
        self._count: int | None = 0

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (their graph dropped), a batch per transaction so that no write buffer grows unbounded."""
        size = write_batch()  # the store's own batch size ($KGTOOL_WRITE_BATCH): one setting for every write
        batch: list[ox.Quad] = []
        for quad in quads:
            batch.append(ox.Quad(quad.subject, quad.predicate, quad.object))
            if len(batch) == size:
                self._write(batch)
                batch = []
        self._write(batch)
        self._count = None

    def _write(self, batch: list[ox.Quad]) -> None:
        self.store.extend(batch)
        if self._folder:  # RocksDB keeps written data in memory tables until flushed: 0.5 GB per million triples
            self.store.flush()

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(self.store)
        return self._count

    def __iter__(self) -> Iterator[ox.Triple]:
        for quad in self.store:
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def about(self, term: Subject) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(term, None, None, None)

    def pointing(self, predicate: ox.NamedNode, term: Subject) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(None, predicate, term, None)

    def closure(self, root: Subject, owned: set[Subject]) -> list[ox.Triple]:
        """The triples of a record and of the blank nodes it owns (reached only through blank nodes).

        ``owned`` collects the subjects taken, so that a blank node two records share goes to the first.
        """
        triples: list[ox.Triple] = []
        pending = [root]
        while pending:
            term = pending.pop()
            if term in owned:
                continue
            owned.add(term)
            for quad in self.about(term):
                triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
                if isinstance(quad.object, ox.BlankNode):
                    pending.append(quad.object)
        return triples
