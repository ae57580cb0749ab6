"""Golden answers of the query catalog: which cases there are, how an answer is written, how two are compared.

A case is one catalog query with one parameter set on one store: ``paper`` (the store ``kgtool build`` makes
from the paper's data) or ``fixture`` (the ontology with the synthetic tests/fixtures/catalog/edge-cases.ttl,
which meets every query's optional and edge cases). Its golden file, tests/golden/<store>/<case>.tsv, holds
the answer: a header of the query's variables, then one line per row in the engine's order, each cell the
RDF term in N-Triples syntax (IRIs in <>, literals with their language or datatype; empty when unbound).
tests/golden/README.md says how to review and regenerate them.

The parameter sets are derived, so a new query gets its golden cases without editing this file: the defaults,
every ``-p name=value`` example in the query's description, ``lang=es``, plus the few extra sets below.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
EDGE_CASES = Path(__file__).parent / "fixtures" / "catalog" / "edge-cases.ttl"
STORES = ("paper", "fixture")

#: What identifies a row of each query: no answer may hold two rows that agree on these columns. Written
#: from each query's description ("one row per ..."), not read from its GROUP BY.
KEYS: dict[str, tuple[str, ...]] = {
    "actor-alliances": ("alliance", "role"),
    "actor-strategy-preference": ("actor", "strategy", "involvement", "through"),
    # An actor's row without a sector exists only when no sector is stated or implied (see SECTORLESS).
    "actors-by-sector": ("actor", "kind", "sector"),
    "alliance-legitimacy-strategy": ("alliance", "legitimacy", "strategy"),
    "cited-claims": ("claim", "source"),
    "crossover-alliances": ("alliance",),
    "fact-provenance": ("fact", "source", "graph"),
    "fund-contributions": ("contribution", "source"),
    "legitimacy-attributions": ("attribution", "type", "source"),
    "legitimacy-gaps": ("strategy", "type"),
    "legitimacy-strategy-matrix": ("strategy",),
    "legitimacy-type-body-text": ("type",),
    "legitimacy-type-profile": ("type",),
    "partner-profile": ("alliance", "partner"),
    "principle-assessments": ("assessment",),
    "projects-by-region": ("region", "project"),
    "projects-by-sector": ("sector", "project"),
    "projects-by-status": ("project",),
    "report-actor-projects": ("actor", "project"),
    "report-alliance-links": ("alliance", "relation", "target", "through"),
    "report-alliances": ("alliance",),
    "report-partnership-texts": ("partnership", "field", "term", "value", "language"),
    "report-provenance": ("fact", "source", "graph"),
    "report-sources": ("source",),
    "reported-figures": ("figure", "source"),
    "strategy-profile": ("strategy",),
}

#: A required parameter's value on each store (the paper's from the query's own description).
REQUIRED = {"fixture": {"actor": "sald:syn-company"}}

#: Parameter sets beyond the derived ones, per store and query.
EXTRA: dict[str, dict[str, list[dict[str, str]]]] = {
    "paper": {
        "actor-alliances": [{"actor": "sald:yanacocha"}, {"actor": "sald:barrick-misquichilca"}],
        "crossover-alliances": [{"min": "1"}, {"min": "3"}],
        "legitimacy-gaps": [{"typology": "sal:Suchman1995"}],
        "legitimacy-type-profile": [{"typology": "sal:KumarDas2007"}],
    },
    "fixture": {
        "actor-alliances": [
            {"actor": "sald:syn-organization"},
            {"actor": "sald:syn-two-kinds", "lang": "es"},
            {"actor": "sald:syn-outsider"},
        ],
        "actor-strategy-preference": [{"actor": "sald:syn-company"}, {"strategy": "sald:syn-strategy"}],
        "actors-by-sector": [{"sector": "sal:PublicSector"}],
        "crossover-alliances": [{"min": "1"}, {"min": "3", "lang": "es"}],
        "fact-provenance": [{"source": "sald:syn-source-full"}],
        "fund-contributions": [{"contributor": "sald:syn-two-kinds"}],
        "legitimacy-attributions": [{"alliance": "sald:syn-alliance-three-types"}, {"holder": "sald:syn-ngo"}],
        "legitimacy-gaps": [{"typology": "sal:Suchman1995"}, {"typology": "sald:syn-typology", "lang": "es"}],
        "legitimacy-type-profile": [{"typology": "sald:syn-typology"}, {"typology": "sald:syn-typology", "lang": "es"}],
        "partner-profile": [{"alliance": "sald:syn-alliance-no-strategy", "lang": "es"}],
        "principle-assessments": [{"principle": "sal:Transparency"}],
        "projects-by-region": [{"region": "sald:syn-region"}],
        "projects-by-status": [{"status": "sal:Finished"}],
        "report-actor-projects": [{"actor": "sald:syn-company"}],
        "report-alliance-links": [{"alliance": "sald:syn-alliance-unlabelled"}],
        "report-partnership-texts": [{"alliance": "sald:syn-alliance-no-strategy"}],
        "report-provenance": [{"source": "sald:syn-source-full"}],
        "report-sources": [{"source": "sald:syn-source-full"}],
        "reported-figures": [{"about": "sald:syn-fund"}],
        "strategy-profile": [{"strategy": "sald:syn-strategy", "lang": "es"}],
    },
}

_EXAMPLE = re.compile(r"-p ([a-z]+)=((?:sald|sal):[A-Za-z0-9-]*[A-Za-z0-9])")


@dataclass(frozen=True)
class Case:
    """One query with one parameter set on one store."""

    store: str
    query: str
    values: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        """The file stem: the query, then each parameter as @name=value (':' written as '_')."""
        return self.query + "".join(f"@{k}={v.replace(':', '_')}" for k, v in self.values)

    @property
    def path(self) -> Path:
        return GOLDEN / self.store / f"{self.name}.tsv"

    @property
    def id(self) -> str:
        return f"{self.store}/{self.name}"


def cases(entries: list[dict]) -> list[Case]:
    """Every golden case of the catalog described by ``kgtool queries --format json`` (``entries``)."""
    found: dict[str, Case] = {}
    for entry in entries:
        name = entry["name"]
        documented = [dict([example]) for example in _EXAMPLE.findall(entry["description"])]
        for store in STORES:
            required = {
                p["name"]: REQUIRED.get(store, {}).get(p["name"]) or _documented(documented, p["name"])
                for p in entry["parameters"]
                if p["required"]
            }
            speaks = any(p["name"] == "lang" for p in entry["parameters"])  # a query without labels has no lang
            sets = [{}, *([{"lang": "es"}] if speaks else []), *(documented if store == "paper" else [])]
            sets += EXTRA.get(store, {}).get(name, [])
            for values in sets:
                merged = {**required, **values}
                case = Case(store, name, tuple(sorted(merged.items())))
                found.setdefault(case.id, case)
    return sorted(found.values(), key=lambda case: case.id)


def _documented(documented: list[dict[str, str]], parameter: str) -> str:
    values = [example[parameter] for example in documented if parameter in example]
    assert values, f"a required parameter {parameter!r} needs an example (-p {parameter}=...) in its description"
    return values[0]


# -- writing and reading an answer ------------------------------------------------------------------------


def cell(term) -> str:
    """A term in N-Triples syntax (pyoxigraph's str()), tabs escaped so that a line splits into its cells."""
    return "" if term is None else str(term).replace("\t", "\\t")


def serialize(variables: list[str], rows: list[dict]) -> str:
    lines = ["\t".join(variables)]
    lines += ["\t".join(cell(row.get(variable)) for variable in variables) for row in rows]
    return "\n".join(lines) + "\n"


@dataclass
class Answer:
    """An answer as the golden files hold it: the variables, and each row as a tuple of cells."""

    variables: list[str]
    rows: list[tuple[str, ...]]

    @classmethod
    def parse(cls, text: str) -> Answer:
        header, *lines = text.rstrip("\n").split("\n")
        variables = header.split("\t")
        rows = [tuple(line.split("\t")) for line in lines]
        for row in rows:
            assert len(row) == len(variables), f"a golden line has {len(row)} cells for {len(variables)} variables"
        return cls(variables, rows)

    def text(self) -> str:
        """The answer as its golden file holds it."""
        return "\n".join("\t".join(line) for line in [tuple(self.variables), *self.rows]) + "\n"

    def column(self, row: tuple[str, ...], name: str) -> str:
        return row[self.variables.index(name)]

    def duplicate_keys(self, key: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The key values that more than one row has."""
        counts = Counter(tuple(self.column(row, column) for column in key) for row in self.rows)
        return [value for value, count in counts.items() if count > 1]


def differences(query_text: str, golden: Answer, actual: Answer) -> list[str]:
    """What differs between a golden and an actual answer; empty when they agree.

    Rows are compared in order; a query without ORDER BY is a difference in itself (its rows are then also compared
    as a multiset, to say what else differs). GROUP_CONCAT cells are compared as the engine gives them.
    """
    problems = []
    if golden.variables != actual.variables:
        problems.append(f"variables: golden {golden.variables}, actual {actual.variables}")
        return problems
    ordered = re.search(r"\bORDER\s+BY\b", _code(query_text), re.IGNORECASE) is not None
    if ordered:
        if golden.rows != actual.rows:
            problems.append(f"rows (in order): {len(golden.rows)} golden, {len(actual.rows)} actual")
            problems += _row_diff(golden.rows, actual.rows)
    else:  # every catalog query orders its rows: the same answer prints the same way on every run and backend
        problems.append("the query has no ORDER BY: its rows come in no stable order")
        if Counter(golden.rows) != Counter(actual.rows):
            problems += ["rows (as a multiset) differ", *_row_diff(sorted(golden.rows), sorted(actual.rows))]
    return problems


def _row_diff(golden: list[tuple[str, ...]], actual: list[tuple[str, ...]]) -> list[str]:
    import difflib

    lines = difflib.unified_diff(
        ["\t".join(row) for row in golden], ["\t".join(row) for row in actual], "golden", "actual", lineterm="", n=1
    )
    return list(lines)[:40]


def _code(query_text: str) -> str:
    """The query without its comment lines (a comment may mention ORDER BY)."""
    return "\n".join(line for line in query_text.splitlines() if not line.lstrip().startswith("#"))
