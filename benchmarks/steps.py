"""The measured steps of ``benchmarks/run``, each run alone in a fresh Python process.

Why a process per step: the peak memory of a step is the peak resident set of its own process (read by the
runner from ``wait4``), and no step inherits another's caches, imports or garbage. Each step times only its
work (``time.perf_counter`` around the call, after the imports), prints one JSON object on stdout and exits.

    python benchmarks/steps.py STEP '{"argument": ...}'
    python benchmarks/steps.py measure STEP '{"argument": ...}'    # the same, with its peak memory added

Steps come in pairs: what kgtool does, and the baseline a user would otherwise run on the same input (the raw
``oxigraph load``, rdflib, plain pySHACL, owlready2's HermiT, a raw pyoxigraph write).
"""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHAPES = "https://w3id.org/sal/shapes#"
STEPS = {}


def step(function):
    """Register a function as a step, by its name with dashes."""
    STEPS[function.__name__.replace("_", "-")] = function
    return function


class TimeLimit(Exception):
    """A baseline ran past its time limit (``signal.alarm``: the baselines are pure Python, so it interrupts)."""


@contextmanager
def time_limit(seconds: float | None):
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- Build


@step
def build_kgtool(files: list[list[str]], store: str) -> dict:
    """``kgtool.store.build.build`` of the given files, each into its named graph (as ``kgtool build`` does)."""
    from kgtool.store import build

    sources = [build.SourceFile("data", Path(path), graph) for path, graph in files]
    start = time.perf_counter()
    report = build.build(Path(store), sources, keep_submissions=False)
    return {"seconds": time.perf_counter() - start, "triples": report.total_triples}


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of the PyPI ``oxigraph`` package, beside this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise SystemExit("the oxigraph command is missing: pip install oxigraph")
    return found


@step
def build_oxigraph(files: list[list[str]], location: str) -> dict:
    """The engine's own limit: ``oxigraph load`` of the same files into the same named graphs."""
    binary = oxigraph_binary()
    start = time.perf_counter()
    for path, graph in files:
        command = [binary, "load", "--location", location, "--file", path, "--graph", graph]
        subprocess.run(command, check=True, capture_output=True)
    return {"seconds": time.perf_counter() - start}


@step
def parse_rdflib(files: list[list[str]]) -> dict:
    """What a user would do otherwise: rdflib parsing the same files, each into its graph of a Dataset."""
    import rdflib

    dataset = rdflib.Dataset()
    start = time.perf_counter()
    for path, graph in files:
        dataset.graph(rdflib.URIRef(graph)).parse(path, format="turtle")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "triples": sum(len(dataset.graph(rdflib.URIRef(g))) for _, g in files)}


# --- Validation


@step
def validate_kgtool(file: str) -> dict:
    """``kgtool.validation.validate`` of one submission, references checked against the project's data."""
    from kgtool import validation

    start = time.perf_counter()
    report = validation.validate([Path(file)])
    seconds = time.perf_counter() - start
    violations = sorted([r.focus.value, r.shape] for r in report.results if r.severity == "Violation")
    others = sum(1 for r in report.results if r.severity != "Violation")
    return {"seconds": seconds, "violations": violations, "other_results": others}


