"""Literal semantics in SPARQL, as pySHACL (through rdflib) applies them: well-formedness and ordering.

The compiled engine must give pySHACL's results, and pySHACL judges literals with rdflib and Python, not with
XSD: an ``xsd:integer`` is well formed when Python's ``int()`` reads it (``" 1"`` and ``"1_000"`` are),
an ``xsd:date`` when ``date.fromisoformat`` reads what is left after rdflib drops a time zone or a time,
an ``xsd:gYear`` always (rdflib has no reader for it), and ordering follows rdflib's ``Literal`` comparison:
numbers by value, literals of different datatypes by their datatype IRIs, a literal of the bound's own datatype
that is not well formed fails. Oxigraph keeps the lexical form of a literal it cannot read, so these rules are
written as SPARQL expressions over ``STR(?v)``; ``tests/test_compiled_literals.py`` checks them against rdflib on
a corpus of lexical forms.

Where Python's behaviour is not reproduced the datatype is not claimed (``Unsupported``) and the shape falls
back to pySHACL: durations, binary and XML literals. Approximations, listed so that nobody has to guess: an
``xsd:date`` in ISO week form with week 53 is taken as well formed (an ``xsd:dateTime`` in week form is not);
a number with non-ASCII digits is well formed but compares as not a number; a date-time or time that Python
reads and XSD does not (``"2009-06-30"^^xsd:dateTime``) is well formed but has no value to compare.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgtool.validation.compiled.errors import Unsupported

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"

#: Datatypes whose rdflib value is the lexical form itself (a Python ``str``).
STRING_VALUED = tuple(XSD + t for t in ("string", "normalizedString", "token", "language", "anyURI"))
#: rdflib's numeric datatypes (``_NUMERIC_LITERAL_TYPES``).
INTEGERS = tuple(
    XSD + t
    for t in (
        "integer", "byte", "int", "long", "negativeInteger", "nonNegativeInteger", "nonPositiveInteger",
        "positiveInteger", "short", "unsignedByte", "unsignedInt", "unsignedLong", "unsignedShort",
    )
)  # fmt: skip
NUMERIC = (*INTEGERS, XSD + "decimal", XSD + "double", XSD + "float")
#: rdflib's extra checks on integer types: (lowest, highest, lexical form must not be empty).
_INTEGER_RANGES = {
    "nonPositiveInteger": (None, 0),
    "nonNegativeInteger": (0, None),
    "negativeInteger": (None, -1),
    "positiveInteger": (1, None),
    "unsignedLong": (0, None),
    "int": (-2147483648, 2147483647),
    "short": (-32768, 32767),
    "byte": (-128, 127),
    "unsignedInt": (0, 4294967295),
    "unsignedShort": (0, 65535),
    "unsignedByte": (0, 255),
}
#: Datatypes rdflib reads but whose reading is not reproduced here.
_NOT_CLAIMED = tuple(XSD + t for t in ("duration", "dayTimeDuration", "yearMonthDuration", "hexBinary", "base64Binary"))
_NOT_CLAIMED_RDF = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML",
)

# Python's readers as regular expressions (Rust's \d and \s are Unicode, like Python's).
_DIGITS = r"\d+(?:_\d+)*"
PY_INT = rf"^\s*[+-]?{_DIGITS}\s*$"
_INF = "[iI][nN][fF](?:[iI][nN][iI][tT][yY])?"
_NAN = "[nN][aA][nN]"
_NUMBER = rf"(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?"
PY_FLOAT = rf"^\s*[+-]?(?:{_NUMBER}|{_INF}|{_NAN})\s*$"
PY_DECIMAL = rf"^\s*[+-]?(?:{_NUMBER}|{_INF}|[sS]?{_NAN}\d*)\s*$"
# Python 3.11's time.fromisoformat and datetime.fromisoformat (date, any one separator, time, zone).
_FRACTION = "(?:[.,][0-9]+)?"
_CLOCK = (
    f"(?:[01][0-9]|2[0-3])(?:(?::[0-5][0-9](?::[0-5][0-9]{_FRACTION})?)?|(?:[0-5][0-9](?:[0-5][0-9]{_FRACTION})?)?)"
)
_ZONE = f"(?:[Zz]|[+-]{_CLOCK})?"
PY_TIME = f"^T?{_CLOCK}{_ZONE}$"
PY_DATETIME = f"^(?:[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}|[0-9]{{8}})(?:.{_CLOCK}{_ZONE})?$"


def q(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def iri(value: str) -> str:
    return f"<{value}>"


def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """An RDF term as SPARQL text (blank nodes cannot be named in a query)."""
    if isinstance(node, ox.BlankNode):
        raise Unsupported("a blank node as a constraint value")
    return str(node)


def in_list(expression: str, values: tuple[str, ...]) -> str:
    return f"({expression} IN ({', '.join(iri(v) for v in values)}))"


def string_valued(v: str) -> str:
    """The literal's rdflib value is a Python str: a language-tagged or a string-like literal."""
    return f'(isLiteral({v}) && (lang({v}) != "" || {in_list(f"datatype({v})", STRING_VALUED)}))'


