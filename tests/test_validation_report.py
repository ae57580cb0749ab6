"""The three renderings of a validation report: text for stewards (en/es), the documented JSON schema, and the
standard SHACL report in Turtle that parses back. Records are the synthetic example submissions."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, ROOT
from kgtool import validation
from kgtool.rdf.namespaces import SALSH
from kgtool.validation import report as validation_report

SH = "http://www.w3.org/ns/shacl#"
BAD = ROOT / "data" / "examples" / "water-alliance-with-errors.ttl"
GOOD = ROOT / "data" / "examples" / "water-alliance.ttl"
SCHEMA = ROOT / "shapes" / "validation-report.schema.json"


@pytest.fixture(scope="module")
def bad() -> validation.ValidationReport:
    return validation.validate([BAD])


@pytest.fixture(scope="module")
def good() -> validation.ValidationReport:
    return validation.validate([GOOD])


# --------------------------------------------------------------------------------------------- text


def test_text_groups_problems_under_each_record_with_label_iri_file_and_line(bad):
    text = validation_report.render(bad, "text", "en")
    blocks = text.strip().split("\n\n")
    headers = [block.splitlines()[0] for block in blocks[1:-1]]
    assert len(headers) == len({r.focus for r in bad.results})
    assert f"Example Rural Water Association (synthetic) (sald:example-water-ngo) — {BAD}:28" in headers
    assert any(h.startswith("monetary amount (unnamed) — budget (sal:budget) of Example drinking") for h in headers)
    # one line per result: severity, property (label and prefixed name) and offending value, then the message
    assert '  Violation  currency (schema:currency) = "soles"' in text  # the ontology labels schema:currency too
    assert "  Violation  partner (sal:partner) = sald:example-watr-ngo" in text
    assert "did you mean sal:MarketLegitimacy?" in text and "did you mean sal:hasPartner?" in text
    assert "https://" not in "\n".join(line for line in text.splitlines() if not line.startswith(str(bad.files[0])))


def test_text_ends_with_a_summary_line(bad, good):
    assert validation_report.render(bad).splitlines()[-1] == (
        "10 violations, 2 warnings, 0 infos in 8 of 9 records: the submission does not conform."
    )
    assert validation_report.render(good).splitlines()[-1] == "No problems found. The submission conforms."


def test_text_in_spanish(bad):
    text = validation_report.render(bad, "text", "es")
    assert "  Violación    " in text and "  Advertencia  " in text
    assert "El registro no tiene nombre en inglés" in text and "¿quiso decir sal:hasPartner?" in text
    assert "cita la fuente (sal:citesSource)" in text  # property labels in Spanish too
    assert text.splitlines()[-1] == (
        "10 violaciones, 2 advertencias, 0 informaciones en 8 de 9 registros: el envío no es conforme."
    )
    assert "The record" not in text


# --------------------------------------------------------------------------------------------- json


def test_json_follows_the_documented_schema(bad):
    document = json.loads(validation_report.render(bad, "json"))
    assert document["report_format"] == 1 and document["conforms"] is False and document["language"] == "en"
    assert document["summary"] == {
        "records": 9,
        "records_with_results": 8,
        "violations": 10,
        "warnings": 2,
        "infos": 0,
    }
    assert document["checked_against"]["references"] in ("store", "project data")
    keys = {
        "severity",
        "record",
        "path",
        "path_label",
        "value",
        "message",
        "messages",
        "suggestion",
        "shape",
        "constraint",
        "column",
        "cell",
    }
    for result in document["results"]:
        assert set(result) == keys
        assert set(result["record"]) == {"id", "label", "type", "file", "line", "sheet", "parent"}
        assert result["cell"] is None and result["record"]["sheet"] is None  # an RDF file has no cells
        assert set(result["messages"]) == {"en", "es"} and result["message"] == result["messages"]["en"]
        assert result["shape"].startswith(SALSH)
    reference = next(r for r in document["results"] if r["shape"] == SALSH + "KnownReference")
    assert reference["value"] == {"type": "uri", "value": "https://w3id.org/sal/id/example-watr-ngo"}
    assert reference["suggestion"] == "https://w3id.org/sal/id/example-water-ngo"
    assert reference["record"]["line"] == 53 and reference["record"]["label"].startswith("Example Rural Water")
    value = next(r for r in document["results"] if r["shape"] == SALSH + "AmountValue")["value"]
    assert value == {"type": "literal", "value": "-120000", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    amount = next(r for r in document["results"] if r["shape"] == SALSH + "AmountValue")["record"]
    assert amount["id"].startswith("_:") and amount["parent"]["path"] == "https://w3id.org/sal#budget"


def test_json_validates_against_the_shipped_json_schema(bad, good):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["report_format"]["const"] == validation_report.REPORT_FORMAT
    jsonschema = pytest.importorskip("jsonschema")
    for report in (bad, good):
        for lang in ("en", "es"):
            jsonschema.validate(json.loads(validation_report.render(report, "json", lang)), schema)


def test_json_messages_follow_the_language(bad):
    document = json.loads(validation_report.render(bad, "json", "es"))
    assert document["language"] == "es"
    assert all(r["message"] == r["messages"]["es"] for r in document["results"])


# --------------------------------------------------------------------------------------------- turtle


def _report_graph(text: str) -> ox.Store:
    store = ox.Store()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def test_turtle_parses_back_as_a_shacl_validation_report(bad):
    store = _report_graph(validation_report.render(bad, "turtle"))
    rows = list(store.query(f"SELECT ?c WHERE {{ ?r a <{SH}ValidationReport> ; <{SH}conforms> ?c }}"))
    assert len(rows) == 1 and rows[0]["c"].value == "false"
    results = list(store.query(f"SELECT ?x WHERE {{ ?r <{SH}result> ?x . ?x a <{SH}ValidationResult> }}"))
    assert len(results) == len(bad.results)
    required = ("focusNode", "resultSeverity", "sourceConstraintComponent", "sourceShape")
    for row in results:
        for name in required:
            assert list(store.quads_for_pattern(row["x"], ox.NamedNode(SH + name), None)), name
        messages = [q.object for q in store.quads_for_pattern(row["x"], ox.NamedNode(SH + "resultMessage"), None)]
        assert sorted(m.language for m in messages) == ["en", "es"]


def test_turtle_keeps_complex_paths_as_shacl_paths():
    report = validation.validate(
        [FIXTURES / "validation" / "base.ttl", FIXTURES / "validation" / "violations" / "PartnershipAlliance.ttl"]
    )
    store = _report_graph(validation_report.render(report, "turtle"))
    rows = list(store.query(f"SELECT ?alt WHERE {{ ?x <{SH}resultPath> [ <{SH}alternativePath> ?alt ] }}"))
    assert len(rows) == 1
    text = validation_report.render(report, "text")
    assert "sal:partnershipIn|^sal:hasPartnership" in text


def test_turtle_conforms_when_only_warnings(tmp_path):
    report = validation.validate(
        [FIXTURES / "validation" / "base.ttl", FIXTURES / "validation" / "violations" / "CitesSource.ttl"]
    )
    assert report.conforms and report.count("Warning") == 1
    text = validation_report.render(report, "turtle")
    assert re.search(r"sh:conforms true", text)


def test_every_rendering_is_one_complete_document(good):
    """Each format parses as what it claims to be and says the same verdict: nothing cut short."""
    assert set(validation_report.FORMATS) == {"text", "json", "turtle"}
    as_json = json.loads(validation_report.render(good, "json"))
    assert as_json["conforms"] is good.conforms and len(as_json["results"]) == len(good.results)
    turtle = validation_report.render(good, "turtle")
    graph = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    conforms = [q.object.value for q in graph if q.predicate.value == "http://www.w3.org/ns/shacl#conforms"]
    assert conforms == [str(good.conforms).lower()]
    text = validation_report.render(good, "text")
    assert text.endswith("\n") and text.count("\n") >= 1 + len(good.results)