@step
def validate_pyshacl(file: str, limit: float | None = None) -> dict:
    """Plain pySHACL with the same shapes and ontology on the same file (plus the reference regions it points
    to), as a user would run it; only results about the file's own records are compared.

    The ontology is merged into the data graph: pySHACL's ``ont_graph=`` took over 10 minutes on 3k triples of
    this data (its mixing step), so that is not the plain use to compare with.
    """
    import pyshacl
    import rdflib

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    start = time.perf_counter()
    try:
        with time_limit(limit):
            submitted = rdflib.Graph().parse(file, format="turtle")
            data = rdflib.Graph()
            data += submitted
            data.parse(ROOT / "data" / "reference" / "regions.ttl", format="turtle")
            for path in sorted(glob.glob(str(ROOT / "ontology" / "*.ttl"))):
                data.parse(path, format="turtle")
            shapes = rdflib.Graph()
            for path in sorted(glob.glob(str(ROOT / "shapes" / "*.ttl"))):
                shapes.parse(path, format="turtle")
            _, report, _ = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
            )
    except TimeLimit:
        return {"seconds": None, "limit": limit}
    seconds = time.perf_counter() - start
    own = set(submitted.subjects())
    violations = sorted(
        [str(report.value(r, sh.focusNode)), str(report.value(r, sh.sourceShape))]
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
        if report.value(r, sh.resultSeverity) == sh.Violation and report.value(r, sh.focusNode) in own
    )
    return {"seconds": seconds, "violations": violations}


# --- Catalog queries


@step
def query_kgtool(store: str, query: str, parameters: dict | None, repeat: int, budget: float) -> dict:
    """One catalog query through ``kgtool.sparql.queries.run_on`` on an open store: a first ask (no answer kept
    from before: ``kgtool.sparql.answers``), then up to ``repeat`` timed runs (fewer once ``budget`` seconds are
    spent); the median. A query whose first ask alone exceeds ``budget`` is not repeated: that run is its figure.
    Beside it the engine alone on the same bound SPARQL (Oxigraph's solutions, each read, no Python rows), as
    often. One process per query, so that each query's peak memory is its own."""
    from kgtool.rdf.namespaces import PREFIXES
    from kgtool.sparql import answers, catalog, queries
    from kgtool.sparql.backends import connect

    shutil.rmtree(answers.folder(Path(store)), ignore_errors=True)
    catalog_query = catalog.catalog()[query]
    running, _ = queries.list_columns(queries.prepare(catalog_query, parameters))
    with connect(Path(store)) as backend:
        rows, first, times = _repeated(
            lambda: len(queries.run_on(backend, catalog_query, parameters).rows), repeat, budget
        )
        engine: list[float] = []
        while len(engine) < len(times) and (not engine or sum(engine) < budget):
            start = time.perf_counter()
            for _ in backend.store.query(running, prefixes=PREFIXES, use_default_graph_as_union=True):
                pass
            engine.append(time.perf_counter() - start)
    return {
        "median": statistics.median(times),
        "runs": len(times),
        "rows": rows,
        "first": first,
        "engine": statistics.median(engine),
    }


@step
def query_endpoint(endpoint: str, query: str, parameters: dict | None, repeat: int, budget: float) -> dict:
    """One catalog query on the SPARQL endpoint ``endpoint``, as ``kgtool query --endpoint`` asks it (issue 12:
    Virtuoso beside the embedded store), timed as ``query_kgtool`` times it."""
    from kgtool.sparql import catalog, queries
    from kgtool.sparql.backends import connect

    catalog_query = catalog.catalog()[query]
    with connect(None, endpoint, timeout=3600) as backend:
        rows, first, times = _repeated(
            lambda: len(queries.run_on(backend, catalog_query, parameters).rows), repeat, budget
        )
    return {"median": statistics.median(times), "runs": len(times), "rows": rows, "first": first}


def _repeated(run: Callable[[], int], repeat: int, budget: float) -> tuple[int, float, list[float]]:
    """``run`` once (its rows and its time, the first ask), then timed up to ``repeat`` times, fewer once ``budget``
    seconds are spent; a first ask that alone exceeds ``budget`` is the only figure."""
    start = time.perf_counter()
    rows = run()
    first = time.perf_counter() - start
    times: list[float] = [first] if first > budget else []
    while len(times) < repeat and (not times or sum(times) < budget):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return rows, first, times


class _Counted(io.RawIOBase):
    """A binary sink that counts the lines written to it (a csv record per line in these listings)."""

    def __init__(self) -> None:
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:  # type: ignore[override]
        self.lines += bytes(chunk).count(b"\n")
        return len(chunk)


