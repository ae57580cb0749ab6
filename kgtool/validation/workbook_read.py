"""Reading a filled submission workbook (.xlsx) as the CSV templates it is made of, every value traced to its cell.

A workbook is untrusted input. Before openpyxl parses anything, the package itself is checked: a zip (an old
``.xls`` or a password-protected file is not), of bounded size, with a bounded number of parts whose declared
sizes add up to a bounded total (zipfile never inflates a part past its declared size, so a zip bomb stops
there); a workbook with macros (``vbaProject.bin``, ``.xlsm``) or links to other workbooks (``externalLinks``) is
refused with one line. openpyxl then reads it in read-only mode, through defusedxml; nothing in it is executed
or fetched. A formula is read as the value the spreadsheet program saved with it, and refused when it has none.

Each data sheet carries its CSV template (the hidden rows 3 and 4 that ``kgtool template`` writes); its rows
go through ``kgtool.validation.csv_templates.read_row`` like a CSV file's, after typed cells become text (``40``
-> ``"40"``, a date -> ``2024-06-30``) and drop-down labels become the IRIs they stand for (``Poverty reduction`` ->
``sal:PovertyReduction``, ``La Libertad (13)`` -> ``sald:region-la-libertad``). Problems point at the cell,
``records.xlsx: Actor!C7 (Based in)``.
"""

from __future__ import annotations

import datetime
import decimal
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kgtool.errors import InputError
from kgtool.files import require_regular
from kgtool.rdf import nearest
from kgtool.validation import csv_templates
from kgtool.validation.csv_templates import CsvRecords
from kgtool.validation.model import WORKBOOK_SUFFIXES
from kgtool.validation.workbook_layout import (
    FIRST_ROW,
    HEADER_ROW,
    KEY_ROW,
    MARKER,
    META_SHEET,
    TEMPLATE_ROW,
    ColumnSpec,
    Knowledge,
    normalized,
    project_knowledge,
    sheets_for,
)

MAX_FILE_BYTES = 50 * 2**20
MAX_UNPACKED_BYTES = 400 * 2**20
MAX_PARTS = 5000
MACRO_CONTENT = "macroEnabled"


@dataclass
class WorkbookRecords(CsvRecords):
    """The records of a workbook's sheets; a column is named ``Sheet!C`` (its sheet and letter) in ``origin``."""

    headers: dict[str, str] = field(default_factory=dict)  # "Sheet!C" -> the header a person reads
    sheet_of: dict[str, str] = field(default_factory=dict)  # subject IRI -> its sheet's title

    def where(self, row: int, column: str) -> str:
        return f"{self.path}: {self.reference(row, column)} ({self.headers.get(column, column)})"

    def reference(self, row: int, column: str) -> str:
        """``Actor!C7``, or ``'Strategic alliance'!C7``, as a spreadsheet program writes a reference."""
        sheet, _, letter = column.rpartition("!")
        return f"{_quoted(sheet)}!{letter}{row}"

    def column(self, subject: str, predicate: str, missing: bool = False) -> str | None:
        found = self.place(subject, predicate, missing)
        return self.headers.get(found[1], found[1]) if found else None

    def cell(self, subject: str, predicate: str, missing: bool = False) -> str | None:
        found = self.place(subject, predicate, missing)
        return self.reference(*found) if found else None

    def sheet(self, subject: str) -> str | None:
        return self.sheet_of.get(subject)


