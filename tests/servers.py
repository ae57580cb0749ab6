"""Real SPARQL servers for the tests, started by the tests themselves on free loopback ports, stopped by PID.

Two servers a researcher meets, each as it comes out of the box, so that a test shows what a user gets:
- ``oxigraph serve`` (the ``oxigraph`` package of the test extra), by default in its default configuration: no
  ``--union-default-graph``, so its default graph is empty and pushed data sit only in named graphs;
- Debian's Virtuoso 7 (``virtuoso-t``) with the package's own ``virtuoso.ini``, copied with nothing changed but
  its ports (free loopback ports), its database paths (a throwaway folder) and ``DirsAllowed`` (that folder):
  the row cap ``ResultSetMaxRows = 10000`` and ``MaxQueryExecutionTime`` stay as shipped. One line is commented
  out unless a test asks to keep it: ``MaxQueryCostEstimationTime = 400``, which OpenLink says is "only meant for
  use when debugging" and should be commented out (virtuoso-opensource issue #1395). Its estimates come from
  sampling and vary from one database to the next by more than 10x (580 s, 1,666 s and 17,194 s for the same
  query on the same data, that runs in 0.2 s), so a catalog query with many OPTIONALs is refused at random;
  kgtool names the setting when it is (tests/test_engines.py keeps it for that test).
Anonymous SPARQL Update on Virtuoso is granted with ``isql-vt`` (``GRANT SPARQL_UPDATE TO "SPARQL"``), as its
documentation tells a user to; the authenticated ``/sparql-auth`` endpoint takes the ``dba`` account by HTTP
digest. Without ``virtuoso-t`` (``apt-get install virtuoso-opensource``; ``.ci/run`` installs it) the tests that
need it are skipped on a developer's machine and fail in CI (``$CI`` set), as the browser tests are.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

LOOPBACK = "127.0.0.1"
VIRTUOSO = os.environ.get("KGTOOL_VIRTUOSO", "virtuoso-t")
ISQL = os.environ.get("KGTOOL_ISQL", "isql-vt")
#: The package's configuration as installed (/etc), else the template the package ships.
VIRTUOSO_INI = (Path("/etc/virtuoso-opensource-7/virtuoso.ini"), Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"))
#: Virtuoso's administrator account as a fresh database creates it.
DBA = ("dba", "dba")
START_SECONDS = 180  # a fresh Virtuoso database initialises in about 10 s on an idle machine, 30 s on a busy one


@dataclass
class Server:
    """A running SPARQL server: its services, its process and its folder."""

    name: str
    query: str
    update: str
    graph_store: str
    process: subprocess.Popen
    folder: Path
    sql_port: int = 0  # Virtuoso's SQL port (isql-vt)

    def isql(self, statement: str) -> str:
        """Run one SQL statement on Virtuoso as ``dba``."""
        done = subprocess.run(
            [ISQL, f"{LOOPBACK}:{self.sql_port}", *DBA, f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            start_new_session=True,  # isql-vt was seen to kill its whole process group (the test run with it)
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt {statement!r} failed: {done.stdout}{done.stderr}")
        return done.stdout


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def virtuoso_installed() -> bool:
    """Whether Debian's Virtuoso (server, isql-vt and its shipped virtuoso.ini) is installed."""
    return all(shutil.which(name) for name in (VIRTUOSO, ISQL)) and any(path.is_file() for path in VIRTUOSO_INI)


def require_virtuoso() -> None:
    """Skip (or, in CI, fail) when Debian's Virtuoso is not installed."""
    if virtuoso_installed():
        return
    reason = "no Virtuoso (virtuoso-t, isql-vt, virtuoso.ini): apt-get install virtuoso-opensource"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


#: The shipped settings commented out by default (see the module's docstring).
DEBUGGING_SETTINGS = (("SPARQL", "MaxQueryCostEstimationTime"),)


