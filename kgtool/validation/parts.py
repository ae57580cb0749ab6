"""Cutting a large submission into parts of whole records, so that validation memory is bounded by the part.

pySHACL works on an rdflib graph of several hundred bytes a triple, plus its own bookkeeping: a submission of
100,000 records (about a million triples) validated in one piece needs gigabytes. The shapes look at a record,
the blank nodes it owns and what it points to (two steps at most, ``validation_context.DESCRIPTION_DEPTH``), so
a part of whole records validated with, as context, the description of what it points to, from the knowledge
graph *and from the other parts of the same submission*, gets the results a single run would give. Parts hold
a fixed number of records; a submission that fits in one part is validated exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.environment import positive_int
from kgtool.validation.model import Subject
from kgtool.validation.submission import Submission

#: Records per part: about 50,000 triples of typical records, a few hundred MB of pySHACL at most.
PART_RECORDS = 5_000
#: An environment variable that sets another part size (fewer records: less memory, more overhead).
PART_RECORDS_ENV = "KGTOOL_PART_RECORDS"


def part_records() -> int:
    """The part size in force: ``$KGTOOL_PART_RECORDS`` if set (a positive integer), else ``PART_RECORDS``."""
    return positive_int(PART_RECORDS_ENV, PART_RECORDS, "records")


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
