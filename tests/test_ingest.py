"""kgtool ingest, submissions, retract, export and restore: all or nothing, with provenance, under faults."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, copy_store, run_kgtool
from kgtool.rdf.namespaces import SALD
from kgtool.store import submissions
from kgtool.store.core import opened as open_store_as_kgtool

EXAMPLES = ROOT / "data" / "examples"
GOOD = [EXAMPLES / "sources.ttl", *sorted(p for p in EXAMPLES.glob("*.csv") if not p.name.startswith("bad"))]
BAD = [EXAMPLES / "sources.ttl", EXAMPLES / "bad-projects.csv"]


@pytest.fixture()
def store(fresh_store: Path) -> Path:
    return fresh_store


def _quad_count(store: Path) -> int:
    return len(ox.Store(str(store)))


def _synthetic_submission(path: Path, records: int) -> Path:
    """A conforming synthetic submission: ``records`` community organizations (5 triples each) and a source (4)."""
    lines = [
        "@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dcterms: <http://purl.org/dc/terms/> .",
        'sald:src-synthetic-test a sal:Source ; rdfs:label "Synthetic test source"@en , "Fuente sintética"@es ;'
        ' dcterms:title "Synthetic test source" .',
    ]
    lines += [
        f'sald:synthetic-org-{i} a sal:CommunityOrganization ; rdfs:label "Synthetic organization {i}"@en ,'
        f' "Organización sintética {i}"@es ; sal:basedIn sald:region-cusco ; sal:citesSource sald:src-synthetic-test .'
        for i in range(records)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_walkthrough_ingest_list_retract(store: Path):
    before = _quad_count(store)
    ingested = run_kgtool(
        "ingest", *map(str, GOOD), "--submitter", "Synthetic NGO", "-m", "example", "--store", str(store)
    )
    assert ingested.code == 0, ingested.stdout + ingested.stderr
    assert "The submission conforms." in ingested.stdout and "Ingested submission" in ingested.stdout
    (entry,) = submissions.listing(store)
    assert (entry.submitter, entry.message, entry.retracted) == ("Synthetic NGO", "example", None)
    assert _quad_count(store) > before
    matrix = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--store", str(store)).stdout
    assert "institutional development,0,1,1,0,0" in matrix  # the synthetic alliance: relational + social

    listed = run_kgtool("submissions", "--store", str(store))
    assert entry.id in listed.stdout and "1 in force" in listed.stdout
    retracted = run_kgtool("retract", entry.id, "--store", str(store))
    assert retracted.code == 0 and f"Retracted submission {entry.id}" in retracted.stdout
    assert not ox.Store(str(store)).contains_named_graph(entry.graph) or not any(
        ox.Store(str(store)).quads_for_pattern(None, None, None, entry.graph)
    )
    (after,) = submissions.listing(store)
    assert after.retracted is not None  # the history stays
    matrix = run_kgtool("query", "legitimacy-strategy-matrix", "-f", "csv", "--store", str(store)).stdout
    assert "institutional development,0,0,0,0,0" in matrix


def test_provenance_records_files_hashes_and_versions(store: Path):
    assert run_kgtool("ingest", *map(str, GOOD), "--submitter", "Synthetic NGO", "--store", str(store)).code == 0
    db = ox.Store(str(store))
    text = " ".join(str(q.object) for q in db.quads_for_pattern(None, None, None, submissions.METADATA_GRAPH))
    import hashlib

    for path in GOOD:
        assert path.name in text and hashlib.sha256(path.read_bytes()).hexdigest() in text
    assert "kgtool 0.1.0" in text and "shapes " in text and "Synthetic NGO" in text


def test_a_violating_submission_writes_nothing(store: Path):
    before = _quad_count(store)
    result = run_kgtool("ingest", *map(str, BAD), "--submitter", "Synthetic NGO", "--store", str(store))
    assert result.code == 1
    assert "[column completion_percent]" in result.stdout
    # The two projects' rows, and no other (a record shown one row off would name row 2 or 5).
    assert set(re.findall(r"bad-projects\.csv:(\d+)", result.stdout)) == {"3", "4"}
    assert "Not ingested: nothing was written" in result.stdout
    assert _quad_count(store) == before and submissions.listing(store) == []


def test_identical_content_is_stored_once(store: Path):
    first = run_kgtool("ingest", *map(str, GOOD), "--submitter", "A", "--store", str(store))
    size = _quad_count(store)
    again = run_kgtool("ingest", *map(str, reversed(GOOD)), "--submitter", "B", "--store", str(store))
    assert first.code == again.code == 0 and "Already in the store" in again.stdout
    assert _quad_count(store) == size and len(submissions.listing(store)) == 1


def _canonical(store: Path) -> set[ox.Quad]:
    """The store's quads with blank nodes canonicalized (RDFC-1.0), so that two copies compare equal."""
    dataset = ox.Dataset(ox.Store(str(store)))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_export_and_restore_round_trip(store: Path, tmp_path: Path):
    assert run_kgtool("ingest", *map(str, GOOD), "--submitter", "Synthetic NGO", "--store", str(store)).code == 0
    quads = _canonical(store)
    for fmt in ("trig", "nquads"):
        backup = tmp_path / f"backup.{fmt}"
        assert run_kgtool("export", "--format", fmt, "-o", str(backup), "--store", str(store)).code == 0
        restored = tmp_path / f"restored-{fmt}"
        assert run_kgtool("build", "--from", str(backup), "--store", str(restored)).code == 0
        assert _canonical(restored) == quads
    assert submissions.listing(tmp_path / "restored-trig")[0].submitter == "Synthetic NGO"


