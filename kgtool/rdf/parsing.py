"""Reading RDF files: pyoxigraph's strict, offline parsers, with one-line errors naming file and line.

pyoxigraph rejects every W3C negative syntax test, reports the position of a mistake, and never fetches a
remote JSON-LD context (it raises instead), so all of kgtool reads RDF through here. A JSON-LD context given as
a relative reference is read from the file beside the document (``with_local_contexts``), never from the network.
rdflib is used only where another library insists on an rdflib graph, built from the quads parsed here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError, UsageError

#: File extension -> pyoxigraph format. The keys are also the names accepted by ``--input-format``.
FORMAT_BY_EXTENSION: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
}


#: Files from this size on are loaded in bulk (``load_into``): Oxigraph holds a transaction in memory.
BULK_LOAD_BYTES = 20_000_000


def rdf_format(path: Path, override: str | None = None) -> ox.RdfFormat:
    """The format of ``path``: ``override`` if given, else its extension."""
    key = (override or path.suffix.lstrip(".")).lower().replace("-", "").replace("_", "")
    if key not in FORMAT_BY_EXTENSION:
        known = ", ".join(sorted(FORMAT_BY_EXTENSION))
        what = f"format {override!r}" if override else f"extension {path.suffix or '(none)'!r}"
        raise UsageError(f"{path}: unknown RDF {what}; use one of: {known}")
    return FORMAT_BY_EXTENSION[key]


def read_rdf(path: Path, fmt: ox.RdfFormat) -> bytes:
    """The file's bytes, ready for the parser: a regular file within the input limit (``kgtool.files``), UTF-8,
    not empty, nested and expanding within the limits (``kgtool.rdf.limits``); else one InputError line."""
    from kgtool.files import read_input
    from kgtool.rdf.limits import check_rdf

    data = read_input(path, "RDF file")
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if b"\x00" in data[:8192]:
            raise InputError(f"{path}: binary file, not RDF text") from error
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte 0x{data[error.start]:02x})") from error
    return check_rdf(path, data, fmt)


def _syntax_error(path: Path, error: SyntaxError) -> InputError:
    """Turn pyoxigraph's SyntaxError into ``FILE:LINE:COLUMN: message``."""
    message = str(error.msg if hasattr(error, "msg") else error)
    if message.startswith("Parser error at line"):
        message = message.split(": ", 1)[-1]
    if "LoadDocumentCallback" in message:
        message = "remote JSON-LD @context refused: kgtool never fetches from the network; inline the context"
    location = f"{path}:{error.lineno}" if error.lineno else str(path)
    if error.lineno and error.offset:
        location += f":{error.offset}"
    return InputError(f"{location}: {message}")


def parse_quads(path: Path, input_format: str | None = None, base_iri: str | None = None) -> list[ox.Quad]:
    """All quads of one file (triples land in the default graph). Never touches the network."""
    return list(iter_quads(path, input_format, base_iri))


def iter_quads(path: Path, input_format: str | None = None, base_iri: str | None = None) -> Iterator[ox.Quad]:
    """The quads of one file as the parser reads them, for files too large to hold as a list; a syntax error
    raises ``InputError`` when the parser reaches it."""
    path = Path(path)
    fmt = rdf_format(path, input_format)
    yield from parse_bytes(path, read_document(path, fmt), fmt, base_iri)


def read_document(path: Path, fmt: ox.RdfFormat) -> bytes:
    """``read_rdf``, with a JSON-LD document's local ``@context`` files read in (``with_local_contexts``)."""
    data = read_rdf(path, fmt)
    if fmt == ox.RdfFormat.JSON_LD and b"@context" in data:
        data = with_local_contexts(path, data)
    return data


