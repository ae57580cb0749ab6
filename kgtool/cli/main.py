"""The ``kgtool`` command line: parse options, call one library function, render the result.

The commands live in ``kgtool.cli`` (one module per command group); this module only runs the app and is
the one place that turns a ``KgtoolError`` into one line on stderr and its exit code (a traceback only
with ``--debug``).
"""

from __future__ import annotations

import sys

import typer

from kgtool.cli import build, check, docs, ingest, push, query, report, serve, validate  # noqa: F401  (registration)
from kgtool.cli.app import DEBUG, LANGUAGE, app
from kgtool.errors import KgtoolError


def main() -> None:
    """Entry point: typer handles its own usage errors (exit 2); library errors become one line and a code."""
    try:
        app()  # standalone mode: exits by itself on success and on command-line usage errors
    except KgtoolError as error:
        if DEBUG["on"]:
            raise
        typer.echo(f"kgtool: error: {error.in_language(LANGUAGE['lang'])}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("kgtool: interrupted", err=True)
        sys.exit(130)
    except Exception as error:
        if DEBUG["on"]:
            raise
        typer.echo(f"kgtool: internal error: {type(error).__name__}: {error} (rerun with --debug)", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
