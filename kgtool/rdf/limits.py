"""Limits on untrusted RDF, checked on the bytes before a parser sees them.

Submitted files come from people kgtool does not know. pyoxigraph's JSON-LD parser recurses once per nested
object and dies with SIGSEGV near 3,200 levels (a 200 KB file); its RDF/XML parser expands internal entities
without bound (1 KB of "billion laughs" exhausts the machine); a Turtle file nested 4,000 blank nodes deep
parses, then overflows Python's recursion in validation. So before parsing:

- nesting deeper than ``$KGTOOL_MAX_DEPTH`` levels (256) is refused: JSON-LD objects and arrays, RDF/XML
  elements, Turtle and TriG ``[ ]`` and ``( )``, and RDF 1.2 triple terms ``<< >>`` in every syntax that has
  them (pyoxigraph 0.5 reads them in N-Triples and N-Quads too, and dies with SIGSEGV on 20,000 nested ones);
- RDF/XML whose internal entities would expand past ``$KGTOOL_MAX_INPUT_MB`` is refused, and so are entity
  definitions that refer to themselves; ordinary entities (``<!ENTITY sal "https://w3id.org/sal#">``, as
  Protégé writes) are read as before;
- a UTF-8 byte order mark at the start is dropped (editors on Windows write one; parsers took it for text).

While parsing, a literal longer than ``$KGTOOL_MAX_LITERAL_MB`` (1 MB) is refused as the parser yields it
(the input limit already bounds what the parser holds). Each refusal is one ``InputError`` line: exit 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError

MAX_DEPTH_ENV = "KGTOOL_MAX_DEPTH"
MAX_DEPTH = 256
MAX_LITERAL_ENV = "KGTOOL_MAX_LITERAL_MB"
MAX_LITERAL_MB = 1.0
BYTE_ORDER_MARK = b"\xef\xbb\xbf"

# The tokens that matter for nesting, and those that can hide a bracket (strings, IRIs, comments), per syntax.
# Each pattern first takes a run of bytes that start no token, so that the search steps over them at once (5x
# faster on a 5 MB file than trying every alternative at every byte; the same tokens, and runs that count 0).
_JSON_TOKENS = re.compile(rb'[^"\[\]{}]+|"(?:[^"\\]|\\.)*"|[\[\]{}]')
_TURTLE_TOKENS = re.compile(
    rb"[^\"'<#\[\]()>]+"
    rb'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb"|<[^<>\"{}|^`\\\x00-\x20]*>"
    rb"|(?<!\\)#[^\n\r]*"
    rb"|(?<!\\)[\[\]()]"
    rb"|<<|>>"
)
#: What opens a level in each syntax (``<`` stands for the triple term's ``<<``).
_OPENERS = {
    ox.RdfFormat.JSON_LD: b"[{",
    ox.RdfFormat.TURTLE: b"[(<",
    ox.RdfFormat.TRIG: b"[(<",
    ox.RdfFormat.N_TRIPLES: b"<",
    ox.RdfFormat.N_QUADS: b"<",
}
#: Each closing token and the opener it closes.
_CLOSES = {b"]": b"[", b")": b"(", b"}": b"{", b">>": b"<"}
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+([^\s%\"'>]+)\s+(?:\"([^\"]*)\"|'([^']*)')", re.S)
_ENTITY_REFERENCE = re.compile(rb"&([A-Za-z_:][\w.:-]*);")


def max_depth() -> int:
    """The deepest nesting kgtool reads (``$KGTOOL_MAX_DEPTH``)."""
    from kgtool.environment import positive_int

    return positive_int(MAX_DEPTH_ENV, MAX_DEPTH, "levels")


def max_literal() -> int:
    """The longest literal kgtool reads, in characters (``$KGTOOL_MAX_LITERAL_MB``)."""
    from kgtool.environment import megabytes

    return megabytes(MAX_LITERAL_ENV, MAX_LITERAL_MB)


def check_rdf(path: Path, data: bytes, fmt: ox.RdfFormat) -> bytes:
    """``data`` without a byte order mark, once its nesting and entities are within the limits."""
    if data.startswith(BYTE_ORDER_MARK):
        data = data[len(BYTE_ORDER_MARK) :]
    limit = max_depth()
    if fmt == ox.RdfFormat.RDF_XML:
        check_entities(path, data)
        _check_xml_depth(path, data, limit)
    elif fmt in _OPENERS:
        tokens = _JSON_TOKENS if fmt == ox.RdfFormat.JSON_LD else _TURTLE_TOKENS
        check_depth(path, data, limit, tokens, _OPENERS[fmt])
    return data


def check_results(source: str, data: bytes, fmt: ox.QueryResultsFormat) -> None:
    """Refuse SPARQL results nested deeper than the limit: triple terms nest in every results format, and
    pyoxigraph's results parsers recurse once per level as its RDF parsers do."""
    limit = max_depth()
    if fmt == ox.QueryResultsFormat.XML:
        if data.count(b"<triple") > limit:
            _check_xml_depth(source, data, limit)
    elif fmt == ox.QueryResultsFormat.JSON:
        check_depth(source, data, limit, _JSON_TOKENS, b"[{")
    else:
        check_depth(source, data, limit, _TURTLE_TOKENS, b"<")


