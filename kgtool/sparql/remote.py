"""A remote SPARQL 1.1 endpoint as a kgtool backend, and the HTTP plumbing ``push`` shares with it.

Queries go through SPARQLWrapper (POST, SPARQL results JSON) and come back as the same pyoxigraph terms the
embedded store returns, so a catalog query answers alike on either. Credentials never come from the command
line (where ``ps`` and shell histories would show them): ``$KGTOOL_ENDPOINT_USER`` and
``$KGTOOL_ENDPOINT_PASSWORD``, else the endpoint host's entry in ``$NETRC`` or ``~/.netrc``. Every request
has a timeout; a server that cannot be reached, does not answer in time, fails or answers with something
that is not SPARQL results becomes one ``BackendUnavailable`` line (exit 3).
"""

from __future__ import annotations

import http.client
import json
import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable, UsageError
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql.results import DEFAULT_TIMEOUT, QueryResult, Term

USER_ENV = "KGTOOL_ENDPOINT_USER"
PASSWORD_ENV = "KGTOOL_ENDPOINT_PASSWORD"
AUTH_ENV = "KGTOOL_ENDPOINT_AUTH"  # "basic" (default) or "digest"
NETRC_ENV = "NETRC"

_DECLARED_PREFIX = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)
_TRAILING_TEXT = re.compile(r'[\[{,:]\s*([^"\[\]{}]*[A-Za-z][^"\[\]{}]*)$')
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
        raise UsageError(f"{option} {url!r}: give an http:// or https:// URL of a SPARQL endpoint")
    if parts.username or parts.password:
        raise UsageError(
            f"{option}: do not put credentials in the URL; set {USER_ENV} and {PASSWORD_ENV}, or use ~/.netrc"
        )
    return url


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
    except (netrc.NetrcParseError, OSError) as error:
        raise UsageError(f"cannot read the credentials file {path}: {error}") from error
    if not entry or not entry[0] or not entry[2]:
        return None
    return Credentials(entry[0], entry[2], scheme)


def with_prefixes(text: str) -> str:
    """``text`` with PREFIX declarations for the project's prefixes it uses without declaring them.

    The embedded store takes the prefixes as an option; a remote endpoint needs them in the text. Declared
    prefixes are left alone, so a query's own declaration always wins.
    """
    declared = {match.group(1) or "" for match in _DECLARED_PREFIX.finditer(text)}
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    lines = text.splitlines()
    header = 0  # the leading comments (a catalog query's #+ decorators) stay on top
    while header < len(lines) and (not lines[header].strip() or lines[header].lstrip().startswith("#")):
        header += 1
    return "\n".join([*lines[:header], *missing, *lines[header:]])


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint; its default graph must be the union of its named graphs."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT, auth: Credentials | None = None) -> None:
        self.url = check_url(url)
        self.timeout = check_timeout(timeout)
        self.auth = auth if auth is not None else credentials(url)

    def select(self, text: str) -> QueryResult:
        from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SPARQLWrapper

        client = SPARQLWrapper(self.url)
        client.setQuery(with_prefixes(text))
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.timeout = self.timeout  # its setTimeout() rounds down to whole seconds, and 0 means none
        if self.auth:
            client.setCredentials(self.auth.user, self.auth.password)
            client.setHTTPAuth(DIGEST if self.auth.scheme == "digest" else BASIC)
        try:
            response = client.query().response
            body = response.read()
        except Exception as error:  # SPARQLWrapper re-raises urllib's and its own errors; all mean the same here
            raise unavailable(self.url, error, self.timeout) from error
        return parse_results(self.url, response.headers.get("Content-Type", ""), body)


def check_timeout(timeout: float) -> float:
    """``timeout`` if it is a positive number of seconds; else a UsageError."""
    if not timeout > 0:
        raise UsageError(f"--timeout {timeout!r}: give a positive number of seconds")
    return float(timeout)


