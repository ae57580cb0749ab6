"""Why a class is unsatisfiable, or an individual contradicts the ontology: the axioms to blame, with file:line.

HermiT says *that* a class is unsatisfiable (``≡ owl:Nothing``) and ``kgtool.reasoning.explanation`` finds *who*
(the classes, the individuals); a knowledge engineer still has to find *which axioms*. The usual cause is a
disjointness: the class, or what an individual is said to be, falls under two classes declared disjoint, through
a chain of ``rdfs:subClassOf``, or because a property's ``rdfs:domain`` or ``rdfs:range`` adds a type (a new domain
axiom that makes every alliance a project, while projects and alliances are disjoint). This module searches the
asserted axioms for such a justification, like the search over individuals, and names each statement where it is
written: ``ontology/sal.ttl:250: sal:MiningCompany rdfs:subClassOf sal:Company``. It needs no reasoner run; when
no disjointness explains a verdict it says nothing, and the reasoner's own verdict stands alone.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.rdf.labels import compact
from kgtool.rdf.locate import Locator
from kgtool.rdf.namespaces import OWL, RDF, RDFS
from kgtool.rdf.parsing import parse_quads


@dataclass(frozen=True)
class Statement:
    """One asserted axiom or fact and where it is written."""

    text: str
    file: Path
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}" if self.line else f"{self.file}: {self.text}"


class Axioms:
    """The subclass links, disjointness axioms, domains, ranges and facts of some files, each with its place."""

    def __init__(self, files: list[Path]) -> None:
        self.locator = Locator(files)
        self.parents: dict[str, list[tuple[str, Statement]]] = {}
        self.disjoint: list[tuple[str, str, Statement]] = []
        self.domains: dict[str, list[tuple[str, Statement]]] = {}
        self.ranges: dict[str, list[tuple[str, Statement]]] = {}
        self.facts: dict[str, list[ox.Quad]] = {}
        self._file_of: dict[ox.Quad, Path] = {}
        for file in files:
            quads = parse_quads(file)
            self._file_of.update(dict.fromkeys(quads, Path(file)))
            self._read(Path(file), quads)

    def _statement(self, file: Path, subject, predicate: str, obj, text: str | None = None) -> Statement:
        named = subject.value if isinstance(subject, ox.NamedNode) else None
        target = obj.value if isinstance(obj, ox.NamedNode) else None
        line = self.locator.statement_line(file, named, predicate, target)
        shown = text or f"{_short(subject)} {compact(predicate)} {_short(obj)}"
        return Statement(shown, file, line)

    def _read(self, file: Path, quads: list[ox.Quad]) -> None:
        lists = _lists(quads)
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if isinstance(subject, ox.NamedNode):
                self.facts.setdefault(subject.value, []).append(quad)
            if not (isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode)):
                if predicate == OWL + "members" and isinstance(obj, ox.BlankNode):
                    self._all_disjoint(file, quads, subject, lists.get(obj, []))
                continue
            if predicate in (RDFS + "subClassOf", OWL + "equivalentClass"):
                self.parents.setdefault(subject.value, []).append(
                    (obj.value, self._statement(file, subject, predicate, obj))
                )
                if predicate == OWL + "equivalentClass":
                    self.parents.setdefault(obj.value, []).append(
                        (subject.value, self._statement(file, subject, predicate, obj))
                    )
            elif predicate == OWL + "disjointWith":
                self.disjoint.append((subject.value, obj.value, self._statement(file, subject, predicate, obj)))
            elif predicate == RDFS + "domain":
                self.domains.setdefault(subject.value, []).append(
                    (obj.value, self._statement(file, subject, predicate, obj))
                )
            elif predicate == RDFS + "range":
                self.ranges.setdefault(subject.value, []).append(
                    (obj.value, self._statement(file, subject, predicate, obj))
                )

    def _all_disjoint(self, file: Path, quads: list[ox.Quad], node, members: list[str]) -> None:
        if not any(q.subject == node and q.object == ox.NamedNode(OWL + "AllDisjointClasses") for q in quads):
            return
        text = f"owl:AllDisjointClasses ({', '.join(compact(m) for m in members)})"
        where = self.locator.block_line(file, OWL + "AllDisjointClasses", members[0] if members else None)
        statement = Statement(text, file, where)
        self.disjoint += [(a, b, statement) for i, a in enumerate(members) for b in members[i + 1 :]]

    def _ancestors(self, start: str, via: list[Statement]) -> dict[str, list[Statement]]:
        """Every class at or above ``start``, with the statements that lead there (shortest first)."""
        paths = {start: via}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for parent, statement in self.parents.get(current, []):
                if parent not in paths:
                    paths[parent] = [*paths[current], statement]
                    queue.append(parent)
        return paths

    def _clash(self, sources: list[tuple[str, list[Statement]]]) -> list[Statement]:
        """The shortest justification that two of the ``sources`` (class, how it applies) fall under two disjoint
        classes; [] when none does."""
        reach: dict[str, list[Statement]] = {}
        for cls, via in sources:
            for above, path in self._ancestors(cls, via).items():
                if above not in reach or len(path) < len(reach[above]):
                    reach[above] = path
        best: list[Statement] = []
        for a, b, statement in self.disjoint:
            if a in reach and b in reach:
                found = list(dict.fromkeys([*reach[a], *reach[b], statement]))
                if not best or len(found) < len(best):
                    best = found
        return best

    def why_unsatisfiable(self, cls: str) -> list[Statement]:
        """The axioms that make the class ``cls`` unsatisfiable, when a disjointness does."""
        return self._clash([(cls, [])])

    def why_individual(self, iri: str) -> list[Statement]:
        """The facts and axioms by which the individual ``iri`` falls under two disjoint classes: its asserted
        types, and the types that the domains and ranges of its properties give it."""
        sources: list[tuple[str, list[Statement]]] = []
        for quad in self.facts.get(iri, []):
            fact = self._fact(quad)
            if quad.predicate.value == RDF + "type" and isinstance(quad.object, ox.NamedNode):
                sources.append((quad.object.value, [fact]))
            for domain, axiom in self.domains.get(quad.predicate.value, []):
                sources.append((domain, [fact, axiom]))
        for quads in self.facts.values():
            for quad in quads:
                if quad.object == ox.NamedNode(iri):
                    for range_, axiom in self.ranges.get(quad.predicate.value, []):
                        sources.append((range_, [self._fact(quad), axiom]))
        return self._clash(sources)

    def _fact(self, quad: ox.Quad) -> Statement:
        return self._statement(self._file_of.get(quad, Path("?")), quad.subject, quad.predicate.value, quad.object)


def _short(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return f'"{term.value}"'
    return "[…]"


def _lists(quads: list[ox.Quad]) -> dict[ox.BlankNode, list[str]]:
    """Every RDF list of the file as the IRIs it holds, by its head node."""
    first = {q.subject: q.object for q in quads if q.predicate.value == RDF + "first"}
    rest = {q.subject: q.object for q in quads if q.predicate.value == RDF + "rest"}
    found: dict[ox.BlankNode, list[str]] = {}
    for head in first:
        items, node = [], head
        while node in first:
            if isinstance(first[node], ox.NamedNode):
                items.append(first[node].value)
            node = rest.get(node)
        found[head] = items
    return found
