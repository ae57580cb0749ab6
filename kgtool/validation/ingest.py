"""Ingesting a submission: validate it exactly as ``kgtool validate`` does, then store it all or nothing.

A submission is one or more files (RDF in any format kgtool reads, or filled CSV templates). If the
validation finds a violation nothing is written and the report is returned. Otherwise the records go into
their own named graph with their provenance, in one transaction (``kgtool.store.submissions``); the same content
submitted again is recognised and not stored twice, unless it was retracted: then it is a new submission, with
an id of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from kgtool import __version__
from kgtool.choices import SHACL_ENGINES
from kgtool.store import submissions
from kgtool.store.core import kept_open, lock, require
from kgtool.validation.model import ValidationReport
from kgtool.validation.submission import Submission
from kgtool.validation.workspace import Workspace


@dataclass
class IngestResult:
    """What happened to a submission: its id, whether it was written, and the validation report."""

    submission_id: str
    accepted: bool
    already_present: bool
    triples: int
    report: ValidationReport | None  # rendered by the CLI as `kgtool validate` renders it; None: not validated
    after_retracted: submissions.SubmissionRecord | None = None  # the same content's retracted submission, if any
    stored: submissions.SubmissionRecord | None = None  # the identical submission the store already holds


def shapes_version() -> str:
    """A short digest of the shapes in force, recorded with each submission."""
    import hashlib

    from kgtool.rdf import resources

    digest = hashlib.sha256()
    for path in sorted(resources.folder("shapes").glob("*.ttl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def ingest(
    store_dir: Path,
    files: list[Path],
    submitter: str,
    message: str = "",
    input_format: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    engine: str = "compiled",
) -> IngestResult:
    """Validate ``files`` against shapes, ontology and store; if they conform, write them as one submission.
    ``engine``: the SHACL engine (``compiled`` or ``pyshacl``, as for ``kgtool validate``)."""
    if engine not in SHACL_ENGINES:
        from kgtool.errors import UsageError

        raise UsageError(f"unknown engine {engine!r}; use one of: {', '.join(SHACL_ENGINES)}")
    require(store_dir)
    files = [Path(f) for f in files]
    # Unusable files fail before any lock.
    reader = Workspace if engine == "compiled" else Submission
    submission = reader.read(files, input_format)
    # A second ingest waits for the lock (bounded), then exits 3. The compiled engine holds the store through its
    # validation anyway: it is opened once for the whole ingest (``kept_open``); pySHACL's parts leave it free
    # between them for other commands' reads.
    held = kept_open(store_dir) if engine == "compiled" else nullcontext()
    with lock(store_dir, exclusive=True), held:
        return _validate_and_write(store_dir, files, submission, submitter, message, progress)


def _validate_and_write(
    store_dir: Path,
    files: list[Path],
    submission: Submission | Workspace,
    submitter: str,
    message: str,
    progress: Callable[[int, int], None] | None = None,
) -> IngestResult:
    """Validate against the store as it is now and write, under the caller's exclusive lock.

    The same files sent again are recognised before anything is validated (their id is their content's): the store
    already holds them, and validating them against themselves would only report their own values twice.
    """
    from kgtool.validation.pipeline import validate_workspace

    listed = [submissions.SubmittedFile.of(f) for f in files]
    resolved = submissions.resolve(store_dir, submissions.submission_id(listed))
    identifier = resolved.id
    triples = len(submission.triples)
    if resolved.in_force:
        stored = _record(store_dir, identifier)
        return IngestResult(identifier, True, already_present=True, triples=triples, report=None, stored=stored)
    if isinstance(submission, Workspace):
        report = validate_workspace(submission, store_dir=store_dir, progress=progress)
    else:  # pySHACL's engine (and rdflib) only when asked for
        from kgtool.validation.engine import validate_submission

        report = validate_submission(submission, store_dir=store_dir, progress=progress)
    if not report.conforms:
        return IngestResult(identifier, accepted=False, already_present=False, triples=triples, report=report)
    metadata = submissions.provenance(
        identifier,
        listed,
        submitter,
        message,
        triples,
        {"kgtool": __version__, "shapes": shapes_version()},
    )
    written = submissions.write(store_dir, submission.triples, metadata, identifier)
    return IngestResult(
        identifier, True, not written, triples, report, after_retracted=resolved.after_retracted if written else None
    )


def _record(store_dir: Path, identifier: str) -> submissions.SubmissionRecord | None:
    """The store's record of a submission in force."""
    return next((entry for entry in submissions.listing(store_dir) if entry.id == identifier), None)
