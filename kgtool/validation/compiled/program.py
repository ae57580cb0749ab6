"""A shapes graph compiled into rules, one SPARQL query each, and the shapes left to pySHACL.

``compile_program(quads)`` reads the shapes graph once: every shape with targets (a *root*) and the
``sh:property`` shapes below it become ``Rule``s; a root that uses something the compiler does not claim goes,
whole, to ``Program.fallback`` with the reason, and is validated by pySHACL (``kgtool.validation.compiled.run``), never
skipped. A rule's query selects ``?this`` (the focus node), the reported value and path, and holds markers
where a run puts the shape's targets (``kgtool.validation.compiled.targets``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgtool.validation.compiled import sparqlc, targets
from kgtool.validation.compiled.check import COMPONENTS, VALUE
from kgtool.validation.compiled.compiler import Compiler
from kgtool.validation.compiled.errors import Unsupported
from kgtool.validation.compiled.model import SH, XSD, Node, Shape, ShapesGraph, Term

PROLOGUE = f"PREFIX xsd: <{XSD}>\n"
#: How deep ``sh:property`` shapes may nest below a root.
MAX_DEPTH = 8


@dataclass(frozen=True)
class Rule:
    """One query and what its results say: source shape, component, severity, messages, result path.

    ``value``/``path_variable``: the variables holding the reported value and path (None: none, or the shape's
    path); ``sparql``: for a SHACL-SPARQL constraint, what its prepared query projects."""

    shape: Node
    component: str
    severity: str
    messages: tuple[ox.Literal, ...]
    path: str | None
    path_triples: tuple[ox.Triple, ...]
    query: str
    value: str | None = None
    path_variable: str | None = None
    source_constraint: Node | None = None
    sparql: sparqlc.SparqlQuery | None = None
    node_shape: bool = False
    components: tuple[str, ...] = ()  # a merged rule: the component of each ?k


@dataclass
class Program:
    """The compiled rules, and the roots pySHACL validates instead (root -> why)."""

    rules: list[Rule]
    fallback: dict[Node, str]
    shapes: ShapesGraph = field(repr=False)
    lenient: frozenset[str] = frozenset()
    target_sets: list[tuple[targets.Target, ...]] = field(default_factory=list)


def compile_program(quads, lenient: frozenset[str] = frozenset()) -> Program:
    """Compile a shapes graph (quads or triples). ``lenient``: severity IRIs pySHACL is told to allow."""
    graph = ShapesGraph(quads)
    rules: list[Rule] = []
    fallback: dict[Node, str] = {}
    sets: dict[tuple[targets.Target, ...], int] = {}
    for shape in list(graph.shapes.values()):
        if not shape.targets or shape.deactivated:
            continue
        try:
            compiler = Compiler(graph, lenient)
            key = sets.setdefault(_Focus.checked(shape), len(sets))
            rules += list(_shape_rules(compiler, shape, _Focus(compiler, key), 0))
        except Unsupported as error:
            fallback[shape.node] = str(error)
    return Program(rules, fallback, graph, lenient, list(sets))


@dataclass(frozen=True)
class _Focus:
    """How to bind the focus nodes of a shape: ``pattern(var, restrict)`` is a group binding ``var`` (and the
    parents' variables, kept so that a value reached from two parents is checked twice, as pySHACL does)."""

    compiler: Compiler
    key: int = -1  # the target set of a root
    parent: _Focus | None = None
    parent_shape: Shape | None = None

    @staticmethod
    def checked(shape: Shape) -> tuple[targets.Target, ...]:
        if any(isinstance(term, ox.BlankNode) for _, term in shape.targets):
            raise Unsupported("a blank node as target")
        return tuple(shape.targets)

    def pattern(self, var: str, restrict: bool) -> tuple[str, list[str]]:
        """A group binding ``var``, and the variables it projects (the parents' first); ``restrict`` marks where
        a run limits ``var`` to its focus graph."""
        if self.parent is None:
            return targets.marker(self.key, var, restrict), [var]
        parent_var = self.compiler.fresh("parent")
        inner, parents = self.parent.pattern(parent_var, False)
        if self.parent_shape.is_property:
            values = self.compiler.value_pattern(self.parent_shape, parent_var, var)
        else:
            values = f"BIND ({parent_var} AS {var})"
        keep = [*parents, var]
        limit = targets.restriction(var) if restrict else ""
        return f"{{ SELECT DISTINCT {' '.join(keep)} WHERE {{ {inner} {values} {limit} }} }}", keep

    def child(self, shape: Shape) -> _Focus:
        return _Focus(self.compiler, -1, self, shape)


def _shape_rules(compiler: Compiler, shape: Shape, focus: _Focus, depth: int) -> Iterator[Rule]:
    if depth > MAX_DEPTH:
        raise Unsupported("sh:property shapes nested too deep (or in a cycle)")
    path, path_triples = None, ()
    if shape.is_property:
        path = compiler.path(shape).text()
        path_triples = compiler.graph.path_triples(shape.one("path"))
    common = {
        "shape": shape.node,
        "severity": shape.severity,
        "path": path,
        "path_triples": path_triples,
        "node_shape": not shape.is_property,
    }
    focus_text, focus_variables = focus.pattern("?this", True)
    parents = " ".join(v for v in focus_variables if v != "?this")
    checks = list(compiler.checks(shape, "?this"))
    merged = [check for check in checks if check.test is not None]
    if len(merged) > 1:
        yield _merged_rule(compiler, shape, merged, focus_text, parents, common)
        checks = [check for check in checks if check.test is None]
    for check in checks:
        keys = " ".join(check.keys)
        value = check.value if check.value in (VALUE, None) else f"({check.value} AS ?value)"
        value = "" if check.value in ("?this", None) else value
        path_var = f"({check.path} AS ?path)" if check.path else ""
        query = (
            f"{PROLOGUE}SELECT DISTINCT {parents} ?this {value} {path_var} {keys} WHERE {{ {focus_text} {check.body} }}"
        )
        yield Rule(
            component=SH + COMPONENTS[check.component],
            messages=tuple(shape.messages()),
            query=query,
            value="this" if check.value == "?this" else ("value" if check.value else None),
            path_variable="path" if check.path else None,
            **common,
        )
    for constraint in shape.values("sparql"):
        yield _sparql_rule(compiler, shape, constraint, focus_text, common)
    for child in shape.values("property"):
        child_shape = compiler.graph.shape(child)
        if not child_shape.deactivated:
            yield from _shape_rules(compiler, child_shape, focus.child(shape), depth + 1)


def _merged_rule(compiler: Compiler, shape: Shape, checks: list, focus_text: str, parents: str, common: dict) -> Rule:
    """One query for a shape's value-wise checks: the focus nodes and values found once, each check a branch of
    one filter (``?k`` says which), instead of one query each."""
    values = compiler.value_pattern(shape, "?this", VALUE) if shape.is_property else ""
    tests = " || ".join(f"(?k = {k} && {check.test})" for k, check in enumerate(checks))
    selected = "?value" if shape.is_property else ""
    keys = " ".join(map(str, range(len(checks))))
    query = (
        f"{PROLOGUE}SELECT DISTINCT {parents} ?this {selected} ?k WHERE {{ {focus_text} {values} "
        f"VALUES ?k {{ {keys} }} FILTER ({tests}) }}"
    )
    return Rule(
        component="",
        components=tuple(SH + COMPONENTS[check.component] for check in checks),
        messages=tuple(shape.messages()),
        query=query,
        value="value" if shape.is_property else "this",
        **common,
    )


def _sparql_rule(compiler: Compiler, shape: Shape, constraint: Term, focus_text: str, common: dict) -> Rule:
    graph = compiler.graph
    if isinstance(constraint, ox.Literal):
        raise Unsupported("sh:sparql must be a node")
    flags = graph.objects(constraint, SH + "deactivated")
    if flags and flags[0].value == "true":
        raise Unsupported("a deactivated SPARQL constraint")  # pySHACL skips it: so does the fallback
    selects = graph.objects(constraint, SH + "select")
    if len(selects) != 1 or not isinstance(selects[0], ox.Literal):
        raise Unsupported("a SPARQL constraint without one sh:select")
    path = compiler.path(shape).sparql() if shape.is_property else None
    current = str(shape.node) if isinstance(shape.node, ox.NamedNode) else None
    prepared = sparqlc.prepare(selects[0].value, graph.prefixes(constraint), path, current)
    messages = [m for m in graph.objects(constraint, SH + "message") if isinstance(m, ox.Literal)]
    return Rule(
        component=SH + "SPARQLConstraintComponent",
        messages=tuple(messages or shape.messages()),
        query=prepared.text.replace(sparqlc.FOCUS, focus_text),
        source_constraint=constraint,
        sparql=prepared,
        **common,
    )