def test_build_keeps_submissions_unless_told(store: Path):
    assert run_kgtool("ingest", *map(str, GOOD), "--submitter", "Synthetic NGO", "--store", str(store)).code == 0
    rebuilt = run_kgtool("build", "--store", str(store))
    assert rebuilt.code == 0 and "ingested submissions" in rebuilt.stdout
    assert len(submissions.listing(store)) == 1
    assert run_kgtool("build", "--drop-submissions", "--store", str(store)).code == 0
    assert submissions.listing(store) == []


def test_unknown_submission_and_missing_store(store: Path, tmp_path: Path):
    result = run_kgtool("retract", "0000000000000000", "--store", str(store))
    assert result.code == 2 and "no submission '0000000000000000'" in result.stderr
    missing = run_kgtool("ingest", str(GOOD[0]), "--submitter", "x", "--store", str(tmp_path / "none"))
    assert missing.code == 3 and "kgtool build" in missing.stderr


def _all_or_nothing(db: ox.Store, expected_triples: int) -> str:
    """'none' or 'all' — anything in between fails the test."""
    graphs = [g for g in db.named_graphs() if g.value.startswith(submissions.SUBMISSION_PREFIX)]
    metadata = list(db.quads_for_pattern(None, None, None, submissions.METADATA_GRAPH))
    if not graphs and not metadata:
        return "none"
    (graph,) = graphs
    assert len(list(db.quads_for_pattern(None, None, None, graph))) == expected_triples
    assert submissions._listing(db)[0].triples == expected_triples
    return "all"


