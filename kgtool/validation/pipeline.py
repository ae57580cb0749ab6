"""Validation with the compiled SHACL engine, on one store: kgtool's default (``kgtool validate``, ``ingest``).

The files are parsed into a ``Workspace``; the records they point to are described from the knowledge graph
into it, with the ontology; the shapes, compiled once per content (``kgtool.validation.compiled``, cached by
``kgtool.validation.cache``), run as queries over all focus nodes at once; kgtool's own checks are queries too
(``store_checks``), and the records a report names are named from the same store. The report is the one the
pySHACL engine gives (``engine``, ``--engine pyshacl``): the same results, records, order and formats; the test
suite compares the two. A shape the compiler does not claim is validated by pySHACL, never skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kgtool.validation import compiled, context, store_checks
from kgtool.validation import records as validation_records
from kgtool.validation.blank_ids import BlankIds, in_report
from kgtool.validation.blank_places import BlankPlaces
from kgtool.validation.checks import without_consequences
from kgtool.validation.model import SH, Result, Shapes, StoredSubmission, ValidationReport
from kgtool.validation.shapes import load_shapes
from kgtool.validation.suggest import Suggestions
from kgtool.validation.workspace import CONTEXT, ONTOLOGY, Workspace

log = logging.getLogger("kgtool.validation")
LENIENT = frozenset({SH + "Warning", SH + "Info"})  # kgtool runs pySHACL with allow_warnings and allow_infos
#: Up to this many records, only the rules whose targets the submission has are run (``compiled.selection``): for
#: a small submission, parsing and planning every rule's query is most of its validation; for a large one nearly
#: every rule applies, and the one query that decides would walk all of it.
SELECT_RECORDS = 10_000


def validate_workspace(
    workspace: Workspace,
    *,
    store_dir: Path | None = None,
    shapes_dir: Path | None = None,
    ontology_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate a parsed submission against the shapes, the ontology and the knowledge graph (``store_dir``, or
    the project's data when None)."""
    from kgtool.validation import cache

    shapes = load_shapes(shapes_dir)
    program = cache.program(shapes, LENIENT)
    workspace.store.load(cache.ontology_ntriples(ontology_dir), format=ox.RdfFormat.N_TRIPLES, to_graph=ONTOLOGY)
    same, hidden = _stored_copy(store_dir, workspace)
    with context.opened(store_dir, hidden) as graph:
        workspace.add(CONTEXT, graph.describe(workspace.mentioned(), shapes.inverse_predicates()))
        suggestions = Suggestions(workspace.store.quads_for_pattern(None, None, None, ONTOLOGY), graph.store)
        references = store_checks.unknown_references(workspace, suggestions)
        kind, location = graph.kind, graph.location
        small = workspace.record_count() <= SELECT_RECORDS
        findings = compiled.run(program, workspace.store, focus_graphs=workspace.graphs, fallback=False, select=small)
        results = [as_result(finding) for finding in findings] + _fallback(program, shapes, workspace)
        # After the queries, not beside them on a thread: measured at 1M triples under load, beside them they took
        # 7-15 % more CPU (the two sides' Python parts contend for the GIL) and no less time.
        checked = store_checks.run_all(workspace, shapes, references, suggestions)
        results = without_consequences(results, checked) + checked
        held = _conflicts(results, workspace, graph, hidden) if store_dir is not None else {}
    ids = BlankIds(workspace.store)
    view = validation_records.View(workspace, workspace.store, BlankPlaces(ids))
    results.sort(key=view.sort_key)
    found = view.records({r.focus for r in results})
    count = workspace.record_count()
    if progress:
        progress(count, count)
    return ValidationReport(
        files=workspace.files,
        results=results,
        records=found,
        labels=view.labels(validation_records.iris_in(results, found.values())),
        record_count=count,
        references=kind,
        references_location=location,
        conflicts=held,
        same_as=same,
        blank_ids=ids.assign(in_report(results, found)),
    ).place_in_tables(workspace)


def _stored_copy(store_dir: Path | None, workspace: Workspace) -> tuple[StoredSubmission | None, ox.NamedNode | None]:
    """The accepted submission whose files are these files, and its graph: the records are checked without it."""
    if store_dir is None:
        return None, None
    from kgtool.store.core import SUBMISSION_PREFIX
    from kgtool.validation.conflicts import same_as

    with context.opened(store_dir):  # a missing or locked store fails here, in one line
        pass
    same = same_as(store_dir, workspace)
    return same, ox.NamedNode(SUBMISSION_PREFIX + same.id) if same else None


def _conflicts(results: list[Result], workspace: Workspace, graph: context.KnowledgeGraph, hidden) -> dict:
    """The values the store already holds where the submission's violations are (``kgtool.validation.conflicts``)."""
    if not any(result.severity == "Violation" for result in results):
        return {}
    from kgtool.validation.conflicts import conflicts

    return conflicts(results, workspace, graph.store, hidden)


def as_result(finding: compiled.Finding) -> Result:
    """A finding of the compiled engine as kgtool's ``Result`` (messages by language, as the shapes give them)."""
    messages: dict[str, str] = {}
    for message in finding.messages:
        messages.setdefault(message.language or "en", message.value)
    return Result(
        severity=finding.severity.removeprefix(SH),
        focus=finding.focus,
        path=finding.path,
        value=finding.value,
        messages=messages,
        shape=finding.shape.value if isinstance(finding.shape, ox.NamedNode) else "",
        component=finding.component,
        path_rdf=finding.path_triples if finding.path and finding.path.startswith("<") else (),
    )


def _fallback(program: compiled.Program, shapes: Shapes, workspace: Workspace) -> list[Result]:
    """pySHACL, through kgtool's own runner, for the roots the compiler left to it (say why in ``--debug``)."""
    if not program.fallback:
        return []
    from kgtool.validation.compiled.fallback import fallback_shapes
    from kgtool.validation.shacl import run_shacl

    for shape, reason in program.fallback.items():
        log.debug("pySHACL validates %s (not compiled: %s)", getattr(shape, "value", shape), reason)
    data = (ox.Triple(q.subject, q.predicate, q.object) for q in workspace.store)
    reduced = Shapes([ox.Quad(t.subject, t.predicate, t.object) for t in fallback_shapes(program)])
    return [r for r in run_shacl(data, reduced) if r.focus in workspace]
