"""``kgtool query`` and ``kgtool queries``: the query catalog, on the store or on a SPARQL endpoint."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kgtool.choices import LISTING_FORMATS, QUERY_FORMATS
from kgtool.cli.app import (
    AllowServiceOption,
    EndpointOption,
    LangOption,
    StoreOption,
    TimeoutOption,
    app,
    console,
    format_option,
)
from kgtool.errors import UsageError
from kgtool.files import STDOUT, reported

if TYPE_CHECKING:
    from kgtool.sparql.catalog import Parameter

#: Rows the table format shows unless told otherwise (``--limit``, ``--all``): a page, not 70,000 rows.
PAGE = 50


def _parse_params(params: list[str]) -> dict[str, str]:
    """``["name=value", ...]`` as a dict; a malformed or repeated name is a usage error."""
    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(
                f"-p {item!r}: write parameters as -p name=value", es=f"-p {item!r}: escriba -p nombre=valor"
            )
        if name.strip() in values:
            raise UsageError(f"-p {name.strip()}: given twice", es=f"-p {name.strip()}: dado dos veces")
        values[name.strip()] = value
    return values


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A catalog query name (see `kgtool queries`) or a .rq file")],
    param: Annotated[list[str] | None, typer.Option("-p", "--param", help="Parameter as name=value")] = None,
    output_format: Annotated[
        str, format_option(QUERY_FORMATS, "table, csv, tsv, json (SPARQL results) or markdown")
    ] = "table",
    lang: LangOption = "en",
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    timeout: TimeoutOption = 60.0,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=0, help=f"At most N rows (the table shows {PAGE} unless --limit or --all)"),
    ] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip the first N rows")] = 0,
    show_all: Annotated[bool, typer.Option("--all", help="The table shows every row, not one page")] = False,
    show_query: Annotated[
        bool, typer.Option("--show-query", help="Print the SPARQL with its parameters bound, and do not run it")
    ] = False,
    allow_service: AllowServiceOption = None,
) -> None:
    """Run a catalog query (or a .rq file) on the store or a SPARQL endpoint and print its rows."""
    from kgtool.sparql import catalog, queries
    from kgtool.sparql.guard import Policy

    if store and endpoint:
        raise UsageError("give --store or --endpoint, not both", es="dé --store o --endpoint, no ambos")
    selected = catalog.resolve(name)
    values = _parse_params(param or [])
    if any(p.name == "lang" for p in selected.parameters):
        values.setdefault("lang", lang)
    policy = Policy.allowing(allow_service)
    if show_query:
        from kgtool.sparql.remote import with_prefixes

        sys.stdout.write(with_prefixes(queries.prepare(selected, values, policy)).rstrip() + "\n")
        return
    if show_all and limit is not None:
        raise UsageError("give --limit or --all, not both", es="dé --limit o --all, no ambos")
    if output_format == "table" and not show_all and limit is None:
        limit = PAGE
    whole = output_format in ("csv", "tsv", "json") and (offset, limit) == (0, None) and not endpoint
    with reported(STDOUT, "the answer"):  # a full disk is one line (exit 2), as for every file kgtool writes
        _answer(selected, values, store, endpoint, timeout, lang, policy, output_format, whole, offset, limit)
        sys.stdout.flush()  # what is still buffered fails here, inside, rather than at exit


def _answer(selected, values, store, endpoint, timeout, lang, policy, output_format, whole, offset, limit) -> None:
    """Write the answer to standard output: a kept copy, the whole listing as it streams, or one page."""
    from kgtool.sparql import backends, paging, queries, render, words

    if whole and _copied(selected, values, store, output_format, policy):
        return
    with backends.connect(store, endpoint, timeout) as backend:
        text = _checked(backend, selected, values, lang, policy)
        running, lists = queries.list_columns(text)  # list cells and booleans alike on every engine
        if whole:
            from kgtool.sparql import streaming  # every row written as it is read, list cells sorted per row

            sys.stdout.flush()
            streaming.write(backend, running, output_format, sys.stdout.buffer, lists)
            sys.stdout.buffer.flush()
            return
        page = paging.window(backend, running, offset, limit, lists)
        result = queries.normalized(page.result, lists)
        if output_format in ("csv", "tsv"):
            sys.stdout.write(render.to_delimited(result, "," if output_format == "csv" else "\t"))
            return
        if output_format == "json":
            sys.stdout.write(render.to_json(result) + "\n")
            return
        found = queries.labels(backend, render.iris_in(result), lang)
    reading = render.Reading(found.get, lang, selected.headers_es)
    if output_format == "markdown":
        sys.stdout.write(render.to_markdown(result, reading))
        return
    out = console()
    out.print(render.to_view(result, reading, selected.summary_in(lang) or selected.name, out.width))
    if page.complete:
        out.print(words.row_count(page.total, lang))
    else:
        out.print(words.page_note(page.offset, len(result.rows), page.total, lang), highlight=False)


def _copied(selected, values: dict[str, str], store, output_format: str, policy) -> bool:
    """Whether a listing kept on the store as it is now was copied to standard output, before the store is opened
    (``kgtool.sparql.listings``); tried only when nothing needs the store first: a catalog query without IRI
    parameters (``_checked`` looks those up, and the unknown terms of one's own file)."""
    from kgtool.sparql import listings, queries
    from kgtool.store.core import store_path

    if _own_file(selected) or any(p.kind == "iri" and values.get(p.name, "").strip() for p in selected.parameters):
        return False
    running, lists = queries.list_columns(queries.prepare(selected, values, policy))
    sys.stdout.flush()
    done = listings.copied(store_path(store), running, output_format, lists, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return done


def _own_file(selected) -> bool:
    """Whether the query is a user's own .rq file, not one of the catalog's."""
    from kgtool.sparql import catalog

    return selected.path.parent.resolve() != catalog.catalog_folder().resolve()


def _checked(backend, selected, values: dict[str, str], lang: str, policy) -> str:
    """The query ready to run, once its IRI parameters are known terms of the right class (plain words read as the
    term they name) and, for one's own file, once its unknown terms are pointed out (on stderr)."""
    from kgtool.sparql import queries
    from kgtool.sparql import terms as query_terms

    values, readings = query_terms.check_parameters(backend, selected, values, lang)
    notes = [reading.note() for reading in readings]
    text = queries.prepare(selected, values, policy)
    if _own_file(selected):
        notes += [f"warning: {warning}" for warning in query_terms.unknown_terms(backend, selected, lang)]
    if notes:  # one line on stderr, however many notes
        typer.echo("kgtool: " + "; ".join(notes), err=True)
    return text


#: The words of `kgtool queries` in English and Spanish.
_LISTING = {
    "en": {
        "title": "kgtool query catalog",
        "name": "name",
        "summary": "summary",
        "parameters": "parameters",
        "tags": "tags",
        "required": "required",
    },
    "es": {
        "title": "catálogo de consultas de kgtool",
        "name": "nombre",
        "summary": "resumen",
        "parameters": "parámetros",
        "tags": "etiquetas",
        "required": "obligatorio",
    },
}


def _describe(parameter: Parameter, lang: str = "en") -> str:
    """``actor (IRI, required)``, ``lang = en``, ``region (IRI)``: a parameter as `kgtool queries` lists it."""
    kind = "IRI" if parameter.kind == "iri" else parameter.kind
    if parameter.required:
        return f"{parameter.name} ({kind}, {_LISTING.get(lang, _LISTING['en'])['required']})"
    if parameter.default is not None:
        return f"{parameter.name} = {parameter.default}"
    return f"{parameter.name} ({kind})"


@app.command("queries")
def list_queries(
    name: Annotated[str | None, typer.Argument(help="Show one query in full: description and parameters")] = None,
    output_format: Annotated[str, format_option(LISTING_FORMATS, "table or json")] = "table",
    lang: LangOption = "en",
) -> None:
    """List the query catalog: names, summaries, parameters and their defaults."""
    from kgtool.sparql import catalog

    words = _LISTING.get(lang, _LISTING["en"])
    entries = [catalog.resolve(name)] if name else list(catalog.catalog().values())
    if output_format == "json":
        listing = [
            {
                "name": entry.name,
                "summary": entry.summary,
                "description": entry.description,
                "summary_es": entry.summary_es,
                "description_es": entry.description_es,
                "tags": entry.tags,
                "parameters": [
                    {"name": p.name, "type": p.kind, "required": p.required, "default": p.default}
                    for p in entry.parameters
                ],
            }
            for entry in entries
        ]
        sys.stdout.write(json.dumps(listing, ensure_ascii=False, indent=2) + "\n")
        return
    out = console()
    if name:
        (entry,) = entries
        out.print(f"[bold]{entry.name}[/bold]: {entry.summary_in(lang)}", soft_wrap=True, highlight=False)
        out.print(entry.description_in(lang), highlight=False)
        out.print(f"{words['tags']}: {', '.join(entry.tags) or '-'}")
        for parameter in entry.parameters:
            out.print(f"  -p {_describe(parameter, lang)}", highlight=False)
        return
    from rich.table import Table

    table = Table(title=words["title"])
    table.add_column(words["name"], no_wrap=True)
    table.add_column(words["summary"], overflow="fold")
    table.add_column(words["parameters"], overflow="fold")
    for entry in entries:
        table.add_row(entry.name, entry.summary_in(lang), "\n".join(_describe(p, lang) for p in entry.parameters))
    out.print(table)
