"""pySHACL for the shapes the compiler does not claim: never a silent gap.

The fallback runs pySHACL with the whole shapes graph minus the targets of the compiled roots, so that pySHACL
starts only from the roots left to it (their nested shapes, shared or not, stay intact), on the same data.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgtool.rdf.parsing import to_rdflib_graph
from kgtool.validation.compiled.model import RDF, RDFS, SH, TARGET_PARAMETERS, ShapesGraph
from kgtool.validation.compiled.program import Program
from kgtool.validation.compiled.results import Finding
from kgtool.validation.shacl import to_ox

_TARGETS = {SH + name for name in TARGET_PARAMETERS}


def fallback_shapes(program: Program) -> list[ox.Triple]:
    """The shapes graph pySHACL gets: the compiled roots lose their targets (and implicit class targets)."""
    compiled = {node for node, shape in program.shapes.shapes.items() if shape.targets} - set(program.fallback)
    triples = []
    for quad in program.shapes.triples:
        if quad.subject in compiled and (
            quad.predicate.value in _TARGETS
            or (quad.predicate.value == RDF + "type" and quad.object.value == RDFS + "Class")
        ):
            continue
        triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return triples


def run_pyshacl(program: Program, store: ox.Store, focus_graphs: list[ox.NamedNode] | None) -> list[Finding]:
    """pySHACL (no inference) over the union of ``store``'s graphs for the roots in ``program.fallback``."""
    import pyshacl

    data = to_rdflib_graph(store)
    triples = fallback_shapes(program)
    shapes = to_rdflib_graph(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=SH + "Info" in program.lenient,
        allow_warnings=SH + "Warning" in program.lenient,
        meta_shacl=False,
        advanced=False,
        do_owl_imports=False,
    )
    findings = findings_of(report, shapes, ShapesGraph(triples))
    if focus_graphs:
        subjects = {q.subject for g in focus_graphs for q in store.quads_for_pattern(None, None, None, g)}
        findings = [f for f in findings if f.focus in subjects]
    return findings


def findings_of(report, shapes, model: ShapesGraph) -> list[Finding]:
    """The top-level results of a pySHACL report graph, with the messages the shapes graph declares (the
    SPARQL constraint's, else the shape's; pySHACL drops their language tags), else the report's."""
    import rdflib

    sh = rdflib.Namespace(SH)
    findings = []
    for node in report.objects(None, sh.result):
        if (None, sh.detail, node) in report:
            continue
        path = report.value(node, sh.resultPath)
        shape = report.value(node, sh.sourceShape)
        constraint = report.value(node, sh.sourceConstraint)
        messages = list(shapes.objects(constraint or shape, sh.message)) or list(report.objects(node, sh.resultMessage))
        value = report.value(node, sh.value)
        findings.append(
            Finding(
                focus=to_ox(report.value(node, sh.focusNode)),
                path=model.path(to_ox(path)).text() if path is not None else None,
                value=to_ox(value) if value is not None else None,
                component=str(report.value(node, sh.sourceConstraintComponent)),
                shape=to_ox(shape),
                severity=str(report.value(node, sh.resultSeverity)),
                messages=tuple(to_ox(m) for m in messages),
                source_constraint=to_ox(constraint) if constraint is not None else None,
            )
        )
    return findings