def check_depth(
    path: Path | str, data: bytes, limit: int, tokens: re.Pattern[bytes], openers: bytes, iri_may_be_code: bool = False
) -> None:
    """Refuse ``data`` nested deeper than ``limit`` brackets, strings, IRIs and comments aside.

    The count of opening brackets anywhere bounds the depth from above; only a file with more of them than the
    limit is scanned token by token (in C, by the regular expression), so ordinary files cost one count.

    ``iri_may_be_code``: in SPARQL ``<`` is also less-than, so what looks like an IRI may be code. Its brackets
    then count as they open, but its closing brackets never take the depth below where the span began: an
    ordinary IRI adds nothing, and code disguised as an IRI can neither nest unseen nor hide closers.
    """
    bound = sum(data.count(bytes([opener])) for opener in openers if opener != ord("<"))
    if b"<" in openers:
        bound += data.count(b"<<")
    if bound <= limit:
        return
    if not iri_may_be_code:
        found = _bracket_line_tokens(data) if tokens is _TURTLE_TOKENS else None
        if not _exceeds(tokens.findall(data) if found is None else found, openers, limit):
            return
    depth = 0  # too deep, or SPARQL: token by token, to say where
    for match in tokens.finditer(data):
        token = match.group()
        if iri_may_be_code and token[:1] == b"<" and len(token) > 2:
            floor = depth
            for byte in token:
                if byte in openers and byte != ord("<"):
                    depth += 1
                    if depth > limit:
                        raise too_deep(path, data[: match.start()].count(b"\n") + 1, limit)
                elif byte in b"])}":
                    depth = max(floor, depth - 1)
            continue
        opened = b"<" if token == b"<<" else token
        if len(opened) == 1 and opened in openers:
            depth += 1
            if depth > limit:
                raise too_deep(path, data[: match.start()].count(b"\n") + 1, limit)
        elif _CLOSES.get(token, b"-") in openers:
            depth = max(0, depth - 1)


#: What a bracket token of ``_TURTLE_TOKENS`` is written with.
_BRACKETS = (b"[", b"]", b"(", b")", b"<<", b">>")


