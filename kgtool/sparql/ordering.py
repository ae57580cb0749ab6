"""A query's outermost ORDER BY, and sort keys that order its rows exactly as Oxigraph's ORDER BY does.

Why: at a million triples Oxigraph's ORDER BY costs more than the rest of many listings (it evaluates every key
of both rows at each comparison; ``benchmarks/README.md``). A listing asked without its ORDER BY and sorted by
kgtool (``kgtool.sparql.sorting``) gives the same bytes in a fraction of the time, as long as kgtool's keys
order the rows as the engine would. This module says when they do and builds them; anything it cannot
reproduce exactly raises ``Unsortable`` and the engine sorts as before.

The engine's order (spareval 0.5, ``cmp_terms``): unbound < blank node < IRI < literal; blank nodes by id, IRIs
by code point; two literals by value where SPARQL compares them (strings by code point, language-tagged strings
of one tag by value, numbers by value, dates by time), otherwise by (lexical form, datatype IRI, language tag).
So every literal kgtool orders lexically — a string, a language-tagged string, a date, a year, a year and month
without a time zone (whose lexical order is their time order) — compares by that one tuple, and numbers
(``xsd:integer``, ``xsd:decimal``) by value; a column that mixes the two kinds, or holds any other literal
(a double, a boolean, a time zone, any other XSD or RDF datatype), has no total order kgtool copies and is left
to the engine. A datatype from elsewhere is compared lexically by the engine too.

Keys are read from a row in SPARQL TSV (the engine's own serialization, N-Triples terms), so a row's key is
built from text without Python terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kgtool.rdf.namespaces import XSD

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_LANG_STRING = _RDF + "langString"
_XSD_STRING = XSD + "string"
#: Temporal datatypes whose lexical form orders as their value when it has this shape (four-digit year, no zone).
_LEXICAL_TIMES = {
    XSD + "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    XSD + "gYear": re.compile(r"\d{4}"),
    XSD + "gYearMonth": re.compile(r"\d{4}-\d{2}"),
}
_NUMBERS = {XSD + "integer", XSD + "decimal"}
_BARE_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # ASCII digits, as Oxigraph reads
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}

# One key, as Oxigraph orders: the kind first (unbound, blank, IRI, literal), then what it compares within it.
UNBOUND, BLANK, IRI, LITERAL = 0, 1, 2, 3
LEXICAL, NUMBER = "lexical", "number"

#: ORDER BY at the very end of a query, its keys only variables, optionally inside STR(), ASC() or DESC().
_KEY = r"(?:(?:ASC|DESC)\s*\(\s*)?(?:STR\s*\(\s*)?[?$]\w+\s*\)?\s*\)?"
_ORDER_BY = re.compile(r"\bORDER\s+BY\s+((?:" + _KEY + r"\s*)+)$", re.IGNORECASE)
_ONE_KEY = re.compile(
    r"(?P<direction>ASC|DESC)?\s*\(?\s*(?P<str>STR\s*\(\s*)?[?$](?P<variable>\w+)\s*\)?\s*\)?", re.IGNORECASE
)


class Unsortable(Exception):
    """kgtool cannot order these rows exactly as the engine would: the engine orders them."""


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY condition: a variable, read as its string (``STR``) or as it is, ascending or descending."""

    variable: str
    as_string: bool = False
    descending: bool = False


@dataclass(frozen=True)
class Ordered:
    """A query split at its outermost ORDER BY: the text without it, and its keys in order."""

    unordered: str
    keys: tuple[SortKey, ...]


def split(text: str) -> Ordered | None:
    """``text`` without its final ``ORDER BY`` and the keys it had; None when the query does not end in an ORDER
    BY of plain keys (an expression, a LIMIT or OFFSET after it, a comment) that kgtool can reproduce."""
    match = _ORDER_BY.search(text.rstrip())
    if match is None or "#" in text[text.rfind("\n", 0, match.start()) + 1 : match.start()]:
        return None
    keys = []
    for key in _ONE_KEY.finditer(match[1]):
        opened = key.group(0).count("(")
        if opened != key.group(0).count(")") or (key["direction"] and "(" not in key.group(0)):
            return None
        if opened > (1 if key["direction"] else 0) + (1 if key["str"] else 0):
            return None
        direction = (key["direction"] or "").upper()
        keys.append(SortKey(key["variable"], bool(key["str"]), direction == "DESC"))
    return Ordered(text[: match.start()].rstrip() + "\n", tuple(keys))


