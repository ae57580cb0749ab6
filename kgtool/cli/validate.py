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
from kgtool.cli.app import (
    EndpointOption,
    EngineOption,
    LangOption,
    StoreOption,
    TimeoutOption,
    app,
    cell_problems_listed,
    format_option,
    progress_bar,
)
from kgtool.errors import UsageError


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Record files: .xlsx workbooks, .csv templates, .ttl .nt .nq .trig .rdf/.xml/.owl .jsonld"),
    ] = None,
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
    endpoint: EndpointOption = None,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="With --endpoint: validate the records of this named graph (IRI) only"),
    ] = None,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Check records against the SHACL shapes and the ontology, and their references against the store; or,
    with --endpoint, a graph already on a SPARQL server (the compiled queries run there)."""
    from kgtool.validation import report as validation_report

    if endpoint is not None:
        report = _remote(files, endpoint, graph, timeout, store, engine, input_format)
    else:
        from kgtool import validation

        if graph is not None:
            raise UsageError("--graph needs --endpoint", es="--graph necesita --endpoint")
        if not files:
            raise UsageError(
                "Missing argument 'FILES...': give the record files, or --endpoint URL for a graph on a server",
                es="Falta el argumento 'FILES...': dé los archivos de registros, o --endpoint URL para un grafo "
                "en un servidor",
            )
        with cell_problems_listed(), progress_bar("validating", "records") as update:
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


def _remote(files, endpoint: str, graph: str | None, timeout: float, store, engine: str, input_format):
    """``--endpoint``: no files, no store, the compiled engine only."""
    from kgtool.validation.remote import validate_endpoint

    if files or store is not None or input_format is not None:
        raise UsageError(
            "--endpoint validates a graph on the server: give no files, --store or --input-format",
            es="--endpoint valida un grafo del servidor: no dé archivos, --store ni --input-format",
        )
    if engine != "compiled":
        raise UsageError("--endpoint runs the compiled engine only", es="--endpoint solo usa el motor compilado")
    return validate_endpoint(endpoint, graph, timeout=timeout)


def _reference_store(option: Path | None) -> Path | None:
    """The store to check references against: a named one (``--store``, ``$KGTOOL_STORE``) must exist; the
    default ``./.kgtool/store`` is used when it exists, else the project's data files stand in (None)."""
    from kgtool.store import core as storage

    target = storage.store_path(option)
    if option or os.environ.get(storage.STORE_ENV):
        return target
    return target if storage.exists(target) else None
