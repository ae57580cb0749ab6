"""What every backend returns and accepts: a SELECT result of pyoxigraph terms, and the ``Backend`` interface.

They live apart from ``kgtool.sparql.backends`` so that the remote backend and the embedded one both build on
them without importing each other.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.namespaces import XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal

#: Seconds a remote endpoint may take to answer one request.
DEFAULT_TIMEOUT = 60.0


#: XSD datatypes whose values a table holds as numbers or booleans.
_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger")}
_NUMBERS = {XSD + n for n in ("decimal", "double", "float")}


def plain_value(term: Term | None) -> str:
    """The lexical value of a term ('' when unbound), as csv/tsv show it; a blank node as ``_:id``, as the
    SPARQL 1.1 CSV format (and Oxigraph's serializer, ``kgtool.sparql.streaming``) writes it."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<<( {term} )>>"  # an RDF 1.2 triple term, as N-Triples writes it
    return "" if term is None else term.value


@dataclass
class QueryResult:
    """A SELECT result: the variables in order, and one dict per row (unbound variables are absent).

    In a notebook, ``to_csv()`` gives the rows as CSV text (or writes a file) and ``to_dataframe()`` as a pandas
    DataFrame (pandas is optional: ``pip install pandas``), numbers as numbers, IRIs and texts as strings.
    """

    variables: list[str]
    rows: list[dict[str, Term]]

    def to_csv(self, path: str | Path | None = None, delimiter: str = ",") -> str:
        """The rows as CSV (RFC 4180) with a header row of the variables, each term by its lexical value ('' when
        unbound), as ``kgtool query --format csv`` prints them; also written to ``path`` when given."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([plain_value(row.get(v)) for v in self.variables])
        text = buffer.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_dataframe(self):  # -> pandas.DataFrame (pandas imported only here)
        """The rows as a pandas DataFrame, one column per variable: integers and decimals as numbers, booleans as
        booleans, everything else by its lexical value; unbound cells are missing values."""
        try:
            import pandas
        except ImportError as error:
            raise UsageError("to_dataframe() needs pandas (pip install pandas); to_csv() needs nothing") from error
        table = {v: [python_value(row.get(v)) for row in self.rows] for v in self.variables}
        return pandas.DataFrame(table, columns=self.variables)


def python_value(term: Term | None) -> object:
    """A term as a plain Python value: None when unbound, int/float/bool for those XSD datatypes, else its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and not term.language:
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _NUMBERS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
    return term.value


class Backend(Protocol):
    """Anything that answers a SPARQL SELECT over the knowledge graph."""

    def select(self, text: str) -> QueryResult:
        """Run one SELECT query (already bound and checked) and return its rows."""
        ...
