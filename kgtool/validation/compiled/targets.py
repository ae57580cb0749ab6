"""The focus nodes of the compiled rules: target declarations, written into each query when it runs.

A compiled query holds a marker where its shape's targets go; a run replaces it by the targets themselves
(``?this rdf:type/rdfs:subClassOf* C`` ...), limited to the subjects of the run's focus graphs if it has any.
(Finding each target class's instances once per run, in a scratch graph, was measured and is slower: Oxigraph
then joins the look-ups before the constraint's own, more selective, patterns.) Measured as well, and no faster
(issue 19, 1M and 100k synthetic triples): each target set's focus nodes in a scratch graph read as the default
graph's complement, the subclass closure as a ``VALUES`` list of classes, no limit in the queries and the findings
kept by membership of the submission's subjects, the few nodes outside the focus graphs dropped by name.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kgtool.validation.compiled.model import RDF, RDFS, Term

MARK = re.compile(r"\x00TARGETS (\d+) (\?\w+) ([01])\x00")
RESTRICT = re.compile(r"\x00RESTRICT (\?\w+)\x00")

Target = tuple[str, Term]


def marker(key: int, var: str, restrict: bool) -> str:
    """The place of target set ``key`` binding ``var`` (limited to the run's focus graph if ``restrict``)."""
    return f"\x00TARGETS {key} {var} {int(restrict)}\x00"


def restriction(var: str) -> str:
    """The place of the run's limit on ``var`` (for focus nodes that are values of another shape)."""
    return f"\x00RESTRICT {var}\x00"


def pattern(kind: str, term: Term, var: str) -> str:
    if kind == "targetClass":
        return f"{var} <{RDF}type>/<{RDFS}subClassOf>* {term}"
    if kind == "targetNode":
        return f"VALUES {var} {{ {term} }}"
    if kind == "targetSubjectsOf":
        return f"{var} {term} []"
    return f"[] {term} {var}"


class Targets:
    """How one run binds focus nodes: the target sets of the program, limited to the subjects of
    ``focus_graphs`` if given."""

    def __init__(self, sets: list[tuple[Target, ...]], focus_graphs: list[ox.NamedNode] | None) -> None:
        self.sets = sets
        self.focus_graphs = focus_graphs

    def limit(self, var: str) -> str:
        if not self.focus_graphs:
            return ""
        if len(self.focus_graphs) == 1:
            return f"FILTER EXISTS {{ GRAPH {self.focus_graphs[0]} {{ {var} ?limit_p ?limit_o }} }}"
        graphs = " ".join(map(str, self.focus_graphs))
        return f"FILTER EXISTS {{ VALUES ?limit_g {{ {graphs} }} GRAPH ?limit_g {{ {var} ?limit_p ?limit_o }} }}"

    def expand(self, text: str) -> str:
        """``text`` with its markers replaced by focus patterns."""
        text = MARK.sub(lambda m: self._union(int(m.group(1)), m.group(2), m.group(3) == "1"), text)
        return RESTRICT.sub(lambda m: self.limit(m.group(1)), text)

    def _union(self, key: int, var: str, restrict: bool) -> str:
        """The focus nodes of target set ``key``, then the limit to the focus graphs once, outside the union:
        each ``FILTER EXISTS`` here costs Oxigraph about a read of the focus graphs, so a limit in each of a
        set's twelve branches cost twelve reads (measured: the program's queries take 40 % less time)."""
        parts = [f"{{ {pattern(kind, term, var)} }}" for kind, term in self.sets[key]]
        union = f"{{ SELECT DISTINCT {var} WHERE {{ {' UNION '.join(parts)} }} }}"
        return f"{{ {union} {self.limit(var)} }}" if restrict and self.focus_graphs else union
