"""Submissions in the store: each accepted submission is one named graph, described in a metadata graph.

A submission's graph is ``sald:submission-<id>``, where the id is derived from the content (sha256 of the
files' bytes), so the same content submitted twice is recognised. Its provenance (PROV-O: who, when, which
files with their sha256, the message, kgtool's and the shapes' versions) goes to the metadata graph
``https://w3id.org/sal/graph/submissions``, written last as the commit point (``write``): kgtool sees all of a
submission or none of it, even when the process is killed. Retracting drops the data graph and records the
retraction; the history stays.

Content that was retracted and is sent again is a new submission: it gets the next id of its content's chain
(``resolve``), a record of its own, and can be retracted again. The retracted record is never reused, so the
history says what happened in order, and every id names exactly one record.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.rdf.namespaces import DCTERMS, FOAF, PROV, SALD, SPDX, TYPE_NODE, XSD, XSD_STRING
from kgtool.store import entailment
from kgtool.store.core import METADATA_GRAPH, SUBMISSION_PREFIX, lock, opened

KGTOOL = ox.NamedNode(SALD + "kgtool")


@dataclass(frozen=True)
class SubmittedFile:
    """One file of a submission: its name as given and the sha256 of its bytes."""

    name: str
    sha256: str

    @classmethod
    def of(cls, path: Path) -> SubmittedFile:
        from kgtool.files import read_input

        return cls(path.name, hashlib.sha256(read_input(path)).hexdigest())


@dataclass(frozen=True)
class SubmissionRecord:
    """A submission as the metadata graph records it."""

    id: str
    submitter: str
    time: str
    triples: int
    message: str
    retracted: str | None = None

    @property
    def graph(self) -> ox.NamedNode:
        return ox.NamedNode(SUBMISSION_PREFIX + self.id)


def submission_id(files: Iterable[SubmittedFile]) -> str:
    """A stable id from the files' contents (not their names or order)."""
    digest = hashlib.sha256("\n".join(sorted(f.sha256 for f in files)).encode()).hexdigest()
    return digest[:16]


#: What a submission id looks like: 16 hexadecimal digits (``submission_id``).
ID_PATTERN = re.compile(r"[0-9a-f]{16}")
START_PATTERN = re.compile(r"[0-9a-f]{1,16}")


def check_id(text: str, whole: bool = True) -> str:
    """``text`` as a submission id (lower case), or with ``whole=False`` the start of one, or a UsageError: never a
    malformed IRI later."""
    from kgtool.errors import UsageError

    identifier = text.strip().lower()
    if not (ID_PATTERN if whole else START_PATTERN).fullmatch(identifier):
        shown = text if len(text) <= 40 else text[:40] + "…"
        what = "a submission id" if whole else "a submission id or the start of one"
        raise UsageError(f"{shown!r} is not {what} (16 hexadecimal digits; see `kgtool submissions`)")
    return identifier


