"""``kgtool validate`` as a steward meets it: exit codes, one-line errors, no traceback, no network, the examples.
Every record is synthetic; the external-entity and remote-context files are made up for the test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, run_kgtool

EXAMPLES = ROOT / "data" / "examples"
GOOD = EXAMPLES / "water-alliance.ttl"
BAD = EXAMPLES / "water-alliance-with-errors.ttl"
NO_STORE = {"KGTOOL_STORE": ""}  # and a working folder without ./.kgtool/store: the project's data stand in

# Runs the CLI with a Python audit hook that kills the process at the first attempt to resolve a host name or open
# a socket connection: a test that sees exit code 99 has caught kgtool (or rdflib, pySHACL) reaching out.
NETWORK_GUARD = """
import os, sys
def guard(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        sys.stderr.write(f"NETWORK ACCESS: {event} {args!r}\\n")
        os._exit(99)
sys.addaudithook(guard)
sys.argv = ["kgtool", *sys.argv[1:]]
from kgtool.cli import main
main()
"""


def run_guarded(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", NETWORK_GUARD, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={**__import__("os").environ, "KGTOOL_STORE": ""},
    )


def one_line_error(result, code: int = 2) -> str:
    assert result.code == code, (result.code, result.stdout, result.stderr)
    assert result.stdout == ""  # nothing half-written
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# --------------------------------------------------------------------------------------------- the examples


def test_the_conforming_example_exits_0(tmp_path):
    result = run_kgtool("validate", str(GOOD), cwd=tmp_path, env=NO_STORE)
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("No problems found. The submission conforms.")
    assert "the project's data" in result.stdout.splitlines()[0]


def test_the_example_with_errors_exits_1_and_reports_each_mistake(tmp_path):
    result = run_kgtool("validate", str(BAD), cwd=tmp_path, env=NO_STORE)
    assert result.code == 1 and result.stderr == ""
    for expected in (
        "did you mean sal:hasPartner?",
        "did you mean sal:MarketLegitimacy?",
        "The period ends before it starts",
        "the nearest known record is sald:example-water-ngo",
        "The record has no English name",
        "The record has no Spanish label",
        "The record cites no source",
        "The status is finished (sal:Finished) but the completion is below 100 %",
        '= "2022-02-30" (xsd:date)',
        'currency (schema:currency) = "soles"',
        'value (schema:value) = "-120000" (xsd:integer)',
        "A district's ubigeo code has six digits",
    ):
        assert expected in result.stdout, expected


def test_warnings_alone_exit_0(tmp_path):
    fixtures = ROOT / "tests" / "fixtures" / "validation"
    result = run_kgtool(
        "validate",
        str(fixtures / "base.ttl"),
        str(fixtures / "violations" / "LabelSpanish.ttl"),
        cwd=tmp_path,
        env=NO_STORE,
    )
    assert result.code == 0 and "1 warning" in result.stdout


def test_json_and_turtle_on_stdout_with_the_same_exit_code(tmp_path):
    as_json = run_kgtool("validate", str(BAD), "--format", "json", "--lang", "es", cwd=tmp_path, env=NO_STORE)
    assert as_json.code == 1 and json.loads(as_json.stdout)["summary"]["violations"] == 10
    as_turtle = run_kgtool("validate", str(BAD), "-f", "turtle", cwd=tmp_path, env=NO_STORE)
    assert as_turtle.code == 1
    assert len(list(ox.parse(as_turtle.stdout.encode(), format=ox.RdfFormat.TURTLE))) > 50


def test_the_jsonld_example_states_what_the_turtle_example_states():
    from rdflib.compare import isomorphic

    from kgtool.rdf.parsing import to_rdflib_graph

    def canonical(path: Path):
        store = ox.Store()  # literals as a store keeps them: 60 as xsd:decimal and 60.0 are one value
        store.extend(ox.parse(path=str(path), base_iri="file:///example"))
        return to_rdflib_graph(store)

    turtle, jsonld = canonical(GOOD), canonical(EXAMPLES / "water-alliance.jsonld")
    assert len(turtle) > 70 and isomorphic(turtle, jsonld)


def test_the_jsonld_example_embeds_the_shipped_context():
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    example = json.loads((EXAMPLES / "water-alliance.jsonld").read_text(encoding="utf-8"))
    assert example["@context"] == context["@context"]


def test_every_context_term_is_a_term_of_the_ontology_or_a_standard_vocabulary():
    from kgtool.rdf import ontology

    defined = {q.subject.value for q in ontology.load() if isinstance(q.subject, ox.NamedNode)}
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and not k.startswith("@") and "://" in v}
    sal_properties = {
        iri
        for iri in defined
        if iri.startswith(prefixes["sal"])
        and any(
            q.subject.value == iri and q.object.value.endswith(("ObjectProperty", "DatatypeProperty"))
            for q in ontology.load()
            if q.predicate.value.endswith("#type")
        )
    }
    mapped = set()
    for term, definition in context.items():
        if term.startswith("@") or term in prefixes or isinstance(definition, str):
            continue
        prefix, local = definition["@id"].split(":", 1)
        iri = prefixes[prefix] + local
        mapped.add(iri)
        if prefix == "sal":
            assert iri in defined, term
            assert term == local, term  # a sal: term keeps its name, so @vocab and the term agree
    assert sal_properties <= mapped


# --------------------------------------------------------------------------------------------- unusable input


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("syntax.ttl", b"@prefix sal: <https://w3id.org/sal#> .\n\nsal:a sal:b sal:c sal:d .\n", r"syntax.ttl:3:"),
        ("empty.ttl", b"", "the file is empty"),
        ("binary.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", "binary file, not RDF text"),
        ("latin1.ttl", b'<http://e/a> <http://e/b> "caf\xe9" .\n', "latin1.ttl:1: not valid UTF-8"),
        ("records.docx", b"PK\x03\x04", "unknown RDF extension '.docx'"),
        ("broken.jsonld", b'{"@id": "http://e/a", ', "broken.jsonld:1:"),
        ("broken.rdf", b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<oops>\n", "broken.rdf:"),
    ],
)
def test_unusable_files_exit_2_in_one_line(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    stderr = one_line_error(run_kgtool("validate", str(path), cwd=tmp_path, env=NO_STORE))
    assert stderr.startswith("kgtool: error: ") and expected in stderr


def test_a_missing_file_exits_2_even_beside_good_ones(tmp_path):
    stderr = one_line_error(run_kgtool("validate", str(GOOD), str(tmp_path / "absent.ttl"), cwd=tmp_path, env=NO_STORE))
    assert "absent.ttl: no such file" in stderr


def test_input_format_overrides_the_extension(tmp_path):
    notes = tmp_path / "records.txt"
    notes.write_bytes(GOOD.read_bytes())
    assert "unknown RDF extension" in one_line_error(run_kgtool("validate", str(notes), cwd=tmp_path, env=NO_STORE))
    result = run_kgtool("validate", str(notes), "--input-format", "turtle", cwd=tmp_path, env=NO_STORE)
    assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (("--format", "yaml"), "unknown format 'yaml'"),
        (("--lang", "fr"), "unknown language 'fr'"),
        (("--input-format", "csv"), "unknown RDF format 'csv'"),
    ],
)
def test_bad_options_exit_2_in_one_line(tmp_path, option, expected):
    assert expected in one_line_error(run_kgtool("validate", str(GOOD), *option, cwd=tmp_path, env=NO_STORE))


def test_no_file_is_a_usage_error(tmp_path):
    result = run_kgtool("validate", cwd=tmp_path, env=NO_STORE)
    assert result.code == 2 and "Missing argument" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------- never reaching out


def test_a_remote_jsonld_context_is_refused_without_a_connection(tmp_path):
    # 192.0.2.0/24 is TEST-NET-1: nothing answers there, so a fetch would hang rather than fail.
    record = tmp_path / "record.jsonld"
    record.write_text('{"@context": "http://192.0.2.1/context.jsonld", "@id": "https://w3id.org/sal/id/t-a", "x": 1}')
    started = time.monotonic()
    result = run_guarded("validate", str(record), cwd=tmp_path)
    assert time.monotonic() - started < 120, "does not hang waiting for the network (a generous bound)"
    assert result.returncode == 2 and "NETWORK ACCESS" not in result.stderr
    assert "remote JSON-LD @context refused" in result.stderr and result.stderr.count("\n") == 1


def test_an_rdfxml_external_entity_to_a_local_file_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SYNTHETIC-SECRET-7f3a9", encoding="utf-8")
    record = tmp_path / "entity.rdf"
    record.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "{secret.as_uri()}"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '  <rdf:Description rdf:about="https://w3id.org/sal/id/t-a"><rdfs:label>&secret;</rdfs:label></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    for output_format in ("text", "json", "turtle"):
        result = run_guarded("validate", str(record), "--format", output_format, cwd=tmp_path)
        assert "SYNTHETIC-SECRET" not in result.stdout + result.stderr
        assert result.returncode == 2 and result.stdout == "" and "entity.rdf:" in result.stderr


def test_an_rdfxml_external_entity_on_the_network_does_not_hang(tmp_path):
    record = tmp_path / "entity.rdf"
    record.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY remote SYSTEM "http://192.0.2.1/x.txt"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '  <rdf:Description rdf:about="https://w3id.org/sal/id/t-a"><rdfs:label>&remote;</rdfs:label></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    result = run_guarded("validate", str(record), cwd=tmp_path)
    assert time.monotonic() - started < 120, "does not hang waiting for the network (a generous bound)"
    assert result.returncode == 2 and "NETWORK ACCESS" not in result.stderr and "Traceback" not in result.stderr


def test_a_whole_validation_opens_no_connection(tmp_path):
    result = run_guarded("validate", str(BAD), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and "NETWORK ACCESS" not in result.stderr
    assert json.loads(result.stdout)["conforms"] is False


# --------------------------------------------------------------------------------------------- the store


def test_references_are_checked_against_a_named_store(tmp_path, store_dir):
    result = run_kgtool("validate", str(GOOD), "--store", str(store_dir), cwd=tmp_path)
    assert result.code == 0 and f"the store {store_dir}" in result.stdout.splitlines()[0]
    via_env = run_kgtool("validate", str(GOOD), cwd=tmp_path, env={"KGTOOL_STORE": str(store_dir)})
    assert via_env.code == 0 and f"the store {store_dir}" in via_env.stdout


def test_a_named_store_that_does_not_exist_exits_3(tmp_path):
    result = run_kgtool("validate", str(GOOD), "--store", str(tmp_path / "none"), cwd=tmp_path)
    assert "kgtool build" in one_line_error(result, code=3)


def test_the_default_store_is_used_when_it_exists(tmp_path, store_dir):
    import shutil

    shutil.copytree(store_dir, tmp_path / ".kgtool" / "store")
    result = run_kgtool("validate", str(GOOD), cwd=tmp_path, env=NO_STORE)
    assert result.code == 0 and "the store .kgtool/store" in result.stdout.splitlines()[0]


def test_a_locked_store_exits_3(tmp_path, store_dir):
    import shutil

    target = tmp_path / "store"
    shutil.copytree(store_dir, target)
    holder = ox.Store(str(target))
    try:
        result = run_kgtool("validate", str(GOOD), "--store", str(target), cwd=tmp_path)
    finally:
        del holder
    assert "in use by another kgtool process" in one_line_error(result, code=3)


def test_validate_is_listed_and_documented():
    listing = run_kgtool("--help")
    assert listing.code == 0 and "validate" in listing.stdout
    own = run_kgtool("validate", "--help")
    for option in ("--format", "--input-format", "--lang", "--store"):
        assert option in own.stdout


# --------------------------------------------------------------------------------------------- exact output
SHAPES_FIXTURES = ROOT / "tests" / "fixtures" / "validation"


@pytest.mark.parametrize("output", ["text", "json"])
def test_lang_es_renders_every_message_in_spanish(tmp_path, output):
    """The rule's Spanish message, not its English one, in text and JSON (fixture: an assessment of an NGO)."""
    files = [str(SHAPES_FIXTURES / "base.ttl"), str(SHAPES_FIXTURES / "violations" / "AssessmentAlliance.ttl")]
    english = "A principle assessment assesses exactly one alliance (sal:assessedAlliance)"
    spanish = "Una evaluación de principio evalúa exactamente una alianza (sal:assessedAlliance)"

    def shown(*language: str) -> str:
        result = run_kgtool("validate", *files, "--format", output, *language, cwd=tmp_path, env=NO_STORE)
        assert result.code == 1
        if output == "text":
            return result.stdout
        report = json.loads(result.stdout)  # its "messages" hold both languages: "message" is the one shown
        assert report["language"] == (language[-1] if language else "en")
        return "\n".join(r["message"] for r in report["results"])

    assert spanish in shown("--lang", "es") and english not in shown("--lang", "es")
    assert english in shown() and spanish not in shown()
    # The record is named by its Spanish label too (text), or carries it (JSON's record.label).
    es = run_kgtool("validate", *files, "--format", output, "--lang", "es", cwd=tmp_path, env=NO_STORE).stdout
    assert "Segunda evaluación de prueba" in es and "Second test assessment" not in es


def test_each_csv_record_is_reported_at_its_own_row(tmp_path):
    """record.line is the row of the record's id cell in the CSV file (row 1 the header, row 2 the template)."""
    bad = EXAMPLES / "bad-projects.csv"
    rows = {line.split(",", 1)[0]: number for number, line in enumerate(bad.read_text().splitlines(), start=1)}
    result = run_kgtool(
        "validate", str(EXAMPLES / "sources.ttl"), str(bad), "--format", "json", cwd=tmp_path, env=NO_STORE
    )
    records = {
        (r["record"]["id"].removeprefix("https://w3id.org/sal/id/"), r["record"]["line"])
        for r in json.loads(result.stdout)["results"]
        if r["record"]["file"].endswith("bad-projects.csv")
    }
    # A record the row makes besides its own (the project's budget) is reported at the same row.
    owner = {slug: max((i for i in rows if slug.startswith(i)), key=len) for slug, _ in records}
    assert records == {(slug, rows[owner[slug]]) for slug, _ in records}
    assert set(owner.values()) == {"synthetic-broken-project", "synthetic-unfinished-project"}
    text = run_kgtool("validate", str(EXAMPLES / "sources.ttl"), str(bad), cwd=tmp_path, env=NO_STORE).stdout
    shown = re.findall(r"bad-projects\.csv:(\d+)", text)
    assert shown and set(shown) == {str(line) for _, line in records}
