"""Rendering query results: csv, tsv, W3C SPARQL results JSON, markdown, and a rich table for people.

Machine formats keep full IRIs, exact literals and the SPARQL variable names as headers. The table and markdown
formats are for reading: an IRI column is hidden when the query also returns its ``<name>Label`` column, other
IRIs are shown by label (or as a prefixed name), never as raw IRIs, and headers, numbers, booleans and the queries'
code words follow ``--lang`` (``kgtool.sparql.words``). A table that cannot fit the terminal without breaking words is
shown as one block per row instead (like psql's expanded display), so long texts stay readable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgtool.choices import QUERY_FORMATS
from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import XSD, XSD_STRING
from kgtool.sparql import words
from kgtool.sparql.results import QueryResult, Term, plain_value

FORMATS = QUERY_FORMATS

_NUMERIC_NAMES = (
    "integer decimal double float long int short byte nonNegativeInteger positiveInteger nonPositiveInteger "
    "negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
)
_NUMERIC_TYPES = {XSD + name for name in _NUMERIC_NAMES.split()}
#: Widest word a table column is expected to hold unbroken; longer words may break anywhere.
_WORD_WIDTH = 15


def to_delimited(result: QueryResult, delimiter: str = ",") -> str:
    """CSV (RFC 4180) or TSV text with a header row."""
    return result.to_csv(delimiter=delimiter)


def term_json(term: Term) -> dict[str, Any]:
    """A term in the SPARQL 1.1 Query Results JSON encoding (``type``, ``value``, ``datatype``/``xml:lang``);
    an RDF 1.2 triple term as SPARQL 1.2 writes it (``type`` triple, ``value`` its subject, predicate, object)."""
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: term_json(part) for name, part in parts.items()}}
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    cell = {"type": "literal", "value": term.value}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        cell["datatype"] = term.datatype.value
    return cell


def to_json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    document = {
        "head": {"vars": result.variables},
        "results": {"bindings": [{v: term_json(term) for v, term in row.items()} for row in result.rows]},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Reading:
    """How a person reads a result: the label of each IRI, the language of headers, words and numbers
    (``kgtool.sparql.words``), and the query's own Spanish headers (``#+ headers_es``)."""

    label_of: Callable[[str], str | None]
    lang: str = "en"
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, column: str) -> str:
        return words.header(column, self.lang, self.headers)


def readable_columns(result: QueryResult) -> list[str]:
    """The columns a person reads: an IRI column is dropped when its ``<name>Label`` column exists."""
    names = set(result.variables)
    return [v for v in result.variables if f"{v}Label" not in names]


def readable_cell(column: str, term: Term | None, reading: Reading) -> str:
    """One cell for people: an IRI by label (else a prefixed name); numbers, booleans and the queries' code
    words (units, roles) in the reading's language; other literals as they are."""
    if isinstance(term, ox.NamedNode):
        return reading.label_of(term.value) or compact(term.value)
    if not isinstance(term, ox.Literal):
        return plain_value(term)
    datatype = term.datatype.value
    if datatype in _NUMERIC_TYPES:
        return words.number(term.value, reading.lang)
    if datatype == XSD + "boolean":
        return words.boolean(term.value, reading.lang)
    if not term.language:
        return words.word(column, term.value, reading.lang)
    return term.value


def readable_rows(result: QueryResult, reading: Reading) -> list[list[str]]:
    """Rows of display strings for ``readable_columns``."""
    columns = readable_columns(result)
    return [[readable_cell(column, row.get(column), reading) for column in columns] for row in result.rows]


def iris_in(result: QueryResult) -> set[str]:
    """Every IRI a readable rendering would show (for one batched label lookup)."""
    columns = readable_columns(result)
    return {
        term.value for row in result.rows for column in columns if isinstance(term := row.get(column), ox.NamedNode)
    }


def to_markdown(result: QueryResult, reading: Reading) -> str:
    """A GitHub-flavoured markdown table of the readable columns."""
    columns = [reading.header(c) for c in readable_columns(result)]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for cells in readable_rows(result, reading):
        lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def numeric_columns(result: QueryResult) -> set[str]:
    """The columns whose every bound value is a number (right-aligned in a table)."""
    return {
        column
        for column in result.variables
        if any(column in row for row in result.rows)
        and all(
            isinstance(row[column], ox.Literal) and row[column].datatype.value in _NUMERIC_TYPES
            for row in result.rows
            if column in row
        )
    }


def fits(result: QueryResult, reading: Reading, width: int) -> bool:
    """Whether a table of the readable columns fits ``width`` without breaking headers or common words."""
    columns = [reading.header(c) for c in readable_columns(result)]
    needed = [max((len(word) for word in name.split()), default=0) for name in columns]
    for cells in readable_rows(result, reading):
        for index, cell in enumerate(cells):
            longest_word = max((len(word) for word in cell.split()), default=0)
            needed[index] = max(needed[index], min(longest_word, _WORD_WIDTH))
    return sum(needed) + 3 * len(needed) + 1 <= width


def to_table(result: QueryResult, reading: Reading, title: str | None = None):
    """A rich Table (imported lazily) of the readable columns; numbers right-aligned."""
    from rich.table import Table
    from rich.text import Text

    numbers = numeric_columns(result)
    table = Table(title=title, show_lines=False)
    for column in readable_columns(result):
        name = reading.header(column)
        widest = max((len(word) for word in name.split()), default=0)
        table.add_column(name, overflow="fold", min_width=widest, justify="right" if column in numbers else "left")
    for cells in readable_rows(result, reading):
        table.add_row(*(Text(cell) for cell in cells))  # Text: a "[...]" in the data is not rich markup
    return table


def to_records(result: QueryResult, reading: Reading, title: str | None = None):
    """One block per row, each column on its own line: for results too wide for a table."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    columns = [reading.header(c) for c in readable_columns(result)]
    parts: list = [Rule(Text(title))] if title else []
    for number, cells in enumerate(readable_rows(result, reading), start=1):
        block = Table.grid(padding=(0, 2))
        block.add_column(style="bold", no_wrap=True)
        block.add_column(overflow="fold")
        for name, cell in zip(columns, cells, strict=True):
            block.add_row(name, Text(cell))
        parts.extend([Rule(words.sentence("row", reading.lang, number=number), style="dim"), block])
    return Group(*parts)


def to_view(result: QueryResult, reading: Reading, title: str | None, width: int):
    """The table when it fits ``width`` columns, else the row-by-row records."""
    if fits(result, reading, width):
        return to_table(result, reading, title)
    return to_records(result, reading, title)
