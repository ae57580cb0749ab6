"""``kgtool docs``: the offline documentation site (the library does the work in ``kgtool.docs``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgtool.cli.app import OntologyOption, app, say_files, say_project


@app.command()
def docs(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the HTML site to (created if missing)")],
    ontology: OntologyOption = None,
    shapes: Annotated[
        Path | None, typer.Option("--shapes", help="Folder of SHACL shapes (*.ttl) (default: the shipped shapes/)")
    ] = None,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="Folder of catalog queries (*.rq) (default: the shipped queries/)")
    ] = None,
) -> None:
    """Write the offline HTML documentation: ontology (pyLODE), vocabularies, shapes, query catalog, quality rules."""
    from kgtool.docs import site as documentation

    if ontology is None or shapes is None or queries is None:
        say_project()
    site = documentation.build_site(out, ontology_path=ontology, shapes_dir=shapes, queries_dir=queries)
    say_files(site.sources)
    for page in site.pages:
        typer.echo(f"  {page.relative_to(site.root)}")
    typer.echo(f"Wrote {len(site.pages)} pages to {site.root}; open {site.root / 'index.html'}")
