"""``kgtool report``: the strategy x legitimacy heatmap, the alliance network and the alliance cards, as one page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kgtool.cli.app import EndpointOption, LangOption, StoreOption, TimeoutOption, app, console


@app.command()
def report(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="The HTML file to write (replaced whole); - for standard output", show_default=False
        ),
    ],
    lang: LangOption = "en",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    timeout: TimeoutOption = 60.0,
) -> None:
    """Write a self-contained HTML report: heatmap, gaps and crossovers, network, alliance cards, Table 1."""
    from kgtool.report.generate import write_report

    written = write_report(out, store_dir=store, endpoint=endpoint, lang=lang, timeout=timeout)
    if str(out) == "-":
        return  # standard output holds the page and nothing else
    alliances = len(written.report.cards)
    size = written.size // 1024 + 1
    done = {
        "en": f"Wrote {written.path} ({size} KB): {alliances} alliances. Open it in a web browser.",
        "es": f"Se escribió {written.path} ({size} KB): {alliances} alianzas. Ábralo en un navegador web.",
    }
    console().print(done.get(lang, done["en"]), soft_wrap=True, highlight=False)
