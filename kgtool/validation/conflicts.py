"""When a submission meets what the knowledge graph already holds: the stored value, where it comes from, and how to
resolve it.

A corrected version of a submission states a record's budget, period or status again; checked with the stored
version in the store, the record now has two budgets, and SHACL says "at most one budget" without saying that the
other one is in the store, in which submission, or what to do. For every violation about a record and property the
submission states, this module finds the values the store holds for them in other graphs, so the report can show
each with its origin: an accepted submission (``kgtool retract ID`` first, if this one corrects it) or a project
file. And when the files are byte for byte a submission the store already holds, the report says so, and they are
checked without it (``same_as``) rather than against themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgtool.store import submissions
from kgtool.store.core import GRAPH_BASE, SUBMISSION_PREFIX
from kgtool.store.entailment import ENTAILED_GRAPH
from kgtool.validation.model import Conflict, Result, StoredSubmission, Subject
from kgtool.validation.report import compact, value_text
from kgtool.validation.submission import Submission
from kgtool.validation.workspace import Workspace


def same_as(store_dir: Path, submission: Submission | Workspace) -> StoredSubmission | None:
    """The accepted submission in force whose files are these files (by content), if the store holds one."""
    listed = [submissions.SubmittedFile.of(path) for path in submission.files]
    resolved = submissions.resolve(store_dir, submissions.submission_id(listed))
    if not resolved.in_force:
        return None
    entry = next(entry for entry in submissions.listing(store_dir) if entry.id == resolved.id)
    return StoredSubmission(entry.id, entry.time, entry.submitter)


def conflicts(
    results: Iterable[Result], part: Submission | Workspace, store: ox.Store, hidden: ox.NamedNode | None
) -> dict[tuple[Subject, str], list[Conflict]]:
    """For each violation about a (record, property) the submission states: the other values the store holds."""
    stated: dict[tuple[Subject, str], set] = {}
    for triple in part.triples:
        stated.setdefault((triple.subject, triple.predicate.value), set()).add(triple.object)
    found: dict[tuple[Subject, str], list[Conflict]] = {}
    for result in results:
        key = (result.focus, result.path or "")
        if result.severity != "Violation" or key not in stated or key in found or result.path.startswith("<"):
            continue
        held = [
            quad
            for quad in store.quads_for_pattern(result.focus, ox.NamedNode(result.path), None, None)
            if quad.graph_name != ENTAILED_GRAPH and quad.graph_name != hidden and quad.object not in stated[key]
        ]
        if held:
            found[key] = [_conflict(store, quad) for quad in held]
    return found


def _conflict(store: ox.Store, quad: ox.Quad) -> Conflict:
    graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
    entry = None
    if graph.startswith(SUBMISSION_PREFIX):
        recorded = submissions.recorded(store, graph.removeprefix(SUBMISSION_PREFIX))
        entry = StoredSubmission(recorded.id, recorded.time, recorded.submitter) if recorded else None
    return Conflict(_shown(store, quad.object), entry, graph.removeprefix(GRAPH_BASE))


def _shown(store: ox.Store, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A value as the report shows it; a blank node (a budget, say) by its literal properties."""
    if isinstance(term, ox.BlankNode):
        parts = [
            f"{compact(q.predicate.value)} {value_text(q.object)}"
            for q in store.quads_for_pattern(term, None, None, None)
            if isinstance(q.object, ox.Literal)
        ]
        return "[" + "; ".join(sorted(set(parts))) + "]"
    return compact(term.value) if isinstance(term, ox.NamedNode) else value_text(term)
