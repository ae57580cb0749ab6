"""kgtool's sort against Oxigraph's own ORDER BY on seeded random synthetic rows (synthetic data, made here):
values of every kind and hostile text, one to three keys, ASC/DESC/STR, in csv, tsv and json, byte for byte.
Also the literals Oxigraph cannot hold as numbers (past 64 bits, a fraction in an integer) and RDF 1.2 terms
(triple terms, directional language strings), which the engine orders otherwise than kgtool's keys would."""

from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest

from kgtool.sparql import streaming
from kgtool.sparql.backends import StoreBackend

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
COLUMNS = ("a", "b", "c")
TEXTS = ["", "a", "A", "a b", "ä", "é", "ñ", "z", "\U0001f600", "\uffff", "\ue000", 'q"q', "t\tt", "n\nn", "r\rr"]
TEXTS += ["b\\s", "\\u0041", "x\x00y", "u\x1fv", "l\u2028m", "<<( x )>>", "_:b", "1", "01", "-1", "2019-05-01"]


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype if ":" in datatype else XSD + datatype))


def _term(rng: random.Random) -> ox.Term | None:
    kind = rng.randrange(11)
    text = rng.choice(TEXTS)
    if kind == 0:
        return None
    if kind == 1:
        return ox.BlankNode(rng.choice(["b1", "b10", "b2", "f", "10", "a1", "B"]))
    if kind == 2:
        return ox.NamedNode(EX + rng.choice(["z", "Z", "é", "a%20b", "a", "\U0001f600"]))
    if kind in (3, 4):
        return ox.Literal(text)
    if kind == 5:
        return ox.Literal(text or "x", language=rng.choice(["en", "es", "en-us"]))
    if kind == 6:
        return _typed(rng.choice(["0", "01", "-0", "+3", "10", "9", "-2", "123456789"]), "integer")
    if kind == 7:
        return _typed(rng.choice(["2.5", "0.25", "1.0", "1", "-0.5", ".5", "3."]), "decimal")
    if kind == 8:
        return _typed(rng.choice(["2019-05-01", "2019-12-31", "2020-02-30", "1999-01-01"]), "date")
    if kind == 9:
        return _typed(rng.choice(["2019", "2100", "0999"]), "gYear")
    return _typed(rng.choice(["x", "1", "", "é"]), EX + rng.choice(["code", "Code"]))


def _store(rows: list[dict[str, ox.Term | None]]) -> StoreBackend:
    store = ox.Store()
    for index, row in enumerate(rows):
        subject = ox.NamedNode(f"{EX}s{index:03d}")
        store.add(ox.Quad(subject, ox.NamedNode(EX + "kind"), ox.Literal("row")))
        for name, value in row.items():
            if value is not None:
                store.add(ox.Quad(subject, ox.NamedNode(EX + name), value))
    return StoreBackend(store)


def _query(keys: list[str]) -> str:
    optional = " ".join(f"OPTIONAL {{ ?s <{EX}{name}> ?{name} }}" for name in COLUMNS)
    return f"SELECT ?s ?a ?b ?c WHERE {{ ?s <{EX}kind> ?k {optional} }}\nORDER BY {' '.join(keys)}"


def _both(backend: StoreBackend, text: str, output_format: str):
    mine, theirs = io.BytesIO(), io.BytesIO()
    how = streaming.write(backend, text, output_format, mine, run_rows=3)
    streaming.write(backend, text, output_format, theirs, sort=False)
    return mine.getvalue(), how, theirs.getvalue()


def _key(rng: random.Random, name: str, numbers: bool) -> str:
    if numbers:
        return rng.choice([f"?{name}", f"DESC(?{name})", f"ASC(?{name})"])
    return rng.choice([f"?{name}", f"STR(?{name})", f"ASC(STR(?{name}))", f"DESC(?{name})"])


@pytest.mark.parametrize("seed", range(60))
def test_random_rows_sort_as_the_engine(seed: int):
    """Random columns (one of them numbers only, so kgtool sorts often), random keys; ?s last or not at all."""
    rng = random.Random(seed)
    numbers = rng.choice(COLUMNS)
    rows = []
    for _ in range(rng.randrange(1, 14)):
        row = {name: _term(rng) for name in COLUMNS}
        if rng.random() < 0.8:
            number = rng.choice(["0", "01", "10", "9", "-2", "2.5", "1.0"])
            row[numbers] = _typed(number, rng.choice(["integer", "decimal"]))
        rows.append(row)
    backend = _store(rows)
    names = rng.sample(COLUMNS, rng.randrange(1, 4))
    keys = [_key(rng, name, name == numbers) for name in names] + (["?s"] if rng.random() < 0.7 else [])
    text = _query(keys)
    for output_format in ("csv", "tsv", "json"):
        mine, _, theirs = _both(backend, text, output_format)
        assert mine == theirs, (seed, keys, output_format)


@pytest.mark.parametrize(
    "values",
    [
        ["99999999999999999999", "100000000000000000000", "5"],  # past 64 bits: not a number to Oxigraph
        ["10.5", "9"],  # a fraction is no xsd:integer
        ["\u0663", "10"],  # an Arabic-Indic digit: a number to Python, not to Oxigraph
    ],
)
def test_integers_oxigraph_cannot_read_sort_as_the_engine(values: list[str]):
    backend = _store([{"a": _typed(value, "integer")} for value in values])
    for output_format in ("csv", "tsv", "json"):
        mine, _, theirs = _both(backend, _query(["?a"]), output_format)
        assert mine == theirs, output_format


def test_decimals_past_oxigraph_range_sort_as_the_engine():
    values = ["999999999999999999999999.0", "1000000000000000000000000.0", "2"]
    backend = _store([{"a": _typed(value, "decimal")} for value in values])
    mine, _, theirs = _both(backend, _query(["?a"]), "csv")
    assert mine == theirs


def test_triple_terms_sort_and_print_as_the_engine():
    """A triple term orders after every literal, and tsv writes it in N-Triples syntax."""
    triple = ox.Triple(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "y"), ox.NamedNode(EX + "z"))
    backend = _store([{"a": triple, "b": triple}, {"a": ox.Literal("z")}, {"a": ox.NamedNode(EX + "q")}])
    for keys in (["?a"], ["?s"]):
        for output_format in ("csv", "tsv", "json"):
            mine, _, theirs = _both(backend, _query(keys), output_format)
            assert mine == theirs, (keys, output_format)


def test_directional_language_strings_sort_as_the_engine():
    values = [ox.Literal("a", language="en", direction=ox.BaseDirection.LTR), ox.Literal("a", language="en")]
    backend = _store([{"a": value} for value in [*values, ox.Literal("b", language="en")]])
    mine, _, theirs = _both(backend, _query(["?a"]), "csv")
    assert mine == theirs
