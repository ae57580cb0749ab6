"""The shapes graph read into plain objects: shapes, their targets, paths and constraint parameters.

The compiler works from these, not from the graph: a shape is its node, whether it is a property shape, its path
(as a small tree, turned into SPARQL property-path syntax), its targets, its severity and messages, and every
``sh:`` parameter it carries. Shapes are found the way SHACL (and pySHACL) finds them: typed as shapes, carrying
a target, a path or a constraint parameter, or named where a shape is expected (``sh:node``, ``sh:or`` ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Node = ox.NamedNode | ox.BlankNode

#: Parameters whose values are shapes (lists of shapes for the logical ones).
SHAPE_PARAMETERS = ("node", "property", "not", "qualifiedValueShape")
SHAPE_LIST_PARAMETERS = ("and", "or", "xone")
TARGET_PARAMETERS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
#: Every constraint parameter of SHACL Core and SHACL-SPARQL's sh:sparql.
CONSTRAINT_PARAMETERS = frozenset(
    {
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
        "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint",
        "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "property", "qualifiedValueShape",
        "closed", "hasValue", "in", "sparql",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Path:
    """A SHACL property path: ``kind`` is iri, inverse, sequence, alternative, zeroOrMore, oneOrMore or
    zeroOrOne; ``iri`` for a predicate, ``steps`` for the others."""

    kind: str
    iri: str = ""
    steps: tuple[Path, ...] = ()

    def sparql(self, top: bool = True) -> str:
        """The path in SPARQL property-path syntax, with full ``<IRI>``s."""
        if self.kind == "iri":
            return f"<{self.iri}>"
        if self.kind in ("sequence", "alternative"):
            text = ("/" if self.kind == "sequence" else "|").join(step.sparql(False) for step in self.steps)
            return text if top else f"({text})"
        inner = self.steps[0].sparql(False)
        suffix = {"inverse": "", "zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}[self.kind]
        return f"^{inner}" if self.kind == "inverse" else f"{inner}{suffix}"

    def text(self) -> str:
        """How a result names the path: the IRI of a predicate path, else the SPARQL path."""
        return self.iri if self.kind == "iri" else self.sparql()


@dataclass
class Shape:
    """One shape of the shapes graph, with every ``sh:`` parameter it carries (predicate local name -> values)."""

    node: Node
    parameters: dict[str, list[Term]] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)
    predicates: set[str] = field(default_factory=set)
    implicit_class: bool = False  # an rdfs:Class (or a class of classes): it targets its instances

    @property
    def is_property(self) -> bool:
        return "path" in self.parameters

    def values(self, name: str) -> list[Term]:
        return self.parameters.get(name, [])

    def one(self, name: str) -> Term | None:
        found = self.parameters.get(name)
        return found[0] if found else None

    @property
    def deactivated(self) -> bool:
        flag = self.one("deactivated")
        return isinstance(flag, ox.Literal) and flag.value == "true"

    @property
    def severity(self) -> str:
        found = self.one("severity")
        return found.value if isinstance(found, ox.NamedNode) else SH + "Violation"

    @property
    def targets(self) -> list[tuple[str, Term]]:
        """(kind, term) for every target; a shape that is also an ``rdfs:Class`` targets its instances."""
        found = [(kind, term) for kind in TARGET_PARAMETERS for term in self.values(kind)]
        if self.implicit_class and isinstance(self.node, ox.NamedNode):
            found.append(("targetClass", self.node))
        return found

    def messages(self) -> list[ox.Literal]:
        return [m for m in self.values("message") if isinstance(m, ox.Literal)]


class ShapesGraph:
    """The shapes graph: its triples as written (no store: a store would rewrite ``"1"^^xsd:boolean`` as
    ``true``), indexed by subject, and its shapes by node."""

    def __init__(self, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        self.triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        self._about: dict[Term, list[ox.Triple]] = {}
        for triple in self.triples:
            self._about.setdefault(triple.subject, []).append(triple)
        self.shapes: dict[Node, Shape] = {}
        self._read()

    def about(self, subject: Term) -> list[ox.Triple]:
        return self._about.get(subject, [])

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        return [t.object for t in self.about(subject) if t.predicate.value == predicate]

    def subjects(self, predicate: str, obj: Term) -> list[Term]:
        return [t.subject for t in self.triples if t.predicate.value == predicate and t.object == obj]

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list (``ValueError`` for a malformed one)."""
        items, seen = [], set()
        while head != RDF_NIL:
            if head in seen or isinstance(head, ox.Literal):
                raise ValueError("malformed RDF list")
            seen.add(head)
            first, rest = self.objects(head, RDF + "first"), self.objects(head, RDF + "rest")
            if len(first) != 1 or len(rest) != 1:
                raise ValueError("malformed RDF list")
            items.append(first[0])
            head = rest[0]
        return items

    def path(self, node: Term, depth: int = 0) -> Path:
        """The SHACL path at ``node`` (``ValueError`` for a malformed one)."""
        if depth > 50:
            raise ValueError("path too deep")
        if isinstance(node, ox.NamedNode):
            return Path("iri", node.value)
        if isinstance(node, ox.Literal):
            raise ValueError("a path cannot be a literal")
        if self.objects(node, RDF + "first"):
            steps = tuple(self.path(step, depth + 1) for step in self.items(node))
            if len(steps) < 2:
                raise ValueError("a sequence path needs two steps")
            return Path("sequence", steps=steps)
        for kind in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
            found = self.objects(node, SH + kind)
            if len(found) == 1:
                if kind == "alternativePath":
                    steps = tuple(self.path(step, depth + 1) for step in self.items(found[0]))
                    if len(steps) < 2:
                        raise ValueError("an alternative path needs two paths")
                    return Path("alternative", steps=steps)
                return Path(kind.removesuffix("Path"), steps=(self.path(found[0], depth + 1),))
        raise ValueError("unknown path")

    def path_triples(self, node: Term) -> tuple[ox.Triple, ...]:
        """The triples of a complex path (everything reachable from ``node`` through blank nodes)."""
        triples, pending, seen = [], [node], set()
        while pending:
            current = pending.pop()
            if current in seen or not isinstance(current, ox.BlankNode):
                continue
            seen.add(current)
            for triple in self.about(current):
                triples.append(triple)
                pending.append(triple.object)
        return tuple(triples)

    def _read(self) -> None:
        candidates: dict[Node, None] = {}
        for quad in self.triples:
            predicate = quad.predicate.value
            if predicate.startswith(SH):
                name = predicate[len(SH) :]
                if name in CONSTRAINT_PARAMETERS or name in TARGET_PARAMETERS or name == "path":
                    candidates[quad.subject] = None
                if name in SHAPE_PARAMETERS and not isinstance(quad.object, ox.Literal):
                    candidates[quad.object] = None
                if name in SHAPE_LIST_PARAMETERS:
                    with suppress(ValueError):  # a malformed list: the shape that holds it says so when compiled
                        candidates.update((m, None) for m in self.items(quad.object) if not isinstance(m, ox.Literal))
            elif predicate == RDF_TYPE.value and quad.object.value in (SH + "NodeShape", SH + "PropertyShape"):
                candidates[quad.subject] = None
        for node in candidates:
            self.shapes[node] = self._shape(node)

    def _shape(self, node: Node) -> Shape:
        shape = Shape(node)
        metaclasses = {RDFS + "Class"} | {
            t.value for t in self.subjects(RDFS + "subClassOf", ox.NamedNode(RDFS + "Class"))
        }
        for quad in self.about(node):
            predicate = quad.predicate.value
            shape.predicates.add(predicate)
            if predicate.startswith(SH):
                shape.parameters.setdefault(predicate[len(SH) :], []).append(quad.object)
            elif predicate == RDF_TYPE.value:
                shape.types.add(quad.object.value)
        shape.implicit_class = bool(shape.types & metaclasses)
        return shape

    def shape(self, node: Term) -> Shape:
        """The shape at ``node`` (a node named where a shape is expected is a shape even if it says nothing)."""
        if node not in self.shapes:
            if isinstance(node, ox.Literal):
                raise ValueError("a shape cannot be a literal")
            self.shapes[node] = self._shape(node)
        return self.shapes[node]

    def custom_parameters(self) -> set[str]:
        """The predicates that constraint components declared in this graph take as parameters (whatever class
        of component declares them: every ``sh:parameter``)."""
        if not hasattr(self, "_custom"):
            self._custom = {
                path.value
                for triple in self.triples
                if triple.predicate.value == SH + "parameter"
                for path in self.objects(triple.object, SH + "path")
                if isinstance(path, ox.NamedNode)
            }
        return self._custom

    def prefixes(self, node: Term) -> dict[str, str]:
        """The prefixes a SHACL-SPARQL query declares through ``sh:prefixes``: the ``sh:declare`` entries of the
        nodes it names and of the ontologies they import (``owl:imports``)."""
        found: dict[str, str] = {}
        pending, seen = list(self.objects(node, SH + "prefixes")), set()
        while pending:
            source = pending.pop()
            if source in seen:
                continue
            seen.add(source)
            pending += self.objects(source, "http://www.w3.org/2002/07/owl#imports")
            for declaration in self.objects(source, SH + "declare"):
                prefix = self.objects(declaration, SH + "prefix")
                namespace = self.objects(declaration, SH + "namespace")
                if prefix and namespace:
                    found[prefix[0].value] = namespace[0].value
        return found
