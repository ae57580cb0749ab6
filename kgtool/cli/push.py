"""``kgtool push``: copy the store's named graphs to a SPARQL server."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool.cli.app import StoreOption, TimeoutOption, app, console, progress_bar


@app.command()
def push(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="The server's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query")
    ],
    update_endpoint: Annotated[
        str | None,
        typer.Option("--update-endpoint", help="Its SPARQL Update endpoint (derived for Oxigraph, Virtuoso, Fuseki)"),
    ] = None,
    graph_store: Annotated[
        str | None,
        typer.Option("--graph-store", help="Its Graph Store Protocol service (derived for Oxigraph, Virtuoso, Fuseki)"),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Triples per SPARQL Update request (without Graph Store Protocol)")
    ] = 2000,
    timeout: TimeoutOption = 60.0,
    store: StoreOption = None,
) -> None:
    """Copy every named graph of the store to a SPARQL server, replacing the server's graphs of the same name.

    Credentials come from $KGTOOL_ENDPOINT_USER and $KGTOOL_ENDPOINT_PASSWORD, or ~/.netrc. The server's other
    graphs are left alone; whatever the server's default graph is, catalog queries sent to it name the graphs they
    read.
    """
    from kgtool.sparql import push as pushing
    from kgtool.store import core as storage

    target = storage.store_path(store)
    to = pushing.targets(endpoint, update_endpoint, graph_store)
    with progress_bar("pushing", "triples") as update:

        def advance(graph: str, sent: int, total: int) -> None:
            update(sent, total, graph.rsplit("/", 1)[-1])

        report = pushing.push(target, to, timeout=timeout, batch_size=batch_size, progress=advance)
    out = console()
    out.print(
        f"Pushed {len(report.graphs)} named graphs ({report.total_triples} triples) from {target} to "
        f"{to.query} by {report.method}; the server holds them all.",
        soft_wrap=True,
        highlight=False,
    )