def resent_id(retracted_id: str) -> str:
    """The id the same content gets when it is sent again after ``retracted_id`` was retracted."""
    return hashlib.sha256(f"sent again after {retracted_id}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Resolved:
    """Where a submission's content stands: the id it is (or would be) stored under, whether that id is in
    force, and the retracted submission of the same content it follows, if any."""

    id: str
    in_force: bool
    after_retracted: SubmissionRecord | None = None


def resolve(store_dir: Path, content_id: str) -> Resolved:
    """Follow the content's chain of ids past its retracted submissions: the first id that is in force
    (the content is in the store) or not recorded at all (a new submission). Each id of the chain is looked up
    alone: an ingest asks this twice, and listing every submission took ~0.05 s each in a store of 150."""
    identifier, previous = content_id, None
    with opened(store_dir) as store:
        while (found := _listing(store, identifier)) and found[-1].retracted:  # an id recorded twice: its last
            previous = found[-1]
            identifier = resent_id(identifier)
    return Resolved(identifier, bool(found), previous)


def _literal(value: str, datatype: str = XSD_STRING) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def provenance(
    submission_id_: str,
    files: list[SubmittedFile],
    submitter: str,
    message: str,
    triples: int,
    versions: dict[str, str],
) -> list[ox.Quad]:
    """The PROV-O description of one submission, as quads of the metadata graph."""
    subject = ox.NamedNode(SUBMISSION_PREFIX + submission_id_)
    agent = ox.BlankNode()
    quads = [
        (subject, TYPE_NODE, ox.NamedNode(PROV + "Bundle")),
        (subject, ox.NamedNode(DCTERMS + "identifier"), _literal(submission_id_)),
        (subject, ox.NamedNode(PROV + "wasAttributedTo"), agent),
        (agent, TYPE_NODE, ox.NamedNode(PROV + "Agent")),
        (agent, ox.NamedNode(FOAF + "name"), _literal(submitter)),
        (subject, ox.NamedNode(PROV + "generatedAtTime"), _literal(_now(), XSD + "dateTime")),
        (subject, ox.NamedNode(DCTERMS + "description"), _literal(message)),
        (subject, ox.NamedNode(DCTERMS + "extent"), _literal(str(triples), XSD + "integer")),
        (subject, ox.NamedNode(PROV + "wasGeneratedBy"), KGTOOL),
    ]
    for name, version in sorted(versions.items()):
        quads.append((subject, ox.NamedNode(DCTERMS + "conformsTo"), _literal(f"{name} {version}")))
    for file in files:
        entity = ox.BlankNode()
        quads += [
            (subject, ox.NamedNode(PROV + "wasDerivedFrom"), entity),
            (entity, TYPE_NODE, ox.NamedNode(PROV + "Entity")),
            (entity, ox.NamedNode(DCTERMS + "title"), _literal(file.name)),
            (entity, ox.NamedNode(SPDX + "checksumValue"), _literal(file.sha256)),
        ]
    return [ox.Quad(s, p, o, METADATA_GRAPH) for s, p, o in quads]


def is_recorded(store: ox.Store, submission_id_: str) -> bool:
    """Whether the store holds this submission (recorded and not retracted)."""
    subject = ox.NamedNode(SUBMISSION_PREFIX + submission_id_)
    recorded = any(store.quads_for_pattern(subject, TYPE_NODE, None, METADATA_GRAPH))
    retracted = any(store.quads_for_pattern(subject, ox.NamedNode(PROV + "invalidatedAtTime"), None, METADATA_GRAPH))
    return recorded and not retracted


#: Triples per write transaction of a large submission ($KGTOOL_WRITE_BATCH overrides); smaller ones are one.
WRITE_BATCH = 100_000
WRITE_BATCH_ENV = "KGTOOL_WRITE_BATCH"


def write(store_dir: Path, data: Iterable[ox.Triple | ox.Quad], metadata: list[ox.Quad], submission_id_: str) -> bool:
    """Write a submission's data and then its metadata; False if it is already in the store.

    A submission is in the store once its metadata record is: the record is written last, in its own
    transaction, and is the commit point. Data of up to ``WRITE_BATCH`` triples goes in that same transaction;
    larger data goes first, because Oxigraph holds a transaction in memory (about 2 GB per million triples):
    through Oxigraph's bulk loader (not a transaction, and several times faster than one), ``WRITE_BATCH``
    triples a call so that its buffers stay bounded. Data left by a process killed before its record was written
    is dropped the next time kgtool opens the store (``core.incomplete``), under kgtool's exclusive lock, before
    anything reads it; no other process can open the store while this one writes.

    The caller holds kgtool's exclusive store lock (``kgtool.validation.ingest`` takes it before validating, so that the
    store a submission was validated against is the store it is written to).
    """
    graph = ox.NamedNode(SUBMISSION_PREFIX + submission_id_)
    size = write_batch()
    quads = (ox.Quad(q.subject, q.predicate, q.object, graph) for q in data)
    with opened(store_dir) as store:
        if is_recorded(store, submission_id_):
            return False
        hierarchy = entailment.Hierarchy.of(store)
        relevant = _with_predicates(data, entailment.predicates(hierarchy))
        with entailment.kept_current(store, relevant, hierarchy) as entailed:  # committed with the record
            batch = list(itertools.islice(quads, size))
            while len(batch) == size:  # more may follow: this batch cannot share the record's transaction
                store.bulk_extend(batch)
                batch = list(itertools.islice(quads, size))
            store.extend(batch + entailed + metadata)
    return True


def _with_predicates(data: Iterable[ox.Triple | ox.Quad], wanted: set[ox.NamedNode]) -> Iterable[ox.Triple | ox.Quad]:
    """The triples of ``data`` with one of the ``wanted`` predicates: by the workspace's index where ``data`` is a
    workspace's (``SubmittedTriples.with_predicates``), rather than a pass over a million triples."""
    select = getattr(data, "with_predicates", None)
    return select(wanted) if select is not None else [t for t in data if t.predicate in wanted]


def write_batch() -> int:
    """The batch size in force: ``$KGTOOL_WRITE_BATCH`` if set (a positive integer), else ``WRITE_BATCH``."""
    from kgtool.environment import positive_int

    return positive_int(WRITE_BATCH_ENV, WRITE_BATCH, "triples")


def find(store: ox.Store, prefix: str) -> SubmissionRecord:
    """The one submission whose id starts with ``prefix``: a whole id, or enough of its start to be unique."""
    from kgtool.errors import UsageError

    wanted = check_id(prefix, whole=False)
    listed = _listing(store)
    matching = {entry.id: entry for entry in listed if entry.id.startswith(wanted)}
    if len(matching) == 1:
        return next(iter(matching.values()))
    if matching:
        several = ", ".join(sorted(matching))
        raise UsageError(f"{prefix!r} starts several submission ids ({several}): give more of the id")
    current = ", ".join(entry.id for entry in listed if not entry.retracted) or "none"
    raise UsageError(f"no submission {prefix!r} in the store (current: {current}; `kgtool submissions` lists them)")


def retract(store_dir: Path, prefix: str) -> SubmissionRecord:
    """Drop a submission's graph and record when, in one transaction; the metadata stays. ``prefix`` is its id or
    a unique start of it (as `git` takes a commit's)."""
    from kgtool.errors import UsageError

    with lock(store_dir, exclusive=True), opened(store_dir) as store:
        entry = find(store, prefix)
        if entry.retracted:
            if next(store.quads_for_pattern(None, None, None, entry.graph), None) is not None:
                # Recorded as retracted, yet its graph holds data: a store written by kgtool 0.1.0 before
                # re-sent content got an id of its own brought it back. Retracting it again drops that data.
                retracted = list(store.quads_for_pattern(None, None, None, entry.graph))
                store.remove_graph(entry.graph)
                entailment.refresh(store, retracted)
                return entry
            raise UsageError(f"submission {entry.id} was already retracted at {entry.retracted}; nothing to do")
        graph = f"<{SUBMISSION_PREFIX}{entry.id}>"
        retracted = list(store.quads_for_pattern(None, None, None, entry.graph))
        store.update(
            f"""DROP SILENT GRAPH {graph} ;
                INSERT DATA {{ GRAPH <{METADATA_GRAPH.value}> {{
                  {graph} <{PROV}invalidatedAtTime> "{_now()}"^^<{XSD}dateTime> }} }}"""
        )
        entailment.refresh(store, retracted)
        return next(s for s in _listing(store) if s.id == entry.id)


def recorded(store: ox.Store, submission_id_: str) -> SubmissionRecord | None:
    """The submission with this id if the store holds it (recorded and not retracted)."""
    if not is_recorded(store, submission_id_):
        return None
    return next((entry for entry in _listing(store) if entry.id == submission_id_ and not entry.retracted), None)


def listing(store_dir: Path) -> list[SubmissionRecord]:
    """Every submission the metadata graph records, oldest first, retracted ones included."""
    with opened(store_dir) as store:
        return _listing(store)


def _listing(store: ox.Store, identifier: str | None = None) -> list[SubmissionRecord]:
    """Every submission recorded (or the records of one ``identifier``), oldest first."""
    # One row per record even in a store written before resent content got ids of its own (kgtool 0.1.0 could
    # record one id twice): its first time, and retracted when any of its records was.
    only = f"VALUES ?id {{ {_literal(identifier)} }}" if identifier is not None else ""
    rows = store.query(
        f"""SELECT ?id (SAMPLE(?who_) AS ?who) (MIN(?time_) AS ?time) (SAMPLE(?size_) AS ?size)
                   (SAMPLE(?message_) AS ?message) (MAX(?retracted_) AS ?retracted)
            WHERE {{ {only} GRAPH <{METADATA_GRAPH.value}> {{
              ?s a <{PROV}Bundle> ; <{DCTERMS}identifier> ?id ; <{PROV}generatedAtTime> ?time_ ;
                 <{DCTERMS}extent> ?size_ ; <{DCTERMS}description> ?message_ ;
                 <{PROV}wasAttributedTo>/<{FOAF}name> ?who_ .
              OPTIONAL {{ ?s <{PROV}invalidatedAtTime> ?retracted_ }} }} }}
            GROUP BY ?s ?id ORDER BY ?time ?id"""
    )
    return [
        SubmissionRecord(
            id=row["id"].value,
            submitter=row["who"].value,
            time=row["time"].value,
            triples=int(row["size"].value),
            message=row["message"].value,
            retracted=row["retracted"].value if row["retracted"] else None,
        )
        for row in rows
    ]


def kept_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """The graphs a rebuild keeps: every submission graph and the metadata graph."""
    return [
        graph
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode) and (graph.value.startswith(SUBMISSION_PREFIX) or graph == METADATA_GRAPH)
    ]
