"""Records that are blank nodes, as a steward reads them in a report: named by their label, placed on their line
where that can be known soundly (never on a wrong one), and with a JSON id that is the same at every run and in
both engines. The records are synthetic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_kgtool

PREFIXES = """@prefix sal: <https://w3id.org/sal#> .
@prefix sald: <https://w3id.org/sal/data/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

"""
#: An IRI record and an anonymous one (line 7 of the file), both synthetic alliances with one problem or more.
TWO = (
    PREFIXES
    + """sald:synthetic-x a sal:StrategicAlliance ;
   rdfs:label "A synthetic alliance"@en .
[] a sal:StrategicAlliance ;
   rdfs:label "Another synthetic alliance"@en .
"""
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _validate(path: Path, *options: str) -> str:
    result = run_kgtool("validate", str(path), *options, cwd=path.parent)
    assert result.code == 1, result.stderr  # the synthetic alliances name no partners
    return result.stdout


def _records(output: str) -> list[dict]:
    return [result["record"] for result in json.loads(output)["results"]]


def _titles(text: str) -> list[str]:
    """The record headings of a text report (the lines that start a block)."""
    return [block.splitlines()[0] for block in text.strip().split("\n\n")[1:-1]]


def test_a_labelled_blank_node_record_is_named_by_its_label(tmp_path: Path):
    path = _write(tmp_path, "sub.ttl", TWO)
    titles = _titles(_validate(path))
    blank = [title for title in titles if "(blank node)" in title]
    assert blank and all(title.startswith("Another synthetic alliance (blank node) — ") for title in blank), titles
    assert not [title for title in titles if "(unnamed)" in title]
    spanish = _titles(_validate(path, "--lang", "es"))
    assert any(title.startswith("Another synthetic alliance (nodo en blanco)") for title in spanish), spanish


def test_an_unlabelled_blank_node_record_is_still_named_by_its_kind(tmp_path: Path):
    path = _write(tmp_path, "sub.ttl", PREFIXES + "[] a sal:StrategicAlliance ; sal:hasUnidentifiedPartners true .\n")
    titles = _titles(_validate(path))
    assert titles and all(title.startswith("strategic alliance (unnamed)") for title in titles), titles


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_a_blank_node_records_id_is_the_same_at_every_run(tmp_path: Path, engine: str):
    path = _write(tmp_path, "sub.ttl", TWO)
    first = _validate(path, "--format", "json", "--engine", engine)
    second = _validate(path, "--format", "json", "--engine", engine)
    ids = {record["id"] for record in _records(first) if record["id"].startswith("_:")}
    assert len(ids) == 1, ids
    assert first == second


def test_both_engines_give_blank_nodes_the_same_ids_and_values(tmp_path: Path):
    nested = (
        PREFIXES
        + """[] a sal:StrategicAlliance ;
   rdfs:label "Another synthetic alliance"@en ;
   sal:hasPartnership [ a sal:Partnership ] , [ a sal:Partnership ; rdfs:label "A synthetic partnership"@en ] .
