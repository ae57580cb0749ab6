"""The compiled engine reads literals as pySHACL does (through rdflib and Python), not as XSD does: checked on
a corpus of lexical forms (synthetic) written with every datatype the shapes may name, against ``sh:datatype``,
range constraints with integer, decimal, double and date-time bounds, a qualified range and ``sh:lessThan``.

Both engines validate the same store. rdflib rewrites a literal it reads although it is not well formed
(``" 1"^^xsd:integer`` is 1) and its graph then merges literals that read the same, so the results are compared
as sets of (focus, path, value as rdflib spells it, component, shape). Left out by design (``literals`` says so):
non-ASCII digits, and date-times that Python reads but XSD does not, compared with a date-time bound.
"""

from __future__ import annotations

import logging
import warnings
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import pytest

from kgtool.validation import compiled
from kgtool.validation.compiled.fallback import findings_of
from kgtool.validation.compiled.model import ShapesGraph

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/synthetic-literals#"
DATATYPES = [
    "boolean", "integer", "decimal", "double", "float", "date", "dateTime", "time", "string", "gYear", "gYearMonth",
    "nonNegativeInteger", "int", "byte", "anyURI",
]  # fmt: skip
LEXICAL = [
    "0", "1", "-1", "+1", "01", " 1", "1 ", "1.0", "1.", "+.5", "-0", "1e5", "1E5", "INF", "-INF", "Infinity",
    "abc", "", "1_000", "true", "false", "TRUE", "yes", "2009", "2009-06", "2009-06-30", "2009-02-30", "2009-6-30",
    "2009-06-30Z", "2009-06-30+05:00", "-0044-03-15", "0000-01-01", "2009-06-30T10:00:00", "2009-06-30T24:00:00",
    "10:00:00", "25:00:00", "2009Z", "2009-13", "300", "-129", "128", "4294967296", "2009-06-30T10:00:00Z", "0.0",
    "1.50", "9999999999999999999999", "1.5e3", "-2.5", " -3 ",
]  # fmt: skip
BOUNDS = {
    "min-integer": "sh:minInclusive 0",
    "max-integer": "sh:maxInclusive 100",
    "above-integer": "sh:minExclusive 0",
    "below-integer": "sh:maxExclusive 0",
    "min-decimal": "sh:minInclusive 0.5",
    "max-double": "sh:maxInclusive 2.5e0",
    "min-datetime": 'sh:minInclusive "2002-10-10T12:00:00"^^xsd:dateTime',
    "below-datetime": 'sh:maxExclusive "2002-10-10T12:00:00Z"^^xsd:dateTime',
}
#: Date-times Python reads and XSD does not ("2009-06-30" and "2009-06-30+05:00" as xsd:dateTime, as rdflib
#: spells them): no value for Oxigraph to compare with a date-time bound.
PYTHON_ONLY_DATETIMES = {f"2009-06-30T0{hour}:00:00^^{XSD}dateTime" for hour in (0, 5)}


def _data() -> ox.Store:
    store = ox.Store()
    subject, other = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "t")
    values = [ox.Literal(lexical, datatype=ox.NamedNode(XSD + dt)) for dt in DATATYPES for lexical in LEXICAL]
    values += [ox.Literal("x", language="en"), ox.Literal("5", language="en"), ox.Literal("7"), ox.NamedNode(EX + "i")]
    for value in values:
        store.add(ox.Quad(subject, ox.NamedNode(EX + "v"), value))
        store.add(ox.Quad(other, ox.NamedNode(EX + "v"), value))
    store.add(ox.Quad(subject, ox.NamedNode(EX + "v"), ox.BlankNode()))  # pySHACL refuses it under sh:lessThan
    for compared in ("5", "2009-06-30T10:00:00"):
        datatype = XSD + ("integer" if compared == "5" else "dateTime")
        store.add(ox.Quad(other, ox.NamedNode(EX + "w"), ox.Literal(compared, datatype=ox.NamedNode(datatype))))
    store.add(ox.Quad(other, ox.NamedNode(EX + "w"), ox.Literal("m")))
    return store


def _shapes() -> list[ox.Triple]:
    lines = [f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <{XSD}> . @prefix ex: <{EX}> ."]
    for dt in [*DATATYPES, "langString"]:
        namespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#" if dt == "langString" else XSD
        lines.append(f"ex:datatype-{dt} sh:targetNode ex:s ; sh:path ex:v ; sh:datatype <{namespace}{dt}> .")
    for name, bound in BOUNDS.items():
        lines.append(f"ex:{name} sh:targetNode ex:s ; sh:path ex:v ; {bound} .")
    lines.append("ex:negatives sh:targetNode ex:s ; sh:path ex:v ; sh:qualifiedValueShape [ sh:maxExclusive 0 ] ;")
    lines.append("    sh:qualifiedMaxCount 0 .")
    lines.append("ex:less sh:targetNode ex:t ; sh:path ex:v ; sh:lessThan ex:w .")
    text = "\n".join(lines).encode()
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]


