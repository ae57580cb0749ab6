"""``kgtool ingest``, ``submissions``, ``retract`` and ``export``: growing the knowledge graph safely.

``ingest`` prints the same report as ``kgtool validate`` and exits 1 without writing anything when a record
violates a shape; otherwise it stores the submission as one named graph, with its provenance, and prints its id.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kgtool.cli.app import EngineOption, LangOption, StoreOption, app, cell_problems_listed, console, progress_bar


@app.command()
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(help="Record files: workbooks (.xlsx), CSV templates or RDF (.ttl .nt .nq .trig .rdf .jsonld)"),
    ],
    submitter: Annotated[str, typer.Option("--submitter", help="Who sent the records (person or organization)")],
    message: Annotated[str, typer.Option("--message", "-m", help="What the submission is")] = "",
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Read every RDF file as this format (turtle, nquads, ...)")
    ] = None,
    lang: LangOption = "en",
    store: StoreOption = None,
    engine: EngineOption = "compiled",
) -> None:
    """Validate a submission and, if nothing violates, store it as one named graph with its provenance."""
    from kgtool.errors import UsageError
    from kgtool.store import core as storage
    from kgtool.validation import ingest as ingesting
    from kgtool.validation import report as validation_report

    if not submitter.strip():
        raise UsageError("--submitter must name who sent the records")
    with cell_problems_listed(), progress_bar("validating", "records") as update:
        result = ingesting.ingest(
            storage.store_path(store), files, submitter.strip(), message, input_format, update, engine=engine
        )
    out = console()
    if result.stored is not None:
        earlier = result.stored
        out.print(
            f"Already in the store: submission {earlier.id}, the same files, ingested {earlier.time} by "
            f"{earlier.submitter}; nothing validated or written.",
            highlight=False,
            soft_wrap=True,
        )
        return
    sys.stdout.write(validation_report.render(result.report, "text", lang))
    if not result.accepted:
        out.print(f"Not ingested: nothing was written (submission {result.submission_id}).")
        raise typer.Exit(1)
    if result.already_present:
        out.print(f"Already in the store: submission {result.submission_id} (identical content); nothing written.")
        return
    out.print(f"Ingested submission {result.submission_id}: {result.triples} triples.")
    if result.after_retracted:
        earlier = result.after_retracted
        out.print(
            f"The same content was sent before as retracted submission {earlier.id} (retracted {earlier.retracted}); "
            f"this is a new submission with its own id.",
            soft_wrap=True,
            highlight=False,
        )


@app.command()
def submissions(store: StoreOption = None) -> None:
    """List the submissions: id, time, size, submitter, message, and when retracted."""
    from kgtool.store import core as storage
    from kgtool.store import submissions as recorded

    listed = recorded.listing(storage.store_path(store))
    # One submission per block, its id first on its line: an id is copied whole (`kgtool retract ID`), so it is
    # never wrapped, at any terminal width; the free texts (submitter, message) follow on their own lines.
    for entry in listed:
        typer.echo(
            f"{entry.id}  {entry.time}  {entry.triples:>7} triples  {'retracted' if entry.retracted else 'in force'}"
        )
        typer.echo(f"    by {entry.submitter}" + (f": {entry.message}" if entry.message else ""))
        if entry.retracted:
            typer.echo(f"    retracted at {entry.retracted}")
    typer.echo(f"{len(listed)} submissions, {sum(1 for e in listed if not e.retracted)} in force")


@app.command()
def retract(
    submission_id: Annotated[
        str, typer.Argument(help="The submission's id (see `kgtool submissions`), or enough of its start to be unique")
    ],
    store: StoreOption = None,
) -> None:
    """Remove a submission's records from the store; its history stays in the metadata."""
    from kgtool.store import core as storage
    from kgtool.store import submissions as recorded

    entry = recorded.retract(storage.store_path(store), submission_id)
    console().print(f"Retracted submission {entry.id} ({entry.triples} triples from {entry.submitter}).")


@app.command()
def export(
    output_format: Annotated[str, typer.Option("--format", "-f", help="trig or nquads")] = "trig",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; - or none: standard output")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Write the whole store, every named graph, as a backup that `kgtool build --from FILE` restores."""
    from kgtool.store import backup
    from kgtool.store import core as storage

    count = backup.export(storage.store_path(store), output, output_format)
    if output is not None and str(output) != "-":
        console().print(f"Exported {count} quads to {output}.")
