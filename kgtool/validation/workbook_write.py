"""Writing a submission workbook (.xlsx): the CSV templates as sheets with the ontology's choices built in.

Each sheet is a CSV template: row 1 its headers in the workbook's language, row 2 in the other language, rows 3
and 4 (hidden) the template's column names and template strings, exactly as in ``data/templates/*.csv``, then
one record per row. Closed vocabularies are drop-down lists (Excel data validation) whose entries sit on a hidden
``Lists`` sheet; references to records on other sheets are drop-downs of that sheet's IDs; numbers, years and
dates are typed and bounded as the shapes say. A hidden ``kgtool`` sheet marks the workbook as ours and lists
its sheets, so ``kgtool validate`` reads it back (``kgtool.validation.workbook_read``) with the same template
logic as a CSV file. openpyxl writes it; nothing in it is a formula or a macro.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kgtool import __version__
from kgtool.choices import LANGUAGES
from kgtool.errors import UsageError
from kgtool.files import STDOUT, write_atomically
from kgtool.validation import csv_templates
from kgtool.validation.workbook_layout import (
    FIRST_ROW,
    HEADER_ROW,
    KEY_ROW,
    LISTS_SHEET,
    MARKER,
    META_SHEET,
    OTHER_HEADER_ROW,
    TEMPLATE_ROW,
    WORKBOOK_FORMAT,
    ColumnSpec,
    Layout,
    SheetSpec,
    layout,
)
from kgtool.validation.workbook_words import WORDS

#: The rows a sheet's drop-downs and typed cells cover (a person rarely sends more; more rows still read).
ROWS = 2000
FILLS = {"required": "F8CBAD", "recommended": "FFE699", None: "DDEBF7"}
MARKS = {"required": " *", "recommended": " °", None: ""}
#: A record (CSV template) row: column name -> the cell's text as a CSV template would hold it.
Row = Mapping[str, str]


def write(
    out: Path,
    lang: str = "en",
    records: Mapping[str, Iterable[Row]] | None = None,
    sheets: Layout | None = None,
    banner: str | None = None,
) -> Path:
    """Write a submission workbook to ``out`` (``-``: standard output), whole or not at all (``render`` says what
    goes in it)."""
    if str(out) != STDOUT and Path(out).suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: a submission workbook is an .xlsx file")
    out = Path(out)
    if str(out) != STDOUT and (out.is_dir() or not out.parent.is_dir()):
        missing = "is a folder" if out.is_dir() else f"the folder {out.parent} does not exist"
        raise UsageError(f"--out {out}: {missing}")
    write_atomically(out, render(lang, records, sheets, banner), "the workbook")
    return out


def render(
    lang: str = "en",
    records: Mapping[str, Iterable[Row]] | None = None,
    sheets: Layout | None = None,
    banner: str | None = None,
) -> bytes:
    """A submission workbook as the bytes of an .xlsx file; ``records`` (template name -> CSV-style rows) fills
    it as a person would, with labels from the drop-downs and typed numbers. ``banner`` heads the instructions
    (e.g. that the records are synthetic). The caller writes the bytes (atomically)."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    book = build(sheets or layout(), lang, records or {}, banner)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build(sheets: Layout, lang: str, records: Mapping[str, Iterable[Row]], banner: str | None = None) -> Workbook:
    """The workbook in memory: instructions, one sheet per record type, the hidden lists and the marker sheet."""
    book = Workbook()
    book.properties.creator = f"kgtool {__version__}"
    book.properties.title = WORDS[lang]["title"]
    book.properties.description = banner
    instructions = book.active
    lists = _Lists(book.create_sheet(LISTS_SHEET), lang)
    for spec in sheets.sheets:
        sheet = book.create_sheet(spec.title(lang))
        _data_sheet(sheet, spec, sheets, lists, lang)
        for number, row in enumerate(records.get(spec.name, ()), start=FIRST_ROW):
            _fill_row(sheet, spec, row, number, lang)
    lists.sheet.sheet_state = "hidden"
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    _instructions(instructions, sheets, lang, banner)
    _marker(book.create_sheet(META_SHEET), sheets, lang)
    return book


class _Lists:
    """The hidden sheet of drop-down entries: one column per distinct list, shared by the columns that use it."""

    def __init__(self, sheet: Worksheet, lang: str) -> None:
        self.sheet, self.lang = sheet, lang
        self.ranges: dict[str, str] = {}

    def range_of(self, column: ColumnSpec) -> str:
        key = column.list_key or ""
        if key not in self.ranges:
            index = len(self.ranges) + 1
            letter = get_column_letter(index)
            shown = [choice.shown(self.lang) for choice in column.choices]
            if column.cell != "place" and not column.template.startswith("AT"):  # places by ubigeo; Yes, No
                shown.sort(key=str.casefold)
            self.sheet.cell(1, index, key[:200])
            for number, text in enumerate(shown, start=2):
                self.sheet.cell(number, index, text)
            self.ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(shown) + 1}"
        return self.ranges[key]


