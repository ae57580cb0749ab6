"""The ``kgtool`` command line: ``kgtool.cli.app`` holds the typer app and the shared options, one module per
command group registers its commands on it, and ``kgtool.cli.main`` runs it.

``main`` is imported lazily here, so that ``kgtool.cli.app`` can be imported by the command modules without
first importing them all.
"""


def main() -> None:
    """The ``kgtool`` entry point (``[project.scripts]``)."""
    from kgtool.cli.main import main as run

    run()
