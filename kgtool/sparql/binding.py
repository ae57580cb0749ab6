"""Binding query parameters: user strings become RDF terms, and each term stands where its variable stood.

Oxigraph's own substitutions only bind variables of the SELECT projection, and a remote endpoint has none,
so kgtool binds the same way on every backend, as grlc does: every occurrence of a bound parameter variable is
replaced by its term. Each value is serialized by Oxigraph as one escaped RDF term, so no value (quotes,
braces, ``#``, ``} DROP ALL``) can change the query's structure. A constant is seen everywhere, also inside
nested groups and sub-SELECTs, where a ``VALUES`` block at the top is not (bottom-up evaluation), and it
spares servers their own handling of such a block: Virtuoso 7 loses a one-row VALUES binding inside an
OPTIONAL's FILTER, or fails with an internal error (docs/ENGINES.md). Where a variable is needed as such,
the term is written so that the query stays valid: ``BOUND(?p)`` becomes ``true``, a bare ``?p`` in a SELECT
clause ``(term AS ?p)``, and one in GROUP BY is dropped. An optional parameter left out stays an unbound variable.
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
    """The query text with each variable of ``bindings`` (variable -> term) replaced by its term."""
    terms = {variable.lstrip("?$"): str(term) for variable, term in bindings.items()}
    if not terms:
        return text
    clause, depth = "", 0  # the clause being read (select, where, group) and the parenthesis depth in it
    out: list[str] = []
    position = 0
    for token in _TOKEN.finditer(text):
        out.append(text[position : token.start()])
        position = token.end()
        word, name = token.group("word"), token.group("name") or token.group("bound")
        if token.group("skipped") or token.group("alias") or name not in terms:
            if word:
                clause, depth = _CLAUSES.get(" ".join(word.upper().split()), clause), 0
            elif token.group(0) in "()":
                depth += 1 if token.group(0) == "(" else -1
            out.append(token.group(0))
        elif token.group("bound"):
            out.append("true")
        elif clause == "select" and depth == 0:
            out.append(f"({terms[name]} AS ?{name})")
        elif clause == "group" and depth == 0:
            out.append("")  # grouping by a constant changes nothing (and fails on Virtuoso 7: SQ156)
        else:
            out.append(terms[name])
    out.append(text[position:])
    return "".join(out)


_CLAUSES = {"SELECT": "select", "WHERE": "where", "{": "where", "GROUP BY": "group", "HAVING": "having"}
_TOKEN = re.compile(
    f"(?P<skipped>{SKIPPED_TOKEN.pattern})"
    r"|BOUND\s*\(\s*[?$](?P<bound>\w+)\s*\)"
    r"|(?P<alias>\bAS\s+[?$]\w+)"
    r"|(?P<word>(?<![\w?$:])(?:SELECT|WHERE|GROUP\s+BY|HAVING)(?![\w:])|\{)"
    r"|[()]"
    r"|[?$](?P<name>\w+)",
    re.IGNORECASE,
)
