"""Whole listings kept beside the store (kgtool.sparql.listings): the kept bytes are a fresh run's in csv, tsv and
json on the paper's store and a seeded synthetic store; after every write, and for a kept file cut short, damaged
or misnamed, the listing is computed again; the size bounds hold; a folder that cannot be written keeps nothing.
A listing is asked as ``kgtool query NAME --format F`` asks it (``streaming.write`` on ``backends.connect``)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from generated_store import build_generated_store

from conftest import one_line_error, run_kgtool, settled, start_kgtool_serve
from kgtool.errors import BackendUnavailable
from kgtool.sparql import answers, catalog, listings, queries, streaming
from kgtool.sparql.backends import StoreBackend, connect
from kgtool.store.core import opened

#: Listings with and without list cells, sorted by kgtool and by the engine.
LISTED = [
    "fact-provenance",
    "alliance-legitimacy-strategy",
    "partner-profile",
    "actors-by-sector",
    "reported-figures",
    "report-alliance-links",
]
FORMATS = ("csv", "tsv", "json")
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "water-alliance.ttl"
CHANGED = "alliance-legitimacy-strategy"  # the example's ingest adds a row to it


@pytest.fixture()
def keeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every listing, however fast (the paper's store answers in milliseconds)."""
    monkeypatch.setattr(listings, "MIN_SECONDS", 0.0)


