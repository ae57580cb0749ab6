"""``kgtool validate``: check submitted records against the shapes, the ontology and the knowledge graph.

Exit codes: 0 the records conform (warnings and infos alone do not fail), 1 at least one Violation, 2 an
unusable file or option (printed as one line by ``kgtool.cli``), 3 the store is locked or an explicitly named
store is missing. The report is rendered whole before anything is printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from kgtool.choices import VALIDATION_FORMATS
from kgtool.cli.app import EngineOption, LangOption, StoreOption, app, format_option, progress_bar


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Record files: .xlsx workbooks, .csv templates, .ttl .nt .nq .trig .rdf/.xml/.owl .jsonld"),
    ],
    output_format: Annotated[
        str, format_option(VALIDATION_FORMATS, "Report format: text, json, turtle, or html (a page to send back)")
    ] = "text",
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help="Read every file as this format (turtle, ntriples, nquads, trig, ...)"),
    ] = None,
    lang: LangOption = "en",
    store: StoreOption = None,
    engine: EngineOption = "compiled",
) -> None:
    """Check records against the SHACL shapes and the ontology, and their references against the store."""
    from kgtool import validation
    from kgtool.validation import report as validation_report

    with progress_bar("validating", "records") as update:
        reference = _reference_store(store)
        report = validation.validate(
            files, input_format=input_format, store_dir=reference, progress=update, engine=engine
        )
    if output_format == "html":
        from kgtool.validation.html import render_html

        sys.stdout.write(render_html(report, lang))
    else:
        sys.stdout.write(validation_report.render(report, output_format, lang))
    if not report.conforms:
        raise typer.Exit(1)


def _reference_store(option: Path | None) -> Path | None:
    """The store to check references against: a named one (``--store``, ``$KGTOOL_STORE``) must exist; the
    default ``./.kgtool/store`` is used when it exists, else the project's data files stand in (None)."""
    from kgtool.store import core as storage

    target = storage.store_path(option)
    if option or os.environ.get(storage.STORE_ENV):
        return target
    return target if storage.exists(target) else None
