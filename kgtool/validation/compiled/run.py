"""Running a compiled program on an Oxigraph store: every rule's query in parallel, pySHACL for the fallback.

pyoxigraph releases the GIL while a query is evaluated, so the rules run in a thread pool and use every core.
A run may be limited to the focus nodes that are subjects of one named graph (``focus_graph``): kgtool keeps
the submission in its own graph beside the context it is checked against, and reports on the submission only.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from kgtool.validation.compiled import selection
from kgtool.validation.compiled.model import SH, Term
from kgtool.validation.compiled.program import Program, Rule
from kgtool.validation.compiled.results import Finding
from kgtool.validation.compiled.targets import Targets

log = logging.getLogger("kgtool.validation.compiled")


def run(
    program: Program,
    store: ox.Store,
    *,
    focus_graphs: list[ox.NamedNode] | None = None,
    threads: int | None = None,
    fallback: bool = True,
    select: bool = False,
) -> list[Finding]:
    """Every rule of ``program`` on ``store`` (the union of its graphs) and, unless ``fallback`` is False (the
    caller then runs them), pySHACL for the shapes the compiler left to it. ``focus_graphs``: report only on
    focus nodes that are subjects in one of these named graphs; ``select``: run only the rules whose targets
    match one of them (``selection``: the same results, one query more, for a small submission)."""
    workers = threads or max(1, os.cpu_count() or 1)
    focus = Targets(program.target_sets, focus_graphs)
    rules = program.rules
    if select and focus_graphs:
        rules = selection.selected(
            program, lambda text: store.query(text, use_default_graph_as_union=True), focus_graphs
        )
        log.debug("%d of %d rules may report on the focus graphs", len(rules), len(program.rules))

    def one(rule: Rule) -> list[Finding]:
        started = time.perf_counter()
        found = run_rule(rule, lambda text: store.query(text, use_default_graph_as_union=True), focus)
        log.debug("%.1f ms %s %s: %d", (time.perf_counter() - started) * 1000, rule.shape, rule.component, len(found))
        return found

    with ThreadPoolExecutor(max_workers=workers) as pool:
        findings = [f for found in pool.map(one, rules) for f in found]
    for shape, reason in program.fallback.items():
        log.debug("pySHACL validates %s: %s", shape, reason)
    if program.fallback and fallback:
        from kgtool.validation.compiled.fallback import run_pyshacl

        findings += run_pyshacl(program, store, focus_graphs)
    return findings


def run_rule(rule: Rule, query: Callable[[str], Iterable], focus: Targets) -> list[Finding]:
    """One rule through ``query(text)`` (a store's or an endpoint's), its focus nodes bound as ``focus`` says."""
    rows = query(focus.expand(rule.query))
    if rule.components:  # a merged rule: ?k names the check
        return [
            _finding(rule, row["this"], _get(row, rule.value), rule.path, rule.components[int(row["k"].value)])
            for row in rows
        ]
    if rule.sparql is None:
        return [_finding(rule, row["this"], _get(row, rule.value), _path(rule, row)) for row in rows]
    return _sparql_findings(rule, rows)


def _get(row, name: str | None) -> Term | None:
    if name is None:
        return None
    try:
        return row[name]
    except KeyError:
        return None


def _path(rule: Rule, row) -> str | None:
    if rule.path_variable:
        found = _get(row, rule.path_variable)
        return found.value if isinstance(found, ox.NamedNode) else (str(found) if found is not None else None)
    return rule.path


def _finding(rule: Rule, focus: Term, value: Term | None, path: str | None, component: str = "") -> Finding:
    return Finding(
        focus, path, value, component or rule.component, rule.shape, rule.severity, rule.messages,
        rule.path_triples, rule.source_constraint,
    )  # fmt: skip


def _sparql_findings(rule: Rule, rows: Iterable) -> list[Finding]:
    """pySHACL's reading of a SHACL-SPARQL result: ``?failure`` gives one result per focus node; a row that
    binds none of ``$this``, ``?path``, ``?value`` gives none; the value defaults to the focus node of a node
    shape; the path to the shape's."""
    findings: list[Finding] = []
    failed: set[Term] = set()
    projects_this = rule.sparql.projects_this
    for row in rows:
        this = row["this"]
        if _get(row, "failure") is not None:
            if this not in failed:
                failed.add(this)
                findings.append(_finding(rule, this, this if rule.node_shape else None, rule.path))
            continue
        path, value = _get(row, "path"), _get(row, "value")
        bound_this = _get(row, "this") if projects_this else None
        if path is None and value is None and bound_this is None:
            continue
        if value is None and rule.node_shape:
            value = this
        result_path = path.value if isinstance(path, ox.NamedNode) else rule.path
        findings.append(_finding(rule, bound_this or this, value, result_path))
    return findings


def severity_name(severity: str) -> str:
    """``Violation``, ``Warning`` or ``Info`` for a severity IRI (SHACL's ``sh:Violation`` ...)."""
    return severity.removeprefix(SH)
