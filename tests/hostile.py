"""Hostile inputs for the reliability tests (SYNTHETIC: every file here is generated, none is real data).

What a careless or malicious user can hand kgtool: files nested until a recursive parser overflows its stack,
entities that expand a kilobyte into gigabytes, a literal larger than the parser's buffer, devices and FIFOs
that never end, files that name a server on the network, and SPARQL that asks the store to call out. Beside
them: a ``Tripwire`` (a loopback listener that records every connection, so a test can prove nothing was
contacted), small HTTP servers that misbehave on purpose (a redirect to another server, a drip of one byte a
second, a body that never ends, an answer with IRIs that are not IRIs), and a fingerprint of a store, to show
a command left it as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

LOOPBACK = "127.0.0.1"
SAL = "https://w3id.org/sal#"
SALD = "https://w3id.org/sal/id/"

#: Deeper than any of pyoxigraph's recursive parsers survives (JSON-LD dies near 3,200 objects, SPARQL groups
#: near 2,100, measured on this machine with 8 MiB stacks), far deeper than kgtool's limit.
DEEP = 4000


class Tripwire:
    """A loopback TCP listener that accepts and records every connection: hostile files point at it, and a
    test fails when anything contacted it."""

    def __init__(self) -> None:
        self._socket = socket.create_server((LOOPBACK, 0))
        self.port = self._socket.getsockname()[1]
        self.contacts: list[bytes] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(1)
                try:
                    self.contacts.append(connection.recv(200) or b"(connected)")
                except OSError:
                    self.contacts.append(b"(connected)")

    def assert_untouched(self, what: str = "") -> None:
        time.sleep(0.05)  # a connection the command made just before it exited is accepted by now
        assert not self.contacts, f"{what}: contacted the network: {self.contacts[:1]}"

    def close(self) -> None:
        self._socket.close()


def store_fingerprint(store: Path) -> str:
    """What a store holds: every quad, read without opening the store for writing (so nothing changes it).

    A folder that is no store (a damaged one, say) is fingerprinted by its files' bytes instead.
    """
    digest = hashlib.sha256()
    try:
        opened = ox.Store.read_only(str(store))
    except (OSError, RuntimeError, ValueError):
        for path in sorted(p for p in store.rglob("*") if p.is_file() and not p.name.startswith("LOG")):
            digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
        return "files:" + digest.hexdigest()
    for line in sorted(str(quad) for quad in opened):
        digest.update(line.encode() + b"\n")
    del opened
    return "quads:" + digest.hexdigest()


# --- hostile files -----------------------------------------------------------------------------------------

RECORD = f"""@prefix sal: <{SAL}> .
@prefix sald: <{SALD}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
sald:synthetic-ngo a sal:NGO ; rdfs:label "Synthetic NGO"@en , "ONG sintética"@es .
"""


def nested_jsonld(depth: int = DEEP) -> str:
    """``depth`` JSON-LD objects, each the value of the one around it (~200 KB at 4,000)."""
    opening = '{"@id": "https://w3id.org/sal/id/synthetic-n", "https://w3id.org/sal#note": '
    return opening * depth + '"deep"' + "}" * depth


def billion_laughs(levels: int = 10) -> str:
    """RDF/XML whose internal entities expand 1 KB into ~10^levels copies of one word."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  '
        + "\n  ".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        f'  <rdf:Description rdf:about="{SALD}synthetic-laugh"><rdfs:label>&lol{levels - 1};</rdfs:label>'
        "</rdf:Description>\n</rdf:RDF>\n"
    )


def nested_rdfxml(depth: int = DEEP) -> str:
    opening = '<x:p xmlns:x="https://w3id.org/sal#"><rdf:Description>'
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="{SALD}synthetic-deep">'
        + opening * depth
        + "</rdf:Description></x:p>" * depth
        + "</rdf:Description></rdf:RDF>"
    )


def nested_turtle(depth: int = DEEP) -> str:
    return f"<{SALD}synthetic-deep> <{SAL}note> " + f"[ <{SAL}note> " * depth + '"deep"' + " ]" * depth + " .\n"


def nested_sparql(depth: int = DEEP) -> str:
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth + "\n"


def nested_triple_terms(depth: int = 20_000) -> str:
    """One N-Triples statement whose object nests ``depth`` RDF 1.2 triple terms, each the object of the one
    around it (~800 KB at 20,000: pyoxigraph 0.5 reads them in N-Triples and N-Quads too, and died with SIGSEGV)."""
    opening = f"<<( <{SALD}a> <{SAL}note> "
    return f"<{SALD}synthetic-deep> <{SAL}note> " + opening * depth + f"<{SALD}b>" + " )>>" * depth + " .\n"


def nested_triple_sparql(depth: int = 20_000) -> str:
    return "SELECT * WHERE { ?s ?p " + "<<( ?a ?b " * depth + "?c" + " )>>" * depth + " }\n"


def nested_triple_results(depth: int = 5_000) -> bytes:
    """SPARQL results JSON whose one cell nests ``depth`` triple terms, each the object of the one around it."""
    iri = '{"type": "uri", "value": "https://w3id.org/sal/id/x"}'
    triple = '{"type": "triple", "value": {"subject": ' + iri + ', "predicate": ' + iri + ', "object": '
    cell = triple * depth + iri + "}}" * depth
    return ('{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": ' + cell + "}]}}").encode()


