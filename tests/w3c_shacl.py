"""The W3C SHACL test suite (vendored in tests/w3c-shacl/): reading its manifests and checking one test.

A test names a data graph, a shapes graph and the expected ``sh:ValidationReport`` (or ``sht:Failure`` for
shapes an engine must refuse). The compiled engine *claims* a test when it compiles every shape of its shapes
graph (no fallback to pySHACL); a claimed test passes when the engine's results equal the expected ones as a
multiset of (focus node, path, value, severity, source shape, constraint component), and conformance agrees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.validation import compiled
from kgtool.validation.compiled.model import ShapesGraph

SUITE = Path(__file__).parent / "w3c-shacl"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class W3cTest:
    """One entry of a manifest: its IRI (``file#name``), files, and expected outcome."""

    name: str
    file: Path
    data: Path
    shapes: Path
    failure: bool
    conforms: bool | None
    expected: tuple[tuple, ...]


def _graph(path: Path) -> list[ox.Triple]:
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


_PARSED: dict[Path, list[ox.Triple]] = {}


def graph(path: Path) -> list[ox.Triple]:
    """The triples of a suite file, parsed once (so blank nodes keep their identity across uses)."""
    if path not in _PARSED:
        _PARSED[path] = _graph(path)
    return _PARSED[path]


def read_tests(manifest: Path = SUITE / "core" / "manifest.ttl") -> list[W3cTest]:
    """Every test of ``manifest`` and the manifests it includes."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in graph(manifest))
    found: list[W3cTest] = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(MF + "include"), None):
        found += read_tests(Path(quad.object.value.removeprefix("file://")))
    model = ShapesGraph(graph(manifest))
    for quad in store.quads_for_pattern(None, ox.NamedNode(MF + "entries"), None):
        for entry in model.items(quad.object):
            found.append(_test(store, model, manifest, entry))
    return found


def _one(store: ox.Store, subject, predicate: str):
    values = [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]
    return values[0] if values else None


def _test(store: ox.Store, model: ShapesGraph, manifest: Path, entry) -> W3cTest:
    action = _one(store, entry, MF + "action")
    data = Path(_one(store, action, SHT + "dataGraph").value.removeprefix("file://"))
    shapes = Path(_one(store, action, SHT + "shapesGraph").value.removeprefix("file://"))
    result = _one(store, entry, MF + "result")
    if result == ox.NamedNode(SHT + "Failure"):
        return W3cTest(entry.value, manifest, data, shapes, True, None, ())
    conforms = _one(store, result, SH + "conforms").value == "true"
    expected = []
    for node in [q.object for q in store.quads_for_pattern(result, ox.NamedNode(SH + "result"), None)]:
        path = _one(store, node, SH + "resultPath")
        expected.append(
            _key(
                _one(store, node, SH + "focusNode"),
                model.path(path).text() if path is not None else None,
                _one(store, node, SH + "value"),
                _one(store, node, SH + "resultSeverity").value,
                _one(store, node, SH + "sourceShape"),
                _one(store, node, SH + "sourceConstraintComponent").value,
            )
        )
    return W3cTest(entry.value, manifest, data, shapes, False, conforms, tuple(expected))


def _key(focus, path, value, severity, shape, component) -> tuple:
    return (str(focus), path, str(value) if value is not None else None, severity, str(shape), component)


def outcome(test: W3cTest) -> str:
    """``passed``, ``failed: ...`` or ``not claimed: ...`` for the compiled engine on ``test``."""
    shapes = graph(test.shapes)
    try:
        program = compiled.compile_program(shapes)
    except compiled.ShapesError as error:  # shapes SHACL forbids: the engine refuses them
        return "passed" if test.failure else f"failed: refused the shapes ({error})"
    if program.fallback:
        return "not claimed: " + "; ".join(sorted(set(program.fallback.values())))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in graph(test.data))
    try:
        findings = compiled.run(program, store)
    except Exception as error:
        return "passed" if test.failure else f"failed: {type(error).__name__}: {error}"
    if test.failure:
        return "failed: expected the engine to refuse the shapes"
    got = Counter(_key(f.focus, f.path, f.value, f.severity, f.shape, f.component) for f in findings)
    want = Counter(test.expected)
    if got != want or (not findings) != test.conforms:
        return f"failed: only expected {sorted(want - got)}; only found {sorted(got - want)}"
    return "passed"
