"""Answers kept beside the store (kgtool.sparql.answers) are the query's answer after every write: ingest,
retract, build, and a write by another program; a kept answer is really what a repeated question reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_kgtool, settled
from kgtool.sparql import answers, catalog, queries
from kgtool.sparql.backends import StoreBackend
from kgtool.store.core import opened

#: Questions that answer one thing, and one whose answer an ingest of the example changes.
ASKED = [
    ("legitimacy-strategy-matrix", {}),
    ("legitimacy-gaps", {"lang": "es"}),
    ("legitimacy-type-profile", {}),
    ("actor-alliances", {"actor": "sald:example-water-ngo"}),
    ("alliance-legitimacy-strategy", {}),
]
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "water-alliance.ttl"


@pytest.fixture()
def keeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every answer, however fast (the paper's store answers in milliseconds)."""
    monkeypatch.setattr(answers, "MIN_SECONDS", 0.0)


def _cells(result: queries.QueryResult) -> list[dict[str, str]]:
    return [{name: str(term) for name, term in row.items()} for row in result.rows]


def _asked(store: Path) -> list[list[dict[str, str]]]:
    """Each question as kgtool asks it of a store on disk (kept answers used and kept)."""
    return [_cells(queries.run(store, catalog.resolve(name), values)) for name, values in ASKED]


def _computed(store: Path) -> list[list[dict[str, str]]]:
    """Each question evaluated by the engine, no kept answer involved."""
    with opened(store) as opened_store:
        backend = StoreBackend(opened_store)
        found = [_cells(queries.run_on(backend, catalog.resolve(name), values)) for name, values in ASKED]
        backend.store = None
        del opened_store
    return found


def _kept(store: Path) -> list[Path]:
    return sorted(answers.folder(store).glob("*.json"))


def test_kept_answers_follow_every_write(fresh_store: Path, keeping: None):
    settled(fresh_store, _computed)
    first = _asked(fresh_store)
    assert first == _computed(fresh_store) and len(_kept(fresh_store)) == len(ASKED)
    assert _asked(fresh_store) == first  # answered from the kept files

    done = run_kgtool("ingest", str(EXAMPLE), "--store", str(fresh_store), "--submitter", "test", "-m", "example")
    assert done.code == 0, done.stderr
    ingested = _asked(fresh_store)
    assert ingested == _computed(fresh_store)
    assert ingested != first  # the example's NGO now has an alliance: a stale answer would be caught
    assert ingested[3] and not first[3]

    submission = done.stdout.split("Ingested submission ", 1)[1].split(":", 1)[0]
    assert run_kgtool("retract", submission, "--store", str(fresh_store)).code == 0
    assert _asked(fresh_store) == _computed(fresh_store) == first

    assert run_kgtool("build", "--store", str(fresh_store)).code == 0
    assert _asked(fresh_store) == _computed(fresh_store) == first


def test_a_write_by_another_program_is_seen(fresh_store: Path, keeping: None):
    """Not only kgtool's own writes: the kept answer is tied to the store's files, not to who wrote them."""
    first = _asked(fresh_store)
    with opened(fresh_store) as store:
        alliance = ox.NamedNode("https://w3id.org/sal/id/synthetic-test-alliance")
        graph = ox.NamedNode("https://w3id.org/sal/graph/test")
        for predicate, value in (
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://w3id.org/sal#StrategicAlliance"),
            ("https://w3id.org/sal#underStrategy", "https://w3id.org/sal#InstitutionalDevelopment"),
            ("https://w3id.org/sal#fulfilsLegitimacy", "https://w3id.org/sal#MarketLegitimacy"),
        ):
            store.add(ox.Quad(alliance, ox.NamedNode(predicate), ox.NamedNode(value), graph))
        del store
    written = _asked(fresh_store)
    assert written == _computed(fresh_store) and written[0] != first[0]


def test_a_repeated_question_reads_the_kept_answer(fresh_store: Path, keeping: None):
    """Proof that the kept file is what answers: a changed file (same store state) changes the answer; a file
    of another state, or a damaged one, is not used."""
    settled(fresh_store, _computed)
    matrix = catalog.resolve("legitimacy-strategy-matrix")
    original = _cells(queries.run(fresh_store, matrix))
    (kept,) = _kept(fresh_store)
    kept_state, answer = kept.read_text().split("\n", 1)
    document = json.loads(answer)
    document["results"]["bindings"][0]["market"]["value"] = "4711"
    kept.write_text(kept_state + "\n" + json.dumps(document))
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert _cells(queries.run(fresh_store, matrix))[0]["market"] == str(ox.Literal("4711", datatype=integer))
    kept.write_text("another state\n" + json.dumps(document))
    assert _cells(queries.run(fresh_store, matrix)) == original
    for damaged in ("{ not json", kept_state + "\n" + json.dumps(document)[:-40]):  # garbage, cut short
        kept.write_text(damaged)
        assert _cells(queries.run(fresh_store, matrix)) == original


def test_a_temporary_file_of_an_answer_a_killed_process_left_is_removed_after_a_day(fresh_store: Path, keeping: None):
    """Kept answers are written through a temporary file (``kgtool.files``); the one a killed process left goes as a
    listing's does (``answers.kept_files``), when the next answer is kept. It stayed for ever."""
    folder = answers.folder(fresh_store)
    folder.mkdir()
    old, recent = folder / f".{'0' * 64}.json.old.part", folder / f".{'1' * 64}.json.new.part"
    for path, age in ((old, 25 * 3600), (recent, 3600)):
        path.write_bytes(b'{"head": ')
        os.utime(path, (path.stat().st_mtime - age,) * 2)
    settled(fresh_store, _computed)
    _asked(fresh_store)
    assert not old.exists() and recent.exists() and len(_kept(fresh_store)) == len(ASKED)


def test_large_or_fast_answers_are_not_kept(fresh_store: Path, monkeypatch: pytest.MonkeyPatch):
    queries.run(fresh_store, catalog.resolve("strategy-profile"))  # milliseconds: not worth a file
    assert _kept(fresh_store) == []
    monkeypatch.setattr(answers, "MIN_SECONDS", 0.0)
    monkeypatch.setattr(answers, "MAX_ROWS", 2)
    queries.run(fresh_store, catalog.resolve("alliance-legitimacy-strategy"))  # more rows than MAX_ROWS
    assert _kept(fresh_store) == []


def test_a_built_store_is_compacted_so_its_first_answers_can_be_kept(tmp_path: Path):
    """``kgtool build`` leaves RocksDB nothing to merge: compacting the store again changes none of its table files.
    A store left to merge in the background changed its files under the first queries (which were then not kept)
    and answered about twice as slowly until it had (measured at 1M triples)."""
    store = tmp_path / "kg"
    assert run_kgtool("build", "--store", str(store)).code == 0
    built = _tables(store)
    with opened(store) as opened_store:
        opened_store.optimize()
        del opened_store
    assert _tables(store) == built


def _tables(store: Path) -> list[tuple[str, int]]:
    """The store's RocksDB table files (name, size): immutable, so a merge shows as new names."""
    return sorted((path.name, path.stat().st_size) for path in store.glob("*.sst"))
