"""The compiled SHACL engine as kgtool uses it: every shipped shape compiled (none left to pySHACL), a shape it
does not claim validated by pySHACL and said so in the debug log (never skipped), the compiled program kept in
the cache by the shapes' content. Records are synthetic."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from kgtool.errors import UsageError
from kgtool.rdf import resources
from kgtool.validation import cache, compiled, load_shapes, validate
from kgtool.validation.pipeline import LENIENT

SH = "http://www.w3.org/ns/shacl#"
BASE = FIXTURES / "validation" / "base.ttl"


def test_every_shipped_shape_is_compiled():
    shapes = load_shapes()
    program = compiled.compile_program(shapes.quads, LENIENT)
    assert program.fallback == {}
    active = {
        q.subject.value
        for q in shapes.quads
        if q.predicate.value in (SH + "targetClass", SH + "targetSubjectsOf", SH + "targetNode", SH + "targetObjectsOf")
    }
    assert {rule.shape.value for rule in program.rules} == active


LOOKAHEAD_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix sal: <https://w3id.org/sal#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix salsh: <https://w3id.org/sal/shapes#> .
salsh:ProbeNoTestInLabels a sh:PropertyShape ; sh:targetClass sal:NGO ; sh:path rdfs:label ;
    sh:pattern "^(?!Test)" ; sh:severity sh:Warning ;
    sh:message "A label must not start with Test (synthetic probe)."@en , "Sonda sintética."@es .
"""


@pytest.fixture
def shapes_with_lookahead(tmp_path: Path) -> Path:
    folder = tmp_path / "shapes"
    shutil.copytree(resources.folder("shapes"), folder)
    (folder / "probe.ttl").write_text(LOOKAHEAD_SHAPE, encoding="utf-8")
    return folder


def test_a_shape_the_compiler_does_not_claim_is_validated_by_pyshacl(shapes_with_lookahead: Path, caplog):
    program = compiled.compile_program(load_shapes(shapes_with_lookahead).quads, LENIENT)
    (reason,) = program.fallback.values()
    assert "Oxigraph" in reason  # a look-ahead: Rust's regular expressions have none
    with caplog.at_level(logging.DEBUG, logger="kgtool"):
        report = validate([BASE], shapes_dir=shapes_with_lookahead)
    assert "ProbeNoTestInLabels (not compiled" in caplog.text
    found = [r for r in report.results if r.shape.endswith("ProbeNoTestInLabels")]
    assert found and {r.severity for r in found} == {"Warning"}
    reference = validate([BASE], shapes_dir=shapes_with_lookahead, engine="pyshacl")
    assert [(r.focus, r.value, r.shape) for r in report.results] == [
        (r.focus, r.value, r.shape) for r in reference.results
    ]


def test_the_compiled_program_is_cached_by_the_content_of_the_shapes(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    shapes = load_shapes()
    first = cache.program(shapes, LENIENT)
    (kept,) = (tmp_path / "cache").glob("shapes-*.json")
    again = cache.program(shapes, LENIENT)
    assert [r.query for r in again.rules] == [r.query for r in first.rules]
    assert again.rules == first.rules and again.target_sets == first.target_sets
    other = cache.program(shapes, frozenset())  # other allowed severities: another program
    assert len(list((tmp_path / "cache").glob("shapes-*.json"))) == 2 and other.lenient == frozenset()
    kept.write_text("not json", encoding="utf-8")  # a damaged cache is compiled again, not an error
    assert cache.program(shapes, LENIENT).rules == first.rules


def test_an_unknown_engine_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown engine"):
        validate([BASE], engine="fast")
