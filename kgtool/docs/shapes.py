"""The shapes page: what each SHACL shape requires, in words, with its messages in both languages.

It reads whatever ``shapes/`` holds (also nothing): node shapes with their targets, property shapes with their
paths, the constraints of SHACL Core phrased for people, SPARQL constraints with their queries, and every
``sh:message`` / ``sh:name`` / ``sh:description`` in each language given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.docs.html import page
from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import RDF, RDF_TYPE, RDFS, RDFS_LABEL, SH
from kgtool.rdf.parsing import parse_quads

#: How a constraint parameter reads ("{}" is its value).
PHRASES = {
    "minCount": "at least {} value(s)",
    "maxCount": "at most {} value(s)",
    "datatype": "values of datatype {}",
    "class": "values are instances of {}",
    "nodeKind": "values are {}",
    "in": "one of: {}",
    "hasValue": "includes the value {}",
    "pattern": "matches the pattern {}",
    "flags": "pattern flags {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minInclusive": "≥ {}",
    "maxInclusive": "≤ {}",
    "minExclusive": "> {}",
    "maxExclusive": "< {}",
    "languageIn": "languages among: {}",
    "uniqueLang": "at most one value per language",
    "node": "values conform to the shape {}",
    "qualifiedValueShape": "counted values conform to {}",
    "qualifiedMinCount": "at least {} such value(s)",
    "qualifiedMaxCount": "at most {} such value(s)",
    "equals": "same values as {}",
    "disjoint": "no value in common with {}",
    "lessThan": "less than the values of {}",
    "lessThanOrEquals": "at most the values of {}",
    "closed": "no properties other than those listed",
    "ignoredProperties": "closed, but allows {}",
    "or": "at least one of: {}",
    "and": "all of: {}",
    "xone": "exactly one of: {}",
    "not": "must not conform to {}",
}
#: Parameters that describe a shape rather than constrain it (shown elsewhere or not at all).
DESCRIPTIVE = {
    "path",
    "name",
    "description",
    "message",
    "severity",
    "order",
    "group",
    "property",
    "sparql",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "deactivated",
    "defaultValue",
}
PATH_SUFFIX = {"zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


class Graph:
    """A small read-only index of triples: subject -> predicate -> objects (the shapes are small)."""

    def __init__(self, quads: list[ox.Quad]) -> None:
        self.out: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.quads = quads
        for q in quads:
            self.out[q.subject][q.predicate.value].append(q.object)

    def objects(self, subject, predicate: str) -> list:
        return self.out.get(subject, {}).get(predicate, [])

    def one(self, subject, predicate: str):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def subjects_of_type(self, cls: str) -> list:
        return sorted(
            {q.subject for q in self.quads if q.predicate.value == RDF_TYPE and q.object.value == cls}, key=str
        )

    def items(self, node) -> list:
        """The members of an RDF list."""
        members = []
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            first = self.one(node, RDF + "first")
            if first is None:
                break
            members.append(first)
            node = self.one(node, RDF + "rest")
        return members


@dataclass
class PropertyDoc:
    """One property shape: its path and what it requires."""

    path: str
    requirements: list[str] = field(default_factory=list)
    texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name/description/message -> (lang, text)
    severity: str = "Violation"


@dataclass
class ShapeDoc:
    """One node shape (or a top-level property shape): its targets, requirements and messages."""

    iri: str
    file: str
    targets: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    properties: list[PropertyDoc] = field(default_factory=list)
    sparql: list[tuple[str, dict[str, list[tuple[str, str]]]]] = field(default_factory=list)  # (select, texts)
    severity: str = "Violation"


def path_text(graph: Graph, node, labels: dict[str, str]) -> str:
    """A SHACL property path in SPARQL's syntax, with prefixed names."""
    if isinstance(node, ox.NamedNode):
        return compact(node.value)
    if graph.one(node, RDF + "first") is not None:
        return " / ".join(path_text(graph, item, labels) for item in graph.items(node))
    inverse = graph.one(node, SH + "inversePath")
    if inverse is not None:
        return "^" + path_text(graph, inverse, labels)
    alternatives = graph.one(node, SH + "alternativePath")
    if alternatives is not None:
        return "(" + " | ".join(path_text(graph, item, labels) for item in graph.items(alternatives)) + ")"
    for name, suffix in PATH_SUFFIX.items():
        inner = graph.one(node, SH + name)
        if inner is not None:
            return path_text(graph, inner, labels) + suffix
    return "(unreadable path)"


def value_text(graph: Graph, value, labels: dict[str, str]) -> str:
    """A constraint's value for people: a list's members, a term's label, a nested shape's requirements."""
    if isinstance(value, ox.BlankNode) and graph.one(value, RDF + "first") is not None:
        return ", ".join(value_text(graph, item, labels) for item in graph.items(value))
    if isinstance(value, ox.BlankNode):
        inner = requirements(graph, value, labels)
        return "[" + "; ".join(inner) + "]" if inner else "(a nested shape)"
    if isinstance(value, ox.NamedNode):
        label = labels.get(value.value)
        return f"{label} ({compact(value.value)})" if label else compact(value.value)
    return str(value.value)


