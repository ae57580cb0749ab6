"""Validation in parts (``kgtool.validation.parts``): a large submission is cut into parts of whole records, and
the report must be the one a single run gives — same results, same order, same records named.

The data is synthetic: the shipped examples (``data/examples``) and the benchmark generator's records, whose
alliances, partnerships and attributions point at each other across parts.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import benchmark_generator
from kgtool import validation
from kgtool.rdf.resources import folder
from kgtool.validation import parts as validation_parts
from kgtool.validation import submission as submitted

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = folder("data") / "examples"


def summary(report: validation.ValidationReport) -> list[tuple]:
    """Everything a rendering shows of each result, in report order, and the records it names."""
    results = [
        (r.severity, str(r.focus), r.path, str(r.value), r.shape, r.component, r.suggestion, r.message("en"))
        for r in report.results
    ]
    records = {
        str(t): (r.labels, r.file, r.line, r.kind, str(r.parent), r.parent_path) for t, r in report.records.items()
    }
    return [results, records, report.labels, report.columns, report.record_count, report.conforms]


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, object]:
    dataset = benchmark_generator().generate(4_000, seed=9, violations=14)
    path = tmp_path_factory.mktemp("parts") / "broken.ttl"
    path.write_bytes(dataset.bytes)
    return path, dataset


def test_parts_hold_every_triple_once_and_each_blank_node_with_its_record(broken):
    path, _ = broken
    submission = validation.Submission.read([path])
    parts = list(validation_parts.parts(submission, 10))
    assert len(parts) > 10
    assert sorted(map(str, (t for p in parts for t in p.submission.triples))) == sorted(map(str, submission.triples))
    assert sum(p.records for p in parts) == len(validation_parts.roots(submission))
    for part in parts:
        assert part.records <= 10
        pointed = {t.object for t in part.submission.triples if isinstance(t.object, ox.BlankNode)}
        described = {b for b in pointed if any(submission.stored().about(b))}
        assert described <= set(part.submission.subjects), "a blank node is validated with the record that owns it"


def test_a_report_in_parts_is_the_report_of_one_run(broken):
    path, dataset = broken
    submission = validation.Submission.read([path])
    whole = validation.validate_submission(submission)
    seen: list[tuple[int, int]] = []
    parted = validation.validate_submission(submission, part_records=7, progress=lambda d, t: seen.append((d, t)))
    assert len(whole.results) == 14 == len(dataset.injected)  # the generator's known violations, no more
    assert summary(parted) == summary(whole)
    total = seen[-1][1]
    assert len(seen) == -(-total // 7) and seen[-1][0] == total and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_shipped_examples_validate_the_same_in_parts_of_one_record():
    files = [*sorted(EXAMPLES.glob("water-alliance*.ttl")), EXAMPLES / "bad-projects.csv"]
    for file in files:
        submission = validation.Submission.read([EXAMPLES / "sources.ttl", file])
        whole = validation.validate_submission(submission)
        parted = validation.validate_submission(submission, part_records=1)
        assert summary(parted) == summary(whole), file.name
    assert not whole.conforms, "bad-projects.csv has violations: the comparison is not between empty reports"


def test_a_record_in_another_part_is_context_not_unknown(tmp_path):
    """An alliance in one part and its partnerships in another: the alliance still has its partners."""
    dataset = benchmark_generator().generate(seed=4, prefix="synthetic-ctx", records=60)
    path = tmp_path / "records.ttl"
    path.write_bytes(dataset.bytes)
    submission = validation.Submission.read([path])
    assert validation.validate_submission(submission).conforms
    report = validation.validate_submission(submission, part_records=1)
    assert report.results == [] and report.record_count == len(submission.subjects)


def test_a_large_input_is_kept_on_disk_with_the_same_report(broken, monkeypatch):
    path, _ = broken
    in_memory = validation.validate([path])
    monkeypatch.setattr(submitted, "ON_DISK_BYTES", 1)
    submission = validation.Submission.read([path])
    folder = Path(submission.triples._folder.name)
    assert folder.is_dir() and any(folder.iterdir()), "a temporary Oxigraph store on disk"
    assert summary(validation.validate_submission(submission, part_records=50)) == summary(in_memory)
