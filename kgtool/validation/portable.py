"""Compiled SHACL queries as a SPARQL server answers them alike: Virtuoso 7 beside Oxigraph (docs/ENGINES.md).

The compiled program (``kgtool.validation.compiled``) is written for Oxigraph, which evaluates SPARQL 1.1 as the
standard says. ``kgtool validate --endpoint`` sends the same queries to a server, and Virtuoso 7 answers some
shapes of query differently (a property path inside ``MINUS``, a transitive step joined with other patterns,
``$this`` beside ``?this``, the datatype of a language-tagged string). Each rewrite here gives the same answer on
every engine (the tests run the embedded store, ``oxigraph serve`` and Virtuoso on the same data), so the
rewritten text is sent to every server, never to one by name.
"""

from __future__ import annotations

import itertools
import re

from kgtool.validation.compiled.model import RDF, RDFS, Term
from kgtool.validation.compiled.targets import Targets, pattern


class FencedTargets(Targets):
    """The focus nodes the embedded run binds, written as Virtuoso 7 evaluates them right: a target class's
    subclasses found in a sub-SELECT of their own, fenced with a LIMIT no data reaches, and each focus node
    ``?this a ?kind`` of one of them (the catalog's shape 1); the focus set is fenced too. Virtuoso merges an
    unfenced ``rdf:type/rdfs:subClassOf*`` step into the outer plan and then finds no focus node at all next to a
    ``FILTER EXISTS { GRAPH … }`` (docs/ENGINES.md V1, V18). The answer is the same on every engine."""

    def limit(self, var: str) -> str:
        """The focus graph's subjects joined from a fenced sub-SELECT: Virtuoso let records of other graphs through
        ``FILTER EXISTS { GRAPH <G> { ?this ?p ?o } }`` in a UNION of target classes (V18)."""
        if not self.focus_graphs:
            return ""
        graphs = " ".join(map(str, self.focus_graphs))
        subjects = f"VALUES ?limit_g {{ {graphs} }} GRAPH ?limit_g {{ {var} ?limit_p ?limit_o }}"
        return f"{{ SELECT DISTINCT {var} WHERE {{ {subjects} }} LIMIT {FENCE} }}"

    def _union(self, key: int, var: str, restrict: bool) -> str:
        limit = self.limit(var) if restrict else ""
        parts = [
            f"{{ {self._pattern(kind, term, var, index)} {limit} }}"
            for index, (kind, term) in enumerate(self.sets[key])
        ]
        return f"{{ SELECT DISTINCT {var} WHERE {{ {' UNION '.join(parts)} }} LIMIT {FENCE} }}"

    @staticmethod
    def _pattern(kind: str, term: Term, var: str, index: int) -> str:
        if kind != "targetClass":
            return pattern(kind, term, var)
        kind_var = f"?focus_kind_{index}"
        closure = f"{{ SELECT DISTINCT {kind_var} WHERE {{ {kind_var} <{RDFS}subClassOf>* {term} }} LIMIT {FENCE} }}"
        return f"{closure} {var} a {kind_var}"


#: The LIMIT of a fenced sub-SELECT (``FencedTargets``): no data set has that many focus nodes.
FENCE = 1_000_000_000
#: What a rewrite leaves alone: strings, IRIs, comments.
_OPAQUE = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
#: Outside those: a ``$`` variable (SPARQL's other spelling of ``?``).
_TOKENS = re.compile(_OPAQUE + r"|\$(?P<dollar>\w+)")
#: A brace outside strings, IRIs and comments (the others are matched to be skipped).
_BRACES = re.compile(_OPAQUE + r"|[{}]")


#: An instance test of the compiled checks: ``?v rdf:type/rdfs:subClassOf* <C>`` (``sh:class``, ``sh:or`` of classes).
_INSTANCE = re.compile(rf"(\?\w+) <{re.escape(RDF)}type>/<{re.escape(RDFS)}subClassOf>\* (<[^<>\s]+>)")


def portable(text: str) -> str:
    """``text`` as every engine evaluates it alike (docs/ENGINES.md V17, V18): the same query, written so.

    - Every ``$name`` variable is written ``?name`` (strings, IRIs and comments left alone): both spellings name one
      variable in SPARQL, and the compiled SHACL-SPARQL constraints keep the shapes' ``$this`` beside the focus
      sub-SELECT's ``?this``; Virtuoso reads ``$this`` as another variable, so the two never joined and every
      record on the server came back as a focus node.
    - Each instance test ``?v rdf:type/rdfs:subClassOf* C`` becomes ``?v a ?kind`` with the kinds below ``C`` from a
      fenced sub-SELECT: inside ``MINUS`` or ``NOT EXISTS`` Virtuoso's property path removed nothing (V17), so
      every value of ``sh:class`` was reported as not an instance.
    - ``EXISTS { FILTER NOT EXISTS { X } }`` is written ``NOT EXISTS { X }`` (``_fold_exists``)."""
    text = _TOKENS.sub(_token, text)
    counter = itertools.count()

    def instance(match: re.Match) -> str:
        kind = f"?kgtool_kind_{next(counter)}"
        closure = f"SELECT DISTINCT {kind} WHERE {{ {kind} <{RDFS}subClassOf>* {match.group(2)} }} LIMIT {FENCE}"
        return f"{match.group(1)} a {kind} . {{ {closure} }}"

    return _fold_exists(_INSTANCE.sub(instance, text))


def _token(match: re.Match) -> str:
    return "?" + match.group("dollar") if match.group("dollar") else match.group(0)


#: ``EXISTS { FILTER NOT EXISTS {`` (either negation optional), up to the inner group's brace.
_NESTED_EXISTS = re.compile(r"(NOT\s+|!\s*)?EXISTS\s*\{\s*FILTER\s*(NOT\s+)?EXISTS\s*\{")
_CLOSING = re.compile(r"\s*\}")


def _fold_exists(text: str) -> str:
    """``EXISTS { FILTER NOT EXISTS { X } }`` written ``NOT EXISTS { X }`` (the same test; likewise the other
    negations): the compiled ``sh:or``/``sh:not`` members are such tests, and Virtuoso fails on them ("SQ156:
    Internal Optimized compiler error : unknown table for a column", docs/ENGINES.md V18)."""
    out, position = [], 0
    for match in _NESTED_EXISTS.finditer(text):
        if match.start() < position:
            continue  # inside a group already written
        opened = match.end() - 1
        closed = _matching(text, opened)
        after = _CLOSING.match(text, closed + 1) if closed >= 0 else None
        if after is None:  # the outer group holds more than the inner test: not the same test then
            continue
        negated = bool(match.group(1)) != bool(match.group(2))
        out += [text[position : match.start()], "NOT EXISTS {" if negated else "EXISTS {"]
        out += [_fold_exists(text[opened + 1 : closed]), "}"]
        position = after.end()
    return "".join(out) + text[position:]


def _matching(text: str, opened: int) -> int:
    """The index of the brace that closes the one at ``opened`` (-1 if none)."""
    depth = 0
    for token in _BRACES.finditer(text, opened):
        if token.group(0) == "{":
            depth += 1
        elif token.group(0) == "}":
            depth -= 1
            if depth == 0:
                return token.start()
    return -1
