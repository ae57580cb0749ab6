"""What each partner's part in an alliance states, as ``partner-profile`` answers it, from the rows of
``report-partnership-texts``.

Why not ask partner-profile: at a million triples it joins six lists per partner in the engine (12-24 s for 29k
partners), while report-partnership-texts hands over the values one a row (4-6 s) and the choice partner-profile
makes in SPARQL is a few lines here: of a partnership's values of one property (or of the labels of one term it
names), those in the report's language, else those in English (``langMatches``: ``en`` also takes ``en-GB``);
values with no language tag are never shown. Each alliance and partner then gets the values of all its
partnerships, once each, sorted by code point and joined as partner-profile's ``GROUP_CONCAT`` joins them
(``kgtool.sparql.queries.normalize_row``). The golden report (tests/golden/report) and the report tests on the
paper's data and on the fixtures check the result is the same.
"""

from __future__ import annotations

from collections import defaultdict

#: partner-profile's list columns and their separators, as report-partnership-texts names its fields.
SEPARATORS = {
    "needs": " | ",
    "objectives": " | ",
    "benefits": " | ",
    "resources": " | ",
    "legitimacySought": ", ",
    "preferredStrategy": ", ",
}


def lang_matches(tag: str, wanted: str) -> bool:
    """SPARQL's ``langMatches``: a tag is in a range when equal to it or starting with it and a hyphen, letter
    case aside; ``*`` takes any tag; an empty tag (a plain literal) is in no range."""
    tag, wanted = tag.lower(), wanted.lower()
    return bool(tag) and (wanted == "*" or tag == wanted or tag.startswith(wanted + "-"))


def partner_profiles(rows: list[dict[str, str]], lang: str) -> dict[tuple[str, str], dict[str, str]]:
    """(alliance, partner) -> partner-profile's list columns (only those with a value), from the rows of
    report-partnership-texts in any order."""
    values: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        partnership = row["partnership"]
        pairs[partnership].add((row["alliance"], row["partner"]))
        values[(partnership, row["field"], row.get("term", ""))].append((row["value"], row.get("language", "")))
    items: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (partnership, field, _), found in values.items():
        chosen = [value for value, tag in found if lang_matches(tag, lang)] or [
            value for value, tag in found if lang_matches(tag, "en")
        ]
        for pair in pairs[partnership]:
            items[pair][field].update(value for value in chosen if value)
    joined = {
        pair: {field: SEPARATORS[field].join(sorted(texts)) for field, texts in fields.items() if texts}
        for pair, fields in items.items()
    }
    return {pair: columns for pair, columns in joined.items() if columns}
