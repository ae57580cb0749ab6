"""The report's own catalog queries answer what the general queries answer, so the page says what it said.

At a million triples the report asks report-partnership-texts (one value a row, every language) instead of
partner-profile (six lists joined in the engine: 12-24 s), and makes partner-profile's language choice itself
(``kgtool.report.partnerships``); and report-provenance with report-sources (an index scan, each work once)
instead of fact-provenance (a label and a work's details on each of 99k rows: 23-60 s). These compare the
answers on the paper's data, on the golden edge cases (Spanish with English fallbacks, a partner with two
partnerships, a term labelled in one language only) and on a seeded synthetic store (benchmarks/generate.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from generated_store import build_generated_store

from kgtool.report.partnerships import SEPARATORS, lang_matches, partner_profiles
from kgtool.report.queries import CatalogReader
from kgtool.sparql import backends


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> Path:
    """A store of the ontology, the regions and 20,000 seeded synthetic triples (synthetic data only)."""
    return build_generated_store(tmp_path_factory.mktemp("synthetic-answers"), 20_000, seed=17)


@pytest.fixture
def stores(store_dir: Path, fixture_store: Path, synthetic_store: Path) -> dict[str, Path]:
    return {"paper": store_dir, "fixture": fixture_store, "synthetic": synthetic_store}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("which", ["paper", "fixture", "synthetic"])
def test_the_parts_are_partner_profiles(which: str, lang: str, stores: dict[str, Path]):
    with backends.connect(stores[which]) as backend:
        asked = CatalogReader(backend, lang)
        made = partner_profiles(asked.rows("report-partnership-texts", ordered=False), lang)
        profile = {
            (row["alliance"], row["partner"]): {field: row[field] for field in SEPARATORS if row.get(field)}
            for row in asked.rows("partner-profile")
        }
    expected = {pair: columns for pair, columns in profile.items() if columns}
    assert expected  # partnerships that state something: the comparison is not between two empty answers
    assert made == expected


@pytest.mark.parametrize("which", ["paper", "fixture", "synthetic"])
def test_provenance_and_sources_are_fact_provenances(which: str, stores: dict[str, Path]):
    with backends.connect(stores[which]) as backend:
        asked = CatalogReader(backend, "en")
        general = asked.rows("fact-provenance")
        provenance = asked.rows("report-provenance", ordered=False)
        works = {row.pop("source"): row for row in asked.rows("report-sources")}
    assert general
    triples = sorted((row["fact"], row["source"], row["graph"]) for row in provenance)
    assert triples == sorted((row["fact"], row["source"], row["graph"]) for row in general)
    details = ("title", "creators", "issued", "citation")
    for row in general:
        assert {key: row[key] for key in details if key in row} == works[row["source"]], row["source"]


def test_lang_matches_as_sparql_does():
    assert lang_matches("en", "en") and lang_matches("en-GB", "EN") and lang_matches("es", "*")
    assert not lang_matches("eng", "en") and not lang_matches("", "en") and not lang_matches("", "*")
