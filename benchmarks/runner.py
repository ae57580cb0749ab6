"""``benchmarks/run``: how kgtool's cost grows with the work, each figure beside a baseline of the same run.

Why this shape: a user judges kgtool against what they would otherwise run (rdflib, plain pySHACL, owlready2) and
a maintainer against the engine's own limit (``oxigraph load``, a raw pyoxigraph write). So every step runs
both, on the same synthetic input (``generate.py``), each in its own process (``steps.py``) whose peak memory is
read with ``wait4``; the table shows the speed ratio and checks the issue's targets. Baselines that grow
without bound (rdflib's SPARQL engine, pySHACL) run under a time limit and are reported as stopped past it.

Modes: ``--smoke`` (seconds), ``--quick`` (under 2 minutes; CI runs it), and the full run (1M triples; tens of
minutes). Results go to ``benchmarks/results/<date>[-mode].md`` with the machine's cores, memory and versions.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import generate
import report
from report import Row

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GRAPH = "https://w3id.org/sal/graph/"
#: The only catalog query with a required parameter, bound to a well-connected synthetic actor.
PARAMETERS = {"actor-alliances": {"actor": "sald:synthetic-miningcompany-1"}}
#: Queries that answer one thing (issue 17: median ≤ 50 ms); the others are listings, also timed as a csv stream.
#: One-answer forms of three listings (issue 17): a crossover count, one alliance's partner profile and its
#: assessments; measured as the queries above, under these names (the alliance exists at every size).
ONE_ANSWER_CASES = {
    "crossover-alliances (min=5)": ("crossover-alliances", {"min": "5"}),
    "partner-profile (one alliance)": ("partner-profile", {"alliance": "sald:synthetic-alliance-1"}),
    "principle-assessments (one alliance)": ("principle-assessments", {"alliance": "sald:synthetic-alliance-1"}),
}
SINGLE_ANSWER = {
    "legitimacy-strategy-matrix",
    "legitimacy-gaps",
    "legitimacy-type-profile",
    "strategy-profile",
    "actor-alliances",
    *ONE_ANSWER_CASES,
}
SEED = 20240601
INJECTED = 7  # one of each way generate.py breaks a record
GIB = 1024 * 1024  # KiB


@dataclass(frozen=True)
class Mode:
    """Sizes (in triples) and limits of one kind of run."""

    name: str
    build: int
    validate: tuple[int, ...]
    queries: int
    ingest: tuple[int, ...]
    query_repeat: int
    query_budget: float  # seconds of timed runs per query, after which fewer than query_repeat runs are kept
    rdflib_limit: float  # seconds per rdflib query
    pyshacl_limit: float  # seconds per pySHACL validation
    submissions: int = 3  # 100-record submissions ingested into each store (the median is reported)
    large: tuple[int, ...] = ()  # records of the large submissions ingested (in parts) into the smallest store


MODES = {
    "smoke": Mode("smoke", 5_000, (2_000,), 5_000, (2_000, 5_000), 3, 1.0, 5.0, 60.0, 2, (200, 1_000)),
    "quick": Mode("quick", 100_000, (5_000,), 20_000, (10_000, 100_000), 5, 2.0, 3.0, 45.0, 3, (500, 5_000)),
    "full": Mode(
        "full",
        1_000_000,
        (10_000, 100_000),
        1_000_000,
        (10_000, 100_000, 1_000_000),
        10,
        20.0,
        60.0,
        900.0,
        3,
        (10_000, 100_000),
    ),
}


@dataclass
class Measured:
    """A step's JSON result, its peak resident memory (KiB) and its exit status."""

    result: dict
    peak: int | None
    code: int
    stderr: str = ""


