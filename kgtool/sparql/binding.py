"""Binding query parameters: user strings become RDF terms, and terms enter the query as a VALUES block.

Oxigraph's own substitutions only bind variables of the SELECT projection, and a remote endpoint has none,
so kgtool binds the same way on every backend: a ``VALUES`` block opening the outermost group pattern. Each
value is serialized by Oxigraph as one escaped RDF term, so no value (quotes, braces, ``#``, ``} DROP ALL``)
can change the query's structure; placed first in the WHERE group, the binding is seen by every FILTER,
BIND and aggregate of the query.
"""

from __future__ import annotations

import datetime
import re

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql.catalog import TYPE_SUFFIXES, CatalogQuery, Parameter

_LEXICAL_FORMS = {
    "integer": re.compile(r"[+-]?\d+"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "boolean": re.compile(r"true|false|1|0"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}

# Tokens that may hold a "{" that does not open the WHERE group: comments, strings and IRIs.
SKIPPED_TOKEN = re.compile(
    r'#[^\n]*|"""[\s\S]*?"""'
    r"|'''[\s\S]*?'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
)


def bind_parameters(query: CatalogQuery, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """RDF terms, by query variable, for ``name=value`` strings and the query's defaults."""
    known = {p.name for p in query.parameters}
    unknown = sorted(set(values) - known)
    if unknown:
        accepted = ", ".join(sorted(known))
        raise UsageError(
            f"query {query.name!r} has no parameter {unknown[0]!r} (it takes: {accepted or 'none'})",
            es=f"la consulta {query.name!r} no tiene el parámetro {unknown[0]!r} (admite: {accepted or 'ninguno'})",
        )
    bound = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is None:
            if parameter.required:
                raise UsageError(
                    f"query {query.name!r} needs the parameter {parameter.name!r}: pass -p {parameter.name}=VALUE",
                    es=f"la consulta {query.name!r} necesita el parámetro {parameter.name!r}: "
                    f"pase -p {parameter.name}=VALOR",
                )
            continue
        bound[parameter.variable] = parameter_term(parameter, value)
    return bound


def parameter_term(parameter: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """One value as an RDF term of the parameter's type; ``sald:slug`` and ``sal:Term`` are expanded."""
    if parameter.kind == "iri":
        prefix, _, local = value.partition(":")
        iri = PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else value
        try:
            return ox.NamedNode(iri)
        except ValueError as error:
            raise UsageError(
                f"parameter {parameter.name!r}: {value!r} is not an IRI ({error})",
                es=f"parámetro {parameter.name!r}: {value!r} no es un IRI ({error})",
            ) from error
    literal = ox.Literal(value, datatype=ox.NamedNode(TYPE_SUFFIXES[parameter.kind]))
    if not _valid_lexical(literal, parameter.kind):
        raise UsageError(
            f"parameter {parameter.name!r}: {value!r} is not a valid {parameter.kind}",
            es=f"parámetro {parameter.name!r}: {value!r} no es un valor {parameter.kind} válido",
        )
    return literal


def _valid_lexical(literal: ox.Literal, kind: str) -> bool:
    """Whether a literal's lexical form is valid for its type (Oxigraph would accept anything)."""
    form = _LEXICAL_FORMS.get(kind)
    if form is None:
        return True
    if not form.fullmatch(literal.value):
        return False
    if kind == "date":
        try:
            datetime.date.fromisoformat(literal.value)
        except ValueError:
            return False
    return True


def with_bindings(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query text with ``bindings`` (variable -> term) as a VALUES block opening its WHERE group."""
    if not bindings:
        return text
    position = 0
    while True:
        brace = text.find("{", position)
        if brace < 0:
            raise UsageError(
                "the query has no group pattern to bind parameters in",
                es="la consulta no tiene un patrón de grupo en el que vincular los parámetros",
            )
        skipped = SKIPPED_TOKEN.search(text, position)
        if skipped and skipped.start() < brace:
            position = skipped.end()
            continue
        break
    variables = " ".join("?" + variable.lstrip("?$") for variable in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{text[: brace + 1]} VALUES ({variables}) {{ ({terms}) }}{text[brace + 1 :]}"