def _integer_text(v: str) -> str:
    """The lexical form of an integer literal without what Python's ``int()`` ignores (spaces, underscores)."""
    return f'REPLACE(STR({v}), "[\\\\s_]", "")'


def well_formed(v: str, datatype: str) -> str:
    """``v`` (a literal of ``datatype``) is not ill-typed for rdflib, and its value has the Python type that
    pySHACL's ``sh:datatype`` check expects."""
    local = datatype.removeprefix(XSD)
    if datatype in STRING_VALUED:
        return "true"
    if datatype == XSD + "boolean":
        return f'(STR({v}) IN ("true", "false", "1", "0"))'
    if datatype in INTEGERS:
        check = _or_read(v, datatype, f"REGEX(STR({v}), {q(PY_INT)})")
        if local in _INTEGER_RANGES:
            low, high = _INTEGER_RANGES[local]
            number = f"COALESCE(xsd:integer({_integer_text(v)}), xsd:double({_integer_text(v)}))"
            bounds = [
                f"{number} >= {low}" if low is not None else "",
                f"{number} <= {high}" if high is not None else "",
            ]
            check += " && COALESCE(" + " && ".join(b for b in bounds if b) + ", false)"
            check += f' && STR({v}) != ""'
        return f"({check})"
    if datatype == XSD + "decimal":
        return _or_read(v, datatype, f"REGEX(STR({v}), {q(PY_DECIMAL)})")
    if datatype in (XSD + "double", XSD + "float"):
        return _or_read(v, datatype, f"REGEX(STR({v}), {q(PY_FLOAT)})")
    if datatype == XSD + "date":
        return _python_date(v)
    if datatype == XSD + "time":
        return f"REGEX(STR({v}), {q(PY_TIME)})"
    if datatype == XSD + "dateTime":
        text = f"STR({v})"
        basic = f'CONCAT(SUBSTR({text}, 1, 4), "-", SUBSTR({text}, 5, 2), "-", SUBSTR({text}, 7, 2))'
        day = f'IF(SUBSTR({text}, 5, 1) = "-", SUBSTR({text}, 1, 10), {basic})'
        return f"(REGEX({text}, {q(PY_DATETIME)}) && {_calendar_day(day)})"
    if datatype in _NOT_CLAIMED or datatype in _NOT_CLAIMED_RDF:
        raise Unsupported(f"the rdflib reading of {datatype}")
    return "true"  # a datatype rdflib cannot read: never ill-typed


