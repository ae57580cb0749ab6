"""``kgtool build``: (re)create the embedded store."""

from __future__ import annotations

from kgtool.commands.app import StoreOption, app, console


@app.command()
def build(store: StoreOption = None) -> None:
    """(Re)create the embedded store from the ontology, reference vocabularies and data/."""
    from kgtool import build as building
    from kgtool import store as storage

    target = storage.store_path(store)
    report = building.build(target)
    out = console()
    for source, count in report.loaded:
        out.print(f"  {source.kind:<10} {count:>6} triples  {source.relative_path}", soft_wrap=True)
    out.print(f"Built {target}: {report.total_triples} triples in {len(report.loaded)} named graphs.")