"""
    )
    path = _write(tmp_path, "sub.ttl", nested)
    outputs = {engine: _validate(path, "--format", "json", "--engine", engine) for engine in ("compiled", "pyshacl")}
    assert outputs["compiled"] == outputs["pyshacl"]
    records = _records(outputs["compiled"])
    ids = {record["id"] for record in records}
    parents = {record["parent"]["id"] for record in records if record["parent"]}
    assert len(ids) >= 2 and parents and parents <= ids  # a nested node's parent is named as that record is


def test_two_blank_nodes_described_alike_get_two_ids(tmp_path: Path):
    twice = PREFIXES + '[] a sal:StrategicAlliance ; rdfs:label "Twin"@en .\n' * 2
    path = _write(tmp_path, "sub.ttl", twice)
    output = _validate(path, "--format", "json")
    ids = {record["id"] for record in _records(output)}
    assert len(ids) == 2 and any(i.endswith("-2") for i in ids), ids
    assert output == _validate(path, "--format", "json")


def test_the_html_report_names_a_blank_node_by_its_label_and_stable_id(tmp_path: Path):
    path = _write(tmp_path, "sub.ttl", TWO)
    first, second = (_validate(path, "--format", "html") for _ in range(2))
    assert "Another synthetic alliance (blank node)" in first
    ids = [part.split('"')[0] for part in first.split('data-record="_:')[1:]]
    assert ids and ids == [part.split('"')[0] for part in second.split('data-record="_:')[1:]]


# --------------------------------------------------------------------------------------------- lines


def _lines(path: Path, engine: str = "compiled") -> dict[str, set]:
    """The line(s) the JSON report gives each labelled record, by label."""
    found: dict[str, set] = {}
    for record in _records(_validate(path, "--format", "json", "--engine", engine)):
        if record["label"]:
            found.setdefault(record["label"], set()).add(record["line"])
    return found


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_an_anonymous_record_is_placed_on_its_line(tmp_path: Path, engine: str):
    path = _write(tmp_path, "sub.ttl", TWO)
    assert _lines(path, engine) == {"A synthetic alliance": {5}, "Another synthetic alliance": {7}}
    titles = _titles(_validate(path, "--engine", engine))
    assert f"Another synthetic alliance (blank node) — {path}:7" in titles
    assert titles.index(f"Another synthetic alliance (blank node) — {path}:7") == 1  # after line 5, in file order


def test_named_blank_nodes_are_placed_in_turtle_and_n_triples(tmp_path: Path):
    turtle = PREFIXES + (
        "# a comment with [ brackets ] and _:b2 in it\n"  # line 5
        'sald:synthetic-x rdfs:comment "a string with [ and ] and . in it" .\n'  # line 6
        '_:b2 a sal:StrategicAlliance ; rdfs:label "Second"@en .\n'  # line 7
        '[ a sal:StrategicAlliance ; rdfs:label """Third\n[ on two lines ]"""@en ] .\n'  # line 8
        '_:b1 a sal:StrategicAlliance ;\n  rdfs:label "First"@en .\n'  # line 10
    )
    assert _lines(_write(tmp_path, "named.ttl", turtle)) == {
        "First": {10},
        "Second": {7},
        "Third\n[ on two lines ]": {8},
    }
    sal, label, kind = (
        "https://w3id.org/sal#",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    )
    ntriples = (
        f'_:one {kind} <{sal}StrategicAlliance> .\n_:two {label} "Two"@en .\n'
        f'_:two {kind} <{sal}StrategicAlliance> .\n_:one {label} "One"@en .\n'
    )
    assert _lines(_write(tmp_path, "named.nt", ntriples)) == {"One": {1}, "Two": {2}}


def test_a_trig_graph_name_is_not_taken_for_a_record(tmp_path: Path):
    trig = PREFIXES + (
        "[] { sald:synthetic-x rdfs:comment 1.5 . }\n"  # line 5: a blank graph name
        'GRAPH sald:g { [] a sal:StrategicAlliance ; rdfs:label "In a graph"@en }\n'  # line 6
    )
    assert _lines(_write(tmp_path, "graphs.trig", trig))["In a graph"] == {6}


def test_a_line_that_cannot_be_known_for_sure_stays_unknown(tmp_path: Path):
    twins = PREFIXES + '[] a sal:StrategicAlliance ; rdfs:label "Twin"@en .\n' * 2  # which is which?
    assert _lines(_write(tmp_path, "twins.ttl", twins), "pyshacl") == {"Twin": {None}}
    nested = PREFIXES + (
        'sald:synthetic-x a sal:StrategicAlliance ; rdfs:label "Outer"@en ;\n'
        '  sal:hasPartnership [ a sal:Partnership ; rdfs:label "Inner"@en ] .\n'
    )
    report = json.loads(_validate(_write(tmp_path, "nested.ttl", nested), "--format", "json"))
    inner = [result["record"] for result in report["results"] if result["record"]["label"] == "Inner"]
    assert inner and all(r["line"] is None and r["parent"]["id"].endswith("synthetic-x") for r in inner)
    jsonld = json.dumps(
        {
            "@id": "_:x",
            "@type": "https://w3id.org/sal#StrategicAlliance",
            "http://www.w3.org/2000/01/rdf-schema#label": {"@value": "In JSON-LD", "@language": "en"},
        }
    )
    path = _write(tmp_path, "record.jsonld", jsonld)
    assert _lines(path) == {"In JSON-LD": {None}}  # not placed, but its id is stable:
    assert _validate(path, "--format", "json") == _validate(path, "--format", "json")


def test_the_scanner_follows_turtle_and_gives_up_on_what_it_does_not_know():
    from kgtool.rdf.subjects import subjects

    text = (
        "PREFIX ex: <http://example.org/>\n"
        'GRAPH ex:g { [] ex:p """a\nb""" ; ex:q 1.5, 2. }\n'
        "[] { _:x ex:p ( 1 2 ) . ( ) ex:p [ ex:q -3e5 ] }\n"
        "( 1 ) ex:p ex:o . # [ a comment\n"
        "ex:a ex:b 'it''s [' .\n"
    )
    assert [(s.token, s.line) for s in subjects(text)] == [("[", 2), ("_:x", 4), ("(", 5), ("ex:a", 6)]
    assert [s.token for s in subjects('{_:s:p :o ._:s:p"Alice". [:p _:o].}')] == ["_:s", "_:s", "["]  # W3C
    assert subjects("<< <http://a> <http://b> <http://c> >> <http://p> 1 .") is None
    assert subjects('<http://a> <http://p> "unterminated .') is None
    # Blanks and comments match one way only: a text no token fits is refused at once, not after trying every split
    # of the blanks before it (exponential in their length: this one took longer than the test suite).
    assert (
        subjects("# a # b # c # d # e # f # g # h # i # j # k # l # m # n # o # p # q # r # s #\n" + " " * 60 + '"x')
        is None
    )
    assert [(s.token, s.line) for s in subjects("<http://a> <http://b> 1.e5 .\n[] <http://b> 2.")] == [
        ("<http://a>", 1),
        ("[", 2),
    ]