@step
def stream_kgtool(store: str, query: str, parameters: dict | None, repeat: int = 3) -> dict:
    """A catalog query's whole answer as csv, as ``kgtool query --format csv`` writes it (``kgtool.sparql.streaming``:
    sorted by kgtool where it can, else by the engine; list cells sorted row by row), into a sink that counts the
    lines, as the command does it: a listing kept on the store as it is now copied without opening the store
    (``kgtool.sparql.listings``), else the store opened and the listing computed. First ask: its kept copy removed
    before, so the engine computes it (and it is kept when slow enough), as after a write. Then ``repeat`` asks
    again on the unchanged store; ``kept`` says whether the first ask kept the listing."""
    from kgtool.sparql import catalog, listings, queries, streaming
    from kgtool.sparql.backends import connect

    running, lists = queries.list_columns(queries.prepare(catalog.catalog()[query], parameters))
    kept = listings.path(Path(store), listings.key(running, "csv", lists))
    kept.unlink(missing_ok=True)

    def ask() -> tuple[float, int, object]:
        start = time.perf_counter()
        sink = _Counted()
        out, how = io.BufferedWriter(sink), None
        if not listings.copied(Path(store), running, "csv", lists, out):
            with connect(Path(store)) as backend:
                how = streaming.write(backend, running, "csv", out, lists)
        out.flush()
        return time.perf_counter() - start, sink.lines - 1, how

    seconds, rows, how = ask()
    was_kept = kept.is_file()  # by the first ask (a later ask may keep a listing the first did not)
    again = [ask() for _ in range(repeat)]
    return {
        "seconds": seconds,
        "rows": rows,
        "sorted_by": "kgtool" if how else "the engine",
        "again": statistics.median(taken for taken, _, _ in again),
        "again_rows": sorted({found for _, found, _ in again}),
        "kept": was_kept,
    }


class _Timed:
    """A backend that adds up the time its ``select`` takes: the engine, and its rows made Python values. It has
    no kept answers, so every query is a first ask, as after a build or an ingest."""

    def __init__(self, backend) -> None:
        self.backend = backend
        self.seconds = 0.0

    def select(self, text: str):
        start = time.perf_counter()
        try:
            return self.backend.select(text)
        finally:
            self.seconds += time.perf_counter() - start


@step
def report_kgtool(store: str, out: str) -> dict:
    """``kgtool report`` on ``store`` as ``write_report`` makes it (collect, render, write), with no kept answers;
    the part of its time spent in its catalog queries (the engine and their rows); and its CPU time, which a
    machine shared with other work inflates less than the wall-clock time."""
    from kgtool.report import generate, html
    from kgtool.sparql import backends

    start, cpu = time.perf_counter(), time.process_time()
    with backends.connect(Path(store)) as backend:
        timed = _Timed(backend)
        report = generate.collect(timed, "en")
    page = html.render(report, store).encode("utf-8")
    Path(out).write_bytes(page)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "queries": timed.seconds,
        "bytes": len(page),
        "alliances": len(report.cards),
    }


@step
def queries_rdflib(files: list[list[str]], parameters: dict, limit: float) -> dict:
    """The same bound query texts on rdflib's SPARQL engine over the same files (one named graph each, the
    default graph their union), one run each, stopped at ``limit`` seconds."""
    import rdflib

    from kgtool.rdf.namespaces import PREFIXES
    from kgtool.sparql import catalog, queries

    dataset = rdflib.Dataset(default_union=True)
    start = time.perf_counter()
    for path, graph in files:
        dataset.graph(rdflib.URIRef(graph)).parse(path, format="turtle")
    parsed = time.perf_counter() - start
    measured = {}
    for name, query in catalog.catalog().items():
        text = queries.prepare(query, parameters.get(name))
        start = time.perf_counter()
        try:
            with time_limit(limit):
                rows = len(list(dataset.query(text, initNs=PREFIXES)))
            measured[name] = {"seconds": time.perf_counter() - start, "rows": rows}
        except TimeLimit:
            measured[name] = {"seconds": None, "limit": limit}
        except Exception as error:  # rdflib fails on some valid queries (e.g. GROUP_CONCAT over unbound values)
            measured[name] = {"seconds": None, "error": f"{type(error).__name__}: {error}"}
    return {"parse_seconds": parsed, "queries": measured}


