"""Validating submitted records: SHACL shapes and the ontology, plus the checks SHACL cannot express.

``validate()`` is what ``kgtool validate`` calls. It parses every file first (strict and offline, through
``kgtool.parsing``: a bad file raises ``InputError`` before anything else happens), adds the description of the
records the submission points to from the knowledge graph (``kgtool.validation_context``), runs pySHACL with
the project's shapes over submission + context + ontology, runs the Python checks of
``kgtool.validation_checks`` (closed vocabulary, known references, typed records), and returns one
``ValidationReport`` whose results all look alike. Only the submission's own records are reported on: the
context is there to be pointed at, not to be judged again.

The ontology is added to the data graph directly rather than passed as pySHACL's ``ont_graph``: pySHACL's
mixing step clones blank nodes recursively and takes minutes on this ontology, for the same union.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool import csv_templates, ontology, resources, validation_context
from kgtool.csv_templates import CsvRecords
from kgtool.errors import InputError, UsageError
from kgtool.parsing import iter_quads, parse_quads, to_rdflib_graph

if TYPE_CHECKING:
    from kgtool.validation_checks import Reference
    from kgtool.validation_parts import StoredTriples

SH = "http://www.w3.org/ns/shacl#"
#: Severities from worst to mildest, as SHACL names them (``sh:Violation`` ...).
SEVERITIES = ("Violation", "Warning", "Info")
LANGUAGES = ("en", "es")

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
        return self.messages.get(lang) or self.messages.get("en") or next(iter(self.messages.values()), "")


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


@dataclass
class ValidationReport:
    """The outcome of validating some files: results, the records they name, and what was checked against."""

    files: list[Path]
    results: list[Result]
    records: dict[Subject, Record]
    labels: dict[str, dict[str, str]]
    record_count: int
    references: str  # "store" | "project data"
    references_location: str
    columns: dict[tuple[Subject, str | None], str] = field(default_factory=dict)  # CSV column of a result

    def count(self, severity: str) -> int:
        """How many results have ``severity`` (Violation, Warning or Info)."""
        return sum(1 for result in self.results if result.severity == severity)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation: warnings and infos alone do not fail a submission."""
        return self.count("Violation") == 0