def requirements(graph: Graph, shape, labels: dict[str, str]) -> list[str]:
    """Each constraint of ``shape`` as a phrase, in a stable order."""
    phrases = []
    constraints = graph.out.get(shape, {})
    # the qualified shape first, so that "at least n such values" follows what they are
    for predicate in sorted(constraints, key=lambda p: (not p.endswith("qualifiedValueShape"), p)):
        local = predicate[len(SH) :]
        if not predicate.startswith(SH) or local in DESCRIPTIVE:
            continue
        phrase = PHRASES.get(local, f"sh:{local} {{}}")
        for value in constraints[predicate]:
            if isinstance(value, ox.Literal) and value.value == "false" and local in ("uniqueLang", "closed"):
                continue
            phrases.append(phrase.format(value_text(graph, value, labels)))
    return phrases


def texts(graph: Graph, node) -> dict[str, list[tuple[str, str]]]:
    """sh:name/rdfs:label, sh:description/rdfs:comment and sh:message of a node, as (language, text) pairs."""
    found = {}
    for key, predicates in (
        ("name", (SH + "name", RDFS_LABEL)),
        ("description", (SH + "description", RDFS + "comment")),
        ("message", (SH + "message",)),
    ):
        values = [v for p in predicates for v in graph.objects(node, p) if isinstance(v, ox.Literal)]
        if values:
            found[key] = sorted((v.language or "", v.value) for v in values)
    return found


def _severity(graph: Graph, node) -> str:
    severity = graph.one(node, SH + "severity")
    return severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation"


def describe(quads: list[ox.Quad], file_of: dict[str, str], labels: dict[str, str]) -> list[ShapeDoc]:
    """The node shapes, and the property shapes with targets of their own, of all shape files together.

    Shape files share property shapes by IRI (``sh:property salsh:LabelEnglish`` defined in another file), so
    they are read as one graph; ``file_of`` tells which file declares each shape.
    """
    graph = Graph(quads)
    shapes = graph.subjects_of_type(SH + "NodeShape") + [
        s
        for s in graph.subjects_of_type(SH + "PropertyShape")
        if any(graph.objects(s, SH + t) for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"))
    ]
    docs = []
    for shape in shapes:
        iri = shape.value if isinstance(shape, ox.NamedNode) else f"_:{shape.value}"
        doc = ShapeDoc(
            iri=iri,
            file=file_of.get(iri, ""),
            requirements=requirements(graph, shape, labels),
            texts=texts(graph, shape),
            severity=_severity(graph, shape),
        )
        for kind in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            doc.targets += [f"{kind}: {value_text(graph, v, labels)}" for v in graph.objects(shape, SH + kind)]
        if graph.one(shape, SH + "path") is not None:  # a property shape with its own target
            doc.properties.append(PropertyDoc(path_text(graph, graph.one(shape, SH + "path"), labels)))
        for node in graph.objects(shape, SH + "property"):
            doc.properties.append(
                PropertyDoc(
                    path=path_text(graph, graph.one(node, SH + "path"), labels),
                    requirements=requirements(graph, node, labels),
                    texts=texts(graph, node),
                    severity=_severity(graph, node),
                )
            )
        for constraint in graph.objects(shape, SH + "sparql"):
            select = graph.one(constraint, SH + "select")
            doc.sparql.append((select.value if select is not None else "", texts(graph, constraint)))
        docs.append(doc)
    return docs


def load_shapes(folder: Path | None, labels: dict[str, str]) -> list[ShapeDoc]:
    """Every shape of the Turtle files of ``folder`` (none when the folder is missing or holds none)."""
    if folder is None or not folder.is_dir():
        return []
    quads: list[ox.Quad] = []
    file_of: dict[str, str] = {}
    for path in sorted(folder.glob("*.ttl")):
        parsed = parse_quads(path)
        quads += parsed
        for q in parsed:
            if q.predicate.value == RDF_TYPE and q.object.value.startswith(SH) and isinstance(q.subject, ox.NamedNode):
                file_of.setdefault(q.subject.value, path.name)
    return describe(quads, file_of, labels)


def text_rows(found: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, str]]:
    """A shape's names, descriptions and messages as (kind, language, text), in that order."""
    return [
        (key, language, text) for key in ("name", "description", "message") for language, text in found.get(key, [])
    ]


def shapes_page(shapes: list[ShapeDoc], folder_name: str = "shapes/") -> str:
    """The shapes page: one section per shape."""
    return page("shapes.html.j2", "shapes.html", "Shapes", shapes=shapes, folder_name=folder_name, text_rows=text_rows)