#: Datatypes whose XSD lexical space lies inside what Python reads (``PY_INT``, ``PY_DECIMAL``, ``PY_FLOAT``):
#: a literal Oxigraph has read as a number (``isNumeric``) is well formed for rdflib too.
_XSD_INSIDE_PYTHON = (XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float")


def _or_read(v: str, datatype: str, python: str) -> str:
    """``python`` (a regular expression on the lexical form), after the cheap test that answers for almost every
    literal: Oxigraph read it as a number (``||`` does not evaluate the regular expression then; measured: the
    value checks of amounts and percentages take half the time). ``tests/test_compiled_literals.py`` checks
    that every form Oxigraph reads, Python reads."""
    return f"(isNumeric({v}) || {python})" if datatype in _XSD_INSIDE_PYTHON else python


def _python_date(v: str) -> str:
    """rdflib's ``parse_xsd_date``: drop a final Z, a time after T, or a time zone; no leading minus; then
    ``date.fromisoformat`` (Python 3.11) on what is left, which must hold a dash."""
    text = f'REPLACE(STR({v}), "[Zz]$", "")'
    cut = (
        f'IF(CONTAINS({text}, "T"), STRBEFORE({text}, "T"), '
        f'IF(REGEX({text}, "^.+\\\\+"), REPLACE({text}, "^(.+)\\\\+[^+]*$", "$1"), '
        f'REPLACE({text}, "^(.*)-([^-]*:[^-]*)$", "$1")))'
    )
    calendar = f'(REGEX({cut}, "^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$") && {_calendar_day(cut)})'
    week = f'REGEX({cut}, "^[0-9]{{4}}-?W(0[1-9]|[1-4][0-9]|5[0-3])(-?[1-7])?$") && !STRSTARTS({cut}, "0000")'
    return f'(!STRSTARTS(STR({v}), "-") && ({calendar} || ({week} && CONTAINS({cut}, "-"))))'


def _calendar_day(text: str) -> str:
    """``text`` (YYYY-MM-DD) is a day of Python's calendar: a real day, in a year from 1 on."""
    return f'(!STRSTARTS({text}, "0000") && COALESCE(sameTerm(xsd:date({text}), xsd:date({text})), false))'


def datatype_ok(v: str, datatype: str) -> str:
    """pySHACL's ``sh:datatype``: ``v`` is a literal of ``datatype`` that rdflib reads."""
    if datatype == RDF_LANGSTRING:
        return f'(isLiteral({v}) && lang({v}) != "")'
    if datatype == RDFS_LITERAL:
        return f"isLiteral({v})"
    if datatype == RDFS_DATATYPE:
        return f'(isLiteral({v}) && lang({v}) = "")'
    return f"(isLiteral({v}) && datatype({v}) = {iri(datatype)} && {well_formed(v, datatype)})"


def _numeric_value(v: str) -> str:
    """A numeric literal's value: itself when Oxigraph read it, else its lexical form read again as Python reads
    it: without spaces and underscores; an infinity, an exponent or more digits than Oxigraph's integers hold as
    a double (an error, hence false, where that does not help: non-ASCII digits)."""
    text = _integer_text(v)
    special = (
        f'IF(REGEX({text}, "^[+-]?(inf|infinity)$", "i"), IF(STRSTARTS({text}, "-"), "-INF", "INF"), '
        f'IF(REGEX({text}, "^[+-]?s?nan[0-9]*$", "i"), "NaN", {text}))'
    )
    exact = f"IF(datatype({v}) = <{XSD}decimal>, xsd:decimal({special}), xsd:integer({special}))"
    number = f"COALESCE({exact}, xsd:double({special}))"
    return (
        f"IF(isNumeric({v}), {v}, IF(datatype({v}) IN (<{XSD}double>, <{XSD}float>), xsd:double({special}), {number}))"
    )


def _rdflib_numeric(v: str) -> str:
    """rdflib compares ``v`` by value: a numeric datatype, well formed for rdflib."""
    checks = " || ".join(f"(datatype({v}) = {iri(d)} && {well_formed(v, d)})" for d in NUMERIC)
    return f"(isLiteral({v}) && ({checks}))"


def _from_order(order: str, op: str) -> str:
    """``order`` is -1, 0 or 1 (an integer expression): does ``order op 0`` hold."""
    return f"({order} {op} 0)"


def compare_ok(v: str, bound: ox.Literal, op: str) -> str:
    """pySHACL's min/max check: rdflib's ``compare_literal(v, bound) op 0`` holds (false where it raises).

    Claimed for numeric and ``xsd:dateTime`` bounds; other bounds are not (``Unsupported``)."""
    dt = bound.datatype.value if bound.language is None else RDF_LANGSTRING
    other_datatype = f"IF(STR(datatype({v})) > {q(dt)}, 1, -1)"  # rdflib orders different datatypes by IRI
    if dt in NUMERIC:
        number, value = str(bound), _numeric_value(v)
        by_value = f"IF({value} != {value}, -1, IF({value} = {number}, 0, IF({value} > {number}, 1, -1)))"
        is_datetime = " || ".join(
            f"(datatype({v}) = {iri(XSD + t)} && {well_formed(v, XSD + t)})" for t in ("dateTime", "time")
        )
        order = (
            f"IF({_rdflib_numeric(v)}, {by_value}, "
            f"IF(datatype({v}) = {iri(dt)} || {is_datetime}, 1/0, {other_datatype}))"  # rdflib raises TypeError
        )
    elif dt == XSD + "dateTime":
        value = str(bound)
        tz_bound = "true" if _has_timezone(bound.value) else "false"
        same_kind = f'((TZ({v}) != "") = {tz_bound})'
        valid = well_formed(v, XSD + "dateTime")
        by_value = f"IF({same_kind}, IF({v} = {value}, 0, IF({v} > {value}, 1, -1)), 1/0)"
        is_time = f"(datatype({v}) = {iri(XSD + 'time')} && {well_formed(v, XSD + 'time')})"
        order = f"IF(datatype({v}) = {iri(dt)}, IF({valid}, {by_value}, 1/0), IF({is_time}, 1/0, {other_datatype}))"
    else:
        raise Unsupported(f"a bound of datatype {dt} in a range constraint")
    return f"COALESCE(isLiteral({v}) && !{string_valued(v)} && {_from_order(order, op)}, false)"


def _has_timezone(lexical: str) -> bool:
    tail = lexical.split("T", 1)[-1]
    return tail.endswith(("Z", "z")) or "+" in tail or "-" in tail


def less_ok(a: str, b: str, op: str) -> str:
    """pySHACL's ``sh:lessThan`` (``op`` ``<``) and ``sh:lessThanOrEquals`` (``<=``) test of two values.

    IRIs and string-valued literals compare as Python strings, a string with a non-string fails; numbers compare
    by value; date-times as rdflib orders them (without a time zone before with one); other literals by datatype
    IRI when the datatypes differ, else by lexical form (rdflib's order for the datatypes it cannot read)."""
    a_text = f"(isIRI({a}) || {string_valued(a)})"
    b_text = f"(isIRI({b}) || {string_valued(b)})"
    numbers = f"({_rdflib_numeric(a)} && {_rdflib_numeric(b)})"
    by_number = f"({_numeric_value(a)} {op} {_numeric_value(b)})"
    dt = f"<{XSD}dateTime>"
    datetimes = (
        f"(datatype({a}) = {dt} && datatype({b}) = {dt} && {well_formed(a, XSD + 'dateTime')} "
        f"&& {well_formed(b, XSD + 'dateTime')})"
    )
    aware_a, aware_b = f'(TZ({a}) != "")', f'(TZ({b}) != "")'
    by_datetime = f"IF({aware_a} = {aware_b}, {a} {op} {b}, !{aware_a} && {aware_b})"
    by_datatype = f"IF(datatype({a}) != datatype({b}), STR(datatype({a})) < STR(datatype({b})), STR({a}) {op} STR({b}))"
    return (
        f"COALESCE(IF({a_text} || {b_text}, {a_text} && {b_text} && STR({a}) {op} STR({b}), "
        f"IF({numbers}, {by_number}, IF({datetimes}, {by_datetime}, {by_datatype}))), false)"
    )
