"""Untrusted files meet limits before a parser sees them (issue 13): size, nesting, entities, literals, devices.

Each limit is a setting ($KGTOOL_MAX_INPUT_MB, $KGTOOL_MAX_DEPTH, $KGTOOL_MAX_LITERAL_MB): a file beyond it is
refused with exit 2 and one line naming the file and the setting, and a file within it is read as before.
All files here are synthetic.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile import (
    RECORD,
    SALD,
    billion_laughs,
    nested_jsonld,
    nested_rdfxml,
    nested_sparql,
    nested_triple_sparql,
    nested_triple_terms,
    nested_turtle,
)

from conftest import run_bounded, run_kgtool

ONE_LINE = 1


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _refused(result, *words: str) -> None:
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == ONE_LINE and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _read(result) -> None:
    """The file was read (the records conform or not: 0 or 1), not refused."""
    assert result.code in (0, 1), result.stderr


def test_nested_json_ld_that_crashed_the_parser_is_refused_in_one_line(tmp_path: Path, store_dir: Path):
    """Regression: 4,000 nested JSON-LD objects killed validate and ingest with SIGSEGV (exit 139)."""
    deep = _write(tmp_path / "deep.jsonld", nested_jsonld(4000))
    for command in (("validate", str(deep)), ("ingest", str(deep), "--submitter", "x")):
        _refused(run_kgtool(*command, "--store", str(store_dir)), str(deep), "KGTOOL_MAX_DEPTH")


@pytest.mark.parametrize(
    ("name", "nested"),
    [("d.jsonld", nested_jsonld), ("d.rdf", nested_rdfxml), ("d.ttl", nested_turtle)],
    ids=["json-ld", "rdf-xml", "turtle"],
)
def test_the_nesting_limit_is_a_setting(tmp_path: Path, store_dir: Path, name: str, nested):
    shallow = _write(tmp_path / name, nested(50))
    _read(run_kgtool("validate", str(shallow), "--store", str(store_dir)))
    _refused(
        run_kgtool("validate", str(shallow), "--store", str(store_dir), env={"KGTOOL_MAX_DEPTH": "20"}),
        "nested",
        "KGTOOL_MAX_DEPTH",
    )


def test_billion_laughs_is_refused_before_it_expands(tmp_path: Path, store_dir: Path):
    """Regression: 10 levels of internal entities in 1 KB of RDF/XML expanded without bound."""
    laughs = _write(tmp_path / "laughs.rdf", billion_laughs(10))  # run capped: a regression fails, not the machine
    _refused(run_bounded("validate", str(laughs), "--store", str(store_dir)), str(laughs), "entit")
    _refused(run_bounded("build", "--from", str(laughs), "--store", str(tmp_path / "s")), "entit")
    assert not (tmp_path / "s").exists()


def test_ordinary_internal_entities_still_work(tmp_path: Path, store_dir: Path):
    """Protégé writes RDF/XML with entities for namespaces (&sal;): those are no attack and must still read."""
    owl_style = _write(
        tmp_path / "records.rdf",
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY sal "https://w3id.org/sal#">\n'
        f'  <!ENTITY sald "{SALD}">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '  <rdf:Description rdf:about="&sald;synthetic-ngo"><rdf:type rdf:resource="&sal;NGO"/>'
        '<rdfs:label xml:lang="en">Synthetic NGO</rdfs:label><rdfs:label xml:lang="es">ONG sintética</rdfs:label>'
        "</rdf:Description>\n</rdf:RDF>\n",
    )
    result = run_kgtool("validate", str(owl_style), "--format", "json", "--store", str(store_dir))
    _read(result)
    assert "synthetic-ngo" in result.stdout


def test_a_literal_beyond_the_limit_is_refused(tmp_path: Path, store_dir: Path):
    """Regression: a 50 MB literal ended in "internal error: MemoryError" (exit 70)."""
    huge = _write(tmp_path / "huge.ttl", RECORD.replace('"Synthetic NGO"@en', '"' + "x" * 50_000_000 + '"@en'))
    _refused(run_bounded("validate", str(huge), "--store", str(store_dir)), str(huge))
    two_mb = _write(tmp_path / "two.ttl", RECORD.replace('"Synthetic NGO"@en', '"' + "y" * 2_000_000 + '"@en'))
    _refused(run_kgtool("validate", str(two_mb), "--store", str(store_dir)), "KGTOOL_MAX_LITERAL_MB")
    _read(run_kgtool("validate", str(two_mb), "--store", str(store_dir), env={"KGTOOL_MAX_LITERAL_MB": "4"}))


@pytest.mark.parametrize(
    ("name", "literal", "refused"),
    [
        ("short-lines.ttl", '"short"', False),  # many short lines: read without searching the literals
        ("one-line.nt", '"' + "y" * 150 + '"', True),
        ("triple-quoted.ttl", '"""' + ("z" * 40 + "\n") * 4 + '"""', True),  # a long literal over short lines
        ("escaped.ttl", '"' + "\\u0041" * 30 + '"', False),  # 180 bytes on its line for 30 characters
    ],
)
def test_the_literal_limit_of_a_file_loaded_by_oxigraph(tmp_path: Path, monkeypatch, name, literal, refused):
    """A file larger than the literal limit is checked for long literals after Oxigraph loads it; where its
    literals all stand on short lines that check is skipped (``kgtool.rdf.parsing._check_literals``), which must
    not let a long literal through: not one written over several lines, nor one on a long line."""
    import pyoxigraph as ox

    from kgtool.errors import InputError
    from kgtool.rdf.parsing import load_into

    monkeypatch.setenv("KGTOOL_MAX_LITERAL_MB", "0.0001")  # 100 characters
    turtle = name.endswith(".ttl")
    record, prefix = ("d:r{} d:p", f"@prefix d: <{SALD}> .\n") if turtle else (f"<{SALD}r{{}}> <{SALD}p>", "")
    lines = [f"{record.format(n)} {literal} ." for n in range(3)]
    lines += [f'{record.format(n)} "x" .' for n in range(3, 30)]  # the file is larger than the limit
    path = _write(tmp_path / name, prefix + "\n".join(lines) + "\n")
    store, graph = ox.Store(), ox.NamedNode("urn:test:file")
    if refused:
        with pytest.raises(InputError, match="KGTOOL_MAX_LITERAL_MB"):
            load_into(store, path, graph)
    else:
        load_into(store, path, graph)
        assert len(store) == 30


def test_long_line_finds_exactly_the_lines_longer_than_the_limit():
    import random

    from kgtool.rdf.parsing import _long_line

    rng = random.Random(19)
    for _ in range(5000):
        data = bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 40)))
        limit = rng.randint(1, 12)
        assert _long_line(data, limit) == (max(map(len, data.split(b"\n"))) > limit), (data, limit)


def test_the_input_size_limit_is_a_setting(tmp_path: Path, store_dir: Path):
    records = _write(tmp_path / "records.ttl", RECORD)
    _read(run_kgtool("validate", str(records), "--store", str(store_dir)))
    small = {"KGTOOL_MAX_INPUT_MB": "0.0001"}  # 100 bytes
    _refused(run_kgtool("validate", str(records), "--store", str(store_dir), env=small), "KGTOOL_MAX_INPUT_MB")
    _refused(run_kgtool("build", "--from", str(records), "--store", str(tmp_path / "s"), env=small), "KGTOOL_MAX")


@pytest.mark.parametrize("value", ["abc", "-1", "0", "", "nan"])
def test_a_bad_limit_setting_is_a_usage_error(tmp_path: Path, store_dir: Path, value: str):
    records = _write(tmp_path / "records.ttl", RECORD)
    for variable in ("KGTOOL_MAX_INPUT_MB", "KGTOOL_MAX_DEPTH", "KGTOOL_MAX_LITERAL_MB"):
        result = run_kgtool("validate", str(records), "--store", str(store_dir), env={variable: value})
        if value == "":
            _read(result)  # empty means unset: the default applies
        else:
            _refused(result, variable)


def test_endless_devices_are_refused_at_once(tmp_path: Path, store_dir: Path):
    """Regression: `validate /dev/zero` read without end."""
    _refused(run_kgtool("validate", "/dev/zero", "--input-format", "turtle", "--store", str(store_dir)), "/dev/zero")
    behind_a_name = tmp_path / "zero.trig"
    behind_a_name.symlink_to("/dev/zero")
    _refused(run_kgtool("build", "--from", str(behind_a_name), "--store", str(tmp_path / "s")), "regular file")


def test_a_fifo_nobody_writes_is_refused_at_once(tmp_path: Path, store_dir: Path):
    """Regression: a FIFO waited for a writer forever."""
    fifo = tmp_path / "records.ttl"
    os.mkfifo(fifo)
    _refused(run_kgtool("validate", str(fifo), "--store", str(store_dir)), str(fifo), "regular file")
    _refused(run_kgtool("ingest", str(fifo), "--submitter", "x", "--store", str(store_dir)), "regular file")
    query = tmp_path / "q.rq"
    os.mkfifo(query)
    _refused(run_kgtool("query", str(query), "--store", str(store_dir)), "regular file")


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path, store_dir: Path):
    target = _write(tmp_path / "records.ttl", RECORD)
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    _read(run_kgtool("validate", str(link), "--store", str(store_dir)))


@pytest.mark.parametrize("suffix", ["ttl", "nt", "trig", "nq", "jsonld"])
def test_a_utf8_byte_order_mark_is_read_as_nothing(tmp_path: Path, store_dir: Path, suffix: str):
    """Regression: a Turtle file saved by a Windows editor was refused with an invisible character."""
    line = f'<{SALD}synthetic-ngo> <http://www.w3.org/2000/01/rdf-schema#label> "Synthetic NGO"@en'
    texts = {
        "ttl": line + " .\n",
        "nt": line + " .\n",
        "trig": "{ " + line + " . }\n",
        "nq": line + " .\n",
        "jsonld": f'{{"@id": "{SALD}synthetic-ngo", "http://www.w3.org/2000/01/rdf-schema#label": '
        '{"@value": "Synthetic NGO", "@language": "en"}}',
    }
    plain = _write(tmp_path / f"plain.{suffix}", texts[suffix])
    marked = _write(tmp_path / f"marked.{suffix}", b"\xef\xbb\xbf" + texts[suffix].encode())
    expected = run_kgtool("validate", str(plain), "--format", "json", "--store", str(store_dir))
    got = run_kgtool("validate", str(marked), "--format", "json", "--store", str(store_dir))
    _read(got)
    assert got.code == expected.code
    assert got.stdout.replace("marked", "plain") == expected.stdout


def test_a_deeply_nested_query_file_is_refused(tmp_path: Path, store_dir: Path):
    deep = _write(tmp_path / "deep.rq", nested_sparql(4000))
    _refused(run_kgtool("query", str(deep), "--store", str(store_dir)), "KGTOOL_MAX_DEPTH")
    shallow = _write(tmp_path / "shallow.rq", nested_sparql(20))
    assert run_kgtool("query", str(shallow), "-f", "csv", "--store", str(store_dir)).code == 0


def test_nested_triple_terms_are_refused_in_every_syntax_that_has_them(tmp_path: Path, store_dir: Path):
    """Regression (issue 13 audit): 20,000 nested RDF 1.2 triple terms in N-Triples or N-Quads, which kgtool took
    for syntaxes that cannot nest, killed validate and build --from with SIGSEGV; so did a query nesting them."""
    triples = _write(tmp_path / "deep.nt", nested_triple_terms(20_000))
    _refused(run_kgtool("validate", str(triples), "--store", str(store_dir)), str(triples), "KGTOOL_MAX_DEPTH")
    quads = _write(tmp_path / "deep.nq", nested_triple_terms(20_000).replace(" .\n", f" <{SALD}g> .\n"))
    _refused(run_kgtool("build", "--from", str(quads), "--store", str(tmp_path / "s")), "KGTOOL_MAX_DEPTH")
    assert not (tmp_path / "s").exists()
    query = _write(tmp_path / "deep.rq", nested_triple_sparql(20_000))
    _refused(run_kgtool("query", str(query), "--store", str(store_dir)), "KGTOOL_MAX_DEPTH")
    shallow = _write(tmp_path / "shallow.nt", nested_triple_terms(3))  # read (and judged), not a crash
    result = run_kgtool("validate", str(shallow), "--store", str(store_dir))
    assert result.code in (0, 1, 2) and "Traceback" not in result.stderr, result.stderr
