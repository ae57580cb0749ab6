"""kgtool.parsing: strict offline parsing with one-line errors (W3C RDF 1.1 syntax suites as the oracle)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import TESTSUITES
from kgtool.errors import InputError, UsageError
from kgtool.parsing import parse_quads

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
    assert isinstance(parse_quads(path), list)


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