def parse_results(url: str, content_type: str, body: bytes) -> QueryResult:
    """SPARQL 1.1 query results JSON as a QueryResult of pyoxigraph terms."""
    try:
        document = json.loads(body)
        variables = list(document["head"]["vars"])
        bindings = document["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        words = _trailing_message(body)
        if words:  # a server that failed after it began to stream results appends its error message
            raise BackendUnavailable(f"{url} failed while answering: {words}") from None
        kind = content_type.split(";")[0] or "no content type"
        raise BackendUnavailable(
            f"{url} did not answer with SPARQL results JSON ({kind}, {len(body)} bytes): is it a SPARQL query endpoint?"
        ) from None
    blank_nodes: dict[str, ox.BlankNode] = {}
    rows = [
        {name: json_term(cell, blank_nodes) for name, cell in binding.items() if name in variables}
        for binding in bindings
    ]
    return QueryResult(variables, rows)


def json_term(cell: dict[str, str], blank_nodes: dict[str, ox.BlankNode]) -> Term:
    """One cell of SPARQL results JSON as a pyoxigraph term (blank nodes renamed consistently per result)."""
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return blank_nodes.setdefault(value, ox.BlankNode())
    language = cell.get("xml:lang")
    if language:
        return ox.Literal(value, language=language)
    datatype = cell.get("datatype")
    if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def unavailable(url: str, error: BaseException, timeout: float) -> BackendUnavailable:
    """The one-line BackendUnavailable that a failed request to ``url`` means."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if isinstance(error, BackendUnavailable):
        return error
    if isinstance(error, TimeoutError) or "timed out" in str(error):
        return BackendUnavailable(f"{url} did not answer within {timeout:g} s (raise it with --timeout)")
    if isinstance(error, urllib.error.HTTPError):
        return http_failure(url, error.code, _read(error))
    if isinstance(error, SPARQLWrapperException):
        codes = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414}
        return http_failure(url, codes.get(type(error).__name__, 500), b"")
    if isinstance(error, urllib.error.URLError):
        return BackendUnavailable(f"cannot reach {url}: {_reason(error.reason)}")
    if isinstance(error, OSError | http.client.HTTPException):
        return BackendUnavailable(f"the connection to {url} failed: {_reason(error)}")
    return BackendUnavailable(f"{url} failed: {type(error).__name__}: {_reason(error)}")


def http_failure(url: str, code: int, body: bytes) -> BackendUnavailable:
    """The error an HTTP status means; the server's own first line of explanation is kept."""
    detail = _first_line(body)
    if code in (401, 403):
        return BackendUnavailable(
            f"{url} refused the credentials (HTTP {code}); set {USER_ENV} and {PASSWORD_ENV} or use ~/.netrc"
        )
    if code == 404:
        return BackendUnavailable(f"no SPARQL service at {url} (HTTP 404){detail}")
    if 400 <= code < 500:
        return BackendUnavailable(f"{url} rejected the request (HTTP {code}){detail}")
    return BackendUnavailable(f"{url} failed with a server error (HTTP {code}){detail}")


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
    handlers: list[urllib.request.BaseHandler] = []
    if auth:
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(None, url, auth.user, auth.password, is_authenticated=auth.scheme == "basic")
        if auth.scheme == "digest":
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        else:
            handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError:
        raise
    except Exception as error:
        raise unavailable(url.split("?", 1)[0], error, timeout) from error


def _trailing_message(body: bytes) -> str:
    """The text a server appended to results JSON it could not finish (after the last JSON delimiter)."""
    text = body.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        return ""
    match = _TRAILING_TEXT.search(text)
    return " ".join(match.group(1).split())[:200] if match else ""


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except Exception:
        return b""


def _first_line(body: bytes) -> str:
    """``": <the server's first line>"``, or nothing when the body is empty or an HTML page."""
    line = next((line.strip() for line in body.decode("utf-8", "replace").splitlines() if line.strip()), "")
    return f": {line[:200]}" if line and not line.startswith("<") else ""


def _reason(reason: object) -> str:
    text = str(reason)
    return text.removeprefix("[Errno 111] ").strip() or type(reason).__name__