def virtuoso_ini(shipped: str, folder: Path, sql_port: int, http_port: int, keep_debugging: bool = False) -> str:
    """The shipped ``virtuoso.ini`` with only its ports, database paths and allowed folders changed, and its
    debugging settings commented out unless ``keep_debugging``."""
    changes = {
        ("Database", "DatabaseFile"): folder / "virtuoso.db",
        ("Database", "ErrorLogFile"): folder / "virtuoso.log",
        ("Database", "LockFile"): folder / "virtuoso.lck",
        ("Database", "TransactionFile"): folder / "virtuoso.trx",
        ("Database", "xa_persistent_file"): folder / "virtuoso.pxa",
        ("TempDatabase", "DatabaseFile"): folder / "virtuoso-temp.db",
        ("TempDatabase", "TransactionFile"): folder / "virtuoso-temp.trx",
        ("Parameters", "ServerPort"): f"{LOOPBACK}:{sql_port}",
        ("Parameters", "DirsAllowed"): f"., {folder}, /usr/share/virtuoso-opensource-7/vad",
        ("HTTPServer", "ServerPort"): f"{LOOPBACK}:{http_port}",
        ("URIQA", "DefaultHost"): f"{LOOPBACK}:{http_port}",
    }
    lines, section, done = [], "", set()
    for line in shipped.splitlines():
        header = re.match(r"\s*\[(.+?)\]", line)
        section = header.group(1) if header else section
        setting = re.match(r"(\s*)(\w+)(\s*=\s*)[^;]*?(\s*;.*)?$", line)
        key = (section, setting.group(2)) if setting else None
        if setting and key in changes:
            line = f"{setting.group(1)}{key[1]}{setting.group(3)}{changes[key]}{setting.group(4) or ''}"
            done.add(key)
        elif setting and key in DEBUGGING_SETTINGS and not keep_debugging:
            line = ";" + line
        lines.append(line)
    assert done == set(changes), f"the shipped virtuoso.ini lacks {sorted(set(changes) - done)}"
    return "\n".join(lines) + "\n"


def setting(ini: str, section: str, key: str) -> str:
    """One setting of a ``virtuoso.ini`` text (its value without the comment)."""
    current = ""
    for line in ini.splitlines():
        header = re.match(r"\s*\[(.+?)\]", line)
        current = header.group(1) if header else current
        found = re.match(rf"\s*{key}\s*=\s*([^;]*)", line)
        if current == section and found:
            return found.group(1).strip()
    raise KeyError(f"[{section}] {key}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}", timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _wait(process: subprocess.Popen, url: str, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not _answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
            raise RuntimeError(f"{what} did not start (exit {process.poll()}):\n" + "\n".join(tail))
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    """Stop a server by its PID: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).with_name("oxigraph")
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    assert found, "the oxigraph server is in the test extra: pip install '.[test]'"
    return found


@contextmanager
def oxigraph(folder: Path, union: bool = False) -> Iterator[Server]:
    """``oxigraph serve`` with its data in ``folder``: its default configuration, or ``--union-default-graph``."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [oxigraph_binary(), "serve", "--location", str(folder / "data"), "--bind", f"{LOOPBACK}:{port}"]
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command + (["--union-default-graph"] if union else []), stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://{LOOPBACK}:{port}"
    try:
        _wait(process, base + "/query", "oxigraph serve", log)
        yield Server("oxigraph", base + "/query", base + "/update", base + "/store", process, folder)
    finally:
        _stop(process)


@contextmanager
def oxigraph_server(folder: Path, union: bool = True) -> Iterator[str]:
    """A union-default-graph ``oxigraph serve`` (as kgtool serve runs it); yields its base URL."""
    with oxigraph(folder, union) as server:
        yield server.query.removesuffix("/query")


@contextmanager
def virtuoso(folder: Path, keep_debugging: bool = False) -> Iterator[Server]:
    """Debian's Virtuoso with its shipped settings on free loopback ports, its database in ``folder``, anonymous
    SPARQL Update granted (``keep_debugging``: MaxQueryCostEstimationTime too)."""
    require_virtuoso()
    folder.mkdir(parents=True, exist_ok=True)
    shipped = next(path for path in VIRTUOSO_INI if path.is_file()).read_text()
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(shipped, folder, sql_port, http_port, keep_debugging))
    with (folder / "server.out").open("wb") as output:
        # A session of its own, as for isql-vt: the server must not share a process group with the test run.
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://{LOOPBACK}:{http_port}"
    try:
        _wait(process, base + "/sparql", "virtuoso-t", folder / "virtuoso.log")
        server = Server(
            "virtuoso", base + "/sparql", base + "/sparql", base + "/sparql-graph-crud", process, folder, sql_port
        )
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[Server]:
    """One Virtuoso for the session; the tests that use it say which store it must hold (test_engines.served)."""
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_stock_server(tmp_path_factory) -> Iterator[Server]:
    """One stock ``oxigraph serve`` (no union default graph) for the session."""
    with oxigraph(tmp_path_factory.mktemp("oxigraph-stock")) as server:
        yield server