def parse_bytes(path: Path, data: bytes, fmt: ox.RdfFormat, base_iri: str | None = None) -> Iterator[ox.Quad]:
    """The quads of ``data`` (read from ``path`` by ``read_rdf``), each literal within its limit; a parser's
    complaint becomes one InputError line naming the file and, where the parser gives one, the line."""
    from kgtool.rdf.limits import bounded_literals

    try:
        base = base_iri or path.resolve().as_uri()
        # rename_blank_nodes: two files that both say _:b1 must not merge their blank nodes.
        yield from bounded_literals(path, ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True))
    except SyntaxError as error:
        raise _syntax_error(path, error) from error
    except MemoryError as error:  # pyoxigraph's parsers hold one token in a buffer of at most 16 MiB
        raise InputError(
            f"{path}: a literal or IRI longer than the parser's 16 MiB buffer; kgtool refuses it"
        ) from error
    except (ValueError, OSError) as error:
        raise InputError(f"{path}: {' '.join(str(error).split())}") from error


def load_into(
    store: ox.Store, path: Path, graph: ox.NamedNode, input_format: str | None = None, *, on_disk: bool = True
) -> None:
    """Parse one file straight into ``graph`` of ``store``: Oxigraph's parser writes it, without a Python object
    per triple. The same checks and one-line errors as ``iter_quads`` (the file's named graphs are merged into
    ``graph``); nothing is written from a file that cannot be read. A large file is loaded in bulk into a store on
    disk (in bounded memory, not as one transaction): the store is then the caller's scratch store, dropped on
    error. An in-memory store (``on_disk=False``) takes every file in one transaction: Oxigraph's bulk loader
    gains nothing there, and the store it leaves is slower to query (measured on a million synthetic triples:
    the validation's queries took 18 % more CPU, the store 120 MiB more memory).
    """
    path = Path(path)
    fmt = rdf_format(path, input_format)
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):  # named graphs to merge: through Python
        store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in iter_quads(path, input_format))
        return
    data = read_document(path, fmt)
    load = store.bulk_load if on_disk and len(data) >= BULK_LOAD_BYTES else store.load
    try:
        load(data, format=fmt, base_iri=path.resolve().as_uri(), to_graph=graph)
    except SyntaxError as error:
        raise _syntax_error(path, error) from error
    except MemoryError as error:
        raise InputError(
            f"{path}: a literal or IRI longer than the parser's 16 MiB buffer; kgtool refuses it"
        ) from error
    except (ValueError, OSError) as error:
        raise InputError(f"{path}: {' '.join(str(error).split())}") from error
    _check_literals(store, path, graph, data, fmt)


#: Syntaxes whose literals are written on one line unless triple-quoted (``_check_literals``).
_ONE_LINE_LITERALS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)


def _check_literals(store: ox.Store, path: Path, graph: ox.NamedNode, data: bytes, fmt: ox.RdfFormat) -> None:
    """The literal limit of ``bounded_literals`` for a file Oxigraph loaded itself.

    A literal has no more characters than the bytes that write it (an escape is longer than what it stands for;
    a number's canonical form is short), so only a file larger than the limit can hold one that is too long. In
    Turtle and N-Triples a literal without triple quotes stands on one line: a file with no line longer than the
    limit and no triple quotes holds none either, found with one split of the bytes instead of a query over
    every literal (0.3 s against 1.1 s for a million triples). Anything else is searched in the store."""
    from kgtool.rdf.limits import bounded_literals, max_literal

    limit = max_literal()
    if len(data) <= limit:
        return
    if fmt in _ONE_LINE_LITERALS and b'"""' not in data and b"'''" not in data and not _long_line(data, limit):
        return
    longest = (
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isLiteral(?o) && STRLEN(?o) > {limit}) }} }}"
        " LIMIT 1"
    )
    for row in store.query(longest):
        list(bounded_literals(path, [ox.Quad(row["s"], row["p"], row["o"], graph)]))


def _long_line(data: bytes, limit: int) -> bool:
    """Whether a line of ``data`` (without its newline) is longer than ``limit`` bytes: from each line start, the
    last newline within the next ``limit + 1`` bytes starts the next step, so the scan takes a step per
    ``limit`` bytes rather than one per line."""
    start = 0
    while len(data) - start > limit:
        newline = data.rfind(b"\n", start, start + limit + 1)
        if newline == -1:
            return True
        start = newline + 1
    return False


