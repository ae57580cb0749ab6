"""SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``) run over all focus nodes at once.

SHACL pre-binds ``$this`` to one focus node per run; run with ``$this`` unbound, a query finds violations of
nodes that are no focus nodes at all (a false positive). The compiler therefore puts the shape's targets at
the front of the query's top-level group: the query's own patterns, ``OPTIONAL``s, ``FILTER``s and
``FILTER (NOT) EXISTS`` then see ``?this`` bound exactly as pre-binding would bind it. That holds when the
top-level group nests no group other than ``OPTIONAL`` or ``EXISTS`` (and those nest only ``EXISTS``), and has no
sub-query or ``GRAPH``; other queries are not claimed (pySHACL runs them). What SHACL forbids under pre-binding
(``MINUS``, ``VALUES``, ``SERVICE``, binding ``$this``, a sub-query that does not project ``$this``) is refused,
as pySHACL refuses it. ``$shapesGraph`` is not claimed; ``$PATH`` and ``$currentShape`` are replaced by their
terms, as pySHACL does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgtool.validation.compiled.errors import ShapesError, Unsupported

_TOKEN = re.compile(
    r"""(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<var>[?$][A-Za-z_0-9]+)"""
    r"""|(?P<word>[A-Za-z_][A-Za-z_0-9]*)"""
    r"""|(?P<brace>[{}])"""
    r"""|(?P<other>.)""",
    re.DOTALL,
)
_REFUSED = {"MINUS", "VALUES", "SERVICE"}


@dataclass(frozen=True)
class SparqlQuery:
    """A SHACL-SPARQL SELECT made ready to run: ``text`` holds ``FOCUS`` where the targets go; ``projects_this``
    whether the author's query projects ``$this``; ``variables`` what it projects (empty for ``*``)."""

    text: str
    projects_this: bool
    variables: tuple[str, ...]


def _tokens(text: str) -> list[tuple[str, str, int]]:
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]


FOCUS = "\x00FOCUS\x00"


def prepare(select: str, prefixes: dict[str, str], path: str | None, current_shape: str | None) -> SparqlQuery:
    """The query of a ``sh:select`` with its prefixes, ``$PATH`` and ``$currentShape`` replaced."""
    names = {value[1:] for kind, value, _ in _tokens(select) if kind == "var"}
    if "shapesGraph" in names:
        raise Unsupported("$shapesGraph in a SPARQL constraint")
    for name, replacement in (("PATH", path), ("currentShape", current_shape)):
        if name in names and replacement is None:
            raise Unsupported(f"${name} in this SPARQL constraint")
    select = _replace_variables(select, {"PATH": path, "currentShape": current_shape})
    tokens = _tokens(select)
    _refuse_forbidden(tokens)
    selects = [i for i, (kind, value, _) in enumerate(tokens) if kind == "word" and value.upper() == "SELECT"]
    if not selects:
        raise Unsupported("a SPARQL constraint that is not a SELECT")
    open_at = next((i for i in range(selects[0], len(tokens)) if tokens[i][1] == "{"), None)
    if open_at is None:
        raise Unsupported("a SPARQL constraint without a WHERE group")
    projection = tokens[selects[0] + 1 : open_at]
    projected = tuple(value[1:] for kind, value, _ in projection if kind == "var")
    star = any(value == "*" for _, value, _ in projection)
    if len(selects) > 1 or not _injectable(tokens[open_at:]):
        raise Unsupported("a SPARQL query whose pre-binding is not a join (nested groups, a sub-query, GRAPH)")
    select_start, where_start = tokens[selects[0]][2], tokens[open_at][2]
    head = select[select_start + len("SELECT") : where_start]
    head = head[re.match(r"\s*(DISTINCT|REDUCED)?", head, re.IGNORECASE).end() :]
    projects_this = star or "this" in projected
    text = _prologue(prefixes) + select[:select_start] + "SELECT DISTINCT"
    text += _before_where(head, "" if projects_this else " ?this") + "{ " + FOCUS + " " + select[where_start + 1 :]
    return SparqlQuery(text, projects_this, projected)


def _refuse_forbidden(tokens: list[tuple[str, str, int]]) -> None:
    """What SHACL forbids in a query run with pre-bound variables (and pySHACL refuses)."""
    words = [(kind, value.upper()) for kind, value, _ in tokens if kind in ("word", "var", "brace")]
    for i, (kind, value) in enumerate(words):
        if kind == "word" and value in _REFUSED:
            raise ShapesError(f"a SPARQL constraint must not contain {value}")
        if kind == "word" and value == "AS" and i + 1 < len(words) and words[i + 1][1][1:] == "THIS":
            raise ShapesError("a SPARQL constraint must not bind $this")
    selects = [i for i, (kind, value) in enumerate(words) if kind == "word" and value == "SELECT"]
    for start in selects[1:]:
        end = next((j for j in range(start, len(words)) if words[j][1] == "{"), len(words))
        if "$THIS" not in {w for _, w in words[start:end]} and "?THIS" not in {w for _, w in words[start:end]}:
            raise ShapesError("a sub-query of a SPARQL constraint must project $this")


def _replace_variables(text: str, replacements: dict[str, str | None]) -> str:
    pieces, last = [], 0
    for kind, value, start in _tokens(text):
        if kind == "var" and replacements.get(value[1:]) is not None:
            pieces += [text[last:start], replacements[value[1:]]]
            last = start + len(value)
    return "".join(pieces) + text[last:]


def _before_where(head: str, extra: str) -> str:
    """The projection (and WHERE keyword) with ``extra`` variables appended to the projection."""
    match = re.search(r"\bWHERE\s*$", head, re.IGNORECASE)
    if match:
        return " " + head[: match.start()].strip() + extra + " WHERE "
    return " " + head.strip() + extra + " "


def _prologue(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in prefixes.items())


def _injectable(tokens: list[tuple[str, str, int]]) -> bool:
    """Whether the WHERE group (its tokens from the opening brace) binds ``?this`` by joining alone."""
    stack: list[str] = []
    previous = ""
    for kind, value, _ in tokens:
        upper = value.upper()
        if kind == "word" and upper == "GRAPH":
            return False
        if value == "{":
            label = previous if previous in ("OPTIONAL", "EXISTS") else "GROUP"
            if stack:
                inside_exists = "EXISTS" in stack
                if not inside_exists and (label == "GROUP" or (len(stack) > 1 and label != "EXISTS")):
                    return False
            stack.append(label if stack else "WHERE")
        elif value == "}":
            if not stack:
                return False
            stack.pop()
            if not stack:
                return True
        if kind in ("word", "brace") or value not in (" ", "\n", "\t", "\r"):
            previous = upper if kind == "word" else value
    return False