def run_step(name: str, **arguments) -> Measured:
    """Run one step of ``steps.py`` in a new process, through its small launcher (``steps.py measure``), which
    adds the step's own peak memory to the result."""
    command = [sys.executable, str(HERE / "steps.py"), "measure", name, json.dumps(arguments)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        code = subprocess.run(command, stdout=out, stderr=err, cwd=ROOT, check=False).returncode
        out.seek(0)
        err.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
        stderr = err.read().decode("utf-8", "replace")
    result = json.loads(lines[-1]) if code == 0 and lines else {}
    return Measured(result, result.pop("peak_kib", None), code, stderr)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Bench:
    """One run: its mode, its working folder, the rows measured so far and the checks that failed."""

    mode: Mode
    work: Path
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Each step's kgtool time in the previous results files of the same mode, with the file's name.
    previous: dict[str, tuple[float, str]] = field(default_factory=dict)
    query_medians: dict[str, float] = field(default_factory=dict)  # the embedded store's, by catalog query

    def step(self, name: str, **arguments) -> Measured:
        """Run one step; a step that fails is a problem of the run (the table then shows it unmeasured)."""
        measured = run_step(name, **arguments)
        if measured.code != 0:
            last = measured.stderr.strip().splitlines()[-1:] or ["no message"]
            self.problems.append(f"step {name} failed (exit {measured.code}): {last[0]}")
        return measured

    def data(self, triples: int, violations: int = 0) -> Path:
        """The synthetic file of ``triples`` triples (written once per size)."""
        path = self.work / f"synthetic-{triples}-{violations}.ttl"
        if not path.exists():
            path.write_bytes(generate.generate(triples, SEED, violations).bytes)
        return path

    def files(self, data: Path) -> list[list[str]]:
        """What a build loads: the ontology modules, the reference regions and the synthetic data."""
        project = [*sorted((ROOT / "ontology").glob("*.ttl")), ROOT / "data" / "reference" / "regions.ttl"]
        listed = [[str(p), GRAPH + p.relative_to(ROOT).as_posix()] for p in project]
        return [*listed, [str(data), GRAPH + "benchmarks/synthetic.ttl"]]

    def store(self, triples: int) -> Path:
        """A store of the ontology, the regions and ``triples`` synthetic triples, built once per size."""
        path = self.work / f"store-{triples}"
        if not (path / "CURRENT").exists():
            done = run_step("build-kgtool", files=self.files(self.data(triples)), store=str(path))
            if done.code:
                raise SystemExit(f"cannot build a store of {triples} triples:\n{done.stderr}")
        return path


def bench_build(bench: Bench) -> None:
    """Build against ``oxigraph load`` of the same files into the same graphs (the engine's limit: the target is
    0.8× of it) and against rdflib parsing them (what a Python user would do)."""
    size = bench.mode.build
    files = bench.files(bench.data(size))
    progress(f"[build] {size:,} synthetic triples: kgtool build, oxigraph load, rdflib")
    kgtool = bench.step("build-kgtool", files=files, store=str(bench.work / f"store-{size}"))
    engine = bench.step("build-oxigraph", files=files, location=str(bench.work / "oxigraph-load"))
    rdflib = bench.step("parse-rdflib", files=files)
    shutil.rmtree(bench.work / "oxigraph-load", ignore_errors=True)
    triples = kgtool.result.get("triples", 0)
    work = f"{triples:,} triples, {len(files)} files"
    seconds = kgtool.result.get("seconds")
    engine_seconds = engine.result.get("seconds")
    met = None if seconds is None or engine_seconds is None else engine_seconds / seconds >= 0.8
    bench.rows.append(
        Row(
            "build",
            work,
            seconds,
            "oxigraph load",
            engine_seconds,
            target="≥ 0.8×",
            met=met,
            peak=kgtool.peak,
            baseline_peak=engine.peak,
        )
    )
    bench.rows.append(
        Row(
            "build",
            work,
            seconds,
            "rdflib parse",
            rdflib.result.get("seconds"),
            peak=kgtool.peak,
            baseline_peak=rdflib.peak,
        )
    )


def bench_validate(bench: Bench) -> None:
    """Validation against plain pySHACL on the same file; both must find exactly the injected violations, or the
    comparison would be between two different jobs."""
    for size in bench.mode.validate:
        path = bench.data(size, INJECTED)
        expected = generate.generate(size, SEED, INJECTED)
        injected = sorted([i.focus, i.shape] for i in expected.injected)
        progress(f"[validate] {expected.triples:,} triples with {INJECTED} injected violations: kgtool, pySHACL")
        kgtool = bench.step("validate-kgtool", file=str(path))
        plain = bench.step("validate-pyshacl", file=str(path), limit=bench.mode.pyshacl_limit)
        found = kgtool.result.get("violations")
        if found != injected:
            bench.problems.append(f"validate {size}: kgtool found {found}, expected the injected {injected}")
        if plain.result.get("violations") is not None and plain.result["violations"] != found:
            bench.problems.append(f"validate {size}: pySHACL found {plain.result['violations']}, kgtool {found}")
        agree = "same" if plain.result.get("violations") == found else "not compared (stopped)"
        bench.notes.append(
            f"validate {expected.triples:,} triples: kgtool found {len(found or [])} violations "
            f"({'= the injected ones' if found == injected else 'NOT the injected ones'}); pySHACL: {agree}."
        )
        seconds = kgtool.result.get("seconds")
        rate = expected.triples / seconds if seconds else 0
        plain_seconds = plain.result.get("seconds")
        met = bool(seconds) and rate >= 100_000 and (plain_seconds is None or plain_seconds > seconds)
        bench.rows.append(
            Row(
                "validate",
                f"{expected.triples:,} triples, {INJECTED} violations",
                seconds,
                "pySHACL",
                plain_seconds,
                baseline_limit=plain.result.get("limit"),
                target="≥ 100k triples/s, > 1×",
                met=met,
                peak=kgtool.peak,
                baseline_peak=plain.peak,
                kgtool_text=f"{report.duration(seconds)} ({rate / 1000:.1f}k triples/s)",
            )
        )


def bench_queries(bench: Bench) -> None:
    """Every catalog query (each in its own process, so its peak memory is its own) against rdflib's engine."""
    from kgtool.sparql import catalog

    size = bench.mode.queries
    store = bench.store(size)
    files = bench.files(bench.data(size))
    progress(f"[queries] every catalog query on {size:,} triples: kgtool, rdflib (limit {bench.mode.rdflib_limit:g} s)")
    measured = {}
    cases = {name: (name, PARAMETERS.get(name)) for name in catalog.catalog()} | ONE_ANSWER_CASES
    for name, (query, parameters) in cases.items():
        done = bench.step(
            "query-kgtool",
            store=str(store),
            query=query,
            parameters=parameters,
            repeat=bench.mode.query_repeat,
            budget=bench.mode.query_budget,
        )
        if done.result:
            measured[name] = (done.result, done.peak)
            bench.query_medians[name] = done.result["median"]
    rdflib = bench.step("queries-rdflib", files=files, parameters=PARAMETERS, limit=bench.mode.rdflib_limit)
    theirs = rdflib.result.get("queries", {})
    for name, (mine, peak) in measured.items():
        other = theirs.get(name, {})
        if other.get("rows") is not None and other["rows"] != mine["rows"]:
            bench.notes.append(f"query {name}: kgtool returns {mine['rows']} rows, rdflib {other['rows']}.")
        bench.rows.append(
            Row(
                f"query {name}",
                f"{mine['rows']:,} rows, median of {mine['runs']}",
                mine["median"],
                "rdflib SPARQL",
                other.get("seconds"),
                baseline_limit=other.get("limit"),
                baseline_error=_short(other.get("error")),
                target="≤ 50 ms",
                met=mine["median"] <= 0.05,
                peak=peak,
            )
        )
    for name, (mine, _) in measured.items():
        _engine_and_previous(bench, name, mine)
    for name, (mine, _) in measured.items():
        if name not in SINGLE_ANSWER:
            _listing(bench, store, name, mine)
    fast = sum(mine["median"] <= 0.05 for mine, _ in measured.values())
    bench.rows.append(
        Row(
            "queries (all)",
            f"{len(measured)} queries, {size:,}-triple store",
            sum(mine["median"] for mine, _ in measured.values()),
            "rdflib SPARQL",
            None,
            target="each ≤ 50 ms",
            met=fast == len(measured) if measured else None,
            peak=max((peak for _, peak in measured.values() if peak), default=None),
            baseline_peak=rdflib.peak,
            kgtool_text=f"{fast}/{len(measured)} ≤ 50 ms",
        )
    )
    single = [mine for name, (mine, _) in measured.items() if name in SINGLE_ANSWER]
    bench.rows.append(
        Row(
            "queries (one answer)",
            f"{len(single)} queries, {size:,}-triple store",
            max((mine["median"] for mine in single), default=None),
            target="each ≤ 50 ms",
            met=all(mine["median"] <= 0.05 for mine in single) if single else None,
            kgtool_text=f"{sum(mine['median'] <= 0.05 for mine in single)}/{len(single)} ≤ 50 ms",
        )
    )
    if rdflib.result:
        bench.notes.append(
            f"rdflib parsed the {size:,}-triple store's files in {rdflib.result['parse_seconds']:.1f} s "
            "(not counted in its query times)."
        )


def _engine_and_previous(bench: Bench, name: str, mine: dict) -> None:
    """A query beside Oxigraph alone on the same bound SPARQL (what kgtool adds or saves: a kept answer, Python
    rows), and beside the previous run's figure."""
    bench.rows.append(
        Row(
            f"query {name} vs engine",
            f"first ask {report.duration(mine['first'])}",
            mine["median"],
            "Oxigraph alone, same SPARQL",
            mine["engine"],
        )
    )
    _beside_previous(bench, f"query {name}", mine["median"], "median")


def _listing(bench: Bench, store: Path, name: str, mine: dict) -> None:
    """A listing's whole answer as csv, as `kgtool query --format csv` writes it: rows per second."""
    done = bench.step("stream-kgtool", store=str(store), query=name, parameters=PARAMETERS.get(name))
    seconds, rows = done.result.get("seconds"), done.result.get("rows")
    if seconds is None:
        return
    if rows != mine["rows"]:
        bench.problems.append(f"stream {name}: {rows} csv rows, the query has {mine['rows']}")
    rate = rows / seconds if seconds else 0
    bench.rows.append(
        Row(
            f"stream {name}",
            f"{rows:,} rows to csv, sorted by {done.result.get('sorted_by', 'the engine')}",
            seconds,
            "Oxigraph alone, same SPARQL",
            mine["engine"],
            target="≥ 100k rows/s",
            met=rate >= 100_000,
            peak=done.peak,
            kgtool_text=f"{report.duration(seconds)} ({rate / 1000:.1f}k rows/s)",
        )
    )
    _beside_previous(bench, f"stream {name}", seconds, "csv stream")
    _asked_again(bench, name, done.result, mine["engine"])


def _asked_again(bench: Bench, name: str, found: dict, engine: float | None) -> None:
    """The same listing asked again on the unchanged store (median): copied from its kept file
    (``kgtool.sparql.listings``) when the first ask was kept, else the engine's time again."""
    again, rows = found.get("again"), found.get("rows")
    if again is None:
        return
    if found.get("again_rows") != [rows]:
        bench.problems.append(f"stream {name} again: {found.get('again_rows')} csv rows, the first ask {rows}")
    rate = rows / again if again else 0
    kept = "kept listing copied" if found.get("kept") else "not kept (computed again)"
    bench.rows.append(
        Row(
            f"stream {name} again",
            f"{rows:,} rows to csv, {kept}",
            again,
            "Oxigraph alone, same SPARQL",
            engine,
            target="≥ 100k rows/s",
            met=rate >= 100_000,
            kgtool_text=f"{report.duration(again)} ({rate / 1000:.1f}k rows/s)",
        )
    )
    _beside_previous(bench, f"stream {name} again", again, "csv stream asked again")


def _beside_previous(bench: Bench, step: str, seconds: float, work: str) -> None:
    """A row of ``step`` beside its figure in the previous results files, if one has it."""
    if step in bench.previous:
        before, label = bench.previous[step]
        bench.rows.append(Row(f"{step} vs previous", work, seconds, f"previous run ({label})", before))


def bench_report(bench: Bench) -> None:
    """``kgtool report`` on the queries' store (issue 17: ≤ 60 s and ≤ 1 GiB at 1M triples), beside the time its
    catalog queries take in the same run (what the page itself costs is the rest) and the previous run's figure."""
    size = bench.mode.queries
    store = bench.store(size)
    progress(f"[report] kgtool report on {size:,} triples")
    done = bench.step("report-kgtool", store=str(store), out=str(bench.work / "report.html"))
    seconds = done.result.get("seconds")
    if seconds is None:
        return
    page = f"{done.result['bytes'] / 1e6:.1f} MB page"
    work = f"{size:,} triples, {done.result['alliances']:,} alliances, {page}"
    met = seconds <= 60 and done.peak is not None and done.peak <= GIB
    bench.rows.append(
        Row(
            "report",
            work,
            seconds,
            "its catalog queries",
            done.result["queries"],
            target="≤ 60 s, ≤ 1 GiB",
            met=met,
            peak=done.peak,
            kgtool_text=f"{report.duration(seconds)} ({report.duration(done.result['cpu'])} CPU)",
        )
    )
    _beside_previous(bench, "report", seconds, page)


def previous_figures(results: Path, mode: Mode, written: Path) -> dict[str, tuple[float, str]]:
    """Each step's kgtool time in the newest earlier results file of ``mode`` that has it (a whole run's or a
    partial ``--only`` run's, never ``written``, the file this run writes), with that file's name: the first row
    of each step name whose kgtool cell starts with a duration."""
    suffix = "" if mode.name == "full" else f"-{mode.name}"
    pattern = re.compile(r"(\d{4}-\d{2}-\d{2})" + re.escape(suffix) + r"(-[a-z-]+)?\.md")
    other_modes = tuple(f"-{name}" for name in MODES if name != mode.name and name != "full")
    earlier = sorted(
        ((m[1], path.stat().st_mtime, path) for path in results.glob("*.md") if (m := pattern.fullmatch(path.name))
         and path != written and not (m[2] or "").startswith(other_modes)),
        reverse=True,
    )  # fmt: skip
    figures: dict[str, tuple[float, str]] = {}
    for _, _, path in earlier:
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and (seconds := _seconds(cells[2])) is not None:
                figures.setdefault(cells[0], (seconds, path.stem))
    return figures


def _seconds(text: str) -> float | None:
    match = re.match(r"([\d.]+) (ms|s)(?: \(|$)", text)
    return None if not match else float(match[1]) / (1000 if match[2] == "ms" else 1)


def bench_virtuoso(bench: Bench) -> None:
    """The catalog on Virtuoso 7 beside the embedded store, same store, same size: Debian's ``virtuoso-t`` with
    its shipped settings (tests/servers.py starts it on free loopback ports), the store copied there by
    ``kgtool push`` (timed), each query asked as ``kgtool query --endpoint`` asks it. One row per query with the
    ratio (embedded time / Virtuoso time: above 1× Virtuoso is faster); an answer past Virtuoso's 10,000-row cap
    is read in parts (kgtool.sparql.caps). Skipped, with a note, where Virtuoso is not installed."""
    sys.path.insert(0, str(ROOT / "tests"))
    import servers

    from kgtool.sparql import catalog

    if not servers.virtuoso_installed():
        bench.notes.append("Virtuoso not installed (apt-get install virtuoso-opensource): its step was skipped.")
        return
    size = bench.mode.queries
    store = bench.store(size)
    progress(f"[virtuoso] every catalog query on {size:,} triples on Virtuoso 7, beside the embedded store")
    with servers.virtuoso(bench.work / "virtuoso") as server:
        started = time.perf_counter()
        pushed = subprocess.run(
            [sys.executable, "-m", "kgtool.cli", "push", "--store", str(store), "--endpoint", server.query,
             "--timeout", "3600"],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        if pushed.returncode:
            bench.problems.append(f"kgtool push to Virtuoso failed: {pushed.stderr.strip()}")
            return
        bench.rows.append(Row("virtuoso push", f"{size:,}-triple store, kgtool push", time.perf_counter() - started))
        for name in catalog.catalog():
            embedded = bench.query_medians.get(name)
            if embedded is None:
                embedded = bench.step(
                    "query-kgtool", store=str(store), query=name, parameters=PARAMETERS.get(name),
                    repeat=bench.mode.query_repeat, budget=bench.mode.query_budget,
                ).result.get("median")  # fmt: skip
            done = run_step(
                "query-endpoint", endpoint=server.query, query=name, parameters=PARAMETERS.get(name),
                repeat=bench.mode.query_repeat, budget=bench.mode.query_budget,
            )  # fmt: skip
            shown = "fails" if done.code else None
            bench.rows.append(
                Row(
                    f"virtuoso {name}",
                    f"{done.result['rows']:,} rows, median of {done.result['runs']}" if done.result else "—",
                    done.result.get("median"),
                    "embedded store",
                    embedded,
                    peak=done.peak,
                    kgtool_text=shown,
                )
            )


def _short(error: str | None) -> str | None:
    return error.split(":", 1)[0] if error else None


def bench_ingest(bench: Bench) -> None:
    """Ingest of 100-record submissions into stores of growing size: its cost must not grow with the store. The
    raw write of the same triples shows how much of it is the store's (the rest is validation)."""
    submissions = []
    for index in range(bench.mode.submissions):
        path = bench.work / f"submission-{index}.ttl"
        dataset = generate.generate(seed=SEED + 100 + index, prefix=f"synthetic-ingest{index}", records=100)
        path.write_bytes(dataset.bytes)
        submissions.append(str(path))
    medians = {}
    for size in bench.mode.ingest:
        progress(f"[ingest] {len(submissions)} submissions of 100 records into a {size:,}-triple store")
        source = bench.store(size)
        target = bench.work / f"ingest-store-{size}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
        kgtool = bench.step("ingest-kgtool", store=str(target), submissions=submissions)
        raw = bench.step("write-pyoxigraph", store=str(target), submissions=submissions)
        if not all(kgtool.result.get("accepted", [False])):
            bench.problems.append(f"ingest into {size}: not every submission was accepted: {kgtool.result}")
        seconds = statistics.median(kgtool.result["seconds"]) if kgtool.result else None
        medians[size] = seconds
        bench.rows.append(
            Row(
                "ingest",
                f"100 records into {size:,} triples",
                seconds,
                "pyoxigraph write",
                statistics.median(raw.result["seconds"]) if raw.result else None,
                target="≤ 1 s" if size >= 1_000_000 else "—",
                met=(seconds is not None and seconds <= 1) if size >= 1_000_000 else None,
                peak=kgtool.peak,
                baseline_peak=raw.peak,
            )
        )
        shutil.rmtree(target, ignore_errors=True)
    smallest, largest = min(medians), max(medians)
    if medians[smallest] and medians[largest] and smallest != largest:
        bench.rows.append(
            Row(
                "ingest growth",
                f"store {largest:,} vs {smallest:,} triples",
                medians[largest],
                f"ingest into {smallest:,}",
                medians[smallest],
                target="flat: ≥ 0.8×",
                met=medians[smallest] / medians[largest] >= 0.8,
            )
        )


def bench_large(bench: Bench) -> None:
    """Ingest of large submissions (validated by the compiled engine on one store) against the raw write of the same
    triples; and how the peak memory grows with the submission: it should grow far slower than the records."""
    size = min(bench.mode.ingest)
    peaks = {}
    for records in bench.mode.large:
        path = bench.work / f"large-{records}.ttl"
        dataset = generate.generate(seed=SEED + 200, prefix=f"synthetic-large{records}", records=records)
        path.write_bytes(dataset.bytes)
        progress(f"[ingest] a submission of {records:,} records ({dataset.triples:,} triples) into {size:,} triples")
        target = bench.work / f"large-store-{records}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(bench.store(size), target)
        kgtool = bench.step("ingest-kgtool", store=str(target), submissions=[str(path)])
        raw = bench.step("write-pyoxigraph", store=str(target), submissions=[str(path)])
        if not all(kgtool.result.get("accepted", [False])):
            bench.problems.append(f"large ingest of {records}: not accepted: {kgtool.result}")
        peaks[records] = kgtool.peak
        seconds = kgtool.result["seconds"][0] if kgtool.result else None
        raw_seconds = raw.result["seconds"][0] if raw.result else None
        bench.rows.append(
            Row(
                "ingest large",
                f"{records:,} records ({dataset.triples:,} triples)",
                seconds,
                "pyoxigraph write",
                raw_seconds,
                target="≤ 2× the raw write (issue 19)",
                met=seconds <= 2 * raw_seconds if seconds and raw_seconds else None,
                peak=kgtool.peak,
                baseline_peak=raw.peak,
            )
        )
        shutil.rmtree(target, ignore_errors=True)
    smallest, largest = min(peaks, default=0), max(peaks, default=0)
    if smallest != largest and peaks[smallest] and peaks[largest]:
        growth = peaks[largest] / peaks[smallest]
        bench.rows.append(
            Row(
                "ingest large memory",
                f"peak, {largest:,} vs {smallest:,} records ({largest // smallest}×)",
                None,
                target="≤ 1 GiB",
                met=peaks[largest] <= GIB,
                peak=peaks[largest],
                baseline_peak=peaks[smallest],
                kgtool_text=f"{growth:.2f}× the memory",
            )
        )


def bench_check(bench: Bench) -> None:
    """``kgtool check`` of the ontology against HermiT alone: what the quality rules and the set-up add."""
    progress("[check] the ontology: kgtool check (HermiT + quality rules), owlready2 HermiT alone")
    kgtool = bench.step("check-kgtool")
    plain = bench.step("check-hermit")
    if kgtool.result and not kgtool.result["consistent"]:
        bench.problems.append("check: HermiT finds the ontology inconsistent")
    work = f"ontology, {kgtool.result.get('findings', '?')} findings"
    bench.rows.append(
        Row(
            "check",
            work,
            kgtool.result.get("seconds"),
            "owlready2 HermiT",
            plain.result.get("seconds"),
            peak=kgtool.peak,
            baseline_peak=plain.peak,
        )
    )


def memory_row(bench: Bench) -> None:
    """The largest peak of any kgtool step (the per-query rows, not their summary), and which step it was."""
    measured = [row for row in bench.rows if row.peak and row.step != "queries (all)"]
    top = max(measured, key=lambda row: row.peak, default=None)
    bench.rows.append(
        Row(
            "peak memory",
            f"largest kgtool step: {top.step}" if top else "—",
            None,
            target="≤ 1 GiB",
            met=top is not None and top.peak <= GIB,
            peak=top.peak if top else None,
            kgtool_text=report.memory(top.peak if top else None),
        )
    )


def results_text(bench: Bench, table: str, started: datetime.datetime, elapsed: float, command: str) -> str:
    """The results file: the table, then how it was measured, on what, with which versions."""
    from steps import oxigraph_binary

    lines = [
        f"# kgtool benchmarks — {started:%Y-%m-%d} ({bench.mode.name} run)",
        "",
        f"`{command}`, started {started:%Y-%m-%d %H:%M} UTC, took {elapsed / 60:.1f} min. Synthetic data from "
        f"`benchmarks/generate.py` (seed {SEED}); every figure beside its baseline, measured in the same run.",
        "",
        table,
        "Speed vs baseline = baseline time / kgtool time (above 1×: kgtool is faster). Peak = the largest resident "
        "set of the step's processes (`wait4`). Each step runs in its own process and is timed around its work, "
        "imports excluded.",
        "",
        "## Checks and notes",
        "",
        *(f"- {line}" for line in [*bench.notes, *(f"PROBLEM: {p}" for p in bench.problems)]),
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in report.machine().items()),
        "",
        "## Versions",
        "",
        *(f"- {key}: {value}" for key, value in report.versions(oxigraph_binary()).items()),
        "",
        "## Sizes and limits",
        "",
        f"- build: {bench.mode.build:,} synthetic triples plus the ontology and the regions",
        f"- validate: {', '.join(f'{n:,}' for n in bench.mode.validate)} triples with {INJECTED} injected violations; "
        f"pySHACL stopped after {bench.mode.pyshacl_limit:g} s",
        f"- queries: a {bench.mode.queries:,}-triple store; kgtool: a warm-up, then up to {bench.mode.query_repeat} "
        f"runs (fewer past {bench.mode.query_budget:g} s), the median; rdflib: one run, stopped after "
        f"{bench.mode.rdflib_limit:g} s",
        f"- ingest: {bench.mode.submissions} submissions of 100 records each into stores of "
        f"{', '.join(f'{n:,}' for n in bench.mode.ingest)} triples, the median",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const="quick", dest="mode", help="under 2 minutes")
    size.add_argument("--smoke", action="store_const", const="smoke", dest="mode", help="seconds: tiny data")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="folder of the results file")
    parser.add_argument("--workdir", type=Path, help="where data and stores go (default: a temporary folder)")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("build", "validate", "queries", "report", "ingest", "large", "check", "virtuoso"),
    )
    parser.add_argument(
        "--validate-sizes", nargs="+", type=int, metavar="TRIPLES", help="validate these sizes instead of the mode's"
    )
    args = parser.parse_args(argv)
    mode = MODES[args.mode or "full"]
    if args.validate_sizes:
        mode = dataclasses.replace(mode, validate=tuple(args.validate_sizes))
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kgtool-bench-", dir=args.workdir))
    suffix = "" if mode.name == "full" else f"-{mode.name}"
    if args.only:  # a partial run has a file of its own, never taken for the mode's whole run
        suffix += "-" + "-".join(args.only)
    results = args.results / f"{started:%Y-%m-%d}{suffix}.md"
    bench = Bench(mode, work, previous=previous_figures(args.results, mode, results))
    try:
        steps = {
            "build": bench_build,
            "validate": bench_validate,
            "queries": bench_queries,
            "report": bench_report,
            "ingest": bench_ingest,
            "large": bench_large,
            "check": bench_check,
            "virtuoso": bench_virtuoso,
        }
        for name, function in steps.items():
            if not args.only or name in args.only:
                function(bench)
        memory_row(bench)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = report.table(bench.rows)
    sys.stdout.write(table)
    for problem in bench.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    command = "benchmarks/run" + ("" if mode.name == "full" else f" --{mode.name}")
    if args.only:
        command += " --only " + " ".join(args.only)
    if args.validate_sizes:
        command += " --validate-sizes " + " ".join(map(str, args.validate_sizes))
    args.results.mkdir(parents=True, exist_ok=True)
    results.write_text(results_text(bench, table, started, time.perf_counter() - clock, command), encoding="utf-8")
    progress(f"results: {results}")
    return 1 if bench.problems else 0
