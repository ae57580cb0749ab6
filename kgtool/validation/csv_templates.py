"""CSV templates, in the spirit of ROBOT templates: spreadsheets in, RDF records out, every cell traceable.

A template file has a header row of column names a person reads, then a *template row* that says what each
column means, then one record per row. Template strings (a subset of ROBOT's):

| string | meaning |
|---|---|
| ``ID`` | the record: a ``sald:`` slug, a CURIE or an IRI |
| ``TYPE`` | its class: ``MiningCompany``, ``sal:NGO`` ... (several with ``SPLIT=``) |
| ``LABEL@en`` | ``rdfs:label`` in that language |
| ``A prop`` / ``A prop@es`` | a string (or language-tagged) literal |
| ``AT prop^^xsd:decimal`` | a typed literal |
| ``AI prop`` | a reference to another record or term (slug, CURIE or IRI) |
| ``... SPLIT=;`` | the cell holds several values separated by ``;`` |
| ``AT p>Class>q^^xsd:decimal`` | a value of a nested node: the record's ``p`` is the node ``<ID>-p`` (a ``Class``) |

Empty cells add nothing. The shipped templates are ``data/templates/*.csv``; examples ``data/examples/*.csv``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.rdf.namespaces import PREFIXES, RDF_TYPE, RDFS_LABEL, RDFS_LABEL_NODE, SALD, TYPE_NODE, XSD_STRING

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TEMPLATE = re.compile(
    r"^(?P<kind>ID|TYPE|LABEL|AT|AI|A)(?:\s+(?P<path>[^\s@^]+))?(?:@(?P<lang>[A-Za-z-]+))?"
    r"(?:\^\^(?P<datatype>\S+))?(?:\s+SPLIT=(?P<split>.))?$"
)


@dataclass(frozen=True)
class Column:
    """What one column means, parsed from its template string."""

    name: str
    kind: str  # ID, TYPE, LABEL, A, AT, AI
    path: tuple[str, ...] = ()  # property, or property>Class>property for a nested node
    lang: str | None = None
    datatype: str | None = None
    split: str | None = None


@dataclass
class CsvRecords:
    """The quads of a CSV file and, for every (subject, predicate), the row and column it came from."""

    path: Path
    quads: list[ox.Quad] = field(default_factory=list)
    origin: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # subject IRI -> row number
    #: (subject, predicate) -> the first empty cell of a column for that predicate: where a missing value belongs.
    blanks: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    def place(self, subject: str, predicate: str, missing: bool = False) -> tuple[int, str] | None:
        """The (row, column) of a value; for a missing value, the empty cell where it belongs."""
        key = (subject, predicate)
        return (self.blanks.get(key) if missing else None) or self.origin.get(key) or self.blanks.get(key)

    def where(self, row: int, column: str) -> str:
        """Where a cell is, for messages: ``FILE:ROW:COLUMN`` (a workbook says ``FILE: Sheet!C7 (header)``)."""
        return f"{self.path}:{row}:{column}"

    def column(self, subject: str, predicate: str, missing: bool = False) -> str | None:
        """The column a value came from (or belongs in), as the report names it (a workbook: by its header)."""
        found = self.place(subject, predicate, missing)
        return found[1] if found else None

    def cell(self, subject: str, predicate: str, missing: bool = False) -> str | None:
        """The spreadsheet cell a value came from (``Actor!C7``); a CSV file has none."""
        return None

    def sheet(self, subject: str) -> str | None:
        """The sheet that holds a record; a CSV file has none."""
        return None

    def locate(self, subject: str, predicate: str | None = None) -> str:
        """``FILE:ROW:COLUMN`` (or ``FILE:ROW``) for a focus node and path of a validation result."""
        if predicate and (subject, predicate) in self.origin:
            return self.where(*self.origin[(subject, predicate)])
        if subject in self.rows:
            return f"{self.path}:{self.rows[subject]}"
        return str(self.path)


def expand(value: str, where: str) -> str:
    """A slug, CURIE or IRI as a full IRI; ``where`` names the file, row and column for errors."""
    value = value.strip()
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local
    elif sep and local.startswith("//"):
        iri = value
    elif _SLUG.fullmatch(value):
        iri = SALD + value
    else:
        raise InputError(f"{where}: {value!r} is not a sald: slug (kebab-case), a CURIE or an IRI")
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise InputError(f"{where}: {value!r} is not a valid IRI") from error
    return iri


def _class(value: str, where: str) -> str:
    return expand(value if ":" in value else "sal:" + value, where)


def parse_template_row(path: Path, headers: list[str], templates: list[str]) -> list[Column]:
    """The columns of a template file from its header and template rows."""
    columns = []
    for number, (name, template) in enumerate(zip(headers, templates, strict=False), start=1):
        match = _TEMPLATE.match(template.strip())
        if not match:
            raise InputError(f"{path}:2:{name or number}: unknown template string {template!r}")
        kind, raw_path = match["kind"], match["path"]
        if kind in ("A", "AT", "AI") and not raw_path:
            raise InputError(f"{path}:2:{name}: {kind} needs a property, e.g. '{kind} sal:objective'")
        steps = tuple(_class(step, f"{path}:2:{name}") for step in raw_path.split(">")) if raw_path else ()
        if len(steps) not in (0, 1, 3):
            raise InputError(f"{path}:2:{name}: a nested column is 'property>Class>property'")
        datatype = expand(match["datatype"], f"{path}:2:{name}") if match["datatype"] else None
        columns.append(Column(name, kind, steps, match["lang"], datatype, match["split"]))
    if sum(1 for c in columns if c.kind == "ID") != 1:
        raise InputError(f"{path}:2: a template needs exactly one ID column")
    return columns


def read(path: Path) -> CsvRecords:
    """Parse a filled CSV template into RDF quads, refusing bad cells with ``FILE:ROW:COLUMN``."""
    from kgtool.files import read_text

    path = Path(path)
    text = read_text(path, "CSV file")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise InputError(f"{path}: CSV syntax error: {error}") from error
    if len(rows) < 2:
        raise InputError(f"{path}: a CSV template needs a header row and a template row")
    headers, templates = rows[0], rows[1]
    if len(set(headers)) != len(headers):
        raise InputError(f"{path}:1: duplicate column names")
    columns = parse_template_row(path, headers, templates)
    records = CsvRecords(path)
    problems: list[str] = []
    for number, row in enumerate(rows[2:], start=3):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(f"{path}:{number}: {len(row)} cells where the header has {len(columns)} columns")
            continue
        problems += read_row(records, columns, row, number, collect=True)
    if problems:
        raise CellProblems(problems)
    return records


class CellProblems(InputError):
    """Every bad cell of one or more CSV templates, one line each (``FILE:ROW:COLUMN: …``), so that a contributor
    fixes them all after one run; a single problem is one line, as any unusable input."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        if len(lines) == 1:
            super().__init__(lines[0])
        else:  # the command line lists them on stdout (kgtool.cli.app.cell_problems_listed)
            super().__init__(f"{len(lines)} problems in the CSV templates: " + "; ".join(lines))


