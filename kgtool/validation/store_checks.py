"""kgtool's own checks (closed vocabulary, known references, typed records) as queries on the workspace.

The same checks as ``kgtool.validation.checks``, with the same results, asked of the one store that holds the
submission, its context and the ontology instead of walked triple by triple in Python: the store finds the few
terms, references and records at fault, and Python only words them (with the nearest defined term or known
record as suggestion, as ``checks`` does).
"""

from __future__ import annotations

import pyoxigraph as ox

from kgtool.rdf.namespaces import SAL, SALD, SALSH
from kgtool.validation.checks import RDF_TYPE, SAL_HTTP, Declaration, Reference, Vocabulary, nearest
from kgtool.validation.context import KnowledgeGraph
from kgtool.validation.model import Result, Shapes
from kgtool.validation.workspace import CONTEXT, ONTOLOGY, Workspace


def run_all(workspace: Workspace, shapes: Shapes, references: list[Reference]) -> list[Result]:
    """The results of every check ``shapes`` declares, ``references`` being the unknown ones."""
    results: list[Result] = []
    if declared := Declaration.find(shapes, "ClosedVocabulary"):
        results += closed_vocabulary(workspace, declared)
    if declared := Declaration.find(shapes, "KnownReference"):
        results += [declared.result(r.focus, r.path, r.value, r.suggestion) for r in references]
    if declared := Declaration.find(shapes, "TypedRecord"):
        results += untyped_records(workspace, declared)
    return results


def _files(workspace: Workspace, *extra: ox.NamedNode) -> str:
    return " ".join(map(str, [*workspace.graphs, *extra]))


def _in_sal(var: str) -> str:
    return f'isIRI({var}) && (STRSTARTS(STR({var}), "{SAL}") || STRSTARTS(STR({var}), "{SAL_HTTP}"))'


def closed_vocabulary(workspace: Workspace, declared: Declaration) -> list[Result]:
    """Every ``sal:`` term used as property, type or value that the ontology does not define."""
    rows = list(
        workspace.query(
            f"""SELECT DISTINCT ?s ?path ?term ?kind WHERE {{
                VALUES ?g {{ {_files(workspace)} }}
                {{ GRAPH ?g {{ ?s ?term ?o }} BIND (STR(?term) AS ?path) BIND ("property" AS ?kind) }}
                UNION {{ GRAPH ?g {{ ?s ?p ?term }} BIND (STR(?p) AS ?path)
                         BIND (IF(?p = <{RDF_TYPE}>, "class", "other") AS ?kind) }}
                UNION {{ GRAPH ?g {{ ?s ?p ?o }} BIND (?s AS ?term) BIND ("other" AS ?kind) }}
                FILTER ({_in_sal("?term")})
                FILTER NOT EXISTS {{ GRAPH {ONTOLOGY} {{ ?term ?is ?what }} FILTER (STRSTARTS(STR(?term), "{SAL}")) }}
            }}"""
        )
    )
    if not rows:
        return []
    vocabulary = Vocabulary.of(workspace.store.quads_for_pattern(None, None, None, ONTOLOGY))
    return [
        declared.result(
            row["s"],
            row["path"].value if row["path"] else None,
            row["term"],
            vocabulary.nearest(row["term"].value, row["kind"].value),
        )
        for row in rows
    ]


def unknown_references(workspace: Workspace, graph: KnowledgeGraph) -> list[Reference]:
    """Every ``sald:`` IRI a record points to that neither the submission nor the knowledge graph describes (the
    context holds every triple the knowledge graph has about each IRI the submission names)."""
    rows = list(
        workspace.query(
            f"""SELECT DISTINCT ?s ?p ?o WHERE {{
                VALUES ?g {{ {_files(workspace)} }} GRAPH ?g {{ ?s ?p ?o }}
                FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{SALD}"))
                FILTER NOT EXISTS {{ VALUES ?h {{ {_files(workspace, CONTEXT)} }} GRAPH ?h {{ ?o ?any ?thing }} }}
            }}"""
        )
    )
    if not rows:
        return []
    named = workspace.query(f"SELECT DISTINCT ?s WHERE {{ {workspace.in_submission('?s')} FILTER (isIRI(?s)) }}")
    known = {*graph.record_iris(), *(row["s"].value for row in named)}
    suggestions = {row["o"]: nearest(row["o"].value, known, SALD) for row in rows}
    return [Reference(row["s"], row["p"].value, row["o"], suggestions[row["o"]]) for row in rows]


def untyped_records(workspace: Workspace, declared: Declaration) -> list[Result]:
    """Every IRI record of the submission that has no ``sal:`` type here or in the knowledge graph."""
    rows = workspace.query(
        f"""SELECT DISTINCT ?s WHERE {{
            {workspace.in_submission("?s")}
            FILTER (isIRI(?s) && !STRSTARTS(STR(?s), "{SAL}") && !STRSTARTS(STR(?s), "{SAL_HTTP}")
                    && !STRSTARTS(STR(?s), "{SALSH}"))
            FILTER NOT EXISTS {{ VALUES ?h {{ {_files(workspace, CONTEXT)} }} GRAPH ?h {{ ?s <{RDF_TYPE}> ?type }}
                                 FILTER (isIRI(?type) && STRSTARTS(STR(?type), "{SAL}")) }}
        }}"""
    )
    return [declared.result(row["s"], RDF_TYPE, row["s"], None) for row in rows]
