"""Writes the example workbooks from the CSV examples beside this file, so that they are never edited by hand.

    python data/examples/workbooks.py     # rewrites water-alliance.xlsx and water-alliance-with-mistakes.xlsx

SYNTHETIC: every record is fictional (the CSV examples' synthetic water alliance). ``water-alliance.xlsx`` holds
the records as a contributor fills the workbook (labels picked from the drop-downs, typed numbers);
``water-alliance-with-mistakes.xlsx`` the same records with the mistakes contributors typically make, listed
below. The test suite checks that both files are what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORD_FILES = (
    "sources",
    "actors",
    "funds",
    "alliances",
    "partnerships",
    "legitimacy-attributions",
    "contributions",
    "projects",
)
BANNER = "SYNTHETIC EXAMPLE: fictional records made by kgtool's data/examples/workbooks.py; not real data."
#: (sheet, record ID, column, what the contributor wrote instead): the typical mistakes.
MISTAKES = (
    ("actors", "synthetic-district-municipality", "label_en", ""),  # no English name (a required column)
    ("actors", "synthetic-community-association", "label_es", ""),  # no Spanish name (recommended: a warning)
    (  # a misspelt ID: the partner is on the Actor sheet as synthetic-mining-company
        "alliances",
        "synthetic-water-alliance",
        "partners",
        "synthetic-community-association; synthetic-district-municipality; synthetic-mining-compny",
    ),
    ("contributions", "synthetic-contribution-2024", "currency", "soles"),  # not an ISO 4217 code ("PEN")
    ("contributions", "synthetic-contribution-2024", "period_end", "2023"),  # ends before it starts (2024)
    ("projects", "synthetic-water-project", "status", "sal:Finished"),  # "finished" at 40 % completion
    ("projects", "synthetic-water-project", "budget_amount", "S/ 250,000"),  # a currency sign and a separator
    ("legitimacy-attributions", "synthetic-water-alliance-social", "source", ""),  # no source (a warning)
)


def records(with_mistakes: bool = False) -> dict[str, list[dict[str, str]]]:
    """The CSV examples' rows by sheet, with the mistakes written in when asked."""
    from kgtool.validation.workbook_layout import layout
    from kgtool.validation.workbook_write import csv_records

    found = csv_records([HERE / f"{name}.csv" for name in RECORD_FILES], layout())
    if with_mistakes:
        for sheet, record, column, value in MISTAKES:
            row = next(row for row in found[sheet] if row["id"] == record)
            row[column] = value
    return found


def main(folder: Path = HERE) -> list[Path]:
    from kgtool.validation.workbook_write import write

    return [
        write(folder / name, "en", records(with_mistakes), banner=BANNER)
        for name, with_mistakes in (("water-alliance.xlsx", False), ("water-alliance-with-mistakes.xlsx", True))
    ]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