def read_row(
    records: CsvRecords, columns: list[Column], row: list[str], number: int, collect: bool = False
) -> list[str]:
    """Add one filled row (its cells as text) to ``records``; a workbook sheet is read through here too.

    A bad cell raises ``InputError``, or with ``collect`` is returned as one problem line (with the nearest allowed
    value for a reference or a kind, ``did you mean region-apurimac?``) while the other cells are still read.
    """
    id_column = next(c for c in columns if c.kind == "ID")
    id_cell = row[columns.index(id_column)].strip()
    problems: list[str] = []
    try:
        if not id_cell:
            raise InputError(f"{records.where(number, id_column.name)}: the record has no ID")
        subject = ox.NamedNode(expand(id_cell, records.where(number, id_column.name)))
    except InputError as error:
        if not collect:
            raise
        return [str(error)]
    records.rows[subject.value] = number
    for column, cell in zip(columns, row, strict=True):
        if column.kind == "ID":
            continue
        if not cell.strip():
            if predicate := _predicate(column):
                records.blanks.setdefault((subject.value, predicate), (number, column.name))
            continue
        where = records.where(number, column.name)
        values = [v.strip() for v in cell.split(column.split)] if column.split else [cell.strip()]
        for value in filter(None, values):
            try:
                _add(records, subject, column, value, where, number)
            except InputError as error:
                if not collect:
                    raise
                problems.append(_with_suggestion(str(error), column, value))
                continue
            if closed := _outside_closed(column, value, where):
                if not collect:
                    raise InputError(closed)
                problems.append(closed)
    return problems


