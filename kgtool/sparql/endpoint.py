"""The SPARQL 1.1 protocol over the store, answered by the ``kgtool serve`` process itself.

Routes: ``/query`` (and ``/sparql``) for queries by GET or POST, ``/update`` for SPARQL Update (only with
``--writable``), ``/store`` for the Graph Store Protocol (reads always; writes only with ``--writable``), and the
query editor page with its assets. The default graph is the union of the named graphs, as in ``kgtool query``.

Every request passes the same checks before the store sees it:

- its ``Host`` header must name this server (the bound host, ``localhost`` or an IP address): a web page whose
  domain an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own name and is refused (403);
- a query or update is at most ``MAX_QUERY_BYTES``, nests within ``$KGTOOL_MAX_DEPTH`` and calls no SERVICE
  the server was not told to allow; an update never LOADs or calls out (``kgtool.sparql.guard``; 400);
- a Graph Store upload is read as any untrusted file is (``kgtool.rdf.limits``);
- a write (an update, a Graph Store PUT, POST or DELETE) must come from this server's own pages or from a program,
  never from another site's page: a browser sends ``Origin`` (and ``Sec-Fetch-Site``) with a cross-site request,
  and a web page can POST ``text/plain`` anywhere without asking, so a write whose ``Origin`` is not this
  server's, or that a browser marks as cross-site, is refused (403), and an update must say it is one
  (``application/sparql-update`` or the protocol's form; 415) — cross-site request forgery cannot empty the store.

Answers are negotiated from ``Accept``: SPARQL results as JSON (default), XML, CSV or TSV; graphs as Turtle
(default), N-Triples, N-Quads, TriG, RDF/XML or JSON-LD. No CORS header is sent: other sites' pages cannot read
the answers.
"""

from __future__ import annotations

import http.server
import ipaddress
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.errors import KgtoolError
from kgtool.sparql.guard import Policy, check_query, check_update

#: The largest query or update text a request may carry (256 KiB); see SECURITY.md.
MAX_QUERY_BYTES = 256 * 1024
_FORM = "application/x-www-form-urlencoded"
_UPDATE = "application/sparql-update"
_RESULTS_DEFAULT = ox.QueryResultsFormat.JSON
_GRAPH_DEFAULT = ox.RdfFormat.TURTLE


@dataclass
class Site:
    """What the handler serves: the store, whether it may be written, the SERVICE policy, the host names it
    answers to, and the query editor's files (path -> (media type, bytes))."""

    store: ox.Store
    writable: bool
    policy: Policy
    host_names: frozenset[str]
    port: int
    assets: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def own_host(self, header: str | None) -> bool:
        """Whether a ``Host`` header names this server: an IP address or one of its names, on its port."""
        if not header:
            return False
        parsed = urllib.parse.urlsplit("//" + header)
        try:
            name, port = (parsed.hostname or "").lower(), parsed.port
        except ValueError:
            return False
        if port not in (None, self.port):
            return False
        try:
            ipaddress.ip_address(name)
            return True  # an address cannot be re-pointed by DNS
        except ValueError:
            return name in self.host_names


