"""Serving the store as a SPARQL 1.1 endpoint with the query editor (YASGUI) of the Oxigraph server.

The ``oxigraph`` server (PyPI package ``oxigraph``) runs as a child process with the union of all named
graphs as its default graph, so catalog queries run there unchanged. Read-only by default: the server
cannot write, and kgtool's shared store lock keeps ``build`` and ``ingest`` off the store while it serves.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kgtool.errors import BackendUnavailable, UsageError
from kgtool.store.core import lock, open_store, require


@dataclass(frozen=True)
class Endpoint:
    """Where a running server answers."""

    host: str
    port: int

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"


def parse_bind(bind: str) -> Endpoint:
    """``127.0.0.1:7878`` -> Endpoint; refuses anything that is not HOST:PORT."""
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--bind {bind!r}: write HOST:PORT, e.g. 127.0.0.1:7878")
    return Endpoint(host.strip("[]"), int(port))


def server_command(store_dir: Path, endpoint: Endpoint, writable: bool) -> list[str]:
    """The ``oxigraph`` command line that serves ``store_dir``."""
    binary = _oxigraph_binary()
    mode = "serve" if writable else "serve-read-only"
    return [
        binary,
        mode,
        "--location",
        str(store_dir),
        "--bind",
        f"{endpoint.host}:{endpoint.port}",
        "--union-default-graph",
    ]


def _oxigraph_binary() -> str:
    beside_python = Path(sys.executable).with_name("oxigraph")
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if not found:
        raise BackendUnavailable("the Oxigraph server is not installed: pip install oxigraph")
    return found


def _port_is_free(endpoint: Endpoint) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in endpoint.host else socket.AF_INET) as probe:
        return probe.connect_ex((endpoint.host, endpoint.port)) != 0


def _wait_until_listening(process: subprocess.Popen, endpoint: Endpoint, log: IO[bytes], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            said = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
            reason = f": {said[-1][:200]}" if said else ""
            raise BackendUnavailable(f"the Oxigraph server stopped at start (exit {process.returncode}){reason}")
        if not _port_is_free(endpoint):
            return
        time.sleep(0.05)
    process.terminate()
    raise BackendUnavailable(f"the Oxigraph server did not listen on {endpoint.base} within {seconds:g} s")


@contextmanager
def running(store_dir: Path, bind: str = "127.0.0.1:7878", writable: bool = False) -> Iterator[Endpoint]:
    """Serve ``store_dir`` for the duration of the ``with`` block; the server is stopped on exit."""
    endpoint = parse_bind(bind)
    require(store_dir)
    if not _port_is_free(endpoint):
        raise BackendUnavailable(f"{endpoint.host}:{endpoint.port} is already in use; choose another --bind")
    with lock(store_dir, exclusive=writable, wait_seconds=0), ExitStack() as stack:
        open_store(store_dir).flush()  # BackendUnavailable when another process holds the database
        # The server's messages go to a file, not a pipe: a pipe nobody reads blocks a chatty server once full.
        log = stack.enter_context(tempfile.TemporaryFile(prefix="kgtool-serve-"))
        process = subprocess.Popen(
            server_command(store_dir, endpoint, writable),
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        try:
            _wait_until_listening(process, endpoint, log)
            yield endpoint
        finally:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
