"""The allowed values of every closed column of the CSV templates, as a page that sits beside them.

A contributor filling ``data/templates/projects.csv`` needs to know that ``status`` takes ``sal:Underway`` (English
"underway", Spanish "en ejecución") and that ``located_in`` takes ``region-apurimac``. The page is generated from
the same layout the submission workbooks use (``kgtool.validation.workbook_layout``: the ontology's labels in
English and Spanish, the shapes' lists, the reference places), so it cannot drift from the ontology:
``python -m kgtool.validation.allowed_values > data/templates/ALLOWED-VALUES.md`` writes it, and a test checks
that the shipped page is what this module writes.
"""

from __future__ import annotations

from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import SALD
from kgtool.validation.workbook_layout import ColumnSpec, Layout, layout

HEADER = """# Allowed values of the CSV templates

Generated from the ontology, the shapes and the reference places by
`python -m kgtool.validation.allowed_values > data/templates/ALLOWED-VALUES.md`; do not edit by hand.
Write the value of the first column (a `sal:` term by its prefixed name, a place by its slug); `kgtool validate`
names the nearest allowed value when a cell holds something else (`Apurímac` → `region-apurimac`).
"""


def written(value: str) -> str:
    """A value as a CSV cell holds it: a record by its slug, a term by its prefixed name, a literal as it is."""
    if value.startswith(SALD):
        return value.removeprefix(SALD)
    return compact(value) if "://" in value else value


def markdown(sheets: Layout | None = None) -> str:
    """The page: per template, each column whose values are a closed list (and, once, the places)."""
    sheets = sheets or layout()
    lines = [HEADER]
    places: ColumnSpec | None = None
    place_columns: list[str] = []
    for sheet in sheets.sheets:
        columns = [c for c in sheet.columns if c.choices and c.cell != "place"]
        place_columns += [f"`{sheet.name}.csv` `{c.key}`" for c in sheet.columns if c.cell == "place"]
        places = places or next((c for c in sheet.columns if c.cell == "place"), None)
        if not columns:
            continue
        lines.append(f"## `{sheet.name}.csv` — {sheet.titles.get('en', '')} / {sheet.titles.get('es', '')}\n")
        for column in columns:
            lines += _column(column)
    if places is not None:
        lines.append("## Places\n")
        used_by = ", ".join(place_columns)
        lines.append(f"Known places (regions of Peru by INEI ubigeo, then countries), for {used_by}.\n")
        lines += _table(places)
    return "\n".join(lines).rstrip() + "\n"


def _column(column: ColumnSpec) -> list[str]:
    head = f"### `{column.key}` ({column.headers.get('en', column.key)} / {column.headers.get('es', column.key)})\n"
    if not any(choice.labels for choice in column.choices):  # codes (currencies): one line
        return [head, ", ".join(f"`{written(choice.value)}`" for choice in column.choices) + "\n"]
    return [head, *_table(column)]


def _table(column: ColumnSpec) -> list[str]:
    rows = ["| write | English | Spanish |", "|---|---|---|"]
    rows += [
        f"| `{written(choice.value)}` | {choice.labels.get('en', '')} | {choice.labels.get('es', '')} |"
        for choice in column.choices
    ]
    return [*rows, ""]


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