def _text(name: str, values: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    return queries.list_columns(queries.prepare(catalog.resolve(name), values or {}))


def _asked(store: Path, name: str, output_format: str = "csv", values: dict[str, str] | None = None) -> bytes:
    """The listing as ``kgtool query`` writes it: kept listings used and kept."""
    out, (text, lists) = io.BytesIO(), _text(name, values)
    with connect(store) as backend:
        streaming.write(backend, text, output_format, out, lists)
    return out.getvalue()


def _fresh(store: Path, name: str, output_format: str = "csv") -> bytes:
    """The listing computed by the engine, no kept listing involved."""
    out, (text, lists) = io.BytesIO(), _text(name)
    with opened(store) as opened_store:
        backend = StoreBackend(opened_store)
        streaming.write(backend, text, output_format, out, lists)
        backend.store = None
        del opened_store
    return out.getvalue()


def _kept(store: Path) -> list[Path]:
    return sorted(answers.folder(store).glob("*" + listings.SUFFIX))


def _file(store: Path, name: str, output_format: str = "csv", values: dict[str, str] | None = None) -> Path:
    text, lists = _text(name, values)
    return listings.path(store, listings.key(text, output_format, lists))


def _kept_state(kept: Path) -> str:
    return kept.read_bytes().split(b" ", 3)[2].decode()


@pytest.fixture(scope="module")
def synthetic_template(tmp_path_factory) -> Path:
    return build_generated_store(tmp_path_factory.mktemp("kept-listings"), triples=6_000)


@pytest.mark.parametrize("which", ["paper", "synthetic"])
def test_a_kept_listing_is_the_fresh_bytes_in_every_format(which, fresh_store, synthetic_template, tmp_path, keeping):
    store = fresh_store if which == "paper" else shutil.copytree(synthetic_template, tmp_path / "synthetic")
    settled(store, lambda path: _fresh(path, LISTED[0]))
    for name in LISTED:
        assert _fresh(store, name).count(b"\n") > 3, name  # rows, not an empty answer
        for output_format in FORMATS:
            fresh = _fresh(store, name, output_format)
            assert _asked(store, name, output_format) == fresh  # computed and kept
            assert _file(store, name, output_format).is_file()
            assert _asked(store, name, output_format) == fresh, (name, output_format)  # copied from the kept file
    assert len(_kept(store)) == len(LISTED) * len(FORMATS)
    for name in LISTED[:2]:  # the command writes the kept bytes too
        for output_format in FORMATS:
            done = run_kgtool("query", name, "--format", output_format, "--store", str(store))
            assert done.code == 0 and done.stdout.encode() == _fresh(store, name, output_format), done.stderr


def test_the_kept_file_is_what_a_repeated_ask_reads(fresh_store: Path, keeping):
    """A kept file changed consistently (its length and digest written for the new bytes) is what the command
    writes: the digest guards against damage, not against whoever can write the folder (SECURITY.md)."""
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    fresh = _asked(fresh_store, CHANGED)
    kept = _file(fresh_store, CHANGED)
    header = kept.read_bytes()[: listings._HEADER].split()
    body = fresh.replace(b"\n", b"\nforged,", 1)
    forged = b" ".join([*header[:3], b"%020d" % len(body), hashlib.sha256(body).hexdigest().encode()]) + b"\n"
    kept.write_bytes(forged + body)
    done = run_kgtool("query", CHANGED, "--format", "csv", "--store", str(fresh_store))
    assert done.code == 0 and done.stdout.encode() == body != fresh, done.stderr


def test_a_kept_listing_is_copied_without_opening_the_store(fresh_store: Path, keeping):
    """While another process holds the store, the command copies a listing kept on it; one not kept needs the store
    (exit 3, in use), and so does a listing asked with an IRI parameter, which is looked up in the store first."""
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    fresh = _asked(fresh_store, CHANGED)
    one = {"alliance": "https://w3id.org/sal/id/antamina-social-legitimacy-alliance"}
    profile = _asked(fresh_store, "partner-profile", values=one)
    assert profile.count(b"\n") > 1 and _file(fresh_store, "partner-profile", values=one).is_file()
    asked = ["query", "partner-profile", "-p", f"alliance={one['alliance']}", "--format", "csv", "--store"]
    with opened(fresh_store) as store:
        done = run_kgtool("query", CHANGED, "--format", "csv", "--store", str(fresh_store))
        assert done.code == 0 and done.stdout.encode() == fresh, done.stderr
        assert run_kgtool("query", CHANGED, "--format", "tsv", "--store", str(fresh_store)).code == 3
        assert run_kgtool(*asked, str(fresh_store)).code == 3
        del store
    done = run_kgtool(*asked, str(fresh_store))
    assert done.code == 0 and done.stdout.encode() == profile, done.stderr


def test_a_kept_listing_is_computed_again_after_every_write(fresh_store: Path, keeping):
    def ask_and_check() -> bytes:
        settled(fresh_store, lambda path: _fresh(path, CHANGED))
        asked = _asked(fresh_store, CHANGED)
        assert asked == _fresh(fresh_store, CHANGED)
        assert _kept_state(_file(fresh_store, CHANGED)) == answers.state(fresh_store)  # kept for this state
        assert _asked(fresh_store, CHANGED) == asked
        return asked

    first = ask_and_check()
    done = run_kgtool("ingest", str(EXAMPLE), "--store", str(fresh_store), "--submitter", "test", "-m", "example")
    assert done.code == 0, done.stderr
    ingested = ask_and_check()
    assert ingested != first  # a stale copy would be caught
    submission = done.stdout.split("Ingested submission ", 1)[1].split(":", 1)[0]
    assert run_kgtool("retract", submission, "--store", str(fresh_store)).code == 0
    assert ask_and_check() == first
    assert run_kgtool("build", "--store", str(fresh_store)).code == 0
    assert ask_and_check() == first
    with opened(fresh_store) as store:  # a write by another program
        alliance = ox.NamedNode("https://w3id.org/sal/id/synthetic-test-alliance")
        store.add(ox.Quad(alliance, ox.NamedNode("https://w3id.org/sal#fulfilsLegitimacy"), alliance))
        del store
    assert ask_and_check() == first


def test_a_kept_listing_is_computed_again_after_an_update_through_serve(fresh_store: Path, keeping):
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    first = _asked(fresh_store, CHANGED)
    kept_before = _kept_state(_file(fresh_store, CHANGED))
    process, port = start_kgtool_serve(fresh_store, extra=("--writable",))
    try:
        update = "INSERT DATA { <https://w3id.org/sal/id/synthetic-x> <https://w3id.org/sal#note> 'x' }"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/update", update.encode(), {"Content-Type": "application/sparql-update"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 204
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    assert _asked(fresh_store, CHANGED) == _fresh(fresh_store, CHANGED) == first  # the update adds no row to it
    assert kept_before != _kept_state(_file(fresh_store, CHANGED)) == answers.state(fresh_store)  # computed again


def test_a_temporary_file_a_killed_process_left_is_removed_after_a_day(fresh_store: Path, keeping):
    folder = answers.folder(fresh_store)
    folder.mkdir()
    old, recent = folder / ".a.listing.old.part", folder / ".b.listing.new.part"
    for path, age in ((old, 25 * 3600), (recent, 3600)):
        path.write_bytes(b"partial")
        os.utime(path, (path.stat().st_mtime - age,) * 2)
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    _asked(fresh_store, CHANGED)
    assert not old.exists() and recent.exists() and _file(fresh_store, CHANGED).is_file()


def test_a_cut_damaged_or_misnamed_kept_file_is_not_served(fresh_store: Path, keeping):
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    fresh, other = _asked(fresh_store, CHANGED), _asked(fresh_store, "actors-by-sector")
    kept, whole = _file(fresh_store, CHANGED), _file(fresh_store, CHANGED).read_bytes()
    flipped = bytearray(whole)
    flipped[-5] ^= 1
    header = whole[: listings._HEADER]
    damaged = {
        "cut short": whole[:-20],
        "a byte changed": bytes(flipped),
        "another state": header.replace(header.split()[2], b"0" * 64) + whole[listings._HEADER :],
        "another listing's file": _file(fresh_store, "actors-by-sector").read_bytes(),
        "no header": fresh,
    }
    for why, content in damaged.items():
        kept.write_bytes(content)
        assert _asked(fresh_store, CHANGED) == fresh, why
        assert kept.read_bytes() == whole, why  # computed and kept again
    assert other != fresh


def test_a_failed_stream_keeps_nothing(fresh_store: Path, keeping):
    """The output fails half way (a full disk: /dev/full): no kept file, no temporary file left."""
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    text, lists = _text(CHANGED)
    for output_format in FORMATS:  # csv and json fail in Oxigraph's serializer, which says "the query failed"
        failed = pytest.raises(OSError if output_format == "tsv" else BackendUnavailable)
        with open("/dev/full", "wb", buffering=0) as full, connect(fresh_store) as backend, failed:
            streaming.write(backend, text, output_format, full, lists)
    assert not answers.folder(fresh_store).exists() or list(answers.folder(fresh_store).iterdir()) == []


def test_fast_or_large_listings_are_not_kept(fresh_store: Path, monkeypatch: pytest.MonkeyPatch):
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    monkeypatch.setattr(listings, "MIN_SECONDS", 3600.0)
    assert _asked(fresh_store, CHANGED) == _fresh(fresh_store, CHANGED)  # faster than MIN_SECONDS: not worth a file
    assert _kept(fresh_store) == []
    monkeypatch.setattr(listings, "MIN_SECONDS", 0.0)
    fresh = _fresh(fresh_store, "fact-provenance")
    monkeypatch.setattr(listings, "MAX_BYTES", len(fresh) - 1)
    assert _asked(fresh_store, "fact-provenance") == fresh  # written whole, not kept
    assert _kept(fresh_store) == []
    monkeypatch.setattr(listings, "MAX_BYTES", len(fresh))
    assert _asked(fresh_store, "fact-provenance") == fresh
    assert [path.name for path in _kept(fresh_store)] == [_file(fresh_store, "fact-provenance").name]
    monkeypatch.setenv(listings.LISTINGS_ENV, "0")  # keeps none
    assert _asked(fresh_store, CHANGED) == _fresh(fresh_store, CHANGED)
    assert _kept(fresh_store) == []  # and those kept before are removed


def test_none_kept_means_none_served(fresh_store: Path, monkeypatch: pytest.MonkeyPatch, keeping):
    """``$KGTOOL_LISTINGS_MB=0``: a listing kept earlier (whole, of the store's state; here with a body of its own, so
    that serving it shows) is neither copied before the store is opened nor after, and is removed at the next ask.
    It was served, and kept for ever."""
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    fresh, body = _asked(fresh_store, CHANGED), b"a listing kept earlier\n"
    kept = _file(fresh_store, CHANGED)
    listing_key = kept.name.removesuffix(listings.SUFFIX)
    kept.write_bytes(
        listings._header(listing_key, answers.state(fresh_store), len(body), hashlib.sha256(body).hexdigest()) + body
    )
    assert _asked(fresh_store, CHANGED) == body  # a whole kept file is what a repeated ask gives
    monkeypatch.setenv(listings.LISTINGS_ENV, "0")
    text, lists = _text(CHANGED)
    assert not listings.copied(fresh_store, text, "csv", lists, io.BytesIO())
    assert _asked(fresh_store, CHANGED) == fresh
    assert not kept.exists() and _kept(fresh_store) == []


def test_temporary_files_count_against_the_bound(fresh_store: Path, monkeypatch: pytest.MonkeyPatch, keeping):
    """A temporary file a killed process left an hour ago (up to 256 MiB) counts in ``$KGTOOL_LISTINGS_MB`` and goes
    before the listings asked since: the folder holds at most the bound. It was neither counted nor removed."""
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    size = len(_fresh(fresh_store, CHANGED)) + listings._HEADER
    monkeypatch.setenv(listings.LISTINGS_ENV, str(2 * size / 2**20))  # room for two such listings
    folder = answers.folder(fresh_store)
    folder.mkdir()
    left = folder / f".{'0' * 64}.listing.killed.part"
    left.write_bytes(b"x" * 3 * size)
    os.utime(left, (left.stat().st_mtime - 3600,) * 2)
    _asked(fresh_store, CHANGED)
    held = sum(path.stat().st_size for path in folder.iterdir())
    assert not left.exists() and held <= 2 * size and _file(fresh_store, CHANGED).is_file()


def test_the_least_recently_asked_listing_goes_first(fresh_store: Path, monkeypatch: pytest.MonkeyPatch, keeping):
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    first, second, third = "fact-provenance", "report-alliance-links", "partner-profile"
    sizes = {name: len(_fresh(fresh_store, name)) + listings._HEADER for name in (first, second, third)}
    room = (sizes[first] + max(sizes[second], sizes[third]) + 1) / 2**20
    monkeypatch.setenv(listings.LISTINGS_ENV, str(room))  # room for the first and one other
    for name in (first, second):
        _asked(fresh_store, name)
    past = os.stat(_file(fresh_store, second)).st_mtime_ns - 10**9
    os.utime(_file(fresh_store, first), ns=(past, past))  # kept earlier than the second ...
    _asked(fresh_store, first)  # ... but asked again since
    _asked(fresh_store, third)
    assert _kept(fresh_store) == sorted([_file(fresh_store, first), _file(fresh_store, third)])


def test_a_folder_that_cannot_be_written_keeps_nothing(fresh_store: Path, keeping):
    """The answers' place taken by a file (tests run as root, for whom a read-only mode is no obstacle)."""
    settled(fresh_store, lambda path: _fresh(path, CHANGED))
    answers.folder(fresh_store).write_bytes(b"")
    for output_format in FORMATS:
        assert _asked(fresh_store, CHANGED, output_format) == _fresh(fresh_store, CHANGED, output_format)
    assert answers.folder(fresh_store).read_bytes() == b""


def test_a_bad_bound_is_a_usage_error(store_dir: Path):
    done = run_kgtool(
        "query", CHANGED, "--format", "csv", "--store", str(store_dir), env={listings.LISTINGS_ENV: "lots"}
    )
    assert one_line_error(done, 2, "$KGTOOL_LISTINGS_MB") and done.stdout == ""


def test_a_listing_never_kept_is_never_copied(fresh_store: Path):
    """A file for a listing that is never kept (NOW(), UUID() ..., ``answers.repeatable``), whole and of the store's
    state (left by an older kgtool, or put there), is not copied by the command's first look either."""
    body = b"u\nthe same value again\n"
    state = answers.state(fresh_store)
    answers.folder(fresh_store).mkdir()
    copied = {}
    for text in ("SELECT (STRUUID() AS ?u) WHERE {}", 'SELECT ("x" AS ?u) WHERE {}'):
        listing_key = listings.key(text, "csv", {})
        header = listings._header(listing_key, state, len(body), hashlib.sha256(body).hexdigest())
        listings.path(fresh_store, listing_key).write_bytes(header + body)
        out = io.BytesIO()
        copied[text] = listings.copied(fresh_store, text, "csv", {}, out) and out.getvalue()
    assert copied == {"SELECT (STRUUID() AS ?u) WHERE {}": False, 'SELECT ("x" AS ?u) WHERE {}': body}
