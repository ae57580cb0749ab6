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


LIMIT_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/synthetic-limit#> .
ex:NeedsName sh:targetClass ex:Record ; sh:path ex:name ; sh:minCount 1 .
ex:PartNeedsName sh:targetClass ex:Part ; sh:path ex:name ; sh:minCount 1 .
"""
LIMIT_DATA = """
@prefix ex: <https://example.org/synthetic-limit#> .
GRAPH ex:file { ex:a a ex:Record . ex:b a ex:Record ; ex:name "b" . ex:p a ex:Part . [] a ex:Record . }
GRAPH ex:context { ex:c a ex:Record . ex:q a ex:Part . ex:p ex:name "p" . [] a ex:Part . }
"""


def test_only_focus_nodes_of_the_focus_graphs_are_reported():
    """A run limited to focus graphs reports their subjects only (the limit stands once after each target set's
    union, ``kgtool.validation.compiled.targets``): a record of the context (``ex:c``) is not reported, a record
    described only by the submission (``ex:a``, a blank node) and one it types while the context describes it
    (``ex:p``) are checked."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(LIMIT_DATA.encode(), format=ox.RdfFormat.TRIG)
    shapes = [
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(LIMIT_SHAPE.encode(), format=ox.RdfFormat.TURTLE)
    ]
    program = compiled.compile_program(shapes)
    file = ox.NamedNode("https://example.org/synthetic-limit#file")
    found = {(f.focus, f.shape.value.rsplit("#")[-1]) for f in compiled.run(program, store, focus_graphs=[file])}
    named = {(focus.value.rsplit("#")[-1], shape) for focus, shape in found if isinstance(focus, ox.NamedNode)}
    assert named == {("a", "NeedsName")}  # ex:p has its name from the context; ex:c and ex:q are the context's
    assert sum(isinstance(focus, ox.BlankNode) for focus, _ in found) == 1  # the submission's blank record only
