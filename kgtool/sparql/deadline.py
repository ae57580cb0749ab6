"""A total deadline for one HTTP exchange, and a cap on what a server may send back (for ``kgtool.sparql.http``).

urllib's ``timeout`` bounds each socket operation, not the request: a server that sends one byte a second (of
its status line, its headers or its body) keeps every read short and the client waiting for as long as the
server likes (measured: ``--timeout 3`` waited 60 s). Here every socket a request opens is watched, and when
the deadline passes it is shut down, which ends whatever read is waiting; the caller then reports the timeout.
An answer larger than ``$KGTOOL_MAX_RESPONSE_MB`` (512) is cut off the same way, before it fills the memory.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.request

MAX_RESPONSE_ENV = "KGTOOL_MAX_RESPONSE_MB"
MAX_RESPONSE_MB = 512.0
_CHUNK = 1 << 16


class Deadline:
    """``seconds`` from ``__enter__`` on, every watched socket is shut down; ``expired`` says it happened."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """urllib handlers for http and https whose connections this deadline watches."""
        deadline = self

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        class SecureConnection(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        class Handler(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(Connection, req)

        class SecureHandler(urllib.request.HTTPSHandler):
            def https_open(self, req):
                return self.do_open(SecureConnection, req, context=self._context)

        return [Handler(), SecureHandler()]


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class TooLarge(Exception):
    """The answer is larger than ``$KGTOOL_MAX_RESPONSE_MB``."""


def max_response_bytes() -> int:
    from kgtool.environment import megabytes

    return megabytes(MAX_RESPONSE_ENV, MAX_RESPONSE_MB)


def read_capped(response, limit: int) -> bytes:
    """The whole body of ``response``, or TooLarge as soon as it passes ``limit`` bytes."""
    chunks, total = [], 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooLarge(total)
        chunks.append(chunk)
    return b"".join(chunks)