@pytest.mark.parametrize(
    ("write_batch", "moments"),
    [
        # One transaction: the raw database itself holds all or nothing at every moment.
        (None, (0.15, 0.35, 0.55, 0.75, 0.9, 0.97, 1.0, 1.03, 1.5)),
        # Transactions of 2,000 triples, the record last: kgtool's next open drops what came before a record.
        ("2000", (0.15, 0.9, 0.95, 0.97, 0.99, 1.0, 1.01, 1.03, 1.5)),
    ],
    ids=["one-transaction", "batched-write"],
)
def test_kill_9_at_any_moment_leaves_all_or_nothing(
    tmp_path: Path, store_template: Path, write_batch: str | None, moments: tuple
):
    submission = _synthetic_submission(tmp_path / "synthetic.ttl", 4000)
    expected = 5 * 4000 + 4
    template = copy_store(store_template, tmp_path / "template-store")
    command = [sys.executable, "-m", "kgtool.cli", "ingest", str(submission), "--submitter", "synthetic test"]
    environment = {**os.environ, **({"KGTOOL_WRITE_BATCH": write_batch} if write_batch else {})}
    started = time.monotonic()
    full = subprocess.run(
        [*command, "--store", str(template)], capture_output=True, text=True, timeout=300, env=environment
    )
    assert full.returncode == 0, full.stderr
    duration = time.monotonic() - started
    outcomes = []
    for fraction in moments:
        store = copy_store(store_template, tmp_path / f"store-{fraction}")
        process = subprocess.Popen(
            [*command, "--store", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment
        )
        if fraction == moments[-1]:  # the last one lets the ingest end (however loaded the machine), then kills
            process.wait(timeout=300)
        else:
            time.sleep(duration * fraction)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        if write_batch:
            with open_store_as_kgtool(store) as db:
                outcomes.append(_all_or_nothing(db, expected))
            del db  # the database lock goes with the last reference
        else:
            outcomes.append(_all_or_nothing(ox.Store(str(store)), expected))
        assert run_kgtool("query", "actors-by-sector", "-f", "csv", "--store", str(store)).code == 0
    assert outcomes[0] == "none" and outcomes[-1] == "all"  # before the write, and after it


class Fault(Exception):
    """The injected failure of one write step."""


class FaultyStore:
    """A store whose ``fail_at``-th write call raises ``Fault`` (0: none does), counting the write calls."""

    WRITES = frozenset(
        {"add", "extend", "bulk_extend", "update", "flush", "remove", "remove_graph", "add_graph"}
        | {"clear", "clear_graph", "load", "bulk_load"}
    )

    def __init__(self, store: ox.Store, fail_at: int) -> None:
        self._store, self._fail_at, self.calls = store, fail_at, 0

    def __getattr__(self, name: str):
        method = getattr(self._store, name)
        if name not in self.WRITES:
            return method

        def write(*args, **kwargs):
            self.calls += 1
            if self.calls == self._fail_at:
                raise Fault(f"write step {self.calls} ({name}) fails")
            return method(*args, **kwargs)

        return write


@pytest.fixture()
def faulty_writes(monkeypatch):
    """Make the ingest's store writes fail at a given step: returns set(fail_at) -> the FaultyStore used."""
    from contextlib import contextmanager

    real = submissions.opened
    used: list[FaultyStore] = []
    fail_at = [0]

    @contextmanager
    def opened(path, create=False):
        with real(path, create=create) as store:
            used.append(FaultyStore(store, fail_at[0]))
            try:
                yield used[-1]
            finally:
                used[-1]._store = None  # the database lock goes with the last reference
            del store

    monkeypatch.setattr(submissions, "opened", opened)
    monkeypatch.setenv("KGTOOL_WRITE_BATCH", "10")  # 44 triples: five data transactions, then the record's

    def arm(step: int) -> list[FaultyStore]:
        fail_at[0] = step
        used.clear()
        return used

    return arm


@pytest.mark.parametrize(("engine", "least_steps"), [("compiled", 5), ("pyshacl", 5)])
def test_a_fault_at_any_write_step_leaves_all_or_nothing(
    tmp_path: Path, store_template: Path, faulty_writes, engine: str, least_steps: int
):
    """Deterministic crash consistency: the ingest's n-th store write fails, for every n; after kgtool reopens
    the store, the submission is there entirely or not at all (tests/test_ingest.py's kill -9 test is the smoke
    check of the same on a real process), for the data of both engines (the workspace's, the parsed triples):
    four batches of 10 triples by the bulk loader, then the last 4 with the record."""
    from kgtool.validation.ingest import ingest

    submission = _synthetic_submission(tmp_path / "synthetic.ttl", 8)
    expected = 5 * 8 + 4
    clean = copy_store(store_template, tmp_path / "clean")
    used = faulty_writes(0)
    assert ingest(clean, [submission], "synthetic test", engine=engine).accepted
    steps = sum(store.calls for store in used)
    assert steps >= least_steps  # each write a step that can fail
    with open_store_as_kgtool(clean) as db:
        assert _all_or_nothing(db, expected) == "all"
    del db
    for step in range(1, steps + 1):
        store = copy_store(store_template, tmp_path / f"store-{step}")
        faulty_writes(step)
        with pytest.raises(Fault):
            ingest(store, [submission], "synthetic test", engine=engine)
        with open_store_as_kgtool(store) as db:  # kgtool's next open: what a crash at this step leaves
            assert _all_or_nothing(db, expected) == "none", f"after a fault at write step {step}"
        del db


def test_an_ingest_opens_the_store_once_and_releases_it(tmp_path: Path, store: Path, monkeypatch):
    """Opening a RocksDB store costs the same at every open (~50 ms at a million triples): the compiled engine's
    ingest asks the store five times (known content, its stored copy, the context, writing) through one open
    (``kept_open``), and releases it when done, also when the ingest fails."""
    from kgtool.store import core
    from kgtool.validation.ingest import ingest

    real, opens = core.open_store, []

    def counted(path, create=False):
        opens.append(path)
        return real(path, create=create)

    monkeypatch.setattr(core, "open_store", counted)
    result = ingest(store, [_synthetic_submission(tmp_path / "one.ttl", 3)], "synthetic test")
    assert result.accepted and not result.already_present
    assert len(opens) == 1
    with open_store_as_kgtool(store) as db:  # released: this process (and any other) opens it again
        assert submissions.is_recorded(db, result.submission_id)
    del db
    opens.clear()
    assert not ingest(store, BAD, "synthetic test").accepted
    assert len(opens) == 1
    assert run_kgtool("submissions", "--store", str(store)).code == 0


def test_data_left_without_its_record_is_dropped_before_anything_reads_it(store: Path):
    """What a write killed between two batches leaves: part of a submission graph and no metadata record."""
    graph = ox.NamedNode(submissions.SUBMISSION_PREFIX + "0123456789abcdef")
    orphan = ox.NamedNode(SALD + "synthetic-orphan-org")
    db = ox.Store(str(store))
    db.add(ox.Quad(orphan, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Orphan"), graph))
    del db
    listed = run_kgtool("query", "actors-by-sector", "-f", "csv", "--store", str(store))
    assert listed.code == 0 and "synthetic-orphan-org" not in listed.stdout
    db = ox.Store(str(store))
    assert graph not in set(db.named_graphs()) and not list(db.quads_for_pattern(orphan, None, None, None))


def test_two_ingests_at_once_never_corrupt_the_store(tmp_path: Path, store: Path):
    first = _synthetic_submission(tmp_path / "first.ttl", 1500)
    second = tmp_path / "second.ttl"
    second.write_text(first.read_text(encoding="utf-8").replace("synthetic-org-", "synthetic-other-org-"))
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kgtool.cli",
                "ingest",
                str(path),
                "--submitter",
                "synthetic",
                "--store",
                str(store),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (first, second)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in processes]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3])
    for code, stderr in results:
        if code == 3:
            assert "in use by another kgtool process" in stderr
    listed = submissions.listing(store)
    assert len(listed) == codes.count(0)
    assert all(entry.triples == 5 * 1500 + 4 for entry in listed)
    assert SALD  # the store still answers queries
    assert run_kgtool("query", "actors-by-sector", "-f", "csv", "--store", str(store)).code == 0


