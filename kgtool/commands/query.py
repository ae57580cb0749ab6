"""``kgtool query`` and ``kgtool queries``: the query catalog on the store."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kgtool.commands.app import LangOption, StoreOption, app, console
from kgtool.errors import UsageError


def _parse_params(params: list[str]) -> dict[str, str]:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"-p {item!r}: write parameters as -p name=value")
        values[name.strip()] = value
    return values


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A catalog query name (see `kgtool queries`) or a .rq file")],
    param: Annotated[list[str] | None, typer.Option("-p", "--param", help="Parameter as name=value")] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv, json (SPARQL results) or markdown")
    ] = "table",
    lang: LangOption = "en",
    store: StoreOption = None,
) -> None:
    """Run a catalog query (or a .rq file) on the store and print its rows."""
    from kgtool import catalog, queries, render
    from kgtool import store as storage

    if output_format not in render.FORMATS:
        raise UsageError(f"unknown format {output_format!r}; use one of: {', '.join(render.FORMATS)}")
    selected = catalog.resolve(name)
    values = _parse_params(param or [])
    if any(p.name == "lang" for p in selected.parameters):
        values.setdefault("lang", lang)
    target = storage.store_path(store)
    result = queries.run(target, selected, values)
    if output_format in ("csv", "tsv"):
        sys.stdout.write(render.to_delimited(result, "," if output_format == "csv" else "\t"))
        return
    if output_format == "json":
        sys.stdout.write(render.to_json(result) + "\n")
        return
    found = queries.labels(target, render.iris_in(result), lang)
    if output_format == "markdown":
        sys.stdout.write(render.to_markdown(result, found.get))
        return
    out = console()
    out.print(render.to_table(result, found.get, title=selected.summary or selected.name))
    out.print(f"{len(result.rows)} rows")


@app.command("queries")
def list_queries() -> None:
    """List the query catalog: names, summaries and parameters."""
    from rich.table import Table

    from kgtool import catalog

    table = Table(title="kgtool query catalog")
    for column in ("name", "summary", "parameters"):
        table.add_column(column, overflow="fold")
    for entry in catalog.catalog().values():
        params = ", ".join(
            f"{p.name}{'' if p.required else '?'}" + (f"={p.default}" if p.default else "") for p in entry.parameters
        )
        table.add_row(entry.name, entry.summary, params)
    console().print(table)