def _data_sheet(sheet: Worksheet, spec: SheetSpec, sheets: Layout, lists: _Lists, lang: str) -> None:
    words = WORDS[lang]
    other = next(code for code in LANGUAGES if code != lang)
    last = FIRST_ROW + ROWS - 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        header = column.headers.get(lang, column.key) + MARKS[column.requirement]
        cell = sheet.cell(HEADER_ROW, index, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=FILLS[column.requirement])
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        hint = hint_of(column, sheets, lang)
        cell.comment = Comment("\n".join(filter(None, (column.notes.get(lang), hint))), "kgtool", width=300, height=140)
        translated = sheet.cell(OTHER_HEADER_ROW, index, column.headers.get(other, column.key))
        translated.font = Font(italic=True, color="666666")
        sheet.cell(KEY_ROW, index, column.key)
        sheet.cell(TEMPLATE_ROW, index, column.template)
        sheet.column_dimensions[letter].width = min(max(len(header) + 4, 16), 42)
        if column.cell in ("text", "id", "reference", "choice", "place"):
            sheet.column_dimensions[letter].number_format = "@"
        validation = _validation(column, sheets, lists, words, hint)
        if validation is not None:
            validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(validation)
    for row in (KEY_ROW, TEMPLATE_ROW):
        sheet.row_dimensions[row].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 2)


def hint_of(column: ColumnSpec, sheets: Layout, lang: str) -> str:
    """What to enter in a column, in one or two sentences (the cell's prompt and the instructions)."""
    words = WORDS[lang]
    if column.cell == "id":
        return words["id_hint"]
    if column.cell == "place":
        text = words["place_hint"]
    elif column.cell == "choice":
        return words["choices_hint" if column.multiple else "choice_hint"]
    elif column.cell == "reference":
        target = next((s.title(lang) for s in sheets.sheets if s.name == column.target), None)
        text = words["reference_hint"].format(sheet=target) if target else words["any_reference_hint"]
    elif column.cell in ("number", "integer", "year", "date"):
        text = words[column.cell + "_hint"]
        low, high = column.bounds
        if low is not None and high is not None:
            text += " " + words["between"].format(low=_number(low), high=_number(high))
        elif low is not None:
            text += " " + words["at_least"].format(low=_number(low))
        return text
    else:
        text = ""
    return " ".join(filter(None, (text, words["several_hint"] if column.multiple else "")))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _validation(
    column: ColumnSpec, sheets: Layout, lists: _Lists, words: dict[str, str], hint: str
) -> DataValidation | None:
    """The data validation of a column: a drop-down list, a number range, or only the prompt."""
    prompt = {"promptTitle": column.headers.get("en", column.key)[:32], "prompt": hint[:255], "showInputMessage": True}
    if column.cell in ("choice", "place"):
        strict = column.closed and not column.multiple
        return DataValidation(
            type="list",
            formula1=lists.range_of(column),
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            error=words["not_listed" if strict else "not_listed_open"],
            allow_blank=True,
            **prompt,
        )
    if column.cell == "reference" and column.target:
        target = next(s for s in sheets.sheets if s.name == column.target)
        source = f"{quote_sheetname(target.title(lists.lang))}!$A${FIRST_ROW}:$A${FIRST_ROW + ROWS - 1}"
        return DataValidation(
            type="list",
            formula1=source,
            showErrorMessage=True,
            errorStyle="warning",
            error=words["not_listed_open"],
            allow_blank=True,
            **prompt,
        )
    if column.cell in ("number", "integer", "year"):
        low, high = column.bounds
        if column.cell == "year":
            low, high = 1000, 9999
        return DataValidation(
            type="decimal" if column.cell == "number" else "whole",
            operator="between",
            formula1=_number(low if low is not None else -1e15),
            formula2=_number(high if high is not None else 1e15),
            showErrorMessage=True,
            errorStyle="stop",
            error=words["wrong_number"] + " " + hint,
            allow_blank=True,
            **prompt,
        )
    return DataValidation(allow_blank=True, **prompt)