def write_corpus(folder: Path, tripwire: str) -> dict[str, Path]:
    """Every hostile input file, by name, written into ``folder``. ``tripwire`` is a URL nothing may contact."""
    folder.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str | bytes] = {
        "record.ttl": RECORD,
        "nested.jsonld": nested_jsonld(),
        "laughs.rdf": billion_laughs(),
        "nested.rdf": nested_rdfxml(),
        "nested.ttl": nested_turtle(),
        "remote-context.jsonld": f'{{"@context": "{tripwire}/context.jsonld", "@id": "sald:x", "label": "x"}}',
        "external-entity.rdf": (
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{tripwire}/entity"> ]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
            f'<rdf:Description rdf:about="{SALD}x"><rdfs:label>&ext;</rdfs:label></rdf:Description></rdf:RDF>\n'
        ),
        "imports-remote.ttl": RECORD + f"<{SALD}x> <http://www.w3.org/2002/07/owl#imports> <{tripwire}/onto> .\n",
        "big-literal.ttl": RECORD.replace('"Synthetic NGO"@en', '"' + "x" * 50_000_000 + '"@en'),
        "binary.ttl": bytes(range(256)) * 64,
        "empty.ttl": "",
        "utf16.ttl": RECORD.encode("utf-16"),
        "bad-iri.ttl": f"<{SALD}a b> a <{SAL}NGO> .\n",
        "nul.csv": "ID,TYPE\nID,TYPE\n\x00x,NGO\n",
        "service.rq": f"SELECT * WHERE {{ SERVICE <{tripwire}/sparql> {{ ?s ?p ?o }} }}\n",
        "service-silent.rq": f"SELECT * WHERE {{ SERVICE SILENT <{tripwire}/sparql> {{ ?s ?p ?o }} }}\n",
        "service-var.rq": "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }\n",
        # SERVICE after a '<' that a naive tokenizer reads as the start of an IRI reaching to the comment's '>'
        "service-hidden.rq": f"SELECT * {{ ?s ?p ?o FILTER(1<2)SERVICE#>\n<{tripwire}/sparql> {{ ?s ?p ?o }} }}\n",
        "nested.rq": nested_sparql(),
        "nested-triples.nt": nested_triple_terms(),
        "nested-triples.nq": nested_triple_terms().replace(" .\n", f" <{SALD}graph> .\n"),
        "nested-triples.rq": nested_triple_sparql(),
        # a comment between SERVICE and SILENT: the keyword reader took SERVICE alone and gave up (issue 13 audit)
        "service-comment.rq": f"SELECT * WHERE {{ SERVICE #x\n SILENT <{tripwire}/sparql> {{ ?s ?p ?o }} }}\n",
        "load.rq": f"LOAD <{tripwire}/data.ttl>\n",
    }
    paths = {}
    for name, content in texts.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths[name] = path
    paths["bomb.xlsx"] = zip_bomb(folder / "bomb.xlsx")
    for name in ("fifo.ttl", "fifo.trig", "fifo.csv"):
        os.mkfifo(folder / name)  # nobody ever writes into it: opening it for reading waits forever
        paths[name] = folder / name
    for name in ("zero.ttl", "zero.trig"):
        (folder / name).symlink_to("/dev/zero")  # an endless file behind an RDF name
        paths[name] = folder / name
    return paths


def zip_bomb(path: Path, unpacked_mb: int = 420) -> Path:
    """An .xlsx-named package of well under a megabyte that unpacks to ``unpacked_mb`` MB of zeros."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            zeros = b"0" * 2**20
            for _ in range(unpacked_mb):
                sheet.write(zeros)
    return path


# --- misbehaving HTTP servers ------------------------------------------------------------------------------

Respond = Callable[[http.server.BaseHTTPRequestHandler], None]


@contextmanager
def http_server(respond: Respond) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A threaded HTTP server on loopback whose every request is answered by ``respond(handler)``; yields its
    base URL and the headers of every request it received."""
    received: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            received.append({"method": self.command, "path": self.path, **dict(self.headers.items())})
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with contextlib.suppress(OSError):  # the client gave up: what several of these servers are for
                respond(self)

        do_GET = do_POST = do_PUT = do_DELETE = _any

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def answer(status: int, body: bytes, content_type: str, **headers: str) -> Respond:
    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def redirect_to(location: str) -> Respond:
    """A 302 to ``location`` (another server: credentials must not follow, nor kgtool)."""
    return answer(302, b"", "text/plain", Location=location)


def drip(interval: float = 0.5, headers_too: bool = False) -> Respond:
    """Results JSON one byte every ``interval`` seconds, without end (or the status line itself, dripped)."""

    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        if headers_too:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n" * 1000:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(interval)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        handler.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
        while True:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(interval)

    return respond


@contextmanager
def tls_drip(interval: float = 0.3) -> Iterator[str]:
    """A loopback server that answers a TLS connection with the header of a 16 KiB handshake record, then drips
    its body a byte every ``interval`` seconds without end: a handshake that never finishes. Its https URL."""
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection, contextlib.suppress(OSError):
                connection.sendall(b"\x16\x03\x03\x40\x00")  # a TLS handshake record of 16,384 bytes follows
                while not stop.is_set():
                    connection.sendall(b"\x00")
                    time.sleep(interval)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://{LOOPBACK}:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


def endless_body() -> Respond:
    """Results JSON that never ends, as fast as the client reads it (a memory exhaustion attempt)."""

    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        handler.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
        row = b'{"x": {"type": "literal", "value": "' + b"y" * 65_000 + b'"}},'
        while True:
            handler.wfile.write(row)

    return respond


def results(variable: str, cells: list[dict[str, str]]) -> bytes:
    import json

    return json.dumps({"head": {"vars": [variable]}, "results": {"bindings": [{variable: c} for c in cells]}}).encode()


INVALID_IRIS = results("x", [{"type": "uri", "value": "not an iri at all"}])
