"""The query catalog: one ``.rq`` file per competency question, with grlc-style ``#+`` decorators.

A query's parameters are its variables named after grlc's convention: ``?_name`` required, ``?__name``
optional, and a suffix giving the type (``?_actor_iri``, ``?_year_integer``). Values are never pasted into
the query text; ``kgtool.sparql.queries`` binds them as RDF terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kgtool.errors import InputError, UsageError
from kgtool.rdf import resources
from kgtool.rdf.namespaces import XSD

#: grlc type suffixes understood by kgtool, and the XSD datatype each one binds to (``iri`` binds an IRI).
TYPE_SUFFIXES = {
    "iri": "iri",
    "integer": XSD + "integer",
    "decimal": XSD + "decimal",
    "date": XSD + "date",
    "boolean": XSD + "boolean",
    "string": XSD + "string",
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
    #: Spanish texts (``#+ summary_es``, ``#+ description_es``, ``#+ headers_es``): what people read with --lang es.
    summary_es: str = ""
    description_es: str = ""
    headers_es: dict[str, str] = field(default_factory=dict)

    def summary_in(self, lang: str) -> str:
        """The summary in ``lang`` (Spanish where written, else English)."""
        return (self.summary_es if lang == "es" else "") or self.summary

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (Spanish where written, else English)."""
        return (self.description_es if lang == "es" else "") or self.description


def parse_decorators(text: str, source: str = "the query") -> dict[str, str | list[str] | dict[str, str]]:
    """The ``#+`` header of a query, read as YAML (``yaml.safe_load``, as grlc reads it).

    Values stay text (``min: 2`` is ``"2"``: parameters are bound from text, and a summary is never a date or a
    boolean); grlc's ``defaults`` list of one-entry mappings becomes one mapping. A header that is not YAML is
    an ``InputError`` naming ``source``.
    """
    import yaml

    lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        lines.append(line[2:])
    try:
        document = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise InputError(f"{source}: its #+ header is not YAML: {problem}") from None
    if not isinstance(document, dict):
        raise InputError(f"{source}: its #+ header is not a YAML mapping (key: value lines)")
    header = {str(key): _as_text(value) for key, value in document.items()}
    for key in ("defaults", "headers_es"):  # grlc-style lists of one-entry mappings, each read as one mapping
        if isinstance(header.get(key), list):
            header[key] = {k: v for item in header[key] if isinstance(item, dict) for k, v in item.items()}
    return {key: value.strip() if isinstance(value, str) else value for key, value in header.items()}


def _as_text(value: object) -> object:
    """A YAML value with every scalar as text (``None`` as ``""``), lists and mappings kept."""
    if isinstance(value, dict):
        return {str(key): _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    return "" if value is None else str(value)


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
    """Read one ``.rq`` file into a CatalogQuery (a regular file within the input limit: ``kgtool.files``)."""
    from kgtool.files import read_text

    text = read_text(path, "query file")
    header = parse_decorators(text, str(path))
    defaults = header.get("defaults", {})
    headers_es = header.get("headers_es", {})
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
        summary_es=str(header.get("summary_es", "")),
        description_es=str(header.get("description_es", "")),
        headers_es=headers_es if isinstance(headers_es, dict) else {},
    )


def catalog_folder() -> Path:
    """The folder of the catalog queries: the project's ``queries/``."""
    return resources.folder("queries")


def catalog(folder: Path | None = None) -> dict[str, CatalogQuery]:
    """Every query of the catalog folder (default: the project's ``queries/``), by name."""
    folder = folder or catalog_folder()
    return {path.stem: load_query(path) for path in sorted(folder.glob("*.rq"))}


def resolve(name_or_file: str) -> CatalogQuery:
    """A catalog query by name, or any ``.rq`` file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return load_query(path)  # a device or FIFO named .rq is refused there, in one line
    queries = catalog()
    if name_or_file in queries:
        return queries[name_or_file]
    if path.suffix == ".rq":
        raise UsageError(f"{name_or_file}: no such query file", es=f"{name_or_file}: no existe ese archivo de consulta")
    hint, count = _nearest_names(name_or_file, queries), len(queries)
    english, spanish = (f"did you mean {hint}? ", f"¿quiso decir {hint}? ") if hint else ("", "")
    raise UsageError(
        f"unknown query {name_or_file!r}; {english}`kgtool queries` lists all {count}",
        es=f"consulta desconocida {name_or_file!r}; {spanish}`kgtool queries` lista las {count}",
    )


def _nearest_names(name: str, queries: dict[str, CatalogQuery]) -> str:
    """``legitimacy-gaps`` (the nearest names only, joined by "or"), or "" when none is near."""
    from kgtool.rdf import nearest

    return " or ".join(nearest.from_names({key: () for key in queries}).suggest(name, limit=3))
