"""``kgtool serve``: the store as a SPARQL endpoint with a query editor, until Ctrl-C."""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool.cli.app import AllowServiceOption, StoreOption, app, console


@app.command()
def serve(
    bind: Annotated[
        str, typer.Option("--bind", help="HOST:PORT to listen on (loopback by default)")
    ] = "127.0.0.1:7878",
    writable: Annotated[bool, typer.Option("--writable", help="Accept SPARQL Update and Graph Store writes")] = False,
    allow_service: AllowServiceOption = None,
    store: StoreOption = None,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint (read-only by default) with the YASGUI query editor."""
    import time

    from kgtool.sparql import serving
    from kgtool.sparql.guard import Policy
    from kgtool.store import core as storage

    out = console()
    target = storage.store_path(store)
    for warning in serving.bind_warnings(serving.parse_bind(bind), writable):
        typer.echo(f"kgtool: warning: {warning}", err=True)
    _stop_on_signals()
    try:
        with serving.running(target, bind, writable, Policy.allowing(allow_service)) as endpoint:
            mode = "read-write" if writable else "read-only"
            out.print(f"Serving {target} ({mode}) at {endpoint.base}/ (SPARQL: {endpoint.query_url})", soft_wrap=True)
            out.print("Press Ctrl-C to stop.")
            while True:  # short sleeps: a signal the kernel hands to a request thread is acted on within 0.5 s
                time.sleep(0.5)
    except KeyboardInterrupt:  # Ctrl-C at any moment: the server is stopped by running()'s exit
        out.print("Stopped.")


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM both stop the server cleanly.

    A process started in the background by a non-interactive shell inherits SIGINT as ignored, and Python then
    never raises KeyboardInterrupt; a server started that way (a script, a CI job, a service manager sending
    SIGTERM) must still stop when asked, and release the store.
    """
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
