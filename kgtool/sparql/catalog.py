"""The query catalog: one ``.rq`` file per competency question, with grlc-style ``#+`` decorators.

A query's parameters are its variables named after grlc's convention: ``?_name`` required, ``?__name``
optional, and a suffix giving the type (``?_actor_iri``, ``?_year_integer``). Values are never pasted into
the query text; ``kgtool.sparql.queries`` binds them as RDF terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kgtool.errors import UsageError
from kgtool.rdf import resources

#: grlc type suffixes understood by kgtool, and the XSD datatype each one binds to (``iri`` binds an IRI).
TYPE_SUFFIXES = {
    "iri": "iri",
    "integer": "http://www.w3.org/2001/XMLSchema#integer",
    "decimal": "http://www.w3.org/2001/XMLSchema#decimal",
    "date": "http://www.w3.org/2001/XMLSchema#date",
    "boolean": "http://www.w3.org/2001/XMLSchema#boolean",
    "string": "http://www.w3.org/2001/XMLSchema#string",
}

_PARAM_VARIABLE = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)")


@dataclass(frozen=True)
class Parameter:
    """One query parameter, as a user passes it with ``-p name=value``."""

    name: str
    variable: str
    required: bool
    kind: str  # a key of TYPE_SUFFIXES
    default: str | None = None


@dataclass
class CatalogQuery:
    """A catalog query: its name (file stem), text, decorators and parameters."""

    name: str
    path: Path
    text: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)


def parse_decorators(text: str) -> dict[str, str | list[str] | dict[str, str]]:
    """The ``#+`` header of a query (the YAML subset grlc uses).

    ``#+ key: value`` starts a key; indented ``#+   - item`` lines make a list (``- name: value`` items make the
    ``defaults`` mapping); other indented lines continue a folded text (``key: >``).
    """
    header: dict[str, str | list[str] | dict[str, str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        raw = line[2:]
        body = raw.strip()
        indented = raw.startswith("  ")
        if indented and current:
            _continue_key(header, current, body)
        elif ":" in body:
            key, value = (part.strip() for part in body.split(":", 1))
            current = key
            header[key] = "" if value in (">", "|") else value
    return header


def _continue_key(header: dict, key: str, body: str) -> None:
    """Add one indented line to ``key``: a list item, a defaults entry, or folded text."""
    if body.startswith("- "):
        item = body[2:].strip()
        if key == "defaults" and ":" in item:
            name, value = (part.strip() for part in item.split(":", 1))
            if not isinstance(header.get(key), dict):
                header[key] = {}
            header[key][name] = value
        else:
            if not isinstance(header.get(key), list):
                header[key] = []
            header[key].append(item)
    elif isinstance(header.get(key), str):
        header[key] = f"{header[key]} {body}".strip()


def find_parameters(text: str, defaults: dict[str, str]) -> list[Parameter]:
    """The grlc parameters a query uses, in order of first appearance."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    found: dict[str, Parameter] = {}
    for underscores, raw in _PARAM_VARIABLE.findall(body):
        base, _, suffix = raw.rpartition("_")
        kind = suffix if base and suffix in TYPE_SUFFIXES else "string"
        name = base if kind != "string" or suffix == "string" else raw
        if name not in found:
            found[name] = Parameter(
                name=name,
                variable=underscores + raw,
                required=underscores == "_",
                kind=kind,
                default=defaults.get(name),
            )
    return list(found.values())


def load_query(path: Path) -> CatalogQuery:
    """Read one ``.rq`` file into a CatalogQuery."""
    text = path.read_text(encoding="utf-8")
    header = parse_decorators(text)
    defaults = header.get("defaults", {})
    tags = header.get("tags", [])
    if isinstance(tags, str):
        tags = [tag.strip() for tag in tags.split(",") if tag.strip()]
    return CatalogQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header.get("summary", "")),
        description=str(header.get("description", "")),
        tags=list(tags),
        parameters=find_parameters(text, defaults if isinstance(defaults, dict) else {}),
    )


def catalog(folder: Path | None = None) -> dict[str, CatalogQuery]:
    """Every query of the catalog folder (default: the project's ``queries/``), by name."""
    folder = folder or resources.folder("queries")
    return {path.stem: load_query(path) for path in sorted(folder.glob("*.rq"))}


def resolve(name_or_file: str) -> CatalogQuery:
    """A catalog query by name, or any ``.rq`` file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return load_query(path)
    queries = catalog()
    if name_or_file in queries:
        return queries[name_or_file]
    if path.suffix == ".rq":
        raise UsageError(f"{name_or_file}: no such query file")
    raise UsageError(f"unknown query {name_or_file!r}; `kgtool queries` lists them: {', '.join(sorted(queries))}")
