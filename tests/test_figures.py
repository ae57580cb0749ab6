"""Every figure's number is the paper's: the value recorded, the numbers its labels show, and the sentence it
comes from.

``FIGURES`` gives, for each figure of data/, the words of the paper that state it and the value they state, as read
by hand. The data's value must equal it, each label (English "83,000", Spanish "83 000", "59,1%") must show it, and
the words must be in the paper (skipped, with one line, where the paper's text is absent).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import rdflib

from conftest import ROOT

SAL = rdflib.Namespace("https://w3id.org/sal#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SALD = "https://w3id.org/sal/id/"

#: figure slug -> (the paper's words, the number they state; None for a rank-only figure, whose rank is given).
FIGURES: dict[str, tuple[str, Decimal | None, int | None]] = {
    "fig-minem-2010-affiliated-companies": ("39 companies are affiliated", Decimal(39), None),
    "fig-minem-2010-regions-benefited": ("benefits 16 regions in the country", Decimal(16), None),
    "fig-minem-2010-global-fund-accumulated": (
        "accumulated approximately S /1'388 million for the Global Fund",
        Decimal(1_388_000_000),
        None,
    ),
    "fig-snmpe-2010-projects-underway": ("1,568 projects are underway", Decimal(1568), None),
    "fig-snmpe-2010-projects-finished": ("886 have already been finished", Decimal(886), None),
    "fig-snmpe-2010-projects-80-percent-complete": ("187 are 80% complete", Decimal(187), None),
    "fig-snmpe-2010-regions-most-projects": ("The regions that report", None, 1),
    "fig-snmpe-2010-share-nutrition-education-health": ("47% correspond to the sector of nutrition", Decimal(47), 1),
    "fig-snmpe-2010-infrastructure-second": ("infrastructure", None, 2),
    "fig-snmpe-2010-efforts-capacity-strengthening": ("strengthening capacities", None, 1),
    "fig-snmpe-2010-efforts-following-areas": ("productive chains", None, 2),
    "fig-yanacocha-newmont-operating-unit-rank": (
        "after Carlin Trend, Newmont's second largest operating unit",
        None,
        2,
    ),
    "fig-yanacocha-gold-ounces": ("811.400 ounces of gold", Decimal(811400), None),
    "fig-newmont-yanacocha-gold-entitlement": ("the right to 416.654 ounces", Decimal(416654), None),
    "fig-yanacocha-production-cost": ("US\\$ 104 per ounce", Decimal(104), None),
    "fig-newmont-united-states-production-cost": ("in the United States (US\\$ 210)", Decimal(210), None),
    "fig-newmont-eastern-europe-production-cost": ("in Eastern Europe (US\\$ 225)", Decimal(225), None),
    "fig-newmont-indonesia-production-cost": ("Indonesia (US\\$ 224)", Decimal(224), None),
    "fig-oit-2001-compensation-programmes": ("fewer than 25 programs of this kind", Decimal(25), None),
    # "more than one third": recorded as more than 33.3 percent.
    "fig-idb-2003-lac-population-impoverished": ("more than one third of the population", Decimal("33.3"), None),
    "fig-idb-2003-lac-rural-poverty": ("rural areas (59.1%)", Decimal("59.1"), None),
    "fig-un-2000-millennium-goals-countries": ("189 countries agreed", Decimal(189), None),
    "fig-antamina-mining-fund-investment": ("invested more than \\$80 million", Decimal(80_000_000), None),
    "fig-xstrata-social-fund-residents": ("more than 83 thousand residents", Decimal(83000), None),
    "fig-xstrata-social-fund-districts": ("residents of 20 districts", Decimal(20), None),
    "fig-xstrata-social-fund-peasant-communities": ("150 peasant communities", Decimal(150), None),
}
#: Figures whose label says the number in words, not digits.
IN_WORDS = {"fig-idb-2003-lac-population-impoverished"}


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path)
    return graph


def _figures(data: rdflib.Graph) -> dict[str, rdflib.URIRef]:
    query = "SELECT ?f WHERE { ?f a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/sal#Figure> }"
    return {str(row.f).removeprefix(SALD): row.f for row in data.query(query)}


def _value(data: rdflib.Graph, figure) -> Decimal | None:
    quantity = data.value(figure, SAL.quantity)
    if quantity is None:
        amount = data.value(figure, SAL.amount)
        quantity = data.value(amount, SCHEMA.value) if amount is not None else None
    return None if quantity is None else Decimal(str(quantity.toPython()))


def label_numbers(text: str, lang: str) -> set[Decimal]:
    """The numbers a label shows: "1,568" / "1 568", "59.1" / "59,1", "S/ 1,388 million" = 1388000000."""
    thousands, point = (",", ".") if lang == "en" else (" ", ",")
    found = set()
    pattern = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?!\d)|\d+(?:{re.escape(point)}\d+)?"
    for match in re.finditer(rf"({pattern})(\s*(?:million|millones|millón))?", text):
        number = Decimal(match.group(1).replace(thousands, "").replace(point, "."))
        found.add(number * 1_000_000 if match.group(2) else number)
    return found


def test_every_figure_is_reviewed_here(data):
    assert set(_figures(data)) == set(FIGURES)


@pytest.mark.parametrize("slug", sorted(FIGURES))
def test_the_recorded_number_is_the_papers(slug: str, data):
    figure = _figures(data)[slug]
    _, value, rank = FIGURES[slug]
    assert _value(data, figure) == value
    recorded_rank = data.value(figure, SAL.rank)
    assert (None if recorded_rank is None else int(recorded_rank)) == rank


@pytest.mark.parametrize("slug", sorted(set(FIGURES) - IN_WORDS))
def test_each_label_shows_the_number(slug: str, data):
    figure = _figures(data)[slug]
    _, value, _ = FIGURES[slug]
    if value is None:
        return  # a rank-only figure: its label names what ranks, not a number
    for label in data.objects(figure, rdflib.RDFS.label):
        assert value in label_numbers(str(label), label.language), f"{label!r} does not show {value}"


@pytest.mark.parametrize("slug", sorted(FIGURES))
def test_the_words_are_the_papers(slug: str, paper_text: str):
    assert FIGURES[slug][0] in paper_text


def test_label_numbers_reads_both_languages():
    assert label_numbers("more than 83,000 residents benefited", "en") == {Decimal(83000)}
    assert label_numbers("más de 83 000 pobladores", "es") == {Decimal(83000)}
    assert label_numbers("S/ 1,388 million", "en") == {Decimal(1_388_000_000)}
    assert label_numbers("59,1%", "es") == {Decimal("59.1")}
    assert label_numbers("8,300", "en") == {Decimal(8300)}