def _quoted(sheet: str) -> str:
    return sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def read(path: Path, knowledge: Knowledge | None = None) -> WorkbookRecords:
    """Parse a filled workbook into RDF quads, refusing what is unsafe, not ours or not readable in one line."""
    path = Path(path)
    check_package(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise InputError(f"{path}: cannot be read as an Excel workbook ({type(error).__name__}: {error})") from error
    try:
        listed = _listed_sheets(path, book)
        tables = {title: _cells(path, book, title) for title in listed}
    finally:
        book.close()
    if any(kind == "f" for table in tables.values() for row in table for _, kind in row):
        tables = _with_saved_values(path, tables)
    named = {listed[title]: _template_of(path, title, table) for title, table in tables.items()}
    layout = sheets_for(named, knowledge or project_knowledge())
    records = WorkbookRecords(path)
    for title, table in tables.items():
        _read_sheet(records, title, table, layout.sheet(listed[title]).columns)
    return records


def check_package(path: Path) -> None:
    """Refuse, in one line, a file that is not a safe .xlsx package: before any XML is parsed."""
    size = require_regular(path, "workbook").st_size  # a device or FIFO would never end a read
    if path.suffix.lower() == ".xlsm":
        raise InputError(f"{path}: a workbook with macros (.xlsm) is refused; save it as .xlsx (without macros)")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size} bytes; a workbook of more than {MAX_FILE_BYTES // 2**20} MiB is refused")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            content_types = _content_types(path, package)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"{path}: not an .xlsx workbook (an old .xls or a password-protected file?)") from error
    if len(parts) > MAX_PARTS:
        raise InputError(f"{path}: {len(parts)} parts in the package; more than {MAX_PARTS} is refused")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"{path}: unpacks to {unpacked} bytes; more than {MAX_UNPACKED_BYTES // 2**20} MiB is refused")
    names = [part.filename.lower() for part in parts]
    if any(name.endswith("vbaproject.bin") for name in names) or MACRO_CONTENT.lower() in content_types.lower():
        raise InputError(f"{path}: the workbook contains macros; save it as .xlsx without macros")
    if any(name.startswith("xl/externallinks/") for name in names):
        raise InputError(
            f"{path}: the workbook links to other workbooks (external links); copy the values in and remove the links"
        )


def _content_types(path: Path, package: zipfile.ZipFile) -> str:
    try:
        info = package.getinfo("[Content_Types].xml")
    except KeyError as error:
        raise InputError(f"{path}: not an .xlsx workbook (no [Content_Types].xml)") from error
    if info.file_size > 2**20:
        raise InputError(f"{path}: [Content_Types].xml of {info.file_size} bytes is refused")
    return package.read(info).decode("utf-8", errors="replace")


def _listed_sheets(path: Path, book) -> dict[str, str]:
    """Sheet title -> template name, from the hidden ``kgtool`` sheet that ``kgtool template`` writes."""
    not_ours = f"{path}: not a kgtool submission workbook (make one with `kgtool template --out FILE.xlsx`)"
    if META_SHEET not in book.sheetnames:
        raise InputError(not_ours)
    rows = [tuple(row) for row in book[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True)]
    if not rows or rows[0][0] != MARKER:
        raise InputError(not_ours)
    listed = {str(title): str(name) for title, name in rows[4:] if title and name}
    missing = [title for title in listed if title not in book.sheetnames]
    if missing:
        raise InputError(f"{path}: the sheet {missing[0]!r} is missing (renamed or deleted?); keep the sheets' names")
    return listed


#: A sheet's cells: rows of (value, openpyxl data type), row 1 first.
Table = list[list[tuple[object, str]]]


def _cells(path: Path, book, title: str) -> Table:
    sheet = book[title]
    sheet.reset_dimensions()  # read every row the file holds, whatever its declared dimension says
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def _with_saved_values(path: Path, tables: dict[str, Table]) -> dict[str, Table]:
    """Formulas replaced by the values the spreadsheet program saved with them; refused where there is none."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    try:
        saved = {title: _cells(path, book, title) for title in tables}
    finally:
        book.close()
    for title, table in tables.items():
        for r, row in enumerate(table):
            for c, (_, kind) in enumerate(row):
                if kind != "f":
                    continue
                value = saved[title][r][c][0] if r < len(saved[title]) and c < len(saved[title][r]) else None
                if value is None:
                    cell = f"{_quoted(title)}!{get_column_letter(c + 1)}{r + 1}"
                    raise InputError(f"{path}: {cell} holds a formula without a saved value; type the value instead")
                row[c] = (value, "s")
    return tables


def _template_of(path: Path, title: str, table: Table) -> tuple[list[str], list[str]]:
    """A sheet's CSV template: its column names (hidden row 3) and template strings (hidden row 4)."""
    if len(table) < TEMPLATE_ROW:
        raise InputError(f"{path}: the sheet {title!r} has lost its template rows 3 and 4; use a new workbook")
    keys = [str(value).strip() for value, _ in table[KEY_ROW - 1] if value is not None]
    strings = [str(value).strip() for value, _ in table[TEMPLATE_ROW - 1][: len(keys)]]
    if not keys or len(strings) != len(keys):
        raise InputError(f"{path}: the sheet {title!r} has lost its template rows 3 and 4; use a new workbook")
    return keys, strings