# --- Ingest


@step
def ingest_kgtool(store: str, submissions: list[str]) -> dict:
    """``kgtool.validation.ingest.ingest`` of each submission in turn (each a new one) into the store."""
    from kgtool.validation import ingest

    times, accepted = [], []
    for file in submissions:
        start = time.perf_counter()
        result = ingest.ingest(Path(store), [Path(file)], "kgtool benchmarks (synthetic)", "synthetic benchmark")
        times.append(time.perf_counter() - start)
        accepted.append(result.accepted and not result.already_present)
    return {"seconds": times, "accepted": accepted}


@step
def write_pyoxigraph(store: str, submissions: list[str]) -> dict:
    """The engine's limit for the same writes: open the store, add the parsed triples to a new named graph in
    one transaction, flush, close; no validation, no provenance."""
    import pyoxigraph as ox

    times = []
    for index, file in enumerate(submissions):
        quads = list(ox.parse(path=file, format=ox.RdfFormat.TURTLE))
        graph = ox.NamedNode(f"https://w3id.org/sal/id/synthetic-baseline-write-{index}")
        start = time.perf_counter()
        db = ox.Store(store)
        db.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        db.flush()
        del db
        times.append(time.perf_counter() - start)
    return {"seconds": times}


# --- Check


@step
def check_kgtool() -> dict:
    """``kgtool.check.check`` of the ontology alone (``kgtool check --no-data``): HermiT and the quality rules."""
    from kgtool.check import run as check

    start = time.perf_counter()
    report = check.check(data_paths=[])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "consistent": report.reasoning.consistent, "findings": len(report.findings)}


@step
def check_hermit() -> dict:
    """HermiT through owlready2 directly, as a user would run it: the Turtle modules merged by rdflib (owlready2
    reads no Turtle), imports dropped (it would fetch them), written as N-Triples, loaded, reasoned over."""
    import owlready2
    import rdflib

    start = time.perf_counter()
    graph = rdflib.Graph()
    for path in sorted(glob.glob(str(ROOT / "ontology" / "*.ttl"))):
        graph.parse(path, format="turtle")
    graph.remove((None, rdflib.OWL.imports, None))
    with tempfile.TemporaryDirectory(prefix="kgtool-bench-") as folder:
        merged = Path(folder) / "merged.nt"
        graph.serialize(merged, format="nt")
        world = owlready2.World()
        ontology = world.get_ontology(merged.as_uri()).load(format="ntriples")
        consistent = True
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
    return {"seconds": time.perf_counter() - start, "consistent": consistent}


def measure(argv: list[str]) -> int:
    """Run a step in a child of this small process, and add the child's peak memory (KiB) to its result.

    Why a launcher: on Linux a process keeps, as its peak, the peak of the process it was forked from (``exec``
    records the old memory's high-water mark), so a step forked straight from the runner, which has generated a
    million triples, would report the runner's peak. This launcher imports little, so its child's peak (read
    with ``wait4``: the largest of the step's processes, ``oxigraph`` or the JVM included) is the step's own.
    """
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen([sys.executable, __file__, *argv], stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    if code != 0 or not lines:
        return code or 1
    result = json.loads(lines[-1])
    result["peak_kib"] = usage.ru_maxrss
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "measure":
        return measure(argv[1:])
    name, arguments = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    os.chdir(ROOT)
    result = STEPS[name](**arguments)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(1, str(ROOT))  # the kgtool of this checkout, whichever one is installed
    sys.exit(main(sys.argv[1:]))
