"""The subjects of the statements of a Turtle, TriG, N-Triples or N-Quads text, with their lines, in order.

Parsers give quads, not positions, and name an anonymous blank node (``[] a sal:StrategicAlliance ; …``) anew at
every parse. To place such a record on its line, ``kgtool.validation.blank_places`` pairs the statements whose
subject is anonymous, in the order they are written, with the blank nodes a parser makes for them, in the order
it makes them. That pairing is only as sound as this scanner: it follows IRIs, strings (short and long, with
escapes), comments, numbers, prefixed names and brackets, and gives up (``None``) on anything it does not know
(RDF 1.2 triple terms and reifiers, a text it cannot follow): a line that is not known stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: White space and comments, each comment to the end of its line: every part of a text matches one way only, so
#: that a text no token fits fails at once (``(?:[ ]+|#.*)*`` would try every split of the blanks before failing).
_BLANKS = r"[ \t\r\n]*(?:\#[^\r\n]*(?![^\r\n])[ \t\r\n]*)*"
_TOKEN = re.compile(
    _BLANKS
    + r"""(?:
    (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<long>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*''')
  | (?P<short>"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<caret>\^\^)
  | (?P<number>[+-]?(?:[0-9]+\.(?=[eE])|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<punct>[\[\](){};,.])
  | (?P<bnode>_:(?:[^\s<>"'{}\[\](),;#\\.^@:]|\.(?=[^\s<>"'{}\[\](),;#.^@:]))+)
  | (?P<name>(?:[^\s<>"'{}\[\](),;#\\.^@]|\\.|\.(?=[^\s<>"'{}\[\](),;#.^@]))+)
    )""",
    re.VERBOSE,
)
_END = re.compile(_BLANKS + r"\Z")
_DIRECTIVES = {"@prefix", "@base"}
_SPARQL_DIRECTIVES = {"prefix": 2, "base": 1}  # the tokens after PREFIX / BASE (no closing dot)


@dataclass(frozen=True)
class Subject:
    """A statement's subject as written: ``[`` (anonymous), ``(`` (a collection), or the term (``_:b1``,
    ``sald:x``, ``<IRI>``); and the line it starts on."""

    token: str
    line: int


def subjects(text: str) -> list[Subject] | None:
    """The subject of every statement of ``text`` in order (graph names left out), or None when the scanner meets
    something it does not follow."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    found: list[Subject] = []
    depth, start, skip = 0, True, 0
    line, counted = 1, 0  # the line of offset ``counted``
    for index, (kind, value, offset) in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        if start and depth == 0:
            start = False
            lowered = value.lower()
            if kind == "name" and lowered in _SPARQL_DIRECTIVES:
                skip, start = _SPARQL_DIRECTIVES[lowered], True
                continue
            if kind == "name" and lowered == "graph":
                start = True  # the graph name and its brace follow
                continue
            if value in _DIRECTIVES or value == "}":
                start = value == "}"
                continue
            if _graph_name(tokens, index):
                start = True  # ``<g> {``, ``[] {``: a graph name, not a subject
                continue
            anonymous = kind == "punct" and value in ("[", "(") and not (value == "(" and _next(tokens, index) == ")")
            if anonymous or kind in ("iri", "name", "bnode"):  # ``()`` is rdf:nil, not a blank node
                line, counted = line + text.count("\n", counted, offset), offset
                found.append(Subject(value, line))
        if kind == "punct":
            if value in ("[", "("):
                depth += 1
            elif value in ("]", ")"):
                depth -= 1
                if depth < 0:
                    return None
            elif value in ("{", "}") or (value == "." and depth == 0):
                start = True
    return found


def _tokens(text: str) -> list[tuple[str, str, int]] | None:
    """``(kind, text, offset)`` of every token but blanks and comments; None where no token pattern fits. One
    ``finditer`` over the text (a Python loop per token and a line count per token took 3 times as long)."""
    tokens: list[tuple[str, str, int]] = []
    at = 0
    for found in _TOKEN.finditer(text):
        if found.start() != at or found.end() == at:
            return None  # something between two tokens that is none
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind), found.start(kind)))
        at = found.end()
    if _END.match(text, at) is None:
        return None
    if any(kind == "name" and value.startswith(("~", "|")) for kind, value, _ in tokens):
        return None  # an RDF 1.2 reifier or annotation
    return tokens


def _next(tokens: list[tuple[str, str, int]], index: int) -> str | None:
    return tokens[index + 1][1] if index + 1 < len(tokens) else None


def _graph_name(tokens: list[tuple[str, str, int]], index: int) -> bool:
    """Whether the term at ``index`` (an IRI, a name, or ``[]``) is followed by ``{``: a TriG graph name."""
    if tokens[index][1] == "[" and _next(tokens, index) == "]":
        index += 1
    return _next(tokens, index) == "{"
