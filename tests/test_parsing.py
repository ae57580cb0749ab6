"""kgtool.rdf.parsing: strict offline parsing with one-line errors (W3C RDF 1.1 syntax suites as the oracle)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import TESTSUITES
from kgtool.errors import InputError, UsageError
from kgtool.rdf.parsing import parse_quads

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SUITES = {
    "rdf-turtle": ("TestTurtlePositiveSyntax", "TestTurtleNegativeSyntax", "TestTurtleEval"),
    "rdf-trig": ("TestTrigPositiveSyntax", "TestTrigNegativeSyntax", "TestTrigEval"),
    "rdf-n-triples": ("TestNTriplesPositiveSyntax", "TestNTriplesNegativeSyntax", None),
    "rdf-n-quads": ("TestNQuadsPositiveSyntax", "TestNQuadsNegativeSyntax", None),
    "rdf-xml": (None, "TestXMLNegativeSyntax", "TestXMLEval"),
}


def _manifest_path(suite: str) -> Path:
    path = TESTSUITES / suite / "manifest.ttl"
    return path / "manifest.ttl" if path.is_dir() else path


def _tests(suite: str, kinds: tuple[str | None, ...]) -> list[Path]:
    manifest = _manifest_path(suite)
    # The RDF/XML manifest sits one folder deeper than its tests: resolve against the suite's folder.
    base = (TESTSUITES / suite / "manifest.ttl").as_uri()
    quads = list(ox.parse(path=str(manifest), base_iri=base))
    types = {q.subject: q.object.value.rsplit("#", 1)[-1] for q in quads if q.predicate.value.endswith("#type")}
    actions = [(q.subject, q.object.value) for q in quads if q.predicate.value == MF + "action"]
    return sorted(
        Path(action.removeprefix("file://"))
        for test, action in actions
        if types.get(test) in kinds and Path(action.removeprefix("file://")).exists()
    )


def _cases(negative: bool) -> list:
    cases = []
    for suite, (positive, negative_kind, evaluation) in SUITES.items():
        kinds = (negative_kind,) if negative else (positive, evaluation)
        cases += [pytest.param(path, id=f"{suite}/{path.name}") for path in _tests(suite, kinds)]
    return cases


NEGATIVE = _cases(negative=True)
POSITIVE = _cases(negative=False)


def test_the_w3c_suites_are_found():
    assert len(NEGATIVE) >= 300 and len(POSITIVE) >= 300


@pytest.mark.parametrize("path", NEGATIVE)
def test_every_w3c_negative_syntax_test_is_rejected_with_a_located_message(path: Path):
    with pytest.raises(InputError) as caught:
        parse_quads(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message


@pytest.mark.parametrize("path", POSITIVE)
def test_every_w3c_positive_test_parses(path: Path):
    if not path.read_bytes().strip():
        with pytest.raises(InputError, match="empty"):  # kgtool refuses empty files on purpose
            parse_quads(path)
        return
    # No expected graph for a syntax test: kgtool must give what the parser reads, nothing dropped or merged.
    from rdflib.compare import isomorphic

    plain = list(ox.parse(path=str(path), base_iri=path.resolve().as_uri()))
    assert isomorphic(_as_graph(parse_quads(path)), _as_graph(plain))


def test_syntax_error_names_file_line_and_column(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{bad}:3:\d+: "):
        parse_quads(bad)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "binary"),
        (b'@prefix ex: <http://e/> .\nex:a ex:b "caf\xe9" .\n', r":2: not valid UTF-8"),
    ],
)
def test_unusable_files_are_refused_in_one_line(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "input.ttl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        parse_quads(path)


def test_missing_file_and_unknown_format(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        parse_quads(tmp_path / "absent.ttl")
    odd = tmp_path / "records.docx"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="unknown RDF extension"):
        parse_quads(odd)


def test_remote_jsonld_context_is_refused_without_network(tmp_path: Path):
    # 192.0.2.0/24 is TEST-NET-1: nothing answers there, so a fetch would hang rather than succeed.
    doc = tmp_path / "record.jsonld"
    doc.write_text('{"@context": "http://192.0.2.1/context.jsonld", "@id": "http://e/a", "name": "x"}')
    with pytest.raises(InputError, match="remote JSON-LD @context refused"):
        parse_quads(doc)


def test_blank_nodes_of_two_files_never_merge(tmp_path: Path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text('_:b1 <http://e/p> "a" .\n')
    second.write_text('_:b1 <http://e/p> "b" .\n')
    assert parse_quads(first)[0].subject != parse_quads(second)[0].subject


# --------------------------------------------------------------------------------------------- evaluation tests
# Known limitation, not kgtool's to fix: Oxigraph keeps an rdf:parseType="Literal" value as written, where RDF 1.1
# wants it in exclusive XML canonical form (<br/> as <br></br>, attributes sorted).
XML_CANON = "Oxigraph does not canonicalize rdf:XMLLiteral values"
NOT_CANONICAL = {"rdf-xml/xml-canon/test001.rdf", "rdf-xml/xml-canon/test002.rdf"}
EVALUATIONS = {"rdf-turtle": "TestTurtleEval", "rdf-trig": "TestTrigEval", "rdf-xml": "TestXMLEval"}


def _evaluations() -> list:
    """(action, expected result, base IRI) of every evaluation test, the base being the suite's assumed one."""
    cases = []
    for suite, kind in EVALUATIONS.items():
        folder = TESTSUITES / suite
        quads = list(ox.parse(path=str(_manifest_path(suite)), base_iri=(folder / "manifest.ttl").as_uri()))
        assumed = next(q.object.value for q in quads if q.predicate.value == MF + "assumedTestBase")
        tests = {q.subject for q in quads if q.predicate.value.endswith("#type") and q.object.value.endswith(kind)}
        by_test: dict = {}
        for q in quads:
            if q.subject in tests and q.predicate.value in (MF + "action", MF + "result"):
                by_test.setdefault(q.subject, {})[q.predicate.value.rsplit("#", 1)[1]] = Path(
                    q.object.value.removeprefix("file://")
                )
        for files in by_test.values():
            action, result = files["action"], files["result"]
            base = assumed + action.relative_to(folder).as_posix()
            name = f"{suite}/{action.relative_to(folder)}"
            marks = [pytest.mark.xfail(strict=True, reason=XML_CANON)] if name in NOT_CANONICAL else []
            cases.append(pytest.param(action, result, base, id=name, marks=marks))
    return sorted(cases, key=lambda case: case.id)