def _read_sheet(records: WorkbookRecords, title: str, table: Table, specs: tuple[ColumnSpec, ...]) -> None:
    from openpyxl.utils import get_column_letter

    names = [f"{title}!{get_column_letter(index)}" for index in range(1, len(specs) + 1)]
    header_row = table[HEADER_ROW - 1] if table else []
    for index, (name, spec) in enumerate(zip(names, specs, strict=True)):
        shown = header_row[index][0] if index < len(header_row) and header_row[index][0] else spec.key
        records.headers[name] = str(shown).rstrip(" *°")
    columns = csv_templates.parse_template_row(records.path, names, [spec.template for spec in specs])
    lookups = {spec.key: spec.lookup() for spec in specs if spec.choices}
    for number, row in enumerate(table[FIRST_ROW - 1 :], start=FIRST_ROW):
        extra = [i for i, (value, _) in enumerate(row[len(specs) :], start=len(specs)) if _text(value)]
        if extra:
            where = f"{_quoted(title)}!{get_column_letter(extra[0] + 1)}{number}"
            raise InputError(f"{records.path}: {where} is outside the sheet's columns; move the value into a column")
        cells = [row[i][0] if i < len(row) else None for i in range(len(specs))]
        if not any(_text(value) for value in cells):
            continue
        texts = [
            _cell_text(records, spec, value, lookups.get(spec.key), number, name)
            for spec, value, name in zip(specs, cells, names, strict=True)
        ]
        csv_templates.read_row(records, columns, texts, number)
        for subject, row_number in records.rows.items():
            if row_number == number:
                records.sheet_of.setdefault(subject, title)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _cell_text(
    records: WorkbookRecords, spec: ColumnSpec, value: object, lookup: dict[str, str] | None, number: int, name: str
) -> str:
    """A typed cell as the text a CSV template would hold; a drop-down label as the value it stands for."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value).strip()
    if not lookup or not text:
        return text
    parts = [part.strip() for part in text.split(spec.column.split)] if spec.multiple else [text]
    return (spec.column.split or "").join(_choice(records, spec, part, lookup, number, name) for part in parts if part)


def _number_text(value: int | float) -> str:
    """``40.0`` -> ``40``, ``0.1`` -> ``0.1``, ``1e-05`` -> ``0.00001``: what the person typed, as XSD writes it."""
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    exact = decimal.Decimal(repr(value))
    return str(int(exact)) if exact == exact.to_integral_value() else format(exact.normalize(), "f")


def _choice(
    records: WorkbookRecords, spec: ColumnSpec, part: str, lookup: dict[str, str], number: int, name: str
) -> str:
    """The value a drop-down entry stands for; other text is kept as typed (an ID, or a mistake for the report),
    unless the column refers to terms and the text cannot be one."""
    found = lookup.get(normalized(part))
    if found is not None:
        return found
    if spec.column.kind in ("AI", "TYPE") and spec.closed and not _could_be_reference(part):
        shown = {choice.value: choice.shown("en") for choice in spec.choices}  # as the drop-down shows it
        choices = nearest.from_names({c.value: (*c.labels.values(), *c.aliases) for c in spec.choices})
        near = choices.suggest(part)
        hint = f"; did you mean {shown[near[0]]!r}?" if near else ""
        where = records.where(number, name)
        raise InputError(f"{where}: {part!r} is not one of the choices of the drop-down list{hint}")
    return part


def _could_be_reference(text: str) -> bool:
    return " " not in text.strip()