def validate(
    paths: Sequence[Path | str],
    *,
    input_format: str | None = None,
    store_dir: Path | None = None,
    shapes_dir: Path | None = None,
    ontology_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate the records in ``paths`` against the shapes, the ontology and the knowledge graph.

    ``store_dir``: the store to check references against (it must exist); None checks them against the
    project's data files instead. ``progress(records_done, records_total)`` follows a large submission's parts.
    Raises ``InputError``/``UsageError`` for unusable files or options and
    ``BackendUnavailable`` for a locked or missing store; problems in the records are results, not errors.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise UsageError("no file to validate")
    submission = Submission.read(files, input_format)
    return validate_submission(
        submission, store_dir=store_dir, shapes_dir=shapes_dir, ontology_dir=ontology_dir, progress=progress
    )


def validate_submission(
    submission: Submission,
    *,
    store_dir: Path | None = None,
    shapes_dir: Path | None = None,
    ontology_dir: Path | None = None,
    part_records: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate an already parsed submission (``kgtool ingest`` validates and then writes the same triples).

    A large submission is validated in parts of ``part_records`` whole records (``kgtool.validation_parts``:
    the same results, in bounded memory); ``progress(records_done, records_total)`` is called after each part.
    """
    from kgtool import validation_parts, validation_records

    shapes = load_shapes(shapes_dir)
    ontology_quads = ontology.load(ontology_dir)
    inverse = shapes.inverse_predicates()
    total = len(validation_parts.roots(submission))
    keyed: list[tuple[tuple, Result]] = []
    records: dict[Subject, Record] = {}
    labels: dict[str, dict[str, str]] = {}
    done = 0
    project = validation_context.project_data() if store_dir is None else None
    kind, location = ("project data", project.location) if project else ("store", str(store_dir))
    if project is None:  # a missing or locked store fails at once, even for a submission without records
        with validation_context.opened(store_dir):
            pass
    for part in validation_parts.parts(submission, part_records or validation_parts.part_records()):
        # The store is opened for each part's lookups only: other kgtool commands can use it between parts.
        with nullcontext(project) if project else validation_context.opened(store_dir) as graph:
            context, references = _context_of(part.submission, submission, graph, inverse)
        results = _results_of(part.submission, context, references, shapes, ontology_quads)
        view = validation_records.View(part.submission, context, ontology_quads)
        keyed += [(view.sort_key(result), result) for result in results]
        found = view.records({r.focus for r in results})
        records.update(found)
        labels.update(view.labels(validation_records.iris_in(results, found.values())))
        done += part.records
        if progress:
            progress(done, total)
    keyed.sort(key=lambda pair: pair[0])
    results = [result for _, result in keyed]
    return ValidationReport(
        files=submission.files,
        results=results,
        records=records,
        labels=labels,
        record_count=len(submission.subjects),
        references=kind,
        references_location=location,
        columns={(r.focus, r.path): column for r in results if (column := submission.csv_column(r.focus, r.path))},
    )


def _context_of(
    part: Submission,
    whole: Submission,
    graph: validation_context.KnowledgeGraph,
    inverse: list[ox.NamedNode],
) -> tuple[list[ox.Triple], list[Reference]]:
    """What a part's records point to, described from the knowledge graph and from the rest of the submission;
    and the references to records that neither describes."""
    from kgtool import validation_checks

    mentioned = part.mentioned()
    described = graph.describe(mentioned, inverse)
    if len(part.triples) < len(whole.triples):  # the other parts of the submission are context too
        described += validation_context.describe(whole.stored(), mentioned, inverse)
    context = part.without_restated(list(dict.fromkeys(described)))
    return context, validation_checks.unknown_references(part.triples, whole.subjects, graph)


def _results_of(
    part: Submission,
    context: list[ox.Triple],
    references: list[Reference],
    shapes: Shapes,
    ontology_quads: list[ox.Quad],
) -> list[Result]:
    """The results about one part's records: pySHACL's and kgtool's own checks."""
    from kgtool import validation_checks

    checked = validation_checks.run_all(part.triples, context, ontology_quads, shapes, references)
    found = [r for r in run_shacl([*part.triples, *context, *ontology_quads], shapes) if r.focus in part]
    return validation_checks.without_consequences(found, checked) + checked


@dataclass
class Submission:
    """The parsed files: their triples (named graphs merged), and which file describes each record."""

    files: list[Path]
    triples: list[ox.Triple] | StoredTriples  # a part's list, or the whole submission's own store
    subjects: dict[Subject, Path]  # record -> first file that describes it
    csv: dict[Path, CsvRecords] = field(default_factory=dict)  # filled CSV templates: row and column of each cell
    _stored: StoredTriples | None = field(default=None, repr=False, compare=False)

    def csv_row(self, term: Subject) -> int | None:
        """The CSV row that holds a record, when it comes from a CSV template."""
        records = self.csv.get(self.subjects.get(term)) if term in self.subjects else None
        return records.rows.get(term.value) if records is not None else None

    def csv_column(self, focus: Subject, path: str | None) -> str | None:
        """The CSV column of a result's value, when the record comes from a CSV template."""
        records = self.csv.get(self.subjects.get(focus)) if focus in self.subjects else None
        if records is None or path is None:
            return None
        found = records.origin.get((focus.value, path))
        return found[1] if found else None

    @classmethod
    def read(cls, files: list[Path], input_format: str | None = None) -> Submission:
        """Parse every file (all of them, before any validation) with kgtool's strict offline parsers.

        The triples are taken as the store would keep them (``validation_parts.StoredTriples``): literals in
        canonical form (``60.0`` and ``60`` as decimals are one value, ``"850"^^xsd:nonNegativeInteger`` an
        integer), duplicates merged. Validation judges what would enter the knowledge graph, and a record stated
        in two files is not two values. Large inputs are streamed into a temporary store on disk.
        """
        from kgtool.validation_parts import ON_DISK_BYTES, StoredTriples

        size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
        stored = StoredTriples(on_disk=size >= ON_DISK_BYTES)
        subjects: dict[Subject, Path] = {}
        tables: dict[Path, CsvRecords] = {}
        for path in files:
            if Path(path).suffix.lower() == ".csv" and input_format is None:
                tables[path] = csv_templates.read(path)
                quads: Iterable[ox.Quad] = tables[path].quads
            else:
                quads = iter_quads(path, input_format)
            stored.extend(_noting_subjects(quads, subjects, path))
        return cls(files, stored, subjects, tables)

    def stored(self) -> StoredTriples:
        """The triples in a store of their own (made once, in memory, for a submission built from a list)."""
        from kgtool.validation_parts import StoredTriples

        if isinstance(self.triples, StoredTriples):
            return self.triples
        if self._stored is None:
            self._stored = StoredTriples()
            self._stored.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.triples)
        return self._stored

    def __contains__(self, term: object) -> bool:
        return term in self.subjects

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


@dataclass
class Shapes:
    """The shapes graph, as quads (for kgtool's own reading) and as the rdflib graph pySHACL needs."""

    quads: list[ox.Quad]
    graph: object  # rdflib.Graph

    def inverse_predicates(self) -> list[ox.NamedNode]:
        """The predicates the shapes follow backwards (``sh:inversePath``), e.g. ``sal:partnershipIn``."""
        inverse = {q.object for q in self.quads if q.predicate.value == SH + "inversePath"}
        return sorted((p for p in inverse if isinstance(p, ox.NamedNode)), key=str)


def load_shapes(folder: Path | None = None) -> Shapes:
    """Every ``*.ttl`` of the shapes folder, as one shapes graph."""
    folder = Path(folder) if folder else resources.folder("shapes")
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise InputError(f"{folder}: no shapes (*.ttl) found")
    quads = [quad for path in files for quad in parse_quads(path)]
    return Shapes(quads, to_rdflib_graph(quads))


def run_shacl(triples: Iterable[ox.Triple | ox.Quad], shapes: Shapes) -> list[Result]:
    """pySHACL over ``triples`` (no inference), its results as ``Result``s."""
    import pyshacl

    from kgtool.validation_shacl import prepared_query_graph, results_of

    with quiet_rdflib():
        data = prepared_query_graph(to_rdflib_graph(triples))
        try:
            _, report_graph, _ = pyshacl.validate(
                data,
                shacl_graph=shapes.graph,
                inference="none",
                abort_on_first=False,
                allow_infos=True,
                allow_warnings=True,
                meta_shacl=False,
                advanced=False,
                do_owl_imports=False,
                inplace=True,
            )
        except Exception as error:  # pySHACL raises plain exceptions for unusable shapes
            raise InputError(f"the shapes cannot be used: {type(error).__name__}: {error}") from error
        return results_of(report_graph, shapes.graph)


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's logged tracebacks for ill-typed literals (``"2010-13-45"^^xsd:date``).

    Such a literal is a finding for the report (a datatype result), not a crash for the user to see.
    """
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
