"""``kgtool check``: the reasoner and the quality report.

For knowledge engineers: it tells at once whether a change made the ontology inconsistent, unsatisfiable or
sloppy. The library does the work (``kgtool.check``); this module parses options and renders.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from kgtool.choices import CHECK_FORMATS
from kgtool.cli.app import LangOption, OntologyOption, StoreOption, app, console, format_option, say_files, say_project
from kgtool.errors import DataProblem, UsageError


@app.command()
def check(
    ontology: OntologyOption = None,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            metavar="PATH",
            help="Data file or folder to reason over with the ontology, repeatable (default: the shipped data/)",
        ),
    ] = None,
    no_data: Annotated[bool, typer.Option("--no-data", help="Check the ontology alone, without data.")] = False,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warn, info or none")
    ] = "error",
    output_format: Annotated[str, format_option(CHECK_FORMATS, "table, tsv, json or markdown")] = "table",
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="A quality profile (LEVEL<TAB>rule lines) instead of the shipped one"),
    ] = None,
    no_reasoning: Annotated[
        bool, typer.Option("--no-reasoning", help="Run the quality rules only (no HermiT, no Java needed).")
    ] = False,
    materialize: Annotated[
        bool, typer.Option("--materialize", help="Write HermiT's inferences into the store's inferred graph.")
    ] = False,
    lang: LangOption = "en",
    store: StoreOption = None,
) -> None:
    """Check the ontology with its data: HermiT consistency and inferences, then the quality report."""
    from kgtool.check import run as checking

    fail_on = fail_on.lower()
    if fail_on not in checking.FAIL_ON:
        raise UsageError(f"--fail-on {fail_on!r}: use one of {', '.join(checking.FAIL_ON)}")
    if materialize and no_reasoning:
        raise UsageError("--materialize needs the reasoner: drop --no-reasoning")
    if no_data and data:
        raise UsageError("--no-data and --data exclude each other")
    machine = output_format != "table"  # stdout is a TSV, JSON or Markdown document: say what was read on stderr
    named = ontology is None or data is None  # the project's files are read: say which project
    if named and not machine:
        say_project()
    target = None
    if materialize:
        from kgtool.store import core as storage

        target = storage.store_path(store)
    # the store's lock before HermiT: a store in use refuses the command at once, not after the reasoning time
    with checking.locked_for_writing(target) if target is not None else nullcontext():
        report = checking.check(
            ontology, [] if no_data else data, reasoning=not no_reasoning, profile=profile, lang=lang
        )
        say_files(report.files, err=machine, project=named)
        _render(report, output_format, fail_on, lang)
        if target is not None and report.reasoning is not None and report.reasoning.consistent:
            written = checking.materialize(target, report.reasoning, locked=True)
            graph = checking.INFERRED_GRAPH
            done = {
                "en": f"Materialized {written} inferred triples into <{graph}> in {target}",
                "es": f"Se materializaron {written} tripletas inferidas en <{graph}> en {target}",
            }
            print(done.get(lang, done["en"]), file=sys.stderr)
    failing = report.failing(fail_on)
    if failing:
        raise DataProblem(
            f"check failed: {len(failing)} findings at or above {fail_on} (first: {failing[0].rule})",
            es=f"la comprobación falló: {len(failing)} hallazgos en el nivel {fail_on} o superior "
            f"(el primero: {failing[0].rule})",
        )


def _render(report, output_format: str, fail_on: str, lang: str = "en") -> None:
    from kgtool.check import render as check_render

    if output_format == "tsv":
        sys.stdout.write(check_render.to_tsv(report))
        return
    if output_format == "json":
        sys.stdout.write(check_render.to_json(report, fail_on) + "\n")
        return
    if output_format == "markdown":
        sys.stdout.write(check_render.to_markdown(report, fail_on, lang))
        return
    from rich.markup import escape
    from rich.table import Table

    out = console()
    said = check_render.words(lang)
    out.print(escape(check_render.reasoner_line(report, lang)), soft_wrap=True)
    for text in check_render.justification_lines(report, lang):
        out.print(escape(text), soft_wrap=True, highlight=False)
    if report.reasoning is not None and report.reasoning.consistent:
        for line in check_render.inference_lines(report.reasoning, report.labels, lang):
            out.print(f"  {said['inferred']}: " + escape(line), soft_wrap=True)
    if report.findings:
        table = Table(title=said["title"])
        for column in said["columns"]:
            table.add_column(column, overflow="fold")
        for finding in report.findings:
            table.add_row(*(escape(cell) for cell in check_render.cells(finding, report.labels)))
        out.print(table)
    out.print(escape(check_render.summary_line(report, fail_on, lang)), soft_wrap=True)
