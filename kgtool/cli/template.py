"""``kgtool template``: the submission workbook (.xlsx) a data steward sends to contributors.

One sheet per record type (the CSV templates of ``data/templates/``), headers in English and Spanish, drop-down
lists of the ontology's closed vocabularies, regions with their INEI ubigeo code, references to other sheets as
drop-downs of their IDs, typed number and year cells, required columns marked, an instructions sheet: all made
from the ontology, the shapes and the templates (``kgtool.validation.workbook_*``). Filled CSV templates given as
arguments are put into it, as a person would have typed them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgtool.cli.app import LangOption, app, console


@app.command()
def template(
    out: Annotated[Path, typer.Option("--out", "-o", help="The workbook to write (.xlsx; - for standard output)")],
    records: Annotated[
        list[Path] | None, typer.Argument(help="Filled CSV templates whose records go into the workbook")
    ] = None,
    lang: LangOption = "en",
) -> None:
    """Write a submission workbook for contributors: one sheet per record type, the ontology's choices built in."""
    from kgtool.validation import workbook_layout, workbook_write

    sheets = workbook_layout.layout()
    filled = workbook_write.csv_records(records or [], sheets)
    workbook_write.write(out, lang, filled, sheets)
    titles = ", ".join(sheet.title(lang) for sheet in sheets.sheets)
    count = sum(len(rows) for rows in filled.values())
    said = f"Wrote {out}: {len(sheets.sheets)} sheets ({titles})" + (f", {count} records." if count else ".")
    if str(out) == "-":  # the workbook is on standard output: the note goes to standard error
        typer.echo(said, err=True)
    else:
        console().print(said)