def _spelled(term) -> str:
    import rdflib

    if isinstance(term, ox.Literal) and term.language is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        return f"{read}^^{read.datatype}"
    return str(term)


def _keys(findings) -> set[tuple]:
    keys = set()
    for f in findings:
        value = _spelled(f.value) if f.value is not None else None
        bound = str(f.shape).rsplit("#", 1)[-1].rstrip(">")
        if not (bound.endswith("datetime") and value in PYTHON_ONLY_DATETIMES):
            keys.add((str(f.focus), f.path, value, f.component, bound))
    return keys


@pytest.fixture(scope="module")
def results() -> tuple[set, set]:
    import pyshacl

    from kgtool.rdf.parsing import to_rdflib_graph

    store, shapes = _data(), _shapes()
    program = compiled.compile_program(shapes)
    assert program.fallback == {}
    mine = _keys(compiled.run(program, store))
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = to_rdflib_graph(store)
        data.remove((None, None, next(o for o in data.objects() if type(o).__name__ == "BNode")))
        shapes_graph = to_rdflib_graph(ox.Quad(t.subject, t.predicate, t.object) for t in shapes)
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", advanced=False)
    theirs = _keys(findings_of(report, shapes_graph, ShapesGraph(shapes)))
    return mine, theirs


def test_the_blank_node_is_only_where_pyshacl_can_read_it(results):
    mine, _ = results
    assert any((key[2] or "").startswith("_:") for key in mine)  # the compiled engine reports it (not a literal)


SHAPES = [f"datatype-{dt}" for dt in [*DATATYPES, "langString"]] + [*BOUNDS, "negatives", "less"]


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_reads_literals_as_pyshacl(results, shape: str):
    mine, theirs = results
    mine_here = {k for k in mine if k[4] == shape and not (k[2] or "").startswith("_:")}
    theirs_here = {k for k in theirs if k[4] == shape}
    assert theirs_here, "a comparison on nothing"
    assert mine_here == theirs_here


@pytest.mark.parametrize(
    ("datatype", "read"), [("integer", int), ("decimal", Decimal), ("double", float), ("float", float)]
)
def test_every_number_oxigraph_reads_python_reads(datatype: str, read):
    """The compiled checks skip the regular expression of Python's reading for a literal Oxigraph has read as a
    number (``literals._or_read``): that holds only if every such form is one Python reads too."""
    forms = [*LEXICAL, "+0", "-.5", "5.", "1E-5", "+1e+5", "infinity", "-Infinity", "nan", "+nan", "1_0", "1e"]
    forms += ["NaN", "-nan", "+INF", "inf", ".5", "1.e5", "1e400", "0x10", "１", "1,5", "--1", "1e5.5"]
    store, subjects = ox.Store(), {ox.NamedNode(f"{EX}n{n}"): lexical for n, lexical in enumerate(forms)}
    for subject, lexical in subjects.items():  # each form as submitted; the store keeps a number's value only
        store.add(ox.Quad(subject, ox.NamedNode(EX + "v"), ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))))
    rows = store.query(f"SELECT ?s WHERE {{ ?s <{EX}v> ?v FILTER isNumeric(?v) }}")
    numbers = [subjects[row["s"]] for row in rows]
    assert len(numbers) > 5, "Oxigraph read almost nothing: a check on nothing"
    for lexical in numbers:
        try:
            read(lexical)
        except (ValueError, InvalidOperation):
            pytest.fail(f"Oxigraph reads {lexical!r}^^xsd:{datatype} as a number, Python does not")


@pytest.mark.parametrize("datatype", ["double", "float"])
def test_not_a_number_orders_below_every_numeric_bound(datatype: str):
    """rdflib raises on NaN, so the reference cannot say (NaN is not in ``LEXICAL``); the compiled order of a NaN
    against a numeric bound is -1: below a minimum (a result), never above a maximum; an infinity is above both.
    Oxigraph has no answer for ``NaN > x`` (an error), so a range check's ``value != value`` test of NaN is needed:
    folding it into the comparisons, to write the number's reading twice instead of four times, fails here."""
    lines = [f"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{EX}> ."]
    lines += [
        f"ex:{name} sh:targetNode ex:s ; sh:path ex:v ; {BOUNDS[name]} ." for name in ("min-integer", "max-double")
    ]
    shapes = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.TURTLE)
    ]
    found = {}
    for lexical in ("NaN", "INF"):
        store = ox.Store()
        value = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
        store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "v"), value))
        findings = compiled.run(compiled.compile_program(shapes), store)
        found[lexical] = sorted(str(f.shape).rsplit("#", 1)[-1].rstrip(">") for f in findings)
    assert found == {"NaN": ["min-integer"], "INF": ["max-double"]}
