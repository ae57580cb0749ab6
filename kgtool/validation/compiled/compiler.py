"""SHACL Core compiled to SPARQL: one query per shape and constraint, over all focus nodes at once.

Each constraint becomes a *check*: a group body that, with the focus variable bound before it, has one solution
per validation result (binding the value variable when the result has a value). At the top level a check is
joined with the shape's targets (``SELECT DISTINCT ?this ?value``); inside another shape (``sh:node``, ``sh:or``,
a qualified value shape ...) the checks of a shape become ``EXISTS { body }`` tests, so "does this node conform
to that shape" is one boolean expression evaluated by the store. Multiplicities follow pySHACL: one result per
focus node, value and constraint value (two ``sh:class`` values give two results for a value that has neither).

pySHACL is the reference: where it departs from the letter of SHACL the compiler follows it, and says so
(``sh:languageIn`` matches a tag or its primary subtag, not ``langMatches``; literal semantics are rdflib's,
``kgtool.validation.compiled.literals``; shapes whose severity pySHACL is told to allow never fail inside other shapes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.validation.compiled import literals
from kgtool.validation.compiled.check import COMPONENTS, VALUE, Check, Variables
from kgtool.validation.compiled.errors import Unsupported
from kgtool.validation.compiled.model import RDF, RDFS, SH, Path, Shape, ShapesGraph, Term
from kgtool.validation.compiled.values import ValueComponents


@dataclass
class Compiler(ValueComponents):
    """Translates shapes into checks; ``lenient`` severities (pySHACL's ``allow_warnings``/``allow_infos``) make
    a nested shape of that severity conform whatever it finds."""

    graph: ShapesGraph
    lenient: frozenset[str] = frozenset()
    fresh: Variables = field(default_factory=Variables)
    _stack: list[Term] = field(default_factory=list)

    # ------------------------------------------------------------------------------------------ shapes

    def path(self, shape: Shape) -> Path:
        try:
            return self.graph.path(shape.one("path"))
        except ValueError as error:
            raise Unsupported(f"path: {error}") from error

    def value_pattern(self, shape: Shape, focus: str, value: str) -> str:
        """A pattern binding ``value`` to each value node of ``focus`` (a property shape's path)."""
        return f"{focus} {self.path(shape).sparql()} {value} ."

    def checks(self, shape: Shape, focus: str) -> Iterator[Check]:
        """Every check of ``shape``'s own constraints (not those of its ``sh:property`` shapes)."""
        unknown = shape.predicates & self.graph.custom_parameters()
        if unknown:
            raise Unsupported(f"a SPARQL-based constraint component ({', '.join(sorted(unknown))})")
        for name, values in shape.parameters.items():
            # sh:property shapes are compiled on their own, sh:sparql as its own query (sparqlc);
            # parameters outside SHACL Core and SHACL-SPARQL are ignored, as pySHACL ignores them.
            if name in COMPONENTS and name not in ("sparql", "qualifiedMinCount", "qualifiedMaxCount"):
                yield from getattr(self, "_" + name)(shape, focus, values)
        if shape.values("qualifiedValueShape"):
            yield from self._qualified(shape, focus)

    def fails(self, shape_node: Term, node: str) -> str:
        """A boolean expression: ``node`` does not conform to the shape at ``shape_node``."""
        try:
            shape = self.graph.shape(shape_node)
        except ValueError as error:
            raise Unsupported(str(error)) from error
        if shape.deactivated or shape.severity in self.lenient:
            return "false"
        if shape_node in self._stack:
            raise Unsupported("a recursive shape")
        if shape.values("sparql"):
            raise Unsupported("a SHACL-SPARQL constraint inside another shape")
        self._stack.append(shape_node)
        try:
            tests = [_as_test(check.body) for check in self.checks(shape, node)]
            for child in shape.values("property"):
                if shape.is_property:
                    value = self.fresh()
                    inner = self.fails(child, value)
                    tests.append(f"EXISTS {{ {self.value_pattern(shape, node, value)} FILTER ({inner}) }}")
                else:
                    tests.append(self.fails(child, node))
        finally:
            self._stack.pop()
        return "(" + " || ".join(tests) + ")" if tests else "false"

    # ------------------------------------------------------------------------------------------ helpers

    def _each_value(self, shape: Shape, focus: str, component: str, bad) -> Check:
        """A value-wise constraint: a result for each value node where ``bad(value)`` holds."""
        top = not self._stack  # at the top level the value is ?value, shared by the shape's value-wise checks
        if shape.is_property:
            value = VALUE if top else self.fresh()
            test = bad(value)
            return Check(
                component,
                f"{self.value_pattern(shape, focus, value)} FILTER ({test})",
                value,
                test=test if top else None,
            )
        test = bad(focus)
        return Check(component, f"FILTER ({test})", focus, test=test if top else None)

    def _count_body(self, shape: Shape, focus: str, count: int, more: bool, condition=None) -> str:
        """A body with a solution when ``focus`` has more than ``count`` (``more``), else fewer than ``count``,
        distinct value nodes (meeting ``condition``). At the top level a grouped sub-query finds the counts once
        for every focus node; inside another shape, up to two values are tested as distinct variables (cheap for
        the few values a node has), more by a grouped sub-query per node."""
        value = self.fresh("c")
        where = self.value_pattern(shape, focus, value) + (f" FILTER ({condition(value)})" if condition else "")
        limit = count + 1 if more else count
        if limit <= 0:
            return "" if more else "FILTER (false)"
        grouped = f"SELECT {focus} WHERE {{ {where} }} GROUP BY {focus} HAVING (COUNT(DISTINCT {value}) >= {limit})"
        if limit == 1:
            return f"FILTER {'' if more else 'NOT '}EXISTS {{ {where} }}"
        if not self._stack:
            return f"{{ {grouped} }}" if more else f"MINUS {{ {grouped} }}"
        if limit == 2:
            other = self.fresh("c")
            pair = f"{where} {self.value_pattern(shape, focus, other)} FILTER (!sameTerm({value}, {other})"
            pair += f" && {condition(other)})" if condition else ")"
            return f"FILTER {'' if more else 'NOT '}EXISTS {{ {pair} }}"
        return f"FILTER {'' if more else 'NOT '}EXISTS {{ {grouped} }}"

    @staticmethod
    def _integer(values: list[Term], name: str) -> int:
        if len(values) != 1 or not isinstance(values[0], ox.Literal):
            raise Unsupported(f"sh:{name} with {len(values)} values")
        try:
            return int(values[0].value)
        except ValueError as error:
            raise Unsupported(f"sh:{name} {values[0]}") from error

    # ------------------------------------------------------------------------------------------ components

    def _node(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for target in values:
            yield self._each_value(shape, focus, "node", lambda v, t=target: self.fails(t, v))

    def _not(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for target in values:
            yield self._each_value(shape, focus, "not", lambda v, t=target: f"!{self.fails(t, v)}")

    def _members(self, head: Term) -> list[Term]:
        try:
            return self.graph.items(head)
        except ValueError as error:
            raise Unsupported(str(error)) from error

    def _and(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for head in values:
            members = list(dict.fromkeys(self._members(head)))
            yield self._each_value(shape, focus, "and", lambda v, ms=members: self._any_fails(ms, v))

    def _only_class(self, node: Term) -> str | None:
        """The class of a shape that says nothing but ``sh:class C`` (and can fail), else None."""
        try:
            member = self.graph.shape(node)
        except ValueError:
            return None
        rest = set(member.parameters) - {"class", "message", "name", "description", "severity"}
        classes = member.values("class")
        lenient = member.severity in self.lenient or member.deactivated
        if rest or member.is_property or len(classes) != 1 or lenient or isinstance(classes[0], ox.Literal):
            return None
        return literals.term(classes[0])

    def _any_fails(self, members: list[Term], v: str) -> str:
        return "(" + " || ".join(self.fails(m, v) for m in members) + ")" if members else "false"

    def _or(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for head in values:
            members = list(dict.fromkeys(self._members(head)))
            if not members:
                continue
            classes = [self._only_class(m) for m in members]
            if not self._stack and all(classes):  # "an instance of one of these classes": one anti-join
                value, pattern = self._value_or_focus(shape, focus)
                union = " UNION ".join(f"{{ {value} <{RDF}type>/<{RDFS}subClassOf>* {c} }}" for c in classes)
                yield Check("or", f"{pattern} MINUS {{ {union} }}", value)
                continue
            yield self._each_value(
                shape, focus, "or", lambda v, ms=members: "(" + " && ".join(self.fails(m, v) for m in ms) + ")"
            )

    def _xone(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for head in values:
            members = self._members(head)
            if not members:
                continue
            yield self._each_value(
                shape,
                focus,
                "xone",
                lambda v, ms=members: "(" + " + ".join(f"IF({self.fails(m, v)}, 0, 1)" for m in ms) + ") != 1",
            )

    def _minCount(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        count = self._integer(values, "minCount")
        if count > 0:
            if not shape.is_property:
                raise Unsupported("sh:minCount on a node shape")
            yield Check("minCount", self._count_body(shape, focus, count, more=False), None)

    def _maxCount(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        count = self._integer(values, "maxCount")
        if not shape.is_property:
            raise Unsupported("sh:maxCount on a node shape")
        yield Check("maxCount", self._count_body(shape, focus, count, more=True), None)

    def _qualified(self, shape: Shape, focus: str) -> Iterator[Check]:
        if not shape.is_property:
            raise Unsupported("sh:qualifiedValueShape on a node shape")
        low = shape.values("qualifiedMinCount")
        high = shape.values("qualifiedMaxCount")
        disjoint = shape.one("qualifiedValueShapesDisjoint")
        siblings: list[Term] = []
        if isinstance(disjoint, ox.Literal) and disjoint.value == "true":
            siblings = self._siblings(shape)
        for qualified in shape.values("qualifiedValueShape"):

            def conforms(v: str, q=qualified) -> str:
                test = f"!{self.fails(q, v)}"
                others = [s for s in siblings if s != q]
                if others:
                    test += " && !(" + " || ".join(f"!{self.fails(s, v)}" for s in others) + ")"
                return f"({test})"

            if high:
                count = self._integer(high, "qualifiedMaxCount")
                yield Check("qualifiedMaxCount", self._count_body(shape, focus, count, True, conforms), None)
            if low:
                count = self._integer(low, "qualifiedMinCount")
                if count > 0:
                    yield Check("qualifiedMinCount", self._count_body(shape, focus, count, False, conforms), None)

    def _siblings(self, shape: Shape) -> list[Term]:
        """pySHACL's sibling shapes: the qualified value shapes of the property shapes of every shape that has
        this one as ``sh:property``."""
        found: list[Term] = []
        parents = self.graph.subjects(SH + "property", shape.node)
        for parent in parents:
            for sibling in self.graph.objects(parent, SH + "property"):
                found += self.graph.objects(sibling, SH + "qualifiedValueShape")
        return list(dict.fromkeys(found))

    def _value_or_focus(self, shape: Shape, focus: str) -> tuple[str, str]:
        if shape.is_property:
            value = self.fresh()
            return value, self.value_pattern(shape, focus, value)
        return focus, ""


def _as_test(body: str) -> str:
    """A check's body as a boolean: its filter alone when it is nothing else (no pattern to evaluate)."""
    if body.startswith("FILTER (") and body.endswith(")") and _balanced(body[len("FILTER (") : -1]):
        return body[len("FILTER ") :]
    return f"EXISTS {{ {body} }}"


def _balanced(text: str) -> bool:
    """Whether ``text`` closes every parenthesis it opens before its end (so it is one expression)."""
    depth = 0
    in_string = False
    for i, char in enumerate(text):
        if char == '"' and (i == 0 or text[i - 1] != "\\"):
            in_string = not in_string
        elif not in_string:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return False
    return depth == 0