def test_pyshacl_validates_a_large_submission_in_parts_behind_a_progress_bar(tmp_path: Path, store: Path):
    """With pySHACL, parts of 500 records (``$KGTOOL_PART_RECORDS``): the bar counts records part by part on a
    terminal, the submission is written whole, and without a terminal nothing but the result is printed."""
    submission = _synthetic_submission(tmp_path / "large.ttl", 1200)
    terminal = run_kgtool(
        "ingest", str(submission), "--submitter", "synthetic", "--store", str(store), "--engine", "pyshacl",
        env={"KGTOOL_PART_RECORDS": "500", "TTY_COMPATIBLE": "1"},
    )  # fmt: skip
    assert terminal.code == 0, terminal.stderr
    assert "validating" in terminal.stderr
    for done in ("500/1201", "1000/1201", "1201/1201"):  # 1,200 organizations and the source they cite
        assert done in terminal.stderr, terminal.stderr
    (entry,) = submissions.listing(store)
    assert entry.triples == 5 * 1200 + 4
    again = run_kgtool(
        "validate", str(submission), "--store", str(store), "--engine", "pyshacl", env={"KGTOOL_PART_RECORDS": "500"}
    )
    assert again.code == 0 and again.stderr == "" and "The submission conforms." in again.stdout
    wrong = run_kgtool("validate", str(submission), "--engine", "pyshacl", env={"KGTOOL_PART_RECORDS": "many"})
    assert wrong.code == 2 and "KGTOOL_PART_RECORDS" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_compiled_engine_validates_a_large_submission_whole(tmp_path: Path, store: Path):
    """The compiled engine needs no parts: the bar shows the records once done, the submission is written whole."""
    submission = _synthetic_submission(tmp_path / "large.ttl", 1200)
    terminal = run_kgtool(
        "ingest", str(submission), "--submitter", "synthetic", "--store", str(store),
        env={"KGTOOL_PART_RECORDS": "500", "TTY_COMPATIBLE": "1"},
    )  # fmt: skip
    assert terminal.code == 0, terminal.stderr
    assert "1201/1201" in terminal.stderr and "500/1201" not in terminal.stderr
    (entry,) = submissions.listing(store)
    assert entry.triples == 5 * 1200 + 4
