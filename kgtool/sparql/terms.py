"""Checking the terms a researcher gives a query against the knowledge graph, before a wrong one answers 0 rows.

A wrong IRI in a parameter (``-p strategy=sal:PovertyReductionStrategy``) is valid SPARQL and silently matches
nothing, which reads as an answer ("no gaps"). So before a query runs:

- an IRI parameter must name a term the knowledge graph knows, of the class the query's pattern gives it
  (``kgtool.sparql.positions``); otherwise one line says what it is, what was expected and the nearest right term;
- plain words (``poverty reduction``, ``Reducción de la pobreza``, ``newmont``) are read as the one term of that
  class whose label, alternative label or local name they are, and the command says how it read them;
- in one's own ``.rq`` file an undeclared prefix is one line naming it (not the parser's grammar), and a ``sal:``
  or ``sald:`` term the knowledge graph does not hold is named with the nearest one (the query still runs: it may
  look for something absent on purpose).

Suggestions come from ``kgtool.rdf.nearest``, the one "did you mean" of every command. The lookups are SPARQL, so they
work on the embedded store and on a remote endpoint alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf import nearest
from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import OWL, PREFIXES, RDFS, SAL, SALD
from kgtool.sparql.catalog import CatalogQuery, Parameter
from kgtool.sparql.positions import parameter_positions
from kgtool.sparql.queries import labels
from kgtool.sparql.results import Backend
from kgtool.sparql.text import used_terms

#: At most this many allowed values are listed in a message; more get the nearest ones only.
LISTED = 8


@dataclass(frozen=True)
class Reading:
    """A parameter value the user gave as words, and the term it was read as."""

    parameter: str
    given: str
    iri: str
    label: str | None

    def note(self) -> str:
        shown = f"{compact(self.iri)} ({self.label})" if self.label else compact(self.iri)
        return f"-p {self.parameter}={self.given} read as {shown}"


def check_parameters(
    backend: Backend, query: CatalogQuery, values: dict[str, str], lang: str = "en"
) -> tuple[dict[str, str], list[Reading]]:
    """``values`` with every IRI parameter checked against the knowledge graph and plain words replaced by the
    IRI they name; the readings to tell the user. Raises ``UsageError`` with the nearest right term."""
    given = [p for p in query.parameters if p.kind == "iri" and values.get(p.name, "").strip()]
    if not given:
        return values, []
    positions = parameter_positions(query.text, PREFIXES, [p.variable.lstrip("?$") for p in given])
    checked, readings = dict(values), []
    for parameter in given:
        where = positions.get(parameter.variable.lstrip("?$"))
        classes = _classes(backend, where) if where else []
        reading = _check_one(backend, parameter, values[parameter.name].strip(), classes, lang)
        if reading:
            checked[parameter.name] = reading.iri
            readings.append(reading)
    return checked, readings


def _classes(backend: Backend, where) -> list[str]:
    """The classes a parameter's value must be in: those stated for it, else its properties' ranges or domains."""
    if where.types:
        return sorted(where.types)
    for properties, axiom in ((where.object_of, "range"), (where.subject_of, "domain")):
        if not properties:
            continue
        values = " ".join(f"<{p}>" for p in sorted(properties))
        text = f"SELECT DISTINCT ?c WHERE {{ VALUES ?p {{ {values} }} ?p <{RDFS}{axiom}> ?c FILTER isIRI(?c) }}"
        rows = backend.select(text).rows
        found = sorted({row["c"].value for row in rows} - {RDFS + "Resource", OWL + "Thing"})
        if found:
            return found
    return []


def _check_one(backend: Backend, parameter: Parameter, value: str, classes: list[str], lang: str) -> Reading | None:
    iri = _as_iri(parameter, value)
    pool = nearest.from_rows(backend.select(nearest.members_query(classes, (SAL, SALD))).rows)
    kind = _kind_name(backend, classes, lang)
    if iri is not None:
        if iri in pool or (not classes and _known(backend, iri)):
            return None
        if classes and _known(backend, iri):
            what = _what_it_is(backend, iri, lang)
            offer = _offer(backend, pool, iri, lang)
            raise UsageError(f"parameter {parameter.name!r}: {compact(iri)} is {what}, not {kind}; {offer}")
        raise UsageError(
            f"parameter {parameter.name!r}: {compact(iri)} is not {kind} the knowledge graph knows; "
            f"{_offer(backend, pool, iri, lang)}"
        )
    named = pool.named(value)
    if len(named) == 1:
        return Reading(parameter.name, value, named[0], labels(backend, {named[0]}, lang).get(named[0]))
    if len(named) > 1:
        several = _listed(backend, named, lang)
        raise UsageError(f"parameter {parameter.name!r}: {value!r} names several terms: {several}; pass one of them")
    raise UsageError(
        f"parameter {parameter.name!r}: {value!r} names no {kind.split(' ', 1)[1]} the knowledge graph knows; "
        f"{_offer(backend, pool, value, lang)}"
    )


def _as_iri(parameter: Parameter, value: str) -> str | None:
    """The IRI a value writes (a CURIE of a known prefix, or an absolute IRI); None for plain words."""
    prefix, colon, local = value.partition(":")
    if colon and (local.startswith("//") or prefix in PREFIXES):
        iri = value if local.startswith("//") else PREFIXES[prefix] + local
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise UsageError(f"parameter {parameter.name!r}: {value!r} is not an IRI ({error})") from error
        return iri
    if colon and re.fullmatch(r"[A-Za-z][\w.-]*", prefix) and " " not in value:
        known = ", ".join(f"{name}:" for name in PREFIXES)
        raise UsageError(
            f"parameter {parameter.name!r}: unknown prefix {prefix}: in {value!r}; use one of {known} or a full IRI"
        )
    return None


def _known(backend: Backend, iri: str) -> bool:
    term = str(ox.NamedNode(iri))
    return bool(backend.select(f"SELECT * WHERE {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }} LIMIT 1").rows)


def _offer(backend: Backend, pool: nearest.Nearest, text: str, lang: str) -> str:
    """``did you mean X?``, or the allowed values when there are few, or where to find them."""
    found = pool.suggest(text, limit=3)
    if found:
        return f"did you mean {_listed(backend, found, lang, ' or ')}?"
    if 0 < len(pool) <= LISTED:
        return f"use one of {_listed(backend, pool.iris(), lang)}"
    return "none of the known ones reads like it" if pool else "the knowledge graph holds none"


def _listed(backend: Backend, iris: list[str], lang: str, separator: str = ", ") -> str:
    names = labels(backend, set(iris), lang)
    return separator.join(f"{compact(iri)} ({names[iri]})" if iri in names else compact(iri) for iri in iris)


def _kind_name(backend: Backend, classes: list[str], lang: str) -> str:
    """``a development strategy``, ``an actor or an organization``; ``a term`` when nothing is expected."""
    if not classes:
        return "a term"
    names = labels(backend, set(classes), "en")
    return " or ".join(_a(names.get(c, compact(c))) for c in classes)


def _what_it_is(backend: Backend, iri: str, lang: str) -> str:
    """The most specific classes of ``iri``, by label: ``a mining company``."""
    term = str(ox.NamedNode(iri))
    rows = backend.select(
        f"SELECT DISTINCT ?t WHERE {{ {term} a ?t FILTER isIRI(?t) "
        f"FILTER NOT EXISTS {{ {term} a ?s . ?s <{RDFS}subClassOf>+ ?t FILTER (?s != ?t) }} }}"
    ).rows
    types = sorted(row["t"].value for row in rows if row["t"].value.startswith(SAL)) or [row["t"].value for row in rows]
    return _kind_name(backend, types, lang) if types else "a term of no known class"


def _a(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


# --------------------------------------------------------------------------------------- one's own SPARQL


def unknown_terms(backend: Backend, query: CatalogQuery, lang: str = "en") -> list[str]:
    """One warning per ``sal:``/``sald:`` term of ``query`` that the knowledge graph does not hold, with the
    nearest known term of the same namespace: ``mine.rq:2: sal:hasPartnr is not in the knowledge graph; did you
    mean sal:hasPartner?``"""
    used = used_terms(query.text)
    if not used:
        return []
    values = " ".join(str(ox.NamedNode(iri)) for iri in sorted(used))
    rows = backend.select(
        f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} FILTER (EXISTS {{ ?x ?p ?o }} || EXISTS {{ ?s ?x ?o }} "
        "|| EXISTS { ?s ?p ?x }) }"
    ).rows
    known = {row["x"].value for row in rows}
    warnings = []
    pools: dict[str, nearest.Nearest] = {}
    for iri, line in sorted(used.items(), key=lambda item: item[1]):
        if iri in known:
            continue
        namespace = SAL if iri.startswith(SAL) else SALD
        if namespace not in pools:
            pools[namespace] = nearest.from_rows(backend.select(nearest.members_query((), (namespace,))).rows)
        suggestion = pools[namespace].best(iri)
        hint = f"; did you mean {_listed(backend, [suggestion], lang)}?" if suggestion else ""
        warnings.append(f"{query.path}:{line}: {compact(iri)} is not in the knowledge graph{hint}")
    return warnings