def unescape(text: str) -> str:
    """An N-Triples string's escapes (``\\t``, ``\\"``, ``\\u00e9``) read back."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if m[1] or m[2] else _ECHAR.get(m[3], m[3]), text)


def escape(text: str) -> str:
    """``text`` as the inside of an N-Triples string (what SPARQL TSV reads back as this value)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def literal(cell: str) -> tuple[str, str, str] | None:
    """A TSV cell's literal as (lexical form, datatype IRI, language tag); None when the cell is not a literal.
    Bare numbers and booleans (Turtle's short forms, as Oxigraph writes them) are given their datatypes."""
    if not cell or cell[0] in "<_":
        return None
    if cell[0] != '"':
        if cell in ("true", "false"):
            return cell, XSD + "boolean", ""
        if "e" in cell or "E" in cell:
            return cell, XSD + "double", ""
        return cell, XSD + ("decimal" if "." in cell else "integer"), ""
    end = cell.rindex('"')
    value, suffix = unescape(cell[1:end]), cell[end + 1 :]
    if not suffix:
        return value, _XSD_STRING, ""
    if suffix[0] == "@":
        return value, _RDF_LANG_STRING, suffix[1:]
    return value, suffix[3:-1], ""


def term_key(cell: str, as_string: bool = False) -> tuple:
    """The key of one TSV cell (a term in N-Triples syntax, empty when unbound) under Oxigraph's order; as
    ``STR(cell)`` when ``as_string``. Its second item says the kind of literal (``LEXICAL``/``NUMBER``), so that a
    column mixing the two can be refused. Raises ``Unsortable`` for a literal kgtool cannot order exactly."""
    if not cell:
        return (UNBOUND,)
    if cell[0] == "_":
        return (UNBOUND,) if as_string else (BLANK, cell[2:])  # STR of a blank node is an error: unbound
    if cell.startswith("<<"):
        raise Unsortable("a triple term")  # after every literal in the engine's order
    if cell[0] == "<":
        return (LITERAL, LEXICAL, cell[1:-1], _XSD_STRING, "") if as_string else (IRI, cell[1:-1])
    value, datatype, language = literal(cell)  # type: ignore[misc]
    if as_string:
        return (LITERAL, LEXICAL, value, _XSD_STRING, "")
    if "--" in language:
        raise Unsortable("a directional language string")  # rdf:dirLangString, ordered as its own datatype
    if datatype in (_XSD_STRING, _RDF_LANG_STRING):
        return (LITERAL, LEXICAL, value, datatype, language)
    shape = _LEXICAL_TIMES.get(datatype)
    if shape is not None and shape.fullmatch(value):
        return (LITERAL, LEXICAL, value, datatype, "")
    if not datatype.startswith((XSD, _RDF)):  # a datatype the engine does not know: compared lexically
        return (LITERAL, LEXICAL, value, datatype, "")
    if datatype in _NUMBERS and _held(value, datatype):
        try:
            return (LITERAL, NUMBER, Decimal(value))
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only valid decimals
            raise Unsortable(cell) from error
    raise Unsortable(f"a {datatype} literal")


def _held(value: str, datatype: str) -> bool:
    """Whether Oxigraph holds ``value`` as a number (an xsd:integer in 64 bits, an xsd:decimal of at most 18
    fraction digits in 128 bits); one it cannot is compared as text by the engine, so kgtool leaves it to it."""
    if not _BARE_NUMBER.fullmatch(value):
        return False
    if datatype == XSD + "integer":
        return "." not in value and -(2**63) <= int(value) < 2**63
    whole, _, fraction = value.lstrip("+-").partition(".")
    fraction = fraction.rstrip("0")
    return len(fraction) <= 18 and int((whole or "0") + fraction.ljust(18, "0")) < 2**127


def descending(key: tuple) -> tuple:
    """A key that sorts in the reverse order of ``key``: only unbound values and numbers can be turned round."""
    if key[0] == UNBOUND:
        return (-UNBOUND,)
    if key[0] == LITERAL and key[1] == NUMBER:
        return (-LITERAL, NUMBER, -key[2])
    raise Unsortable("DESC of a value that is not a number")


def column_reader(key: SortKey) -> Callable[[str], tuple]:
    """The key of ``key``'s cell in each row; raises ``Unsortable`` once the column mixes numbers with texts (the
    engine's order between those is not a total order kgtool could copy)."""
    kind: str | None = None

    def read(cell: str) -> tuple:
        nonlocal kind
        found = term_key(cell, key.as_string)
        if found[0] == LITERAL:
            if kind is None:
                kind = found[1]
            elif found[1] != kind:
                raise Unsortable(f"?{key.variable} holds numbers and texts")
        return descending(found) if key.descending else found

    return read
