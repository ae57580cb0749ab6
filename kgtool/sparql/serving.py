"""``kgtool serve``: the kgtool process itself serves the store over SPARQL, holding its lock while it does.

The store was once served by an ``oxigraph`` child process. Killed with ``kill -9``, or sent SIGHUP when its
terminal closed, kgtool died and the child served on without kgtool's lock, so a ``build`` swapped the store
under it; and the child executed ``SERVICE`` for anyone who asked and answered any ``Host`` header. Now the
process that holds the lock is the one that answers (``kgtool.sparql.endpoint``): when it dies, for whatever
reason, nothing keeps serving and the lock is gone with it.

Read-only (the default) opens the store read-only and takes kgtool's shared lock, so ``kgtool query`` still
works beside the server while ``build`` and ``ingest`` wait; ``--writable`` opens it for writing and takes the
exclusive lock. Each request runs on a thread with a large stack: the nesting check (``kgtool.sparql.guard``)
reads SPARQL as a tokenizer does, and a query crafted to mislead it must still not crash the server, so a
query of at most ``MAX_QUERY_BYTES`` cannot nest deep enough to exhaust that stack.

The YASGUI query editor page is the one the ``oxigraph`` server ships: at start, an in-memory ``oxigraph``
(no store) answers four requests for its files on a private loopback port and is stopped at once; it is killed
with kgtool if kgtool dies meanwhile (``PR_SET_PDEATHSIG``). Without the ``oxigraph`` program the endpoint works
and ``/`` says so.
"""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, UsageError
from kgtool.sparql.endpoint import Site, handler_for
from kgtool.sparql.guard import NO_NETWORK, Policy
from kgtool.store.core import StoreInUse, damaged, lock, open_store, require

#: Stack of each request's thread: 256 KiB of SPARQL nested to the brim needs far less (measured: 30,000
#: nested groups, sub-queries or expressions parse on 512 MiB). Address space only; pages are used as touched.
REQUEST_STACK = 1 << 30
_EDITOR_FILES = {
    "/index.html": "text/html; charset=utf-8",
    "/yasgui.min.js": "application/javascript",
    "/yasgui.min.css": "text/css",
    "/logo.svg": "image/svg+xml",
}
_NO_EDITOR = (
    b"<!DOCTYPE html><title>kgtool serve</title><p>The SPARQL endpoint is <code>/query</code>. "
    b"(The query editor page comes with the <code>oxigraph</code> program: pip install oxigraph.)</p>"
)
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@dataclass(frozen=True)
class Endpoint:
    """Where a running server answers."""

    host: str
    port: int

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"


def parse_bind(bind: str) -> Endpoint:
    """``127.0.0.1:7878`` -> Endpoint; refuses anything that is not HOST:PORT with a host that resolves."""
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--bind {bind!r}: write HOST:PORT, e.g. 127.0.0.1:7878")
    endpoint = Endpoint(host.strip("[]"), int(port))
    try:
        socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UsageError(f"--bind {bind!r}: cannot resolve the host {endpoint.host!r} ({error})") from None
    return endpoint


def bind_warnings(endpoint: Endpoint, writable: bool) -> list[str]:
    """What the user must know before the server starts: who else can reach it, and that they can write."""
    warnings = []
    if _is_wildcard(endpoint.host):
        warnings.append(
            f"serving on all network interfaces ({endpoint.host}): anyone who can reach this machine can query "
            "the store; bind 127.0.0.1 to keep it to yourself"
        )
    elif not _is_loopback(endpoint.host):
        warnings.append(f"serving on {endpoint.host}, reachable from the network: anyone who can reach it can query")
    if writable:
        warnings.append(f"--writable: anyone who can reach {endpoint.base} can change or delete the store")
    return warnings


@contextlib.contextmanager
def running(
    store_dir: Path, bind: str = "127.0.0.1:7878", writable: bool = False, policy: Policy = NO_NETWORK
) -> Iterator[Endpoint]:
    """Serve ``store_dir`` from this process for the duration of the ``with`` block."""
    endpoint = parse_bind(bind)
    require(store_dir)
    if not writable:
        # StoreInUse while another process writes; drops a killed ingest's rest, which takes the exclusive lock
        # (kgtool.store.core): so before this process holds the shared one, which it cannot trade for it
        open_store(store_dir).flush()
    with lock(store_dir, exclusive=writable, wait_seconds=0), _opened(store_dir, writable) as store:
        site = Site(store, writable, policy, _host_names(endpoint), endpoint.port, _editor_files())
        server = _listen(endpoint, site)
        previous = threading.stack_size(REQUEST_STACK)
        thread = threading.Thread(target=server.serve_forever, name="kgtool-serve", daemon=True)
        try:
            thread.start()
            yield Endpoint(endpoint.host, server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
            threading.stack_size(previous)


@contextlib.contextmanager
def _opened(store_dir: Path, writable: bool) -> Iterator[ox.Store]:
    """The store for serving: for writing (Oxigraph's lock: no other process opens it), else read-only."""
    if writable:
        store = open_store(store_dir)
    else:
        try:
            store = ox.Store.read_only(str(store_dir))
        except (OSError, RuntimeError, ValueError) as error:
            raise damaged(store_dir, error) from error
    try:
        yield store
    finally:
        if writable:
            store.flush()
        del store


def _listen(endpoint: Endpoint, site: Site) -> http.server.ThreadingHTTPServer:
    family = socket.AF_INET6 if ":" in endpoint.host else socket.AF_INET

    class Server(http.server.ThreadingHTTPServer):
        address_family = family
        daemon_threads = True
        allow_reuse_address = True

    try:
        return Server((endpoint.host, endpoint.port), handler_for(site))
    except OSError as error:
        if error.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise StoreInUse(f"{endpoint.host}:{endpoint.port} is already in use; choose another --bind") from None
        raise BackendUnavailable(f"cannot listen on {endpoint.host}:{endpoint.port}: {error.strerror}") from None


def _host_names(endpoint: Endpoint) -> frozenset[str]:
    """The names a request may address this server by (IP addresses are always accepted)."""
    names = set(_LOOPBACK_NAMES) | {endpoint.host.lower()}
    if _is_wildcard(endpoint.host):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def _is_wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _editor_files() -> dict[str, tuple[str, bytes]]:
    """The query editor's files, from the ``oxigraph`` program's own server (see the module's docstring)."""
    binary = Path(sys.executable).with_name("oxigraph")
    found = str(binary) if binary.exists() else shutil.which("oxigraph")
    if not found:
        return {"/index.html": (_EDITOR_FILES["/index.html"], _NO_EDITOR)}
    from kgtool.sparql.http import fetch

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = subprocess.Popen(
        [found, "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    try:
        _wait_for(port, child)
        base = f"http://127.0.0.1:{port}"
        return {
            path: (kind, fetch(base + ("/" if path == "/index.html" else path))) for path, kind in _EDITOR_FILES.items()
        }
    except (BackendUnavailable, OSError):
        return {"/index.html": (_EDITOR_FILES["/index.html"], _NO_EDITOR)}
    finally:
        child.kill()
        child.wait()


def _wait_for(port: int, child: subprocess.Popen, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and child.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise BackendUnavailable("the oxigraph program did not start to hand over the query editor page")


def _die_with_parent() -> None:
    """In the child, before it runs: the kernel kills it when kgtool dies (Linux; elsewhere it is only stopped
    by kgtool, at once)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
