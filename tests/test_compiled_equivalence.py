"""The compiled engine gives pySHACL's report: same results (focus, path, value, component, shape, severity,
messages), same order, same records named, on every shipped example, every validation fixture, the shipped data,
synthetic data with injected faults and a probe of one fault per kind of constraint with the cases the two could
read differently (tests/fixtures/validation/probe.ttl). All data here is synthetic except the shipped data.

Blank nodes get new names at every parse, so a blank node is compared by the record that points to it. Two
differences are by design, and the probe checks that they are the only ones: where rdflib rewrites a literal it
reads although it is not well formed (``"maybe"^^xsd:boolean`` becomes ``"false"``), pySHACL reports rdflib's
spelling and the compiled engine the submitted one; and inside SHACL-SPARQL queries rdflib's ``isNumeric`` holds
for an ill-typed number (``"abc"^^xsd:decimal``), which SPARQL 1.1 (and Oxigraph) says is not numeric.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, ROOT, benchmark_generator
from kgtool import validation
from kgtool.rdf.namespaces import SALSH

EXAMPLES = ROOT / "data" / "examples"
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib on the probe's "maybe"
BASE = FIXTURES / "validation" / "base.ttl"
VIOLATIONS = sorted((FIXTURES / "validation" / "violations").glob("*.ttl"))
PROBE = FIXTURES / "validation" / "probe.ttl"


def _term(term, report: validation.ValidationReport, depth: int = 0):
    if isinstance(term, ox.BlankNode):
        record = report.records.get(term)
        if record is None or depth > 3:
            return ("blank node", record.kind if record else None)
        parent = _term(record.parent, report, depth + 1) if record.parent is not None else None
        return ("blank node", record.kind, tuple(sorted(record.labels.items())), parent, record.parent_path)
    if isinstance(term, ox.Literal) and term.language is None:
        import rdflib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        return (str(read), str(read.datatype))  # rdflib's spelling: the one pySHACL reports
    return str(term) if term is not None else None


def summary(report: validation.ValidationReport) -> list[tuple]:
    """Every field a rendering shows of each result, in report order."""
    return [
        (
            _term(r.focus, report), r.path, _term(r.value, report), r.component, r.shape, r.severity,
            tuple(sorted(r.messages.items())), r.suggestion,
        )
        for r in report.results
    ]  # fmt: skip


def records(report: validation.ValidationReport) -> dict:
    return {
        _term(term, report): (r.labels, r.file, r.line, r.kind, r.parent_path) for term, r in report.records.items()
    }


def both(files: list[Path]) -> tuple[validation.ValidationReport, validation.ValidationReport]:
    return validation.validate(files, engine="pyshacl"), validation.validate(files, engine="compiled")


def assert_same(files: list[Path]) -> validation.ValidationReport:
    reference, compiled = both(files)
    assert summary(compiled) == summary(reference)
    assert records(compiled) == records(reference)
    assert (compiled.labels, compiled.record_count, compiled.conforms) == (
        reference.labels,
        reference.record_count,
        reference.conforms,
    )
    return compiled


EXAMPLE_SETS = [
    ["water-alliance.ttl"],
    ["water-alliance-with-errors.ttl"],
    ["water-alliance.jsonld"],
    ["sources.ttl", "bad-projects.csv"],
    [
        "sources.ttl", "actors.csv", "funds.csv", "alliances.csv", "partnerships.csv", "legitimacy-attributions.csv",
        "projects.csv", "contributions.csv",
    ],
    ["sources.csv", "bad-projects.csv"],
    ["water-alliance.xlsx"],
    ["water-alliance-with-mistakes.xlsx"],
]  # fmt: skip


def test_every_example_file_is_in_a_compared_set():
    compared = {name for names in EXAMPLE_SETS for name in names}
    shipped = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".ttl", ".csv", ".jsonld", ".xlsx")}
    assert shipped == compared


@pytest.mark.parametrize("names", EXAMPLE_SETS, ids=lambda names: "+".join(names))
def test_the_shipped_examples(names: list[str]):
    report = assert_same([EXAMPLES / name for name in names])
    if "errors" in names[0] or "mistakes" in names[0] or "bad" in names[-1]:
        assert not report.conforms  # the comparison is about something


@pytest.mark.parametrize("fixture", VIOLATIONS, ids=lambda p: p.stem)
def test_each_validation_fixture(fixture: Path):
    report = assert_same([BASE, fixture])
    assert {r.shape for r in report.results} == {SALSH + fixture.stem}


def test_the_base_fixture_and_the_shipped_data():
    assert assert_same([BASE]).results == []
    shipped = sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "data" / "reference").glob("*.ttl"))
    report = assert_same(shipped)
    assert report.conforms and report.results  # infos only: something to compare


def test_synthetic_data_with_injected_faults(tmp_path: Path):
    dataset = benchmark_generator().generate(3_000, seed=19, violations=7)
    path = tmp_path / "synthetic.ttl"
    path.write_bytes(dataset.bytes)
    report = assert_same([path])
    assert report.count("Violation") == 7


def test_the_probe_differs_only_where_rdflib_departs_from_the_standards():
    reference, compiled = both([BASE, PROBE])
    by_design = {
        (SALSH + "FinishedIsComplete", "abc"),  # rdflib: isNumeric("abc"^^xsd:decimal) is true
    }
    expected = [row for row in summary(reference) if (row[4], _lexical(row[2])) not in by_design]
    assert summary(compiled) == expected
    assert len(summary(reference)) - len(expected) == len(by_design)
    assert records(compiled) == records(reference)
    # What the probe must not report: a kind declared by the submission, @en-GB labels, a region as a place.
    assert not [r for r in compiled.results if str(r.focus).endswith(("t-probe-board", "t-probe-alliance"))]
    kinds = {r.component.rsplit("#", 1)[-1] for r in compiled.results}
    assert {"ClassConstraintComponent", "DatatypeConstraintComponent", "InConstraintComponent"} <= kinds
    assert {"MinCountConstraintComponent", "MaxCountConstraintComponent", "MinInclusiveConstraintComponent"} <= kinds
    assert {"MaxInclusiveConstraintComponent", "PatternConstraintComponent", "UniqueLangConstraintComponent"} <= kinds
    assert {"QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent"} <= kinds
    assert {"OrConstraintComponent", "SPARQLConstraintComponent"} <= kinds
    assert any(isinstance(r.focus, ox.BlankNode) for r in compiled.results)


def _lexical(value) -> str | None:
    return value[0] if isinstance(value, tuple) else value


def test_the_engines_give_the_same_rendered_reports(tmp_path: Path):
    from conftest import run_kgtool

    bad = EXAMPLES / "water-alliance-with-errors.ttl"
    outputs = {}
    for engine in ("pyshacl", "compiled"):
        for fmt in ("text", "json"):
            result = run_kgtool("validate", str(bad), "--engine", engine, "--format", fmt, cwd=tmp_path)
            assert result.code == 1, result.stderr
            outputs[engine, fmt] = result.stdout  # blank nodes too: their ids are the same in both engines
    assert outputs["compiled", "text"] == outputs["pyshacl", "text"]
    assert outputs["compiled", "json"] == outputs["pyshacl", "json"]
    unknown = run_kgtool("validate", str(bad), "--engine", "fast", cwd=tmp_path)
    assert unknown.code == 2 and "unknown engine 'fast'" in unknown.stderr
