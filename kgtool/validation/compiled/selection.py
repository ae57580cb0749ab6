"""The rules that can report anything on a run limited to focus graphs: the others are not run.

Every result of a rule is about a focus node that its shape's targets give and that is a subject of one of the
run's focus graphs (``targets.Targets``): a rule whose target set matches no such subject has no result, exactly
as pySHACL reports nothing for a shape without focus nodes. Which sets match is found by ONE query, with the very
patterns the rules use (``targets.pattern``: ``rdf:type/rdfs:subClassOf*`` over the whole store, so a subclass
the submission declares counts), for the kinds it can decide: ``sh:targetClass`` (and a shape that is a class),
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``. Kept whatever the query says: a set with any other target
(``sh:targetNode`` names its node whether the data has it or not), a rule whose focus nodes are values reached
from another shape's focus nodes (its targets are not limited to the focus graphs), a rule without targets.

Why: for a hundred records, Oxigraph's parsing and planning of 126 queries (~200 KB of SPARQL) is most of the
validation, whatever the data; a submission of a few kinds of record needs a fraction of them (issue 19). For a
large submission nearly every set matches, and the query would walk all of it: the caller selects for small ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kgtool.validation.compiled.program import Program, Rule
from kgtool.validation.compiled.targets import MARK, pattern

#: The target kinds the query decides; a set with any other kind is always run.
DECIDED = ("targetClass", "targetSubjectsOf", "targetObjectsOf")


def matching_targets(query: Callable[[str], Iterable], focus_graphs: list[ox.NamedNode]) -> set[tuple[str, ox.Term]]:
    """(kind, term) for every target that some subject of ``focus_graphs`` matches, by one query over the store."""
    graphs = " ".join(map(str, focus_graphs))
    kinds = " UNION ".join(f'{{ {pattern(kind, "?term", "?this")} BIND ("{kind}" AS ?kind) }}' for kind in DECIDED)
    text = (
        "SELECT DISTINCT ?kind ?term WHERE { "
        f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?limit_g {{ {graphs} }} GRAPH ?limit_g {{ ?this ?p ?o }} }} }} "
        f"{kinds} }}"
    )
    return {(row["kind"].value, row["term"]) for row in query(text)}


def selected(program: Program, query: Callable[[str], Iterable], focus_graphs: list[ox.NamedNode]) -> list[Rule]:
    """The rules of ``program`` that may report on the subjects of ``focus_graphs`` (all of them without)."""
    if not focus_graphs:
        return program.rules
    found = matching_targets(query, focus_graphs)
    live = {
        key
        for key, targets in enumerate(program.target_sets)
        if any(kind not in DECIDED or (kind, term) in found for kind, term in targets)
    }
    return [rule for rule in program.rules if _may_report(rule, live)]


def _may_report(rule: Rule, live: set[int]) -> bool:
    """Whether a rule may have results: it has no target marker, or one limited to the focus graphs whose set is
    live, or one that is not limited there (another shape's focus nodes lead to its own)."""
    marks = [(int(match.group(1)), match.group(3) == "1") for match in MARK.finditer(rule.query)]
    return not marks or any(not limited or key in live for key, limited in marks)
