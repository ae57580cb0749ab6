"""``kgtool build``: (re)create the embedded store, or restore it from an export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgtool.cli.app import StoreOption, app, console, say_project


@app.command()
def build(
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Restore the whole store from a `kgtool export` file instead")
    ] = None,
    drop_submissions: Annotated[
        bool, typer.Option("--drop-submissions", help="Do not carry ingested submissions over to the new store")
    ] = False,
    ontology: Annotated[
        Path | None,
        typer.Option("--ontology", metavar="DIR", help="Load this ontology folder (*.ttl) instead of the project's"),
    ] = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            metavar="PATH",
            help="Load this data folder (laid out like data/) or file instead of the project's data/, repeatable",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """(Re)create the embedded store from the project's ontology/ and data/ (and its reference vocabularies)."""
    from kgtool.store import build as building
    from kgtool.store import core as storage
    from kgtool.store import entailment

    target = storage.store_path(store)
    out = console()
    if from_file is not None:
        count = building.restore(target, from_file)
        out.print(f"Restored {target} from {from_file}: {count} quads.")
        return
    if not (ontology and data):
        say_project()
    sources = building.project_sources(ontology_dir=ontology, data_paths=data)
    report = building.build(target, sources, keep_submissions=not drop_submissions)
    for source, count in report.loaded:
        out.print(f"  {source.kind:<10} {count:>6} triples  {source.path.resolve()}", soft_wrap=True, highlight=False)
    if report.kept_triples:
        out.print(f"  {'kept':<10} {report.kept_triples:>6} triples  ingested submissions and their provenance")
    if report.entailed_triples:
        out.print(
            f"  {'entailed':<10} {report.entailed_triples:>6} triples  RDFS types and super-properties "
            f"(graph <{entailment.ENTAILED_GRAPH.value}>)",
            soft_wrap=True,
        )
    out.print(f"Built {target}: {report.total_triples} triples in {len(report.loaded)} named graphs.")
