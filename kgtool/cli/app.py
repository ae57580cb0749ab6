"""The typer application and the options that recur across commands, defined once.

Command modules in ``kgtool.cli`` register themselves on ``app``; they import library modules inside
each command so that ``kgtool --help`` answers at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
#: The language the running command speaks (its --lang): the one-line error at exit is shown in it.
LANGUAGE = {"lang": "en"}


def _remember_language(value: str) -> str:
    LANGUAGE["lang"] = value
    return value


LangOption = Annotated[
    str, typer.Option("--lang", help="Language of labels and messages: en or es", callback=_remember_language)
]
EndpointOption = Annotated[
    str | None, typer.Option("--endpoint", help="A SPARQL 1.1 query endpoint URL instead of the embedded store")
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds a SPARQL endpoint may take to answer one request")
]
OntologyOption = Annotated[
    Path | None,
    typer.Option("--ontology", help="Ontology folder (its sal.ttl) or file (default: the shipped ontology/)"),
]
DEBUG = {"on": False}


def _print_version(wanted: bool) -> None:
    """``--version``: eager, so that it answers before typer asks for a command."""
    if wanted:
        from kgtool import __version__

        typer.echo(f"kgtool {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_print_version)
    ] = False,
) -> None:
    DEBUG["on"] = debug


def console():
    """A rich Console (imported lazily)."""
    from rich.console import Console

    return Console()


@contextmanager
def progress_bar(description: str, unit: str) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr for long work, as ``update(done, total)``; silent when stderr is not a terminal
    (a pipe or a CI log gets the result, not the animation) and gone once the work ends."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    errors = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit))
    shown = Progress(*columns, TimeRemainingColumn(), console=errors, transient=True, disable=not errors.is_terminal)
    with shown as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int, label: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=label or description)

        yield update
