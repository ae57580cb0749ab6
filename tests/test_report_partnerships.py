"""kgtool.report.partnerships: the partners' parts made from report-partnership-texts are partner-profile's.

The report asks report-partnership-texts (one value a row, every language) instead of partner-profile (six lists
joined in the engine: 12-24 s at a million triples) and makes partner-profile's language choice itself. These
compare the two answers, pair by pair and column by column, on the paper's data and on the golden edge cases
(Spanish with English fallbacks, a partner with two partnerships, a term labelled in one language only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kgtool.report.partnerships import SEPARATORS, lang_matches, partner_profiles
from kgtool.report.queries import CatalogReader
from kgtool.sparql import backends


def _both(store: Path, lang: str) -> tuple[dict, dict]:
    with backends.connect(store) as backend:
        asked = CatalogReader(backend, lang)
        made = partner_profiles(asked.rows("report-partnership-texts", ordered=False), lang)
        profile = {
            (row["alliance"], row["partner"]): {field: row[field] for field in SEPARATORS if row.get(field)}
            for row in asked.rows("partner-profile")
        }
    return made, {pair: columns for pair, columns in profile.items() if columns}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("which", ["paper", "fixture"])
def test_the_parts_are_partner_profiles(which: str, lang: str, store_dir: Path, fixture_store: Path):
    made, expected = _both(store_dir if which == "paper" else fixture_store, lang)
    assert expected  # partnerships that state something: the comparison is not between two empty answers
    assert made == expected


def test_lang_matches_as_sparql_does():
    assert lang_matches("en", "en") and lang_matches("en-GB", "EN") and lang_matches("es", "*")
    assert not lang_matches("eng", "en") and not lang_matches("", "en") and not lang_matches("", "*")
