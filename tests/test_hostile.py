"""Every command against a corpus of hostile inputs: an exit code of the contract, one line, no traceback, the
store as it was, and no network connection (issue 13).

The corpus (``tests/hostile.py``, all synthetic) is what a careless or malicious contributor, researcher or
server can hand kgtool. Each case runs ``kgtool`` as a user would (a new process, so that a crash of a native
parser shows as a crash) and checks the contract: the exit code expected for it (2 unusable input or usage,
3 a backend unavailable), exactly one line on stderr, no traceback anywhere, the store's quads unchanged, and
no connection to the loopback tripwire every hostile file points at. The W3C negative syntax suites run
through the same checks in-process (hundreds of files; a crash would still end the test run).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hostile import (
    INVALID_IRIS,
    Tripwire,
    answer,
    drip,
    endless_body,
    http_server,
    nested_triple_results,
    redirect_to,
    store_fingerprint,
    write_corpus,
)
from test_parsing import NEGATIVE

from conftest import copy_store, free_port, run_bounded, run_kgtool


@dataclass(frozen=True)
class Case:
    """One command line (``{store}``, ``{corpus}``, ``{alone:NAME}``, ``{endpoint}`` filled in) and its code."""

    args: tuple[str, ...]
    code: int
    env: dict[str, str] = field(default_factory=dict)
    endpoint: str | None = None  # which misbehaving server {endpoint} names
    damaged: bool = False  # run against a store whose files are damaged
    says: tuple[str, ...] = ()  # words the one line must hold (what to do next)


RDF_FILES = (
    "nested.jsonld",
    "laughs.rdf",
    "nested.rdf",
    "nested.ttl",
    "remote-context.jsonld",
    "external-entity.rdf",
    "big-literal.ttl",
    "binary.ttl",
    "empty.ttl",
    "utf16.ttl",
    "bad-iri.ttl",
    "fifo.ttl",
    "zero.ttl",
    "nested-triples.nt",
)
STORE = ("--store", "{store}")


def _cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for name in RDF_FILES:
        cases[f"validate-{name}"] = Case(("validate", f"{{corpus}}/{name}", *STORE), 2)
        cases[f"ingest-{name}"] = Case(("ingest", f"{{corpus}}/{name}", "--submitter", "x", *STORE), 2)
        cases[f"check-ontology-{name}"] = Case(("check", "--no-reasoning", "--ontology", f"{{alone:{name}}}"), 2)
    build_from = ("nested.jsonld", "laughs.rdf", "nested.rdf", "big-literal.ttl", "fifo.trig", "zero.trig")
    for name in (*build_from, "nested-triples.nq"):
        cases[f"build-from-{name}"] = Case(("build", "--from", f"{{corpus}}/{name}", *STORE), 2)
    for name in ("nested.jsonld", "laughs.rdf", "zero.ttl"):
        cases[f"check-data-{name}"] = Case(("check", "--no-reasoning", "--data", f"{{corpus}}/{name}"), 2)
    cases["check-imports-remote"] = Case(("check", "--no-reasoning", "--ontology", "{alone:imports-remote.ttl}"), 2)
    cases["validate-nul.csv"] = Case(("validate", "{corpus}/nul.csv", *STORE), 2)
    cases["validate-fifo.csv"] = Case(("validate", "{corpus}/fifo.csv", *STORE), 2)
    cases["validate-bomb.xlsx"] = Case(("validate", "{corpus}/bomb.xlsx", *STORE), 2)
    cases["ingest-bomb.xlsx"] = Case(("ingest", "{corpus}/bomb.xlsx", "--submitter", "x", *STORE), 2)
    for name in ("nul.csv", "fifo.csv"):
        cases[f"template-{name}"] = Case(("template", f"{{corpus}}/{name}", "-o", "{corpus}/t.xlsx"), 2)
    cases["template-missing-folder"] = Case(("template", "-o", "{corpus}/missing/t.xlsx"), 2)
    cases["validate-too-big"] = Case(("validate", "{corpus}/record.ttl", *STORE), 2, {"KGTOOL_MAX_INPUT_MB": "0.0001"})
    cases["validate-zero-as-turtle"] = Case(("validate", "/dev/zero", "--input-format", "turtle", *STORE), 2)
    for name in (
        "service.rq",
        "service-silent.rq",
        "service-var.rq",
        "service-hidden.rq",
        "service-comment.rq",
        "nested.rq",
        "nested-triples.rq",
        "load.rq",
    ):
        cases[f"query-{name}"] = Case(("query", f"{{corpus}}/{name}", *STORE), 2)
    for command in (("retract", "a b"), ("retract", ""), ("retract", "x" * 5000), ("retract", "../../etc")):
        cases[f"retract-{command[1][:8] or 'empty'}"] = Case((*command, *STORE), 2)
    for variable in ("KGTOOL_LOCK_WAIT", "KGTOOL_MAX_DEPTH", "KGTOOL_MAX_INPUT_MB", "KGTOOL_WRITE_BATCH"):
        ingest = ("ingest", "{corpus}/record.ttl", "--submitter", "x", *STORE)
        cases[f"env-{variable}"] = Case(ingest, 2, {variable: "abc"})
    cases["build-env-lock-wait"] = Case(("build", *STORE), 2, {"KGTOOL_LOCK_WAIT": "abc"})
    cases["serve-unresolvable-bind"] = Case(("serve", "--bind", "no-such-host.invalid:7878", *STORE), 2)
    cases["serve-bad-port"] = Case(("serve", "--bind", "127.0.0.1:99999", *STORE), 2)
    cases["export-missing-folder"] = Case(("export", "-o", "{corpus}/missing/backup.trig", *STORE), 2)
    cases["report-missing-folder"] = Case(("report", "-o", "{corpus}/missing/report.html", *STORE), 2)
    cases["docs-onto-a-file"] = Case(("docs", "--out", "{corpus}/bad-iri.ttl"), 2)
    for name in ("nested.ttl", "laughs.rdf", "nested.jsonld", "remote-context.jsonld", "zero.ttl", "fifo.ttl"):
        site = ("--out", f"{{corpus}}/site-{name}")
        cases[f"docs-ontology-{name}"] = Case(("docs", "--ontology", f"{{alone:{name}}}", *site), 2)
    for name in ("nested.ttl", "big-literal.ttl", "zero.ttl"):  # --shapes reads the folder's *.ttl
        shapes = f"{{folder:{name}}}"
        cases[f"docs-shapes-{name}"] = Case(("docs", "--shapes", shapes, "--out", f"{{corpus}}/shapes-{name}"), 2)
    cases["usage-missing-argument"] = Case(("query",), 2)
    cases["usage-unknown-command"] = Case(("bogus",), 2)
    cases["usage-unknown-option"] = Case(("export", "--bogus"), 2)
    for command in ("query", "report", "push", "validate"):
        args = {"query": ("query", "actors-by-sector"), "report": ("report", "-o", "{corpus}/r.html")}.get(
            command, (command,)
        )
        cases[f"{command}-redirect-elsewhere"] = Case((*args, "--endpoint", "{endpoint}/query"), 3, endpoint="redirect")
    remote = ("query", "actors-by-sector", "--endpoint", "{endpoint}/q")
    cases["query-invalid-iris"] = Case(remote, 3, endpoint="iris")
    cases["query-drip"] = Case((*remote, "--timeout", "2"), 3, endpoint="drip")
    cases["query-drip-headers"] = Case((*remote, "--timeout", "2"), 3, endpoint="drip-headers")
    cases["query-endless"] = Case(remote, 3, {"KGTOOL_MAX_RESPONSE_MB": "5"}, "endless")
    cases["query-nested-triple-terms"] = Case(remote, 3, endpoint="nested")
    damaged = {
        "query": ("query", "actors-by-sector"),
        "submissions": ("submissions",),
        "retract": ("retract", "0123456789abcdef"),
        "export": ("export", "-o", "{corpus}/damaged.trig"),
        "ingest": ("ingest", "{corpus}/record.ttl", "--submitter", "x"),
        "validate": ("validate", "{corpus}/record.ttl"),
        "report": ("report", "-o", "{corpus}/damaged.html"),
        "push": ("push", "--endpoint", "{endpoint}/query"),
        "serve": ("serve", "--bind", "127.0.0.1:{port}"),
        "build": ("build",),
    }
    for command, args in damaged.items():
        # push's endpoint redirects (exit 3 too): the line must be the store's, with the way to recover it
        cases[f"damaged-store-{command}"] = Case(
            (*args, *STORE), 3, damaged=True, endpoint="redirect", says=("kgtool build",)
        )
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def tripwire() -> Iterator[Tripwire]:
    wire = Tripwire()
    yield wire
    wire.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, tripwire: Tripwire) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_corpus(folder, tripwire.url)
    return folder


@pytest.fixture(scope="module")
def stores(tmp_path_factory, store_template: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-stores")
    healthy = copy_store(store_template, folder / "store")
    damaged = copy_store(store_template, folder / "damaged")
    (damaged / "CURRENT").write_text("not a manifest name\n", encoding="utf-8")
    return {"healthy": healthy, "damaged": damaged}


@pytest.fixture(scope="module")
def endpoints(tripwire: Tripwire) -> Iterator[dict[str, str]]:
    servers = {
        "redirect": redirect_to(tripwire.url + "/query"),
        "iris": answer(200, INVALID_IRIS, "application/sparql-results+json"),
        "drip": drip(),
        "drip-headers": drip(headers_too=True),
        "endless": endless_body(),
        "nested": answer(200, nested_triple_results(), "application/sparql-results+json"),
    }
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(http_server(respond))[0] for name, respond in servers.items()}


def _alone(corpus: Path, name: str) -> Path:
    """The corpus file ``name`` copied alone into a folder, for commands that read the folder around a file."""
    folder = corpus / f"alone-{name}"
    if not folder.exists():
        folder.mkdir()
        source = corpus / name
        if source.is_fifo():
            os.mkfifo(folder / name)
        elif source.is_symlink():
            (folder / name).symlink_to(os.readlink(source))
        else:
            shutil.copy(source, folder / name)
    return folder / name


def _fill(arg: str, corpus: Path, store: Path, endpoint: str | None) -> str:
    if arg.startswith("{alone:"):
        return str(_alone(corpus, arg.removeprefix("{alone:").rstrip("}")))
    if arg.startswith("{folder:"):  # the folder holding the file alone
        return str(_alone(corpus, arg.removeprefix("{folder:").rstrip("}")).parent)
    filled = arg.replace("{corpus}", str(corpus)).replace("{store}", str(store)).replace("{endpoint}", endpoint or "")
    return filled.replace("{port}", str(free_port()))


def assert_one_line_no_traceback(stdout: str, stderr: str, what: str) -> None:
    assert "Traceback" not in stderr + stdout, f"{what}: traceback\n{stderr[-2000:]}"
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"{what}: {len(lines)} lines on stderr:\n{stderr[-2000:]}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_command_on_hostile_input(name: str, corpus, stores, endpoints, tripwire: Tripwire):
    case = CASES[name]
    store = stores["damaged" if case.damaged else "healthy"]
    before = store_fingerprint(store)
    endpoint = endpoints[case.endpoint] if case.endpoint else None
    args = [_fill(arg, corpus, store, endpoint) for arg in case.args]
    result = run_bounded(*args, env=case.env)
    assert result.code == case.code, f"{name}: exit {result.code}, expected {case.code}\n{result.stderr[-2000:]}"
    assert_one_line_no_traceback(result.stdout, result.stderr, name)
    assert all(words in result.stderr for words in case.says), f"{name}: {result.stderr.strip()}"
    assert store_fingerprint(store) == before, f"{name}: the store changed"
    tripwire.assert_untouched(name)


def test_the_corpus_covers_every_command():
    """Each of kgtool's commands is driven with hostile input at least once."""
    commands = _command_names()
    covered = {case.args[0] for case in CASES.values()}
    assert commands - covered <= {"queries", "schema"}, commands - covered
    # `queries` and `schema` read nothing the user gives but a name: they are driven here with hostile names.
    for command in ("queries", "schema"):
        for hostile in ("../../etc/passwd", "a b", "x" * 5000, "-", "<urn:x>"):
            result = run_kgtool(command, hostile)
            assert result.code == 2, (command, hostile, result.stderr)
            assert_one_line_no_traceback(result.stdout, result.stderr, f"{command} {hostile[:20]}")


def _command_names() -> set[str]:
    import typer

    from kgtool.cli.main import app  # importing main registers every command on the app

    return set(typer.main.get_command(app).commands)


# --- the W3C negative syntax suites, in-process --------------------------------------------------------------


def run_in_process(*args: str) -> tuple[int, str, str]:
    """``kgtool ARGS`` inside this process (hundreds of runs in seconds): exit code, stdout, stderr."""
    from kgtool.cli.main import main

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    out.seek(0)
    err.seek(0)
    return code, out.read(), err.read()


@pytest.mark.parametrize("path", NEGATIVE)
def test_w3c_negative_syntax_files_through_every_reading_command(path: Path, stores, tripwire: Tripwire):
    store = stores["healthy"]
    before = store_fingerprint(store)
    for args in (
        ("validate", str(path), "--store", str(store)),
        ("ingest", str(path), "--submitter", "w3c", "--store", str(store)),
        ("build", "--from", str(path), "--store", str(store)),
    ):
        code, stdout, stderr = run_in_process(*args)
        assert code == 2, (args, stderr)
        assert_one_line_no_traceback(stdout, stderr, " ".join(args))
    assert store_fingerprint(store) == before
    tripwire.assert_untouched(path.name)
