"""The store under careless use (issue 13): retract and send again, damaged stores, folders kgtool did not make,
settings that are no numbers, and RocksDB's log files. Driven through the command line, as a steward would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, copy_store, one_line_error, run_kgtool

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
    one_line_error(run_kgtool("retract", first, "--store", str(fresh_store)), 2, first, "already retracted")


def test_a_store_the_old_defect_left_with_retracted_data_can_be_cleaned(fresh_store: Path):
    """Issue 13 audit: in a store written before the fix, a submission is recorded as retracted while its graph
    holds data again (re-sent content went back under the old id). `retract` then said "already retracted" and
    left the data; now retracting it drops that data."""
    import pyoxigraph as ox

    from kgtool.store.core import SUBMISSION_PREFIX

    first = _ingest(fresh_store)
    assert run_kgtool("retract", first, "--store", str(fresh_store)).code == 0
    store = ox.Store(str(fresh_store))  # what kgtool 0.1.0 did: the data back in the retracted graph
    note = ox.Quad(
        ox.NamedNode("https://w3id.org/sal/id/synthetic-x"),
        ox.NamedNode("https://w3id.org/sal#note"),
        ox.Literal("synthetic"),
        ox.NamedNode(SUBMISSION_PREFIX + first),
    )
    store.add(note)
    store.flush()
    del store
    assert _holds_data_of(fresh_store, first)
    assert run_kgtool("retract", first, "--store", str(fresh_store)).code == 0
    assert not _holds_data_of(fresh_store, first)
    one_line_error(run_kgtool("retract", first, "--store", str(fresh_store)), 2, first, "already retracted")


@pytest.mark.parametrize("identifier", ["a b", "", "x" * 300, "../x", "0123456789ABCDEF0"])
def test_a_malformed_submission_id_is_a_usage_error(store_dir: Path, identifier: str):
    """Regression: `retract 'a b'` ended in an internal error (exit 70)."""
    one_line_error(run_kgtool("retract", identifier, "--store", str(store_dir)), 2, "submission id")


def test_build_leaves_folders_it_did_not_create_alone(tmp_path: Path, store_template: Path):
    """Regression: `build --store X` deleted the user's X.old and X.building folders without asking."""
    store = copy_store(store_template, tmp_path / "kg")
    for name in ("kg.old", "kg.building"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "thesis.txt").write_text("mine", encoding="utf-8")
    assert run_kgtool("build", "--store", str(store)).code == 0
    for name in ("kg.old", "kg.building"):
        assert (tmp_path / name / "thesis.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg", "kg.building", "kg.lock", "kg.old"]


def test_build_refuses_to_replace_a_folder_that_is_no_store(tmp_path: Path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("mine", encoding="utf-8")
    one_line_error(run_kgtool("build", "--store", str(documents)), 2, str(documents), "not a kgtool store")
    assert [p.name for p in documents.iterdir()] == ["thesis.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_build_refuses_to_replace_another_programs_database(tmp_path: Path):
    """Issue 13 audit: any folder with a CURRENT file (every LevelDB or RocksDB database: a browser profile's,
    another tool's) was taken for a damaged store that build may replace."""
    database = tmp_path / "leveldb"
    database.mkdir()
    (database / "CURRENT").write_text("MANIFEST-000001\n", encoding="utf-8")
    (database / "OPTIONS-000005").write_text('[CFOptions "default"]\n', encoding="utf-8")
    (database / "000003.log").write_bytes(b"their data")
    one_line_error(run_kgtool("build", "--store", str(database)), 2, str(database), "not a kgtool store")
    assert sorted(p.name for p in database.iterdir()) == ["000003.log", "CURRENT", "OPTIONS-000005"]


DAMAGES = {
    "current": lambda store: (store / "CURRENT").write_text("garbage\n", encoding="utf-8"),
    "manifest": lambda store: [path.unlink() for path in store.glob("MANIFEST-*")],
    "tables": lambda store: [path.write_bytes(b"\0" * 100) for path in store.glob("*.sst")],
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_store_says_how_to_recover_and_build_can_replace_it(tmp_path: Path, store_template: Path, damage):
    """Regression: every command on a damaged store ended in an internal error (exit 70), and `build` could not
    replace it."""
    store = copy_store(store_template, tmp_path / "kg")
    backup = tmp_path / "backup.trig"
    assert run_kgtool("export", "-o", str(backup), "--store", str(store)).code == 0
    DAMAGES[damage](store)
    for command in (("query", "actors-by-sector"), ("submissions",), ("export",), ("build",)):
        line = one_line_error(run_kgtool(*command, "--store", str(store)), 3, str(store), "kgtool build")
        assert "--drop-submissions" in line and "--from" in line, line
    assert run_kgtool("build", "--drop-submissions", "--store", str(store)).code == 0
    assert run_kgtool("query", "actors-by-sector", "-f", "csv", "--store", str(store)).code == 0
    DAMAGES[damage](store)
    assert run_kgtool("build", "--from", str(backup), "--store", str(store)).code == 0
    assert run_kgtool("submissions", "--store", str(store)).code == 0
    kept_answers = "kg.answers"  # a slow query's answer may be kept beside the store (kgtool.sparql.answers)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != kept_answers) == ["backup.trig", "kg", "kg.lock"]


@pytest.mark.parametrize("value", ["abc", "-3", "1e999", "nan"])
def test_a_lock_wait_that_is_no_number_is_a_usage_error(fresh_store: Path, value: str):
    """Regression: KGTOOL_LOCK_WAIT=abc ended in an internal error (exit 70)."""
    result = run_kgtool("retract", "0123456789abcdef", "--store", str(fresh_store), env={"KGTOOL_LOCK_WAIT": value})
    one_line_error(result, 2, "KGTOOL_LOCK_WAIT")


def test_opening_the_store_leaves_no_pile_of_rocksdb_logs(fresh_store: Path):
    """Regression: every open left a LOG.old.* file (118 files, 17 MB on a small store)."""
    for _ in range(4):
        assert run_kgtool("submissions", "--store", str(fresh_store)).code == 0
    assert sorted(p.name for p in fresh_store.glob("LOG.old*")) == []
