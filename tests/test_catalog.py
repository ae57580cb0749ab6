"""kgtool.sparql.catalog on the real catalog: every competency question is a documented, parameterised SELECT.

These checks hold for any query added later: a new file in queries/ must carry grlc decorators, parse as a
SPARQL SELECT with its defaults bound, order its rows completely, and be listed by `kgtool queries`.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_kgtool
from kgtool.errors import UsageError
from kgtool.sparql import catalog, queries
from kgtool.sparql.binding import bind_parameters

#: The competency questions the issue asks for, by file name (the catalog may hold more).
REQUIRED = {
    "alliance-legitimacy-strategy",
    "legitimacy-strategy-matrix",
    "legitimacy-type-profile",
    "partner-profile",
    "actor-strategy-preference",
    "actor-alliances",
    "legitimacy-gaps",
    "crossover-alliances",
    "projects-by-region",
    "projects-by-sector",
    "projects-by-status",
    "fund-contributions",
    "actors-by-sector",
    "fact-provenance",
    "principle-assessments",
}
#: A value for every required parameter of the catalog, to prepare each query without the user.
SAMPLE_VALUES = {"actor": "sald:newmont"}
CATALOG = catalog.catalog()


def test_the_catalog_holds_every_required_question():
    assert set(CATALOG) >= REQUIRED


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_query_is_documented_with_grlc_decorators(name: str):
    entry = CATALOG[name]
    assert entry.summary and len(entry.summary) <= 110, "a one-line #+ summary"
    assert len(entry.description.split()) >= 15, "a #+ description that says what a row is"
    assert entry.tags, "#+ tags"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), "kebab-case file name"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_query_prepares_as_a_select_with_its_defaults(name: str):
    entry = CATALOG[name]
    values = {p.name: SAMPLE_VALUES[p.name] for p in entry.parameters if p.required}
    text = queries.prepare(entry, values)
    code = "\n".join(line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#"))
    bound = [p for p in entry.parameters if p.default is not None or p.required]
    assert not [p.name for p in bound if re.search(rf"[?$]{p.variable}\b", code)], "every bound parameter is a term"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_label_language_filter_has_a_language(name: str):
    # Parameters are bound as constants, so nested groups and sub-SELECTs see them too; labels need a language.
    body = CATALOG[name].text.split("WHERE", 1)[1]
    if "?__lang" in body:
        (lang,) = [p for p in CATALOG[name].parameters if p.name == "lang"]
        assert lang.default == "en", "labels need a language even when none is asked for"


def test_parameters_follow_grlc_names_and_types():
    gaps = {(p.name, p.kind, p.required, p.default) for p in CATALOG["legitimacy-gaps"].parameters}
    assert gaps == {
        ("typology", "iri", False, "sal:DacinOliverRoy2007"),
        ("strategy", "iri", False, None),
        ("lang", "string", False, "en"),
    }
    crossover = {(p.name, p.kind, p.default) for p in CATALOG["crossover-alliances"].parameters}
    assert ("min", "integer", "2") in crossover
    first = CATALOG["actor-alliances"].parameters[0]
    assert (first.name, first.required) == ("actor", True)


def test_a_missing_required_parameter_is_named():
    with pytest.raises(UsageError, match="needs the parameter 'actor': pass -p actor=VALUE"):
        bind_parameters(CATALOG["actor-alliances"], {})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"min": "two"}, "'min': 'two' is not a valid integer"),
        ({"min": "2", "colour": "red"}, "no parameter 'colour'"),
    ],
)
def test_bad_parameter_values_are_refused(values: dict[str, str], message: str):
    with pytest.raises(UsageError, match=message):
        bind_parameters(CATALOG["crossover-alliances"], values)


def test_kgtool_queries_lists_names_summaries_parameters_and_defaults():
    result = run_kgtool("queries")
    assert result.code == 0, result.stderr
    for name in REQUIRED:
        assert name in result.stdout
    assert "actor (IRI, required)" in result.stdout
    assert "typology = sal:DacinOliverRoy2007" in result.stdout
    assert "min = 2" in result.stdout


def test_kgtool_queries_as_json_for_tools():
    result = run_kgtool("queries", "--format", "json")
    assert result.code == 0, result.stderr
    listing = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert set(listing) == set(CATALOG)
    assert {"name": "actor", "type": "iri", "required": True, "default": None} in listing["actor-alliances"][
        "parameters"
    ]


def test_kgtool_queries_name_shows_one_query_in_full():
    result = run_kgtool("queries", "legitimacy-strategy-matrix")
    assert result.code == 0, result.stderr
    assert CATALOG["legitimacy-strategy-matrix"].summary in result.stdout
    assert "it will be possible to determine the number of alliances" in " ".join(result.stdout.split())
    unknown = run_kgtool("queries", "no-such-question")
    assert unknown.code == 2 and "unknown query 'no-such-question'" in unknown.stderr
