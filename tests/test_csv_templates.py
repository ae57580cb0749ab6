"""kgtool.validation.csv_templates: ROBOT-style CSV templates to RDF, every problem located by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT
from kgtool.errors import InputError
from kgtool.rdf.namespaces import SAL, SALD
from kgtool.validation import csv_templates

TEMPLATES = sorted((ROOT / "data" / "templates").glob("*.csv"))
EXAMPLES = sorted((ROOT / "data" / "examples").glob("*.csv"))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "records.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_template_per_record_type():
    names = {p.stem for p in TEMPLATES}
    assert names >= {"actors", "alliances", "partnerships", "legitimacy-attributions", "projects", "contributions"}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_every_template_parses_and_is_empty(template: Path):
    assert csv_templates.read(template).quads == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gives_records(example: Path):
    records = csv_templates.read(example)
    assert records.quads and records.rows


def test_typed_multi_valued_and_nested_columns(tmp_path: Path):
    path = _write(
        tmp_path,
        "id,kind,label_en,partners,amount,currency,start\n"
        "ID,TYPE,LABEL@en,AI sal:hasPartner SPLIT=;,AT sal:amount>sal:MonetaryAmount>schema:value^^xsd:decimal,"
        "A sal:amount>sal:MonetaryAmount>schema:currency,AT sal:periodStart^^xsd:gYear\n"
        "synthetic-a,StrategicAlliance,Synthetic A,synthetic-x; sald:synthetic-y ,12.5,USD,2020\n",
    )
    records = csv_templates.read(path)
    triples = {(q.subject.value, q.predicate.value, q.object) for q in records.quads}
    alliance, amount = SALD + "synthetic-a", SALD + "synthetic-a-amount"
    assert (alliance, SAL + "hasPartner", ox.NamedNode(SALD + "synthetic-x")) in triples
    assert (alliance, SAL + "hasPartner", ox.NamedNode(SALD + "synthetic-y")) in triples
    assert (alliance, SAL + "amount", ox.NamedNode(amount)) in triples
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    assert (amount, "https://schema.org/value", ox.Literal("12.5", datatype=decimal)) in triples
    assert records.locate(amount, "https://schema.org/value") == f"{path}:3:amount"
    assert records.locate(alliance, SAL + "periodStart") == f"{path}:3:start"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id,label\nID,LABEL@en\n"unclosed,x\n', r"records.csv: CSV syntax error"),
        ("id,colour\nID,COLOUR sal:x\n", r"records.csv:2:colour: unknown template string"),
        ("label\nLABEL@en\n", r"records.csv:2: a template needs exactly one ID column"),
        ("id,label\nID,LABEL@en\nsynthetic-a\n", r"records.csv:3: 1 cells where the header has 2 columns"),
        ("id,label\nID,LABEL@en\n,Nameless\n", r"records.csv:3:id: the record has no ID"),
        ("id,partner\nID,AI sal:hasPartner\nsynthetic-a,Not A Slug\n", r"records.csv:3:partner: 'Not A Slug'"),
        ("id,label\nID,LABEL@en\n", None),
        ("id,id\nID,ID\n", r"records.csv:1: duplicate column names"),
        ("id\n", r"needs a header row and a template row"),
    ],
)
def test_problems_are_located(tmp_path: Path, text: str, expected: str | None):
    path = _write(tmp_path, text)
    if expected is None:
        assert csv_templates.read(path).quads == []
        return
    with pytest.raises(InputError, match=expected):
        csv_templates.read(path)


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,label\nID,LABEL@en\nsynthetic-a,Per\xfa\n".encode("latin-1"))
    with pytest.raises(InputError, match="not valid UTF-8"):
        csv_templates.read(path)
