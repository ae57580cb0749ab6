"""Cutting a large submission into parts of whole records, so that validation memory is bounded by the part.

pySHACL works on an rdflib graph of several hundred bytes a triple, plus its own bookkeeping: a submission of
100,000 records (about a million triples) validated in one piece needs gigabytes. The shapes look at a record,
the blank nodes it owns and what it points to (two steps at most, ``validation_context.DESCRIPTION_DEPTH``), so
a part of whole records validated with, as context, the description of what it points to, from the knowledge
graph *and from the other parts of the same submission*, gets the results a single run would give. Parts hold
a fixed number of records; a submission that fits in one part is validated exactly as before.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.environment import positive_int
from kgtool.validation import Subject, Submission

#: Records per part: about 50,000 triples of typical records, a few hundred MB of pySHACL at most.
PART_RECORDS = 5_000
#: Triples written to a submission's own store per transaction.
WRITE_BATCH = 50_000
#: Input from which a submission is kept on disk rather than in memory (bytes of all its files).
ON_DISK_BYTES = 20_000_000
#: An environment variable that sets another part size (fewer records: less memory, more overhead).
PART_RECORDS_ENV = "KGTOOL_PART_RECORDS"


def part_records() -> int:
    """The part size in force: ``$KGTOOL_PART_RECORDS`` if set (a positive integer), else ``PART_RECORDS``."""
    return positive_int(PART_RECORDS_ENV, PART_RECORDS, "records")


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
        batch: list[ox.Quad] = []
        for quad in quads:
            batch.append(ox.Quad(quad.subject, quad.predicate, quad.object))
            if len(batch) == WRITE_BATCH:
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


def roots(submission: Submission) -> list[Subject]:
    """The records parts are made of, in the order the files give them: every named subject, and every blank
    subject that nothing in the submission points to (a record written as a blank node)."""
    pointed = {t.object for t in submission.triples if isinstance(t.object, ox.BlankNode)}
    return [s for s in submission.subjects if isinstance(s, ox.NamedNode) or s not in pointed]


def parts(submission: Submission, size: int = PART_RECORDS) -> Iterator[Part]:
    """The submission as parts of at most ``size`` records, each a ``Submission`` of its own triples.

    Each part keeps the submission's files and CSV origins, and lists as its subjects only the records and
    blank nodes it holds (a result belongs to the part whose subjects hold its focus).
    """
    owned: set[Subject] = set()
    taken: list[ox.Triple] = []
    count = 0
    for root in roots(submission):
        if root in owned:
            continue
        taken += submission.stored().closure(root, owned)
        count += 1
        if count == size:
            yield Part(_submission_of(submission, taken), count)
            taken, count = [], 0
    if count:
        yield Part(_submission_of(submission, taken), count)


@dataclass
class Part:
    """Some whole records of a submission, and how many."""

    submission: Submission
    records: int


def _submission_of(whole: Submission, triples: list[ox.Triple]) -> Submission:
    subjects = {t.subject: whole.subjects[t.subject] for t in triples}
    return Submission(whole.files, triples, subjects, whole.csv)