def _outside_closed(column: Column, value: str, where: str) -> str | None:
    """A slug in a column of the ontology's own terms (a status, a strategy) names no record anyone could add: one
    problem at its cell, with the nearest term, in the same run as the other bad cells."""
    if column.kind != "AI" or len(column.path) != 1 or not _SLUG.fullmatch(value):
        return None
    from kgtool.validation.suggest import outside_closed_column

    found = outside_closed_column(column.path[0], SALD + value, value)
    if found is None:
        return None
    return f"{where}: {value!r} is not one of the ontology's terms this column takes; did you mean {found}?"


def _with_suggestion(problem: str, column: Column, value: str) -> str:
    """A bad reference or kind with the nearest value its column allows, by label in English or Spanish."""
    from kgtool.validation.suggest import for_cell

    if column.kind not in ("AI", "TYPE") or not column.path:
        return problem
    found = for_cell(column.path[-1] if column.kind == "AI" else column.path[0], column.kind, value)
    return f"{problem}; did you mean {found}?" if found else problem


def _predicate(column: Column) -> str | None:
    """The property a column states of the record itself (None for a nested node's value)."""
    if column.kind == "TYPE":
        return RDF_TYPE
    if column.kind == "LABEL":
        return RDFS_LABEL
    return column.path[0] if len(column.path) == 1 else None


def _add(records: CsvRecords, subject: ox.NamedNode, column: Column, value: str, where: str, number: int) -> None:
    if column.kind == "TYPE":
        triple = (subject, TYPE_NODE, ox.NamedNode(_class(value, where)))
    elif column.kind == "LABEL":
        triple = (subject, RDFS_LABEL_NODE, ox.Literal(value, language=column.lang or "en"))
    else:
        target = subject
        predicate = ox.NamedNode(column.path[0])
        if len(column.path) == 3:  # nested node: subject -p-> <subject>-<local> (a Class) -q-> value
            nested = ox.NamedNode(f"{subject.value}-{column.path[0].rsplit('#', 1)[-1].rsplit('/', 1)[-1].lower()}")
            records.quads.append(ox.Quad(subject, predicate, nested))
            records.quads.append(ox.Quad(nested, TYPE_NODE, ox.NamedNode(column.path[1])))
            records.origin[(nested.value, column.path[2])] = (number, column.name)
            records.rows.setdefault(nested.value, number)
            target, predicate = nested, ox.NamedNode(column.path[2])
        triple = (target, predicate, _object(column, value, where))
    records.quads.append(ox.Quad(*triple))
    records.origin[(triple[0].value, triple[1].value)] = (number, column.name)


def _object(column: Column, value: str, where: str) -> ox.NamedNode | ox.Literal:
    if column.kind == "AI":
        return ox.NamedNode(expand(value, where))
    if column.kind == "AT":
        return ox.Literal(value, datatype=ox.NamedNode(column.datatype or XSD_STRING))
    if column.lang:
        return ox.Literal(value, language=column.lang)
    return ox.Literal(value)
