"""Rendering query results: csv, tsv, W3C SPARQL results JSON, markdown, and a rich table for people.

Machine formats keep full IRIs and exact literals. The table and markdown formats are for reading: an IRI
column is hidden when the query also returns its ``<name>Label`` column, and other IRIs are shown by label
(or as a prefixed name), never as raw IRIs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pyoxigraph as ox

from kgtool.namespaces import PREFIXES
from kgtool.queries import QueryResult, Term

FORMATS = ("table", "csv", "tsv", "json", "markdown")


def plain_value(term: Term | None) -> str:
    """The lexical value of a term ('' when unbound), as csv/tsv show it."""
    return "" if term is None else term.value


def compact(iri: str) -> str:
    """``https://w3id.org/sal/id/newmont`` -> ``sald:newmont`` where a known prefix fits."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def to_delimited(result: QueryResult, delimiter: str = ",") -> str:
    """CSV (RFC 4180) or TSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([plain_value(row.get(v)) for v in result.variables])
    return buffer.getvalue()


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    cell = {"type": "literal", "value": term.value}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        cell["datatype"] = term.datatype.value
    return cell


def to_json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    document = {
        "head": {"vars": result.variables},
        "results": {"bindings": [{v: _json_term(term) for v, term in row.items()} for row in result.rows]},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def readable_columns(result: QueryResult) -> list[str]:
    """The columns a person reads: an IRI column is dropped when its ``<name>Label`` column exists."""
    names = set(result.variables)
    return [v for v in result.variables if f"{v}Label" not in names]


def readable_rows(result: QueryResult, label_of: Callable[[str], str | None]) -> list[list[str]]:
    """Rows of display strings for ``readable_columns``: IRIs by label, else as prefixed names."""
    columns = readable_columns(result)
    rows = []
    for row in result.rows:
        cells = []
        for column in columns:
            term = row.get(column)
            if isinstance(term, ox.NamedNode):
                cells.append(label_of(term.value) or compact(term.value))
            else:
                cells.append(plain_value(term))
        rows.append(cells)
    return rows


def iris_in(result: QueryResult) -> set[str]:
    """Every IRI a readable rendering would show (for one batched label lookup)."""
    columns = readable_columns(result)
    return {
        term.value for row in result.rows for column in columns if isinstance(term := row.get(column), ox.NamedNode)
    }


def header(column: str) -> str:
    """``allianceLabel`` -> ``alliance``: the header a person reads."""
    return column[: -len("Label")] if column.endswith("Label") and len(column) > 5 else column


def to_markdown(result: QueryResult, label_of: Callable[[str], str | None]) -> str:
    """A GitHub-flavoured markdown table of the readable columns."""
    columns = [header(c) for c in readable_columns(result)]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for cells in readable_rows(result, label_of):
        lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def to_table(result: QueryResult, label_of: Callable[[str], str | None], title: str | None = None):
    """A rich Table (imported lazily) of the readable columns."""
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in readable_columns(result):
        table.add_column(header(column), overflow="fold")
    for cells in readable_rows(result, label_of):
        table.add_row(*cells)
    return table