class Refused(Exception):
    """A request answered with an error status and a one-line text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def handler_for(site: Site) -> type[http.server.BaseHTTPRequestHandler]:
    """The request handler class of one server."""

    class Handler(_Handler):
        pass

    Handler.site = site
    return Handler


class _Handler(http.server.BaseHTTPRequestHandler):
    site: Site
    server_version = "kgtool"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def do_PUT(self) -> None:
        self._answer(lambda path, params: self._write_graph("PUT", params))

    def do_DELETE(self) -> None:
        self._answer(lambda path, params: self._write_graph("DELETE", params))

    def log_message(self, format: str, *args: object) -> None:
        pass  # no log of every request on the terminal that runs kgtool serve

    def _answer(self, route: Callable[[str, dict[str, list[str]]], tuple[int, str, bytes]]) -> None:
        try:
            if not self.site.own_host(self.headers.get("Host")):
                raise Refused(403, "this server answers only requests addressed to its own host name (Host header)")
            url = urllib.parse.urlsplit(self.path)
            status, media_type, body = route(url.path, urllib.parse.parse_qs(url.query))
        except Refused as refused:
            status, media_type, body = refused.status, "text/plain; charset=utf-8", f"{refused}\n".encode()
        except KgtoolError as error:
            status, media_type, body = 400, "text/plain; charset=utf-8", f"{error}\n".encode()
        except SyntaxError as error:
            status, media_type, body = 400, "text/plain; charset=utf-8", f"{' '.join(str(error).split())}\n".encode()
        except (OSError, RuntimeError, ValueError) as error:
            status, media_type, body = 500, "text/plain; charset=utf-8", f"{' '.join(str(error).split())}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _get(self, path: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if path in ("/query", "/sparql"):
            if "query" not in params:
                raise Refused(400, "give the query as ?query=...")
            return self._query(_one(params, "query"), params)
        if path == "/store":
            return self._read_graph(params)
        asset = self.site.assets.get("/index.html" if path == "/" else path)
        if asset is None:
            raise Refused(404, f"nothing at {path}: the SPARQL endpoint is /query")
        return 200, asset[0], asset[1]

    def _post(self, path: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if path == "/store":
            return self._write_graph("POST", params)
        body = self._body(MAX_QUERY_BYTES)
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if kind == _FORM else {}
        if path in ("/query", "/sparql"):
            text = _one(form, "query") if kind == _FORM else body.decode("utf-8", "replace")
            return self._query(text, {**params, **form})
        if path == "/update":
            if not self.site.writable:
                raise Refused(403, "this server is read-only (kgtool serve --writable accepts updates)")
            self._check_write_origin()
            if kind not in (_FORM, _UPDATE):
                raise Refused(415, f"send an update as {_UPDATE} or as a form, not {kind or 'without a Content-Type'}")
            text = _one(form, "update") if kind == _FORM else body.decode("utf-8", "replace")
            check_update(text)
            self.site.store.update(text)
            return 204, "text/plain", b""
        raise Refused(404, f"nothing at {path}: the SPARQL endpoint is /query")

    def _query(self, text: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if len(text.encode("utf-8", "replace")) > MAX_QUERY_BYTES:
            raise Refused(413, f"the query is larger than {MAX_QUERY_BYTES // 1024} KiB")
        check_query(text, self.site.policy)
        defaults = [ox.NamedNode(iri) for iri in params.get("default-graph-uri", [])]
        named = [ox.NamedNode(iri) for iri in params.get("named-graph-uri", [])]
        result = self.site.store.query(
            text,
            use_default_graph_as_union=not defaults,
            default_graph=defaults or None,
            named_graphs=named or None,
        )
        if isinstance(result, ox.QueryTriples):
            fmt = _negotiate(self.headers.get("Accept", ""), ox.RdfFormat.from_media_type, _GRAPH_DEFAULT)
            return 200, fmt.media_type, result.serialize(format=fmt)
        fmt = _negotiate(self.headers.get("Accept", ""), ox.QueryResultsFormat.from_media_type, _RESULTS_DEFAULT)
        return 200, fmt.media_type, result.serialize(format=fmt)

    def _read_graph(self, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        graph = _graph(params)
        if graph is None:
            return 200, ox.RdfFormat.N_QUADS.media_type, self.site.store.dump(format=ox.RdfFormat.N_QUADS)
        fmt = _negotiate(self.headers.get("Accept", ""), ox.RdfFormat.from_media_type, _GRAPH_DEFAULT)
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            fmt = _GRAPH_DEFAULT
        return 200, fmt.media_type, self.site.store.dump(format=fmt, from_graph=graph)

    def _write_graph(self, method: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if not self.site.writable:
            raise Refused(403, "this server is read-only (kgtool serve --writable accepts writes)")
        self._check_write_origin()
        graph = _graph(params)
        if graph is None:
            raise Refused(400, "name the graph: ?graph=IRI or ?default")
        if method == "DELETE":
            self.site.store.remove_graph(graph) if isinstance(graph, ox.NamedNode) else self.site.store.clear_graph(
                graph
            )
            return 204, "text/plain", b""
        quads = _uploaded(self.headers.get("Content-Type", ""), self._upload(), graph)
        if method == "PUT":
            self.site.store.clear_graph(graph)
        self.site.store.extend(quads)
        return 204, "text/plain", b""

    def _check_write_origin(self) -> None:
        """Refuse a write that a browser sends on behalf of another site's page (cross-site request forgery)."""
        fetch_site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if fetch_site and fetch_site not in ("same-origin", "none"):
            raise Refused(403, f"a write from another site's page is refused (Sec-Fetch-Site: {fetch_site})")
        origin = self.headers.get("Origin")
        if origin is None:
            return  # not sent by a browser for another site: programs (curl, kgtool push) send no Origin
        parsed = urllib.parse.urlsplit(origin.strip())
        own = (self.headers.get("Host") or "").strip().lower()
        if parsed.scheme != "http" or parsed.netloc.lower() != own:
            raise Refused(403, f"a write from another site's page is refused (Origin: {origin.strip()[:100]})")

    def _upload(self) -> bytes:
        from kgtool.files import max_input_bytes

        return self._body(max_input_bytes())

    def _body(self, limit: int) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise Refused(400, "a Content-Length that is no number") from None
        if length > limit:
            raise Refused(413, f"the request is larger than {limit // 1024} KiB")
        return self.rfile.read(length)


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name, [])
    if len(values) != 1:
        raise Refused(400, f"give exactly one {name} parameter")
    return values[0]


def _graph(params: dict[str, list[str]]) -> ox.NamedNode | ox.DefaultGraph | None:
    if "default" in params:
        return ox.DefaultGraph()
    if "graph" in params:
        try:
            return ox.NamedNode(_one(params, "graph"))
        except ValueError:
            raise Refused(400, "?graph= is not an IRI") from None
    return None


def _negotiate(accept: str, by_media_type, default):
    """The first format of ``accept`` (highest quality first) that pyoxigraph writes; ``default`` otherwise."""
    offers = []
    for position, item in enumerate(accept.split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        quality = next((p[2:] for p in parameters if p.startswith("q=")), "1")
        try:
            offers.append((-float(quality), position, media.lower()))
        except ValueError:
            continue
    for _, _, media in sorted(offers):
        found = by_media_type(media) if media and "*" not in media else None
        if found is not None:
            return found
    return default


def _uploaded(content_type: str, body: bytes, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """A Graph Store upload as quads of ``graph``, read within kgtool's limits for untrusted RDF."""
    from kgtool.rdf.limits import bounded_literals, check_rdf

    fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip().lower())
    if fmt is None:
        raise Refused(415, f"cannot read {content_type or 'a body without a Content-Type'}")
    data = check_rdf("the upload", body, fmt)
    parsed = ox.parse(data, format=fmt, base_iri="http://localhost/", rename_blank_nodes=True)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in bounded_literals("the upload", parsed)]