def _bracket_line_tokens(data: bytes) -> list[bytes] | None:
    """The ``_TURTLE_TOKENS`` of the lines of ``data`` that hold a bracket, in order: their brackets are the
    brackets of the whole file's tokens (the nesting check of the 52 MB of a million synthetic triples, where few
    lines hold a bracket: 0.4-0.5 s against 1.4-1.6 s). None where that does not hold or gains nothing: triple
    quotes in the file (a string over several lines), or brackets on a large part of its lines.

    Why it holds: without triple quotes no token but a run of bytes that start no token (which holds no bracket)
    goes past a newline, so the whole file's tokenizer starts each line either inside such a run or at a token's
    start, as a tokenizer started at the line does (its look-behinds see the same byte before), and a line
    without a bracket byte has no bracket token."""
    if b'"""' in data or b"'''" in data:
        return None
    starts: set[int] = set()
    most = len(data) // 400 + 100  # past this many lines, scanning the whole file is as quick
    for bracket in _BRACKETS:
        at = data.find(bracket)
        while at != -1:
            starts.add(data.rfind(b"\n", 0, at) + 1)
            if len(starts) > most:
                return None
            at = data.find(b"\n", at)  # the rest of the line is tokenized anyway
            at = -1 if at == -1 else data.find(bracket, at)
    found: list[bytes] = []
    for start in sorted(starts):
        end = data.find(b"\n", start)
        found += _TURTLE_TOKENS.findall(data, start, len(data) if end == -1 else end)
    return found


def _exceeds(tokens: list[bytes], openers: bytes, limit: int) -> bool:
    """Whether ``tokens`` nest deeper than ``limit`` (a closer never takes the depth below 0): the scan of
    ``check_depth`` over the tokens as bytes, without a match object each."""
    steps = {(b"<<" if opener == ord("<") else bytes([opener])): 1 for opener in openers}
    steps.update({closer: -1 for closer, opener in _CLOSES.items() if opener in openers})
    depth = 0
    for token in tokens:
        step = steps.get(token)
        if step == 1:
            depth += 1
            if depth > limit:
                return True
        elif step and depth:
            depth -= 1
    return False


def too_deep(path: Path | str, line: int, limit: int) -> InputError:
    return InputError(
        f"{path}:{line}: nested deeper than {limit} levels; kgtool refuses such input "
        f"(raise ${MAX_DEPTH_ENV} to read it)"
    )


def check_entities(path: Path, data: bytes) -> None:
    """Refuse RDF/XML whose internal entities expand past the input limit, or refer to themselves."""
    declared = {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ENTITY_DECLARATION.finditer(data)
    }
    if not declared:
        return
    from kgtool.files import max_input_bytes

    limit = max_input_bytes()
    sizes: dict[bytes, int] = {}

    def size(name: bytes, seen: tuple[bytes, ...]) -> int:
        if name in seen:
            raise InputError(f"{path}: the entity &{name.decode(errors='replace')}; refers to itself")
        if name not in sizes:
            value = declared[name]
            total = len(value)
            for reference in _ENTITY_REFERENCE.finditer(value):
                if reference.group(1) in declared:
                    total += size(reference.group(1), (*seen, name)) - len(reference.group())
            sizes[name] = min(total, limit + 1)
        return sizes[name]

    expanded = len(data)
    for reference in _ENTITY_REFERENCE.finditer(data):
        if reference.group(1) in declared:
            expanded += size(reference.group(1), ())
        if expanded > limit:
            raise InputError(
                f"{path}: its XML entities expand to more than the input limit of {limit // 2**20} MB "
                "(an entity expansion attack?); kgtool refuses it"
            )


def _check_xml_depth(path: Path | str, data: bytes, limit: int) -> None:
    """Refuse XML nested deeper than ``limit`` elements (measured by expat; malformed XML is left to the RDF/XML
    parser, which says where it is wrong)."""
    if data.count(b"<") <= limit:
        return
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    depth = [0]

    def start(name: str, attributes: object) -> None:
        depth[0] += 1
        if depth[0] > limit:
            raise too_deep(path, parser.CurrentLineNumber, limit)

    def end(name: str) -> None:
        depth[0] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return


def bounded_literals(path: Path, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """``quads`` as they come, refusing the first literal longer than ``$KGTOOL_MAX_LITERAL_MB``."""
    limit = max_literal()
    for quad in quads:
        value = quad.object
        if isinstance(value, ox.Literal) and len(value.value) > limit:
            raise InputError(
                f"{path}: a literal of {len(value.value):,} characters, more than the limit of "
                f"{limit / 2**20:g} MB (raise ${MAX_LITERAL_ENV} to read it)"
            )
        yield quad
