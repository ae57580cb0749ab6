"""Every HTTP request kgtool makes, under one policy for credentials, timeouts and redirects.

- Credentials come from ``$KGTOOL_ENDPOINT_USER``/``$KGTOOL_ENDPOINT_PASSWORD`` (``$KGTOOL_ENDPOINT_AUTH=digest``
  for digest), else from ``~/.netrc`` (or ``$NETRC``) for the endpoint's host; never from the URL or the command
  line. They are sent only to the endpoint's own scheme, host, port and path, and only once that server has asked
  for them (a 401 challenge); then, Basic ones, with the later requests to it in the same run.
- Each request may take ``timeout`` seconds in all (a positive number; ``--timeout``, 60 by default): a total
  deadline, so a server that drips its answer a byte at a time cannot keep kgtool waiting
  (``kgtool.sparql.deadline``); and its answer may hold at most ``$KGTOOL_MAX_RESPONSE_MB``.
- Redirects are not followed: a redirected POST would lose its body, and credentials must not travel to another
  host. A redirect is an error that names where it points.
- Every failure becomes one ``BackendUnavailable`` line (exit 3) that says what happened, with the server's own
  first line of explanation where it gave one.

SPARQLWrapper speaks the SPARQL 1.1 protocol (how a query is encoded in the request, which results to accept);
the Graph Store Protocol and SPARQL Update requests of ``kgtool push`` are plain requests with a body
(``send``). Both go through the same opener.
"""

from __future__ import annotations

import http.client
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

from kgtool.errors import BackendUnavailable, UsageError
from kgtool.sparql.deadline import MAX_RESPONSE_ENV, Deadline, TooLarge, max_response_bytes, read_capped

USER_ENV = "KGTOOL_ENDPOINT_USER"
PASSWORD_ENV = "KGTOOL_ENDPOINT_PASSWORD"
AUTH_ENV = "KGTOOL_ENDPOINT_AUTH"  # "basic" (default) or "digest"
NETRC_ENV = "NETRC"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for an endpoint, and the HTTP authentication scheme to send them with."""

    user: str
    password: str
    scheme: str = "basic"


def check_url(url: str, option: str = "--endpoint") -> str:
    """``url`` if it is an http(s) URL with a host and no user info in it; else a UsageError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{option} {url!r}: give an http:// or https:// URL of a SPARQL endpoint",
            es=f"{option} {url!r}: dé una URL http:// o https:// de un punto de consulta SPARQL",
        )
    if parts.username or parts.password:
        raise UsageError(
            f"{option}: do not put credentials in the URL; set {USER_ENV} and {PASSWORD_ENV}, or use ~/.netrc",
            es=f"{option}: no ponga credenciales en la URL; defina {USER_ENV} y {PASSWORD_ENV}, o use ~/.netrc",
        )
    return url


def check_timeout(timeout: float) -> float:
    """``timeout`` if it is a positive number of seconds; else a UsageError."""
    if not timeout > 0:
        raise UsageError(
            f"--timeout {timeout!r}: give a positive number of seconds",
            es=f"--timeout {timeout!r}: dé un número positivo de segundos",
        )
    return float(timeout)