#: A local JSON-LD context file is read only up to this size, and contexts nest only this deep.
MAX_CONTEXT_BYTES = 2**20
MAX_CONTEXT_DEPTH = 8


def with_local_contexts(path: Path, data: bytes) -> bytes:
    """A JSON-LD document with every ``"@context": "ctx.jsonld"`` that names a file by a relative reference
    replaced by that file's own ``@context``, read relative to the document (as JSON-LD resolves it against the
    document's location), so a contributor may keep the shipped ``context.jsonld`` beside the records. Nothing is
    fetched: an ``http(s):`` context is left for the parser, which refuses it; a missing, oversized or cyclic
    context file is a one-line error."""
    import json

    try:
        document = json.loads(data)
    except ValueError:
        return data  # not JSON: the parser says where
    changed = _inline(document, Path(path).resolve().parent, path, ())
    return json.dumps(document, ensure_ascii=False).encode("utf-8") if changed else data


def _inline(node: object, folder: Path, document: Path, chain: tuple[Path, ...]) -> bool:
    """Replace local context references inside ``node`` (in place); whether anything was replaced."""
    changed = False
    if isinstance(node, list):
        return any([_inline(item, folder, document, chain) for item in node])
    if not isinstance(node, dict):
        return False
    for key, value in node.items():
        if key == "@context":
            references = value if isinstance(value, list) else [value]
            resolved = [_local_context(ref, folder, document, chain) if _is_local(ref) else ref for ref in references]
            if resolved != references:
                node[key] = resolved if isinstance(value, list) else resolved[0]
                changed = True
        changed = _inline(node[key], folder, document, chain) or changed
    return changed


def _is_local(reference: object) -> bool:
    """A context given as a relative path (no scheme, not from the root): a file beside or below the document's
    folder, or reached from it by ``..``. Anything else is left to the parser, which refuses it."""
    return isinstance(reference, str) and ":" not in reference.split("/", 1)[0] and not reference.startswith("/")


def _local_context(reference: str, folder: Path, document: Path, chain: tuple[Path, ...]) -> object:
    """The ``@context`` of the local file ``reference`` (its own local references inlined too)."""
    import json

    target = (folder / reference).resolve()
    if target in chain or len(chain) >= MAX_CONTEXT_DEPTH:
        raise InputError(f"{document}: the JSON-LD @context {reference!r} refers back to itself")
    if not target.is_file():
        raise InputError(
            f"{document}: the JSON-LD @context {reference!r} is not a file ({target}); a local context is read "
            "relative to the document, and kgtool never fetches one"
        )
    if target.stat().st_size > MAX_CONTEXT_BYTES:
        raise InputError(f"{document}: the JSON-LD @context {target} is larger than {MAX_CONTEXT_BYTES // 2**20} MiB")
    from kgtool.rdf.limits import check_rdf

    try:  # nested within $KGTOOL_MAX_DEPTH like the document itself, so neither parsing nor inlining recurses deep
        loaded = json.loads(check_rdf(target, target.read_bytes(), ox.RdfFormat.JSON_LD))
    except (ValueError, OSError) as error:
        raise InputError(f"{document}: the JSON-LD @context {target} is not JSON ({error})") from error
    if not isinstance(loaded, dict) or "@context" not in loaded:
        raise InputError(f'{document}: {target} has no "@context" to use as the JSON-LD context')
    context = loaded["@context"]
    _inline({"@context": context}, target.parent, document, (*chain, target))
    return context


def to_rdflib_graph(quads: Iterable[ox.Quad]):  # -> rdflib.Graph (imported lazily)
    """An rdflib Graph of the quads' triples, for libraries (pyshacl, owlready2 export) that need one."""
    import rdflib

    graph = rdflib.Graph()
    for quad in quads:
        graph.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
    return graph


def _to_rdflib(term):
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise InputError(f"unsupported RDF term {term!r} (RDF-star triples are not supported)")


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's logged tracebacks for ill-typed literals (``"2010-13-45"^^xsd:date``).

    Such a literal is a finding for the report (a datatype result), not a crash for the user to see.
    """
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)
