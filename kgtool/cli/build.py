"""``kgtool build``: (re)create the embedded store, or restore it from an export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgtool.cli.app import StoreOption, app, console


@app.command()
def build(
    from_file: Annotated[
        Path | None, typer.Option("--from", help="Restore the whole store from a `kgtool export` file instead")
    ] = None,
    drop_submissions: Annotated[
        bool, typer.Option("--drop-submissions", help="Do not carry ingested submissions over to the new store")
    ] = False,
    store: StoreOption = None,
) -> None:
    """(Re)create the embedded store from the ontology, reference vocabularies and data/."""
    from kgtool.store import build as building
    from kgtool.store import core as storage

    target = storage.store_path(store)
    out = console()
    if from_file is not None:
        count = building.restore(target, from_file)
        out.print(f"Restored {target} from {from_file}: {count} quads.")
        return
    report = building.build(target, keep_submissions=not drop_submissions)
    for source, count in report.loaded:
        out.print(f"  {source.kind:<10} {count:>6} triples  {source.relative_path}", soft_wrap=True)
    if report.kept_triples:
        out.print(f"  {'kept':<10} {report.kept_triples:>6} triples  ingested submissions and their provenance")
    out.print(f"Built {target}: {report.total_triples} triples in {len(report.loaded)} named graphs.")