def credentials(url: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The credentials for ``url``: from the environment, else from the netrc file; None when there are none."""
    environ = os.environ if environ is None else environ
    scheme = environ.get(AUTH_ENV, "basic").lower()
    if scheme not in ("basic", "digest"):
        raise UsageError(f"{AUTH_ENV}={scheme!r}: use basic or digest")
    user, password = environ.get(USER_ENV), environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password):
            raise UsageError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        return Credentials(user, password, scheme)
    path = environ.get(NETRC_ENV) or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except netrc.NetrcParseError as error:
        # Never the parser's message: it quotes the token it choked on, which may be part of a password.
        raise UsageError(
            f"cannot read the credentials file {path}: malformed at line {error.lineno} (its text is not shown)"
        ) from None
    except OSError as error:
        raise UsageError(f"cannot read the credentials file {path}: {error.strerror or error}") from error
    if not entry or not entry[0] or not entry[2]:
        return None
    return Credentials(entry[0], entry[2], scheme)


@dataclass(frozen=True)
class Reply:
    """A server's answer to a query: its content type, its body and its headers (names in lower case)."""

    content_type: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class ServerFailure(BackendUnavailable):
    """An HTTP error status, with the server's answer kept for whoever can read more into it."""

    def __init__(self, message: str, status: int, body: bytes, es: str | None = None) -> None:
        super().__init__(message, es=es)
        self.status = status
        self.body = body


def sparql_query(url: str, text: str, timeout: float, auth: Credentials | None = None) -> Reply:
    """POST a SPARQL query (SPARQLWrapper encodes it and asks for results JSON); the server's reply. Any failure
    is a BackendUnavailable (a ServerFailure for an HTTP error status)."""
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery(text)
    # kgtool sends SELECT queries only. SPARQLWrapper guesses the type from the text, and its comment stripping
    # leaves every other line of a "#+" header, so a word such as "clear" in a description made it send the
    # query as a CLEAR update (HTTP 400).
    client.queryType = SELECT
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    request = client._createRequest()  # the protocol's request; sent by kgtool's opener, under kgtool's policy
    try:
        _, headers, body = _exchange(request, timeout, auth)
    except urllib.error.HTTPError as error:
        raise http_failure(url, error.code, _read(error)) from None
    return Reply(headers.get("content-type", ""), body, headers)


def fetch(url: str, timeout: float = 10.0) -> bytes:
    """GET ``url`` (no credentials) under the same deadline and limits: the body, or BackendUnavailable."""
    try:
        return _exchange(urllib.request.Request(url), timeout, None)[2]
    except urllib.error.HTTPError as error:
        raise http_failure(url, error.code, _read(error)) from None


def send(
    method: str,
    url: str,
    body: bytes,
    content_type: str,
    timeout: float,
    auth: Credentials | None = None,
) -> int:
    """One HTTP request with a body (Graph Store Protocol PUT, SPARQL Update POST); returns the status.

    Raises HTTPError for statuses >= 400 so the caller can decide (e.g. fall back when a protocol is
    missing), and BackendUnavailable when the server cannot be reached or does not answer in time.
    """
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    status, _, _ = _exchange(request, timeout, auth)
    return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse to follow a redirect: urllib then raises it as an HTTPError with its 3xx status."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _exchange(
    request: urllib.request.Request, timeout: float, auth: Credentials | None
) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` within a total deadline: status, headers (lower-case names) and body (at most
    ``$KGTOOL_MAX_RESPONSE_MB``); HTTPError for >= 400 (its body read), BackendUnavailable otherwise."""
    url = request.full_url.split("?", 1)[0]
    limit = max_response_bytes()
    with Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(_NoRedirect(), *deadline.handlers(), *_auth_handlers(url, auth))
        try:
            with opener.open(request, timeout=timeout) as response:
                body = read_capped(response, limit)
                if deadline.expired:
                    raise TimeoutError
                headers = {name.lower(): value for name, value in response.headers.items()}
                return response.status, headers, body
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:
                target = error.headers.get("Location", "elsewhere")
                raise BackendUnavailable(
                    f"{url} redirects to {target} (HTTP {error.code}); kgtool does not follow redirects: give that URL",
                    es=f"{url} redirige a {target} (HTTP {error.code}); kgtool no sigue redirecciones: dé esa URL",
                ) from None
            error.kgtool_body = _first_bytes(error)
            raise
        except TooLarge:
            raise BackendUnavailable(
                f"{url} answered with more than {limit / 2**20:g} MB; kgtool stopped reading "
                f"(raise ${MAX_RESPONSE_ENV} if that answer is expected)",
                es=f"{url} respondió con más de {limit / 2**20:g} MB; kgtool dejó de leer "
                f"(aumente ${MAX_RESPONSE_ENV})",
            ) from None
        except Exception as error:
            raise unavailable(url, TimeoutError() if deadline.expired else error, timeout) from error


#: Password managers by endpoint URL and user: once a server has accepted Basic credentials after its challenge,
#: later requests of this run send them at once (a push sends many).
_PASSWORDS: dict[tuple[str, str], urllib.request.HTTPPasswordMgrWithPriorAuth] = {}


def _auth_handlers(url: str, auth: Credentials | None) -> list[urllib.request.BaseHandler]:
    """Handlers that answer the endpoint's 401 challenge with ``auth``, for ``url``'s origin and path only."""
    if not auth:
        return []
    passwords = _PASSWORDS.get((url, auth.user))
    if passwords is None:
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(None, url, auth.user, auth.password, is_authenticated=False)
        _PASSWORDS[(url, auth.user)] = passwords
    if auth.scheme == "digest":
        digest = _DIGESTS.get((url, auth.user))
        if digest is None:
            digest = _DIGESTS[(url, auth.user)] = _Digest(passwords)
        return [digest]
    return [urllib.request.HTTPBasicAuthHandler(passwords)]


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that, once the endpoint has challenged, answers that challenge on every later request
    at once (the nonce counted up), as it does for Basic: a server that refuses an unauthenticated PUT before it
    reads the body (Virtuoso's ``/sparql-graph-crud-auth``) would otherwise break the pipe of a large push."""

    challenge: dict[str, str] | None = None

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        if self.challenge and not request.has_header("Authorization"):
            answer = self.get_authorization(request, self.challenge)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        return request

    https_request = http_request

    def retry_http_digest_auth(self, request, auth):
        _, challenge = auth.split(" ", 1)
        self.challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        return super().retry_http_digest_auth(request, auth)


#: Digest handlers by endpoint URL and user, with the last challenge each answered (see _Digest).
_DIGESTS: dict[tuple[str, str], _Digest] = {}


def _first_bytes(error: urllib.error.HTTPError, size: int = 1 << 16) -> bytes:
    """The start of an error answer's body (its first line is all kgtool shows)."""
    try:
        return error.read(size)
    except Exception:
        return b""


def unavailable(url: str, error: BaseException, timeout: float) -> BackendUnavailable:
    """The one-line BackendUnavailable that a failed request to ``url`` means."""
    if isinstance(error, BackendUnavailable):
        return error
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return BackendUnavailable(
            f"{url} did not answer within {timeout:g} s (raise it with --timeout)",
            es=f"{url} no respondió en {timeout:g} s (auméntelo con --timeout)",
        )
    if isinstance(error, urllib.error.HTTPError):
        return http_failure(url, error.code, _read(error))
    if isinstance(error, urllib.error.URLError):
        return BackendUnavailable(
            f"cannot reach {url}: {_reason(error.reason)}", es=f"no se puede contactar {url}: {_reason(error.reason)}"
        )
    if isinstance(error, OSError | http.client.HTTPException):
        return BackendUnavailable(
            f"the connection to {url} failed: {_reason(error)}", es=f"la conexión con {url} falló: {_reason(error)}"
        )
    detail = f"{type(error).__name__}: {_reason(error)}"
    return BackendUnavailable(f"{url} failed: {detail}", es=f"{url} falló: {detail}")


def http_failure(url: str, code: int, body: bytes) -> ServerFailure:
    """The error an HTTP status means; the server's own first line of explanation is kept."""
    detail = first_line(body)
    if code in (401, 403):
        return ServerFailure(
            f"{url} refused the credentials (HTTP {code}); set {USER_ENV} and {PASSWORD_ENV} or use ~/.netrc",
            code,
            body,
            es=f"{url} rechazó las credenciales (HTTP {code}); defina {USER_ENV} y {PASSWORD_ENV} o use ~/.netrc",
        )
    if code == 404:
        return ServerFailure(
            f"no SPARQL service at {url} (HTTP 404){detail}",
            code,
            body,
            es=f"no hay servicio SPARQL en {url} (HTTP 404){detail}",
        )
    if 400 <= code < 500:
        return ServerFailure(
            f"{url} rejected the request (HTTP {code}){detail}",
            code,
            body,
            es=f"{url} rechazó la petición (HTTP {code}){detail}",
        )
    return ServerFailure(
        f"{url} failed with a server error (HTTP {code}){detail}",
        code,
        body,
        es=f"{url} falló con un error del servidor (HTTP {code}){detail}",
    )


def _read(error: urllib.error.HTTPError) -> bytes:
    return getattr(error, "kgtool_body", b"")


def first_line(body: bytes) -> str:
    """``": <the server's first line>"``, or nothing when the body is empty or an HTML page."""
    line = next((line.strip() for line in body.decode("utf-8", "replace").splitlines() if line.strip()), "")
    return f": {line[:200]}" if line and not line.startswith("<") else ""


def _reason(reason: object) -> str:
    text = str(reason)
    return text.removeprefix("[Errno 111] ").strip() or type(reason).__name__
