"""The ``kgtool`` command line: parse options, call one library function, render the result.

Nothing here knows RDF. Library modules are imported inside each command so ``kgtool --help`` answers at
once; every ``KgtoolError`` becomes one line on stderr and its exit code in ``main`` (a traceback only with
``--debug``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kgtool.errors import KgtoolError, UsageError

app = typer.Typer(
    name="kgtool",
    help="Knowledge graph of actors, strategic alliances and legitimacy (Peru's Mining Social Fund).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Options that recur, defined once.
StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder [default: $KGTOOL_STORE or ./.kgtool/store]", show_default=False),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of labels: en or es")]
_debug = {"on": False}


@app.callback()
def _global(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    _debug["on"] = debug
    if version:
        from kgtool import __version__

        typer.echo(f"kgtool {__version__}")
        raise typer.Exit(0)


def _console():
    from rich.console import Console

    return Console()


@app.command()
def build(store: StoreOption = None) -> None:
    """(Re)create the embedded store from the ontology, reference vocabularies and data/."""
    from kgtool import build as building
    from kgtool import store as storage

    target = storage.store_path(store)
    report = building.build(target)
    console = _console()
    for source, count in report.loaded:
        console.print(f"  {source.kind:<10} {count:>6} triples  {source.relative_path}", soft_wrap=True)
    console.print(f"Built {target}: {report.total_triples} triples in {len(report.loaded)} named graphs.")


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
    console = _console()
    console.print(render.to_table(result, found.get, title=selected.summary or selected.name))
    console.print(f"{len(result.rows)} rows")


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
    _console().print(table)


def main() -> None:
    """Entry point: typer handles its own usage errors (exit 2); library errors become one line and a code."""
    try:
        app()  # standalone mode: exits by itself on success and on command-line usage errors
    except KgtoolError as error:
        if _debug["on"]:
            raise
        typer.echo(f"kgtool: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("kgtool: interrupted", err=True)
        sys.exit(130)
    except Exception as error:
        if _debug["on"]:
            raise
        typer.echo(f"kgtool: internal error: {type(error).__name__}: {error} (rerun with --debug)", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
