"""The typer application and the options that recur across commands, defined once.

Command modules in ``kgtool.commands`` register themselves on ``app``; they import library modules inside
each command so that ``kgtool --help`` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="kgtool",
    help="Knowledge graph of actors, strategic alliances and legitimacy (Peru's Mining Social Fund).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder \\[default: $KGTOOL_STORE or ./.kgtool/store]", show_default=False),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of labels and messages: en or es")]
EndpointOption = Annotated[
    str | None, typer.Option("--endpoint", help="A SPARQL 1.1 query endpoint URL instead of the embedded store")
]
DEBUG = {"on": False}


@app.callback()
def _global(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    DEBUG["on"] = debug
    if version:
        from kgtool import __version__

        typer.echo(f"kgtool {__version__}")
        raise typer.Exit(0)


def console():
    """A rich Console (imported lazily)."""
    from rich.console import Console

    return Console()
