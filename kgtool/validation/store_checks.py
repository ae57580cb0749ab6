"""kgtool's own checks (closed vocabulary, known references, typed records) as queries on the workspace.

The same checks as ``kgtool.validation.checks``, with the same results, asked of the one store that holds the
submission, its context and the ontology instead of walked triple by triple in Python: the store finds the few
terms, references and records at fault, and Python only words them (with the nearest defined term or known
record as suggestion, as ``checks`` does).
"""

from __future__ import annotations

import pyoxigraph as ox

from kgtool.rdf.namespaces import SAL, SALD, SALSH
from kgtool.validation.checks import RDF_TYPE, SAL_HTTP, Declaration, Reference, https
from kgtool.validation.model import Result, Shapes
from kgtool.validation.suggest import Suggestions
from kgtool.validation.workspace import CONTEXT, ONTOLOGY, Workspace


def run_all(
    workspace: Workspace, shapes: Shapes, references: list[Reference], suggestions: Suggestions
) -> list[Result]:
    """The results of every check ``shapes`` declares, ``references`` being the unknown ones."""
    results: list[Result] = []
    if declared := Declaration.find(shapes, "ClosedVocabulary"):
        results += closed_vocabulary(workspace, declared, suggestions)
    if declared := Declaration.find(shapes, "KnownReference"):
        results += [declared.result(r.focus, r.path, r.value, r.suggestion) for r in references]
    if declared := Declaration.find(shapes, "TypedRecord"):
        results += untyped_records(workspace, declared)
    return results


def _files(workspace: Workspace, *extra: ox.NamedNode) -> str:
    return " ".join(map(str, [*workspace.graphs, *extra]))


def _in_sal(iri: str) -> bool:
    return iri.startswith((SAL, SAL_HTTP))


def _subjects(workspace: Workspace, graphs: str, pattern: str = "?s ?p ?o", condition: str = "") -> set:
    """The distinct subjects of ``pattern`` in ``graphs`` (meeting ``condition``)."""
    rows = workspace.query(
        f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ {pattern} }} {condition} }}"
    )
    return {row["s"] for row in rows}


def closed_vocabulary(workspace: Workspace, declared: Declaration, suggestions: Suggestions) -> list[Result]:
    """Every ``sal:`` term used as property, type or value that the ontology does not define: the undefined
    terms among the distinct ones the submission uses (usually none), then where each is used, with the nearest
    term that fits where it stands (``kgtool.validation.suggest``)."""
    inventory = workspace.inventory()
    defined = {t.value for t in _subjects(workspace, str(ONTOLOGY))}
    used = inventory.subjects | inventory.predicates | inventory.values
    undefined = " ".join(
        str(t) for t in used if isinstance(t, ox.NamedNode) and _in_sal(t.value) and t.value not in defined
    )
    if not undefined:
        return []
    rows = workspace.query(
        f"""SELECT DISTINCT ?s ?path ?term ?kind WHERE {{
            VALUES ?g {{ {_files(workspace)} }} VALUES ?term {{ {undefined} }}
            {{ GRAPH ?g {{ ?s ?term ?o }} BIND (STR(?term) AS ?path) BIND ("property" AS ?kind) }}
            UNION {{ GRAPH ?g {{ ?s ?p ?term }} BIND (STR(?p) AS ?path)
                     BIND (IF(?p = <{RDF_TYPE}>, "class", "value") AS ?kind) }}
            UNION {{ GRAPH ?g {{ ?term ?p ?o }} BIND (?term AS ?s) BIND ("value" AS ?kind) }}
        }}"""
    )
    results = []
    for row in rows:
        path = row["path"].value if row["path"] else None
        suggestion = suggestions.for_term(https(row["term"].value), row["kind"].value, path)
        results.append(declared.result(row["s"], path, row["term"], suggestion))
    return results


def unknown_references(workspace: Workspace, suggestions: Suggestions) -> list[Reference]:
    """Every ``sald:`` IRI a record points to that neither the submission nor the knowledge graph describes (the
    context holds every triple the knowledge graph has about each IRI the submission names): the distinct values
    nobody describes (usually none), then who points to them, with the nearest known record of the class the
    property expects."""
    inventory = workspace.inventory()
    described = inventory.subjects | _subjects(workspace, str(CONTEXT))
    unknown = " ".join(str(o) for o in inventory.values if o.value.startswith(SALD) and o not in described)
    if not unknown:
        return []
    rows = list(
        workspace.query(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {_files(workspace)} }} VALUES ?o {{ {unknown} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    )
    submitted = list(workspace.triples)
    return [
        Reference(
            row["s"], row["p"].value, row["o"], suggestions.for_reference(row["o"].value, row["p"].value, submitted)
        )
        for row in rows
    ]


def untyped_records(workspace: Workspace, declared: Declaration) -> list[Result]:
    """Every IRI record of the submission that has no ``sal:`` type here or in the knowledge graph."""
    # The type in the pattern, not in the filter: Oxigraph then reads the type statements only (a tenth).
    typed = _subjects(
        workspace, _files(workspace, CONTEXT), f"?s <{RDF_TYPE}> ?o", f'FILTER (STRSTARTS(STR(?o), "{SAL}"))'
    )
    records = [
        s
        for s in workspace.inventory().subjects
        if isinstance(s, ox.NamedNode) and not s.value.startswith((SAL, SAL_HTTP, SALSH)) and s not in typed
    ]
    return [declared.result(record, RDF_TYPE, record, None) for record in records]