def csv_records(files: Iterable[Path], sheets: Layout) -> dict[str, list[Row]]:
    """The rows of filled CSV templates, by the sheet whose columns they have (to put them into a workbook)."""
    found: dict[str, list[Row]] = {}
    for path in files:
        path = Path(path)
        if path.suffix.lower() != ".csv":
            raise UsageError(f"{path}: not a CSV template (.csv); only their records can be put into a workbook")
        csv_templates.read(path)  # the same checks as validating the file: a bad CSV is refused here
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        keys = rows[0]
        sheet = next((s for s in sheets.sheets if [c.key for c in s.columns] == keys), None)
        if sheet is None:
            raise UsageError(f"{path}: its columns match no sheet of the workbook (see data/templates/)")
        found.setdefault(sheet.name, []).extend(dict(zip(keys, row, strict=False)) for row in rows[2:] if any(row))
    return found


def _fill_row(sheet: Worksheet, spec: SheetSpec, row: Row, number: int, lang: str) -> None:
    """Put a CSV-style record into a row as a person using the drop-downs would: labels, numbers, years."""
    for index, column in enumerate(spec.columns, start=1):
        text = (row.get(column.key) or "").strip()
        if text:
            sheet.cell(number, index, cell_value(column, text, lang))


def cell_value(column: ColumnSpec, text: str, lang: str) -> str | int | float:
    """What a person would see in the cell for a CSV template's text (a mistake stays as it was written)."""
    if column.cell in ("number", "integer", "year"):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if column.cell not in ("choice", "place"):
        return text
    parts = [part.strip() for part in text.split(column.column.split)] if column.multiple else [text]
    return "; ".join(_shown_choice(column, part, lang) for part in parts if part)


def _shown_choice(column: ColumnSpec, part: str, lang: str) -> str:
    """The drop-down entry that stands for a CSV value (``sal:PovertyReduction``, ``region-cusco``, ``PEN``)."""
    candidates = {part}
    try:
        expand = csv_templates._class if column.column.kind == "TYPE" else csv_templates.expand
        candidates.add(expand(part, "-"))
    except Exception:  # not an IRI: a literal choice (a currency) or a mistake, kept as written
        pass
    for choice in column.choices:
        if choice.value in candidates:
            return choice.shown(lang)
    return part


def _instructions(sheet: Worksheet, sheets: Layout, lang: str, banner: str | None) -> None:
    """The first sheet: what the workbook is for, how to fill it, and every column of every sheet explained."""
    words = WORDS[lang]
    if banner:
        sheet.append([banner])
        sheet["A1"].font = Font(bold=True, color="B42318")
    sheet.title = words["instructions"]
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 16
    sheet.column_dimensions["D"].width = 90
    lines = [
        (words["title"], Font(bold=True, size=14)),
        (words["intro"], None),
        (words["steps"], None),
        (words["legend"], Font(bold=True)),
    ]
    for number, (text, font) in enumerate(lines, start=2 if banner else 1):
        cell = sheet.cell(number, 1, text)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            cell.font = font
    first = 2 if banner else 1
    sheet.row_dimensions[first + 1].height = 48
    sheet.row_dimensions[first + 2].height = 150
    row = len(lines) + first
    for requirement in ("required", "recommended", None):
        cell = sheet.cell(row, 1, words[f"{requirement or 'optional'}_mark"])
        cell.fill = PatternFill("solid", fgColor=FILLS[requirement])
        row += 1
    row += 1
    for number, title in enumerate((words["sheet"], words["column"], words["needed"], words["what"]), start=1):
        sheet.cell(row, number, title).font = Font(bold=True)
    for spec in sheets.sheets:
        row += 1
        sheet.cell(row, 1, spec.title(lang)).font = Font(bold=True)
        sheet.cell(row, 2, words["holds"].format(record=spec.titles.get(lang, spec.name).lower()))
        for column in spec.columns:
            row += 1
            sheet.cell(row, 2, column.headers.get(lang, column.key) + MARKS[column.requirement])
            sheet.cell(row, 3, words[column.requirement or "optional"])
            what = " ".join(filter(None, (column.notes.get(lang), hint_of(column, sheets, lang))))
            sheet.cell(row, 4, what).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row + 2, 1, words["generated"].format(version=__version__)).font = Font(italic=True, color="666666")


def _marker(sheet: Worksheet, sheets: Layout, lang: str) -> None:
    """The very hidden sheet that says the workbook is a kgtool submission workbook, and which sheet is which."""
    sheet.append([MARKER, WORKBOOK_FORMAT])
    sheet.append(["language", lang])
    sheet.append(["generator", f"kgtool {__version__}"])
    sheet.append([])
    for spec in sheets.sheets:
        sheet.append([spec.title(lang), spec.name])
    sheet.sheet_state = "veryHidden"
