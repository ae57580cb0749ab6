"""The store under careless use (issue 13): retract and send again, malformed ids. Driven through the command
line, as a steward would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_kgtool

EXAMPLE = ROOT / "data" / "examples" / "water-alliance.ttl"
SUBMISSION_ID = re.compile(r"\b[0-9a-f]{16}\b")


def _ingest(store: Path) -> str:
    result = run_kgtool("ingest", str(EXAMPLE), "--submitter", "Synthetic NGO", "--store", str(store))
    assert result.code == 0, result.stdout + result.stderr
    return _ingest_id(result.stdout)


def _listing(store: Path) -> str:
    result = run_kgtool("submissions", "--store", str(store))
    assert result.code == 0, result.stderr
    return result.stdout


def _holds_data_of(store: Path, identifier: str) -> bool:
    """Whether the store has quads in the submission's own graph (N-Quads: the graph ends the line)."""
    result = run_kgtool("export", "--format", "nquads", "--store", str(store))
    assert result.code == 0, result.stderr
    return any(line.endswith(f"/submission-{identifier}> .") for line in result.stdout.splitlines())


def _one_line(result, code: int, *words: str) -> str:
    assert result.code == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_a_retracted_submission_sent_again_is_a_new_submission(fresh_store: Path):
    """Regression: re-ingesting retracted content brought the data back under the old id, listed it 8 times,
    all "retracted", and `retract` then answered "no submission" — data that could never be taken out."""
    first = _ingest(fresh_store)
    assert run_kgtool("retract", first, "--store", str(fresh_store)).code == 0
    again = run_kgtool("ingest", str(EXAMPLE), "--submitter", "Synthetic NGO", "--store", str(fresh_store))
    assert again.code == 0 and f"retracted submission {first}" in again.stdout, again.stdout
    second = _ingest_id(again.stdout)
    assert second != first
    listed = _listing(fresh_store)
    assert listed.count(first) == 1 and listed.count(second) == 1 and "2 submissions, 1 in force" in listed
    assert _holds_data_of(fresh_store, second) and not _holds_data_of(fresh_store, first)

    assert run_kgtool("retract", second, "--store", str(fresh_store)).code == 0  # it can be taken out again
    assert not _holds_data_of(fresh_store, second)
    assert "2 submissions, 0 in force" in _listing(fresh_store)
    third = _ingest(fresh_store)
    assert third not in (first, second) and "3 submissions, 1 in force" in _listing(fresh_store)


def _ingest_id(stdout: str) -> str:
    (identifier,) = set(SUBMISSION_ID.findall(stdout.split("Ingested submission", 1)[1].splitlines()[0]))
    return identifier


def test_retracting_twice_says_when_it_was_retracted(fresh_store: Path):
    first = _ingest(fresh_store)
    assert run_kgtool("retract", first, "--store", str(fresh_store)).code == 0
    _one_line(run_kgtool("retract", first, "--store", str(fresh_store)), 2, first, "already retracted")


@pytest.mark.parametrize("identifier", ["a b", "", "x" * 300, "../x", "0123456789ABCDEF0"])
def test_a_malformed_submission_id_is_a_usage_error(store_dir: Path, identifier: str):
    """Regression: `retract 'a b'` ended in an internal error (exit 70)."""
    _one_line(run_kgtool("retract", identifier, "--store", str(store_dir)), 2, "submission id")
