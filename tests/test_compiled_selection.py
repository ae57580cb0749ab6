"""The compiled engine runs, for a small submission, only the rules whose targets the submission has
(``kgtool.validation.compiled.selection``): no rule that has a result is ever left out, and the report is still
pySHACL's. The submissions here are synthetic (slugs ``sald:t-sel-...``) and narrow on purpose: a kind declared by
the submission as a subclass, a record typed only by the knowledge graph, a record found by a predicate target
(``sh:targetSubjectsOf``) with no type at all; the fixtures of every rule with the shared base as well."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_compiled_equivalence import BASE, PROBE, VIOLATIONS, summary

from conftest import benchmark_generator
from kgtool import validation
from kgtool.validation import cache, compiled, pipeline
from kgtool.validation.compiled import selection
from kgtool.validation.compiled.run import run_rule
from kgtool.validation.compiled.targets import Targets
from kgtool.validation.workspace import Workspace

pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib on the probe's "maybe"

PREFIXES = """@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix ex: <https://example.org/synthetic#> .
"""
NARROW = {
    # a kind the submission declares: the NGO and actor rules apply to its instance through rdfs:subClassOf
    "declared-subclass": """ex:SelectionBoard rdfs:subClassOf sal:NGO .
sald:t-sel-board a ex:SelectionBoard ; rdfs:label "Selection board (synthetic)"@en ; sal:basedIn sald:t-sel-board .""",
    # a project of the knowledge graph (data/programme.ttl): its type comes from the context, not the submission
    "typed-by-the-graph": 'sald:mining-fund-health-projects sal:completion 150 ; sal:projectStatus "done" .',
    # no type at all: only the rules that target the subjects of a predicate apply
    "predicate-target": 'sald:t-sel-untyped sal:ubigeo "0399" ; sal:locatedIn sald:region-ancash .',
}


def _written(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.ttl"
    path.write_text(PREFIXES + NARROW[name] + "\n", encoding="utf-8")
    return path


def _validated(files: list[Path]) -> tuple[Workspace, compiled.Program]:
    """A workspace as a validation leaves it (submission, context, ontology), and the shapes' program."""
    workspace = Workspace.read(files)
    pipeline.validate_workspace(workspace)
    return workspace, cache.program(validation.load_shapes(), pipeline.LENIENT)


def _key(finding: compiled.Finding) -> tuple:
    return (str(finding.focus), finding.path, str(finding.value), finding.component, str(finding.shape))


def _assert_nothing_left_out(files: list[Path]) -> tuple[int, int]:
    """Every rule with a result is selected, and a selected run finds exactly what a full run finds; (rules with a
    result, rules selected)."""
    workspace, program = _validated(files)
    focus = Targets(program.target_sets, workspace.graphs)
    reporting = [rule for rule in program.rules if run_rule(rule, workspace.query, focus)]
    chosen = selection.selected(program, workspace.query, workspace.graphs)
    assert [rule for rule in reporting if rule not in chosen] == []
    run = dict(focus_graphs=workspace.graphs, fallback=False)
    every = compiled.run(program, workspace.store, **run)
    assert Counter(map(_key, compiled.run(program, workspace.store, select=True, **run))) == Counter(map(_key, every))
    return len(reporting), len(chosen)


@pytest.mark.parametrize("name", sorted(NARROW))
def test_a_narrow_submission_runs_fewer_rules_and_misses_no_result(tmp_path: Path, name: str):
    reporting, chosen = _assert_nothing_left_out([_written(tmp_path, name)])
    total = len(cache.program(validation.load_shapes(), pipeline.LENIENT).rules)
    assert reporting > 0 and chosen < total // 2  # something to miss, and most rules not run


@pytest.mark.parametrize("name", sorted(NARROW))
def test_a_narrow_submission_gets_pyshacls_report(tmp_path: Path, name: str):
    files = [_written(tmp_path, name)]
    reference = validation.validate(files, engine="pyshacl")
    compiled_report = validation.validate(files, engine="compiled")
    assert summary(compiled_report) == summary(reference)
    assert any(result.severity == "Violation" for result in reference.results)


def test_the_probe_and_synthetic_faults_miss_no_result(tmp_path: Path):
    synthetic = tmp_path / "synthetic.ttl"
    synthetic.write_bytes(benchmark_generator().generate(3_000, seed=19, violations=7).bytes)
    for files in ([BASE, PROBE], [synthetic]):
        reporting, _ = _assert_nothing_left_out(files)
        assert reporting > 0


def test_rule_fixtures_miss_no_result():
    """A quarter of the fixtures of every rule (each breaks one rule of the shared base): nothing left out."""
    assert sum(_assert_nothing_left_out([BASE, fixture])[0] for fixture in VIOLATIONS[::4]) > 0
