"""Validating submitted records: SHACL shapes and the ontology, plus the checks SHACL cannot express.

``validate()`` is what ``kgtool validate`` calls. It parses every file first (strict and offline, through
``kgtool.rdf.parsing``: a bad file raises ``InputError`` before anything else happens), adds the description of the
records the submission points to from the knowledge graph (``kgtool.validation.context``), runs pySHACL with
the project's shapes over submission + context + ontology, runs the Python checks of
``kgtool.validation.checks`` (closed vocabulary, known references, typed records), and returns one
``ValidationReport`` whose results all look alike. Only the submission's own records are reported on: the
context is there to be pointed at, not to be judged again.

The ontology is added to the data graph directly rather than passed as pySHACL's ``ont_graph``: pySHACL's
mixing step clones blank nodes recursively and takes minutes on this ontology, for the same union.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kgtool.choices import SHACL_ENGINES
from kgtool.errors import UsageError
from kgtool.rdf import ontology
from kgtool.validation import context as validation_context
from kgtool.validation.model import Record, Result, Shapes, Subject, ValidationReport
from kgtool.validation.shacl import run_shacl
from kgtool.validation.shapes import load_shapes
from kgtool.validation.submission import Submission
from kgtool.validation.suggest import Suggestions

if TYPE_CHECKING:
    from kgtool.validation.checks import Reference


#: The SHACL engines: the compiled one (``kgtool.validation.pipeline``, the default) and pySHACL (the reference).
ENGINES = SHACL_ENGINES


def validate(
    paths: Sequence[Path | str],
    *,
    input_format: str | None = None,
    store_dir: Path | None = None,
    shapes_dir: Path | None = None,
    ontology_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "compiled",
) -> ValidationReport:
    """Validate the records in ``paths`` against the shapes, the ontology and the knowledge graph.

    ``store_dir``: the store to check references against (it must exist); None checks them against the
    project's data files instead. ``progress(records_done, records_total)`` follows the work.
    ``engine``: ``compiled`` (SHACL compiled to SPARQL on one store) or ``pyshacl`` (in parts, pySHACL's own
    evaluation); both give the same report. Raises ``InputError``/``UsageError`` for unusable files or options
    and ``BackendUnavailable`` for a locked or missing store; problems in the records are results, not errors.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise UsageError("no file to validate")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if engine == "compiled":
        from kgtool.validation.pipeline import validate_workspace
        from kgtool.validation.workspace import Workspace

        workspace = Workspace.read(files, input_format)
        return validate_workspace(
            workspace, store_dir=store_dir, shapes_dir=shapes_dir, ontology_dir=ontology_dir, progress=progress
        )
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

    A large submission is validated in parts of ``part_records`` whole records (``kgtool.validation.parts``:
    the same results, in bounded memory); ``progress(records_done, records_total)`` is called after each part.
    """
    from kgtool.store.core import SUBMISSION_PREFIX
    from kgtool.validation import conflicts as validation_conflicts
    from kgtool.validation import parts as validation_parts
    from kgtool.validation import records as validation_records
    from kgtool.validation.blank_ids import BlankIds, in_report
    from kgtool.validation.blank_places import BlankPlaces

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
    same, hidden, conflicts = None, None, {}
    if project is None:  # a missing or locked store fails at once, even for a submission without records
        with validation_context.opened(store_dir):
            pass
        same = validation_conflicts.same_as(store_dir, submission)
        hidden = ox.NamedNode(SUBMISSION_PREFIX + same.id) if same else None
    ids = BlankIds(submission.stored().store)
    blanks = BlankPlaces(ids)
    for part in validation_parts.parts(submission, part_records or validation_parts.part_records()):
        # The store is opened for each part's lookups only: other kgtool commands can use it between parts.
        with nullcontext(project) if project else validation_context.opened(store_dir, hidden) as graph:
            context, references = _context_of(part.submission, submission, graph, inverse, ontology_quads)
        results = _results_of(part.submission, context, references, shapes, ontology_quads)
        if project is None and any(result.severity == "Violation" for result in results):
            with validation_context.opened(store_dir, hidden) as graph:
                conflicts.update(validation_conflicts.conflicts(results, part.submission, graph.store, hidden))
        view = validation_records.View(
            part.submission, validation_records.store_of(part.submission, context, ontology_quads), blanks
        )
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
        conflicts=conflicts,
        same_as=same,
        blank_ids=ids.assign(in_report(results, records)),
    ).place_in_tables(submission)


def _context_of(
    part: Submission,
    whole: Submission,
    graph: validation_context.KnowledgeGraph,
    inverse: list[ox.NamedNode],
    ontology_quads: list[ox.Quad],
) -> tuple[list[ox.Triple], list[Reference]]:
    """What a part's records point to, described from the knowledge graph and from the rest of the submission;
    and the references to records that neither describes."""
    from kgtool.validation import checks as validation_checks

    mentioned = part.mentioned()
    described = graph.describe(mentioned, inverse)
    if len(part.triples) < len(whole.triples):  # the other parts of the submission are context too
        described += validation_context.describe(whole.stored(), mentioned, inverse)
    context = part.without_restated(list(dict.fromkeys(described)))
    suggestions = Suggestions(ontology_quads, graph.store)
    references = validation_checks.unknown_references(part.triples, whole.subjects, graph, suggestions, whole.triples)
    return context, references


def _results_of(
    part: Submission,
    context: list[ox.Triple],
    references: list[Reference],
    shapes: Shapes,
    ontology_quads: list[ox.Quad],
) -> list[Result]:
    """The results about one part's records: pySHACL's and kgtool's own checks."""
    from kgtool.validation import checks as validation_checks

    checked = validation_checks.run_all(part.triples, context, ontology_quads, shapes, references)
    found = [r for r in run_shacl([*part.triples, *context, *ontology_quads], shapes) if r.focus in part]
    return validation_checks.without_consequences(found, checked) + checked
