"""The ``kgtool`` command line: parse options, call one library function, render the result.

The commands live in ``kgtool.cli`` (one module per command group); this module only runs the app and is
the one place that turns an outcome into an exit code of the contract and at most one line on stderr:

- ``0`` success, ``1`` the data or ontology has problems, ``2`` unusable input or usage, ``3`` a backend is
  unavailable — nothing else, whatever happens (a traceback only with ``--debug``);
- a ``KgtoolError`` is its own line and code; a usage error of the command line (a missing argument, an
  unknown option) is one line that names the command's ``--help`` (typer would draw a box of 5–6 lines);
- an interrupt (Ctrl-C) is exit 3: the work was not done, and may be run again;
- a reader that closed the pipe kgtool writes to (``kgtool query ... | head``) is exit 3 without a line: the
  output was cut where the reader chose, as a program killed by SIGPIPE ends; never 1 (typer's code for it),
  which the contract keeps for data with problems;
- anything unexpected (a bug, memory exhausted) is exit 3 with one line asking for a report: kgtool did not
  finish, and neither the input nor the data were found at fault.
"""

from __future__ import annotations

import contextlib
import os
import sys

import typer

from kgtool.cli import (  # noqa: F401  (registration)
    build,
    check,
    coercion,
    docs,
    ingest,
    push,
    query,
    report,
    schema,
    serve,
    template,
    validate,
)
from kgtool.cli.app import DEBUG, LANGUAGE, app
from kgtool.errors import KgtoolError

#: The exit code of anything kgtool did not expect, and of an interrupt: the work was not done (see above).
UNFINISHED = 3


def main(args: list[str] | None = None) -> None:
    """Entry point: run the command, then exit with a code of the contract and at most one line on stderr."""
    ClickException, NoArgsIsHelpError = _click_errors()
    command = typer.main.get_command(app)
    coercion.install(command)  # texts and paths converted without importing pydantic (``kgtool.cli.coercion``)
    try:
        code = command.main(args=args, prog_name="kgtool", standalone_mode=False)
    except BrokenPipeError:
        _reader_gone()
    except SystemExit:
        if _pacified():  # typer turned a closed pipe into exit 1 (``typer.core._main``)
            _reader_gone()
        raise
    except NoArgsIsHelpError as error:  # `kgtool` alone: the help, as before
        typer.echo(error.ctx.get_help())
        code = 2
    except ClickException as error:
        _fail(_usage_line(error), 2)
    except KgtoolError as error:
        if DEBUG["on"]:
            raise
        _fail(f"kgtool: error: {error.in_language(LANGUAGE['lang'])}", error.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _fail("kgtool: interrupted: the command did not finish", UNFINISHED)
    except Exception as error:
        if DEBUG["on"]:
            raise
        _fail(describe_unexpected(error), UNFINISHED)
    sys.exit(exit_code(code))


def exit_code(code: object) -> int:
    """The contract's code for what a command returned or exited with: None and 0 are success; 130 (typer's
    code for Ctrl-C) and anything else outside 0–3 mean the work did not finish."""
    if code is None:
        return 0
    if isinstance(code, int) and 0 <= code <= 3:
        return code
    if code == 130:
        typer.echo("kgtool: interrupted: the command did not finish", err=True)
    return UNFINISHED


def describe_unexpected(error: BaseException) -> str:
    """One line for an error kgtool did not expect: what it was, and how to see more and report it."""
    if isinstance(error, MemoryError):
        return "kgtool: error: not enough memory to finish (see the limits in SECURITY.md)"
    text = " ".join(str(error).split())[:300]
    return f"kgtool: internal error: {type(error).__name__}: {text} (rerun with --debug; please report it)"


def _click_errors() -> tuple[type[Exception], type[Exception]]:
    """Click's usage-error classes: typer vendors click since 0.2x (``typer._click``); before, it used click."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover  (typer < 0.2x)
        from click import exceptions
    return exceptions.ClickException, getattr(exceptions, "NoArgsIsHelpError", exceptions.ClickException)


def _usage_line(error) -> str:
    """A command-line usage error as one line: the problem and where the help is."""
    message = " ".join(error.format_message().split())
    context = getattr(error, "ctx", None)
    where = f" (see `{context.command_path} --help`)" if context is not None else ""
    return f"kgtool: error: {message}{where}"


def _pacified() -> bool:
    """Whether typer found the reader of standard output gone: it then wraps the streams to keep them quiet."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _reader_gone() -> None:
    """Exit 3 without a line when the reader of standard output has gone; what is still buffered goes nowhere
    (Python would otherwise print "Exception ignored ... BrokenPipeError" when it flushes at exit)."""
    with contextlib.suppress(OSError, ValueError):  # no descriptor behind standard output: nothing to quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(UNFINISHED)


def _fail(line: str, code: int) -> None:
    typer.echo(" ".join(line.split()), err=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