EVALUATION_CASES = _evaluations()


def _as_graph(quads):
    """Quads as one rdflib graph, each quad a node with its four terms: isomorphism then respects blank nodes
    shared across named graphs, and a quad in the wrong graph differs."""
    import rdflib

    from kgtool.rdf.parsing import to_rdflib_graph

    q = rdflib.Namespace("urn:quad:")
    terms = to_rdflib_graph([])
    for quad in set(quads):
        node = rdflib.BNode()
        part = to_rdflib_graph([ox.Quad(quad.subject, quad.predicate, quad.object)])
        ((s, p, o),) = list(part)
        terms.add((node, q.s, s))
        terms.add((node, q.p, p))
        terms.add((node, q.o, o))
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            graph = to_rdflib_graph([ox.Quad(quad.graph_name, quad.predicate, quad.object)])
            ((g, _, _),) = list(graph)
            terms.add((node, q.g, g))
    return terms


def test_the_w3c_evaluation_tests_are_found():
    assert {case.id.split("/")[0] for case in EVALUATION_CASES} == set(EVALUATIONS) and len(EVALUATION_CASES) >= 250


@pytest.mark.parametrize(("action", "result", "base"), EVALUATION_CASES)
def test_every_w3c_evaluation_test_gives_the_expected_graph(action: Path, result: Path, base: str):
    from rdflib.compare import isomorphic

    expected = list(ox.parse(path=str(result), base_iri=base))
    if not action.read_bytes().strip():
        assert expected == []  # an empty document: kgtool refuses empty files on purpose (test above)
        return
    assert isomorphic(_as_graph(parse_quads(action, base_iri=base)), _as_graph(expected))
