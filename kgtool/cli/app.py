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

from kgtool.choices import LANGUAGES
from kgtool.errors import UsageError

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
#: What each kind of choice is called in the one-line error: English, Spanish.
_WHAT = {"format": ("unknown format", "formato desconocido"), "language": ("unknown language", "idioma desconocido")}


def choice(allowed: tuple[str, ...], what: str = "format") -> Callable[[str], str]:
    """An option callback that accepts one of ``allowed`` and refuses anything else with kgtool's one-line
    usage error (exit 2), e.g. ``unknown format 'xml'; use one of: table, csv``: every command's choices are
    checked by this one rule, against the values declared in ``kgtool.choices``."""

    def check(value: str) -> str:
        if value not in allowed:
            en, es = _WHAT[what]
            listed = {"en": " or ".join(allowed), "es": " o ".join(allowed)}
            if len(allowed) > 2:
                listed = {"en": "one of: " + ", ".join(allowed), "es": "uno de: " + ", ".join(allowed)}
            raise UsageError(f"{en} {value!r}; use {listed['en']}", es=f"{es} {value!r}; use {listed['es']}")
        return value

    return check


def _language(value: str) -> str:
    """--lang: one of ``LANGUAGES``, remembered so that the one-line error at exit speaks it."""
    LANGUAGE["lang"] = choice(LANGUAGES, "language")(value)
    return value


#: --lang is eager: read before the other options, so that their errors already speak it.
LangOption = Annotated[
    str,
    typer.Option("--lang", help="Language of labels and messages: en or es", callback=_language, is_eager=True),
]


def format_option(allowed: tuple[str, ...], help_text: str) -> typer.models.OptionInfo:
    """``--format``/``-f``, checked against ``allowed`` (one of the tuples of ``kgtool.choices``)."""
    return typer.Option("--format", "-f", help=help_text, callback=choice(allowed))


EndpointOption = Annotated[
    str | None, typer.Option("--endpoint", help="A SPARQL 1.1 query endpoint URL instead of the embedded store")
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds a SPARQL endpoint may take to answer one request")
]
AllowServiceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-service",
        metavar="HOST",
        help="A host that SPARQL SERVICE may call (repeatable); without it, SERVICE is refused",
    ),
]
OntologyOption = Annotated[
    Path | None,
    typer.Option("--ontology", help="Ontology folder (its sal.ttl) or file (default: the shipped ontology/)"),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="SHACL engine: compiled (SHACL as SPARQL queries on one store) or pyshacl (the reference); same report",
    ),
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
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            metavar="DIR",
            help="The project folder to work on (its ontology/, data/, shapes/, queries/) "
            "\\[default: $KGTOOL_PROJECT, else the project folder you are in, else the installed copy]",
            show_default=False,
        ),
    ] = None,
) -> None:
    DEBUG["on"] = debug
    if debug:  # also say what the engines do (the compiled engine: each query's time, shapes left to pySHACL)
        import logging

        logging.basicConfig(format="kgtool: %(message)s")
        logging.getLogger("kgtool").setLevel(logging.DEBUG)
    if project is not None:
        from kgtool.rdf import resources

        resources.use_project(project)


def say_project() -> None:
    """Tell the user which project's files the command reads, and how it was chosen (first on standard output)."""
    from kgtool.rdf import resources

    typer.echo(resources.project().describe())


def say_files(files, err: bool = False, project: bool = False) -> None:
    """List the files a command read, with absolute paths: what was checked is never a guess. On standard output
    one per line; on stderr (when standard output carries a TSV or JSON document) one line, with the project."""
    shown = [str(Path(path).resolve()) if isinstance(path, Path) else str(path) for path in files]
    if not err:
        for path in shown:
            typer.echo(f"  read {path}")
        return
    from kgtool.rdf import resources

    head = f"kgtool: {resources.project().describe()}; " if project else "kgtool: "
    typer.echo(head + "read " + ", ".join(shown), err=True)


@contextmanager
def cell_problems_listed() -> Iterator[None]:
    """Every bad cell of the CSV templates on its own line of standard output, then the one-line error (exit 2):
    a contributor fixes them all after one run, and stderr keeps its one line. (The CSV reader is imported only
    when an input error is raised: an RDF submission does without it.)"""
    from kgtool.errors import InputError

    try:
        yield
    except InputError as problems:
        from kgtool.validation.csv_templates import CellProblems

        if not isinstance(problems, CellProblems) or len(problems.lines) == 1:
            raise
        for line in problems.lines:
            typer.echo(line)
        count = len(problems.lines)
        raise InputError(
            f"{count} problems in the CSV templates, each on its line above (FILE:ROW:COLUMN)",
            es=f"{count} problemas en las plantillas CSV, cada uno en su línea arriba (ARCHIVO:FILA:COLUMNA)",
        ) from None


def console():
    """A rich Console (imported lazily) that leaves a closed pipe to ``kgtool.cli.main``: rich's own handling
    exits 1, the contract's code for data with problems (its documented way to change that is this subclass)."""
    from rich.console import Console

    class PipedConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return PipedConsole()


@contextmanager
def progress_bar(description: str, unit: str) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr for long work, as ``update(done, total)``; silent when stderr is not a terminal
    (a pipe or a CI log gets the result, not the animation) and gone once the work ends. Off a terminal, rich's
    progress module is not even imported (~10 ms: a tenth of what an ingest of a hundred records may take)."""
    from rich.console import Console

    errors = Console(stderr=True)
    if not errors.is_terminal:
        yield lambda done, total, label=None: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn(unit))
    shown = Progress(*columns, TimeRemainingColumn(), console=errors, transient=True)
    with shown as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int, label: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=label or description)

        yield update
