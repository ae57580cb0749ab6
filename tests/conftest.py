"""Shared fixtures: the project's store built once per session, and a CLI runner on a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import free_port, oxigraph_stock_server, virtuoso_server  # noqa: F401 (one server per session)

import kgtool
from kgtool.rdf import resources
from kgtool.store import build as building
from kgtool.store.core import GRAPH_BASE

ROOT = resources.project_root()
FIXTURES = Path(__file__).parent / "fixtures"
# The W3C RDF 1.1 syntax suites are vendored in tests/w3c/ (see its README): the tests need nothing outside the clone.
TESTSUITES = Path(__file__).parent / "w3c" / "rdf11-syntax"
# The paper's full text is not redistributed with the project. Tests that compare quoted sentences with it run
# when it is there: $KGTOOL_PAPER, else the workplace's shared/seed/ folder beside the checkout (as CI has it).
PAPER = Path(
    os.environ.get("KGTOOL_PAPER")
    or Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_10b70308fab0e481.txt"
)
# CI sets $KGTOOL_REQUIRE_PAPER=1: there a missing paper fails the paper's tests instead of skipping them, so a broken
# path cannot silently turn them off.
PAPER_REQUIRED = os.environ.get("KGTOOL_REQUIRE_PAPER") == "1"
PAPER_MISSING = f"the paper's text is not at {PAPER}: set KGTOOL_PAPER=/path/to/the/paper.txt to run this test"


@pytest.fixture(scope="session")
def paper_text() -> str:
    """The paper's full text with white space folded (quoted sentences are compared against it)."""
    if not PAPER.is_file():
        if PAPER_REQUIRED:
            pytest.fail(f"KGTOOL_REQUIRE_PAPER=1 but {PAPER_MISSING}")
        pytest.skip(PAPER_MISSING)
    return " ".join(PAPER.read_text(encoding="utf-8").split())


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def kgtool_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a kgtool subprocess: it imports the kgtool these tests import (this checkout), also
    when cwd is elsewhere, else `python -m` would find the editable install's or another checkout's code."""
    package_parent = str(Path(kgtool.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "COLUMNS": "200", "PYTHONPATH": path, **(env or {})}


def benchmark_generator():
    """benchmarks/generate.py as a module: the seeded synthetic data the benchmarks use (not a package)."""
    import importlib.util

    generate = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("benchmark_generate", generate)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_kgtool(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run ``kgtool ARGS`` as a user would (a new Python process), capturing exit code and output."""
    done = subprocess.run(
        [sys.executable, "-m", "kgtool.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=kgtool_environment(env),
        timeout=300,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def one_line_error(result: CliResult, code: int, *words: str) -> str:
    """Assert ``result`` is the contract's failure: exit ``code``, one line on stderr holding ``words``, no
    traceback; the line."""
    assert result.code == code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def run_bounded(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """``run_kgtool`` with the address space capped at 8 GiB and two minutes to finish: a regression that
    expands an input without bound fails its test instead of taking the shared machine down."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))

    try:
        done = subprocess.run(
            [sys.executable, "-m", "kgtool.cli", *args],
            capture_output=True,
            text=True,
            env=kgtool_environment(env),
            timeout=120,
            preexec_fn=cap,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"kgtool {' '.join(args)[:200]} did not finish within 120 s: {expired.stderr!r:.500}")
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    """The project's knowledge graph built once into a temporary store."""
    target = tmp_path_factory.mktemp("kg") / "store"
    building.build(target)
    return target


@pytest.fixture(scope="session")
def store_template(tmp_path_factory) -> Path:
    """The project's store built once and never opened again: tests that write get a copy (``copy_store``)."""
    target = tmp_path_factory.mktemp("template") / "store"
    building.build(target)
    return target


@pytest.fixture(scope="session")
def fixture_store(store_dir: Path, tmp_path_factory) -> Path:
    """The golden edge-case store: the ontology (as `kgtool build` loads it) and the synthetic edge cases
    (tests/fixtures/catalog/edge-cases.ttl), restored with `kgtool build --from`."""
    folder = tmp_path_factory.mktemp("golden-fixture")
    export = folder / "paper.nq"
    done = run_kgtool("export", "--store", str(store_dir), "--format", "nquads", "--output", str(export))
    assert done.code == 0, done.stderr
    ontology = [q for q in ox.parse(path=export) if q.graph_name.value.startswith(GRAPH_BASE + "ontology/")]
    graph = ox.NamedNode(GRAPH_BASE + "tests/fixtures/catalog/edge-cases.ttl")
    synthetic = [
        ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(path=FIXTURES / "catalog" / "edge-cases.ttl")
    ]
    combined = folder / "fixture.nq"
    ox.serialize([*ontology, *synthetic], str(combined), ox.RdfFormat.N_QUADS)
    target = folder / "store"
    done = run_kgtool("build", "--from", str(combined), "--store", str(target))
    assert done.code == 0, done.stderr
    return target


def copy_store(template: Path, target: Path) -> Path:
    """A private copy of a closed store (a RocksDB folder copies like any folder): far cheaper than a build."""
    import shutil

    shutil.copytree(template, target)
    return target


def settled(store: Path, ask: Callable[[Path], object]) -> None:
    """``ask(store)`` until the store's data files stop changing: RocksDB merges the files of a copied store during
    its first opens, and an answer computed while they change is not kept (``kgtool.sparql.answers``)."""
    from kgtool.sparql import answers

    for _ in range(20):
        before = answers.state(store)
        ask(store)
        if answers.state(store) == before:
            return
    raise AssertionError("the store's files kept changing")


@pytest.fixture()
def fresh_store(tmp_path: Path, store_template: Path) -> Path:
    """A store of the project's data that this test alone may write to."""
    return copy_store(store_template, tmp_path / "store")


def start_kgtool_serve(store: Path, extra: tuple[str, ...] = (), **popen: object) -> tuple[subprocess.Popen, int]:
    """Start ``kgtool serve`` (with ``extra`` options) on a free loopback port and wait until it listens; the
    process and the port."""
    import socket
    import time

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kgtool.cli", "serve", "--store", str(store), "--bind", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=kgtool_environment(),
        **popen,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.1)
    return process, port


@contextmanager
def kgtool_serve(store: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """``kgtool serve`` on a free loopback port, as a user starts it; stopped with Ctrl-C (SIGINT) on exit."""
    import signal

    process, port = start_kgtool_serve(store)
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=15)


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current answers (review the diff; commit it with its cause)",
    )
