"""What validation reports, as plain data: results, the records they name, the report, the shapes.

Every module of ``kgtool.validation`` speaks these types; they import nothing of the package, so that the
checks, the SHACL reading and the report writers can build on them without import cycles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.rdf.labels import in_language
from kgtool.rdf.namespaces import SH

#: Severities from worst to mildest, as SHACL names them (``sh:Violation`` ...).
SEVERITIES = ("Violation", "Warning", "Info")
#: The file suffixes of a submission workbook (``kgtool.validation.workbook_read``) and of any table kgtool reads:
#: an RDF submission is told apart by its name, without importing the table readers.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TABLE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subject = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class Result:
    """One problem: which record (focus), which property (path), which value, how bad, and what to do.

    ``path`` is a property IRI, or a SPARQL property path (full IRIs in ``<>``) for a shape with a complex path;
    ``path_rdf`` then holds the SHACL path's triples (for the Turtle report). ``messages`` maps a language to
    the message in it.
    """

    severity: str
    focus: Subject
    path: str | None
    value: Term | None
    messages: dict[str, str]
    shape: str
    component: str
    suggestion: str | None = None
    path_rdf: tuple[ox.Triple, ...] = ()

    def message(self, lang: str = "en") -> str:
        """The message in ``lang``, else English, else any."""
        return in_language(self.messages, lang) or ""


@dataclass(frozen=True)
class Record:
    """What a report says about a record it names: its labels, where it is written, what it is."""

    term: Subject
    labels: dict[str, str]
    file: Path | None
    line: int | None
    kind: str | None = None  # the IRI of its SAL type, for records without a label
    parent: Subject | None = None  # for a blank node: the record that points to it ...
    parent_path: str | None = None  # ... through this property
    sheet: str | None = None  # for a record from a workbook: its sheet (``line`` is then its row)


@dataclass(frozen=True)
class StoredSubmission:
    """An accepted submission as a report names it."""

    id: str
    time: str
    submitter: str


@dataclass(frozen=True)
class Conflict:
    """A value the knowledge graph already holds for a record and property a submission states too, and where it
    comes from: an accepted submission (retracting it is how a correction replaces it) or a file of the project."""

    value: str  # as shown: a literal, a name, or a blank node by its literal properties
    submission: StoredSubmission | None
    source: str  # the project file (``data/projects.ttl``) when not a submission


@dataclass
class ValidationReport:
    """The outcome of validating some files: results, the records they name, and what was checked against."""

    files: list[Path]
    results: list[Result]
    records: dict[Subject, Record]
    labels: dict[str, dict[str, str]]
    record_count: int
    references: str  # "store" | "project data" | "endpoint"
    references_location: str
    columns: dict[tuple[Subject, str | None], str] = field(default_factory=dict)  # CSV column (workbook header)
    cells: dict[tuple[Subject, str | None], str] = field(default_factory=dict)  # workbook cell: ``Actor!C7``
    # the store's own values behind a result (a corrected submission meeting the one it corrects), by focus and path
    conflicts: dict[tuple[Subject, str], list[Conflict]] = field(default_factory=dict)
    same_as: StoredSubmission | None = None  # the files are this submission of the store (checked without it)
    blank_ids: dict[ox.BlankNode, str] = field(default_factory=dict)  # the same at every run (``blank_ids``)

    def count(self, severity: str) -> int:
        """How many results have ``severity`` (Violation, Warning or Info)."""
        return sum(1 for result in self.results if result.severity == severity)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation: warnings and infos alone do not fail a submission."""
        return self.count("Violation") == 0

    def place_in_tables(self, origins) -> ValidationReport:
        """Note the CSV column and workbook cell of each result whose record came from a table (``origins``
        answers ``csv_column`` and ``csv_cell``, as a submission does); the report itself, for chaining."""
        for r in self.results:
            missing = r.value is None
            if column := origins.csv_column(r.focus, r.path, missing):
                self.columns[(r.focus, r.path)] = column
            if cell := origins.csv_cell(r.focus, r.path, missing):
                self.cells[(r.focus, r.path)] = cell
        return self


@dataclass
class Shapes:
    """The shapes graph, as quads (for kgtool's own reading and the compiled engine) and as the rdflib graph
    pySHACL needs (made when first asked for: the compiled engine never needs it)."""

    quads: list[ox.Quad]
    _graph: object = field(default=None, repr=False, compare=False)  # rdflib.Graph
    digest: str = ""  # of the files read (names and bytes): what the compiled program is cached by

    @property
    def graph(self):  # -> rdflib.Graph
        if self._graph is None:
            from kgtool.rdf.parsing import to_rdflib_graph

            self._graph = to_rdflib_graph(self.quads)
        return self._graph

    def inverse_predicates(self) -> list[ox.NamedNode]:
        """The predicates the shapes follow backwards (``sh:inversePath``), e.g. ``sal:partnershipIn``."""
        inverse = {q.object for q in self.quads if q.predicate.value == SH + "inversePath"}
        return sorted((p for p in inverse if isinstance(p, ox.NamedNode)), key=str)
