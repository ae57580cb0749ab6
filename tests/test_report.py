"""kgtool.report: the report's content, collected from the catalog, is the paper's case.

Expected values come from the paper's statements: the nine headline rows of tests/test_paper_case.py (under
sustainable development one market, one relational and six social alliance rows; Barrick's market alliances under
no stated strategy), the partners and sentences the paper gives, and the international alliances it names after
Casado (2007).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_paper_case import PAPER_ROWS

from conftest import FIXTURES, free_port
from kgtool.errors import BackendUnavailable, UsageError
from kgtool.rdf.namespaces import SAL, SALD
from kgtool.report import generate as report
from kgtool.sparql import backends, serving
from kgtool.store import build
from kgtool.store.core import GRAPH_BASE

TYPES = ("MarketLegitimacy", "RelationalLegitimacy", "SocialLegitimacy", "InvestmentLegitimacy", "AllianceLegitimacy")
STRATEGIES = ("SustainableDevelopment", "PovertyReduction", "InstitutionalDevelopment")
# The matrix's rows: the three strategies and the alliances whose strategy is not stated ("" for no IRI).
ROWS = (*STRATEGIES, "")
NBI = SALD + "newmont-buenaventura-ifc-alliance"

# Every alliance of the paper's case, with its named partners. The seven behind the headline rows, and the six
# "International cases such as the Alliance to promote education in Jordan (JEI), the global alliance for
# vaccines and immunization (GAVI), ... Global Partnership to stop tuberculosis (STOPTB), Poverty-Environment
# Partnership (PEP), the Global Water Partnership and Growing Sustainable Business (UNDP)" (Casado, 2007).
GAVI_PARTNERS = (
    {"unicef", "who", "world-bank"}
    | {
        f"government-of-{country}"
        for country in ("canada", "denmark", "france", "ireland", "luxembourg", "the-netherlands", "norway", "sweden")
    }
    | {"government-of-the-united-kingdom"}
)
PAPER_ALLIANCES = {
    "newmont-buenaventura-ifc-alliance": {"newmont", "buenaventura", "ifc"},
    "barrick-market-legitimacy-alliance": {"barrick-misquichilca"},
    "barrick-social-legitimacy-alliance": {"barrick-misquichilca"},
    "xstrata-social-legitimacy-alliance": {"xstrata"},
    "antamina-social-legitimacy-alliance": {"antamina"},
    "poderosa-social-legitimacy-alliance": {"poderosa"},
    "marcobre-social-legitimacy-alliance": {"marcobre"},
    "jei": set(),
    "gavi": GAVI_PARTNERS,
    "stoptb": set(),
    "pep": set(),
    "global-water-partnership": set(),
    "growing-sustainable-business": {"undp"},
}


def expected_counts() -> Counter:
    """Alliances per (strategy, type): each headline row is one alliance fulfilling one type under one strategy
    ("" where the strategy is not stated)."""
    return Counter((strategy or "", type_) for _, type_, strategy in PAPER_ROWS)


def slug(iri: str) -> str:
    return iri.removeprefix(SALD).removeprefix(SAL)


def collect(store: Path | None = None, lang: str = "en", endpoint: str | None = None) -> report.Report:
    """The report's content from a store or an endpoint (the store is released when this returns)."""
    with backends.connect(store, endpoint) as backend:
        return report.collect(backend, lang)


@pytest.fixture(scope="module")
def english(store_dir: Path) -> report.Report:
    return collect(store_dir, "en")


@pytest.fixture(scope="module")
def spanish(store_dir: Path) -> report.Report:
    return collect(store_dir, "es")


def partners(card) -> set[str]:
    return {slug(part.actor.ref.iri) for part in card.parts if part.role == "partner"}


def test_the_matrix_counts_the_papers_alliances_zeros_included(english):
    matrix = english.matrix
    assert [slug(ref.iri) for ref in matrix.types] == list(TYPES)
    assert {slug(ref.iri) for ref in matrix.strategies} == set(ROWS)
    assert [ref.label for ref in matrix.strategies if not ref.iri] == ["not stated"]
    counts = expected_counts()
    found = {(slug(s.iri), slug(t.iri)): matrix.count(s.iri, t.iri) for s in matrix.strategies for t in matrix.types}
    assert found == {(s, t): counts.get((s, t), 0) for s in ROWS for t in TYPES}
    assert sum(found.values()) == len(PAPER_ROWS) == 9


def test_each_cell_lists_the_alliances_behind_it(english):
    by_partners: dict[tuple[str, str], Counter] = {}
    for partner_set, type_, strategy in PAPER_ROWS:
        by_partners.setdefault((SAL + strategy if strategy else "", type_), Counter())[partner_set] += 1
    for (strategy, type_), expected in by_partners.items():
        behind = english.matrix.behind[(strategy, SAL + type_)]
        assert len(behind) == english.matrix.count(strategy, SAL + type_)
        assert Counter(frozenset(partners(english.card(ref.iri))) for ref in behind) == expected
    assert set(english.matrix.behind) == {(s, SAL + t) for s, t in by_partners}


def test_gaps_are_the_empty_cells(english):
    counts = expected_counts()
    found = {slug(strategy.iri): [slug(ref.iri) for ref in missing] for strategy, missing, _ in english.gaps}
    assert found == {s: [t for t in TYPES if not counts.get((s, t))] for s in STRATEGIES}
    assert found["SustainableDevelopment"] == ["InvestmentLegitimacy", "AllianceLegitimacy"]
    # The paper names no alliance under poverty reduction or institutional development: no case, not a finding.
    reasons = {slug(strategy.iri): reason.split(":")[0] for strategy, _, reason in english.gaps}
    assert reasons == {
        "SustainableDevelopment": "not fulfilled",
        "PovertyReduction": "no case",
        "InstitutionalDevelopment": "no case",
    }


def test_the_one_crossover_is_the_alliance_with_three_types(english):
    # Of the paper's alliances only Newmont–Buenaventura–IFC fulfils more than one type (relational, market, social).
    (crossover,) = english.crossovers
    assert crossover.alliance.iri == NBI and crossover.types == 3
    assert set(crossover.legitimacy.split(", ")) == {"market legitimacy", "relational legitimacy", "social legitimacy"}


def test_one_card_per_alliance_of_the_paper_with_its_named_partners(english):
    assert {slug(card.ref.iri): partners(card) for card in english.cards} == PAPER_ALLIANCES
    assert len({card.anchor for card in english.cards}) == len(english.cards) == 13


def test_the_newmont_buenaventura_ifc_card(english):
    card = english.card(NBI)
    assert [slug(ref.iri) for ref in card.strategies] == ["SustainableDevelopment"]
    assert {slug(ref.iri) for ref in card.legitimacy} == {
        "MarketLegitimacy",
        "RelationalLegitimacy",
        "SocialLegitimacy",
    }
    parts = {slug(part.actor.ref.iri): part for part in card.parts}
    # "In Peru, this alliance is exercised through Yanacocha."
    assert parts["yanacocha"].role == "operator"
    assert {name: part.actor.sector and slug(part.actor.sector.iri) for name, part in parts.items()} == {
        "newmont": "PrivateSector",
        "buenaventura": "PrivateSector",
        "yanacocha": "PrivateSector",
    } | {"ifc": None}  # "Alliances between companies, like the one established between ... and the International
    # Finance Corporation" (seed l.178): the paper states no sector for the IFC, so none is inferred.
    newmont = parts["newmont"]
    # "Finally, Yanacocha allows Newmont to apply its geological and mining expertise to minimize the risks
    # inherent to all mining operations." (seed l.178): the last of Newmont's benefits, not a resource it brings.
    assert len(newmont.benefits) == 5 and any("US$ 104 per ounce" in text for text in newmont.benefits)
    assert any("geological and mining expertise" in text for text in newmont.benefits) and newmont.resources == ()
    assert not parts["ifc"].states_anything and parts["ifc"].sources == (SALD + "src-arbaiza-paper",)
    # "The company has achieved market legitimacy ... approval of both the government and clients."
    gained = {(slug(a.type.iri), a.holder and slug(a.holder.iri)): a for a in card.attributions}
    # "Alliances between companies, like the one established between ... have proven that these kinds of ties are
    # valuable." (seed l.178): the relational example names no holder, and none is guessed.
    assert set(gained) == {
        ("RelationalLegitimacy", None),
        ("MarketLegitimacy", "yanacocha"),
        ("SocialLegitimacy", "yanacocha"),
    }
    assert set(gained[("MarketLegitimacy", "yanacocha")].audiences.split(", ")) == {"government", "clients"}
    assert "social responsibility activities" in gained[("SocialLegitimacy", "yanacocha")].evidence
    # Yanacocha's works (CEDEPAS, 2009), through Yanacocha: nutrition, primary education, health, basic
    # infrastructure, public administration capacities.
    assert len(card.projects) == 5
    assert all([slug(ref.iri) for ref in item.through] == ["yanacocha"] for item in card.projects)
    assert all(item.sources == (SALD + "src-cedepas-2009",) for item in card.projects)
    assert card.assessments == ()  # the paper assesses no alliance against the principles


def test_the_gavi_card_names_its_partners_and_says_others_are_unnamed(english):
    card = english.card(SALD + "gavi")
    assert partners(card) == GAVI_PARTNERS and card.unidentified_partners
    assert card.strategies == () and card.legitimacy == () and card.attributions == ()
    assert card.sources == (SALD + "src-casado-2007",)
    assert {slug(part.actor.sector.iri) for part in card.parts} == {"PublicSector"}


def test_every_cited_source_is_listed_with_a_short_name(english):
    cited = set()
    for card in english.cards:
        cited.update(card.sources)
        for items in (card.parts, card.attributions, card.projects, card.assessments):
            cited.update(source for item in items for source in item.sources)
    assert set(english.citations) == cited
    assert english.citations[SALD + "src-casado-2007"].short == "Casado Cañeque 2007"
    assert english.citations[SALD + "src-cedepas-2009"].graphs == (GRAPH_BASE + "data/projects.ttl",)
    assert english.citations[SALD + "src-arbaiza-paper"].graphs == (
        GRAPH_BASE + "data/alliances.ttl",
        GRAPH_BASE + "data/projects.ttl",
    )


def test_table_1_and_the_strategies_come_from_the_ontology(english):
    assert [slug(profile.ref.iri) for profile in english.types] == list(TYPES)
    for profile in english.types:
        assert all(profile.values[name].strip() for name in report.TYPE_ATTRIBUTES), profile.ref
    market = english.types[0].values
    # Table 1, market legitimacy: "objective: government or clients benefits: market entry or continued presence"
    assert {"government", "clients"} <= set(market["audience"].split(" | "))
    assert "market entry" in market["benefit"].lower()
    # Table 1 gives alliance legitimacy the "source of legitimacy: partner's social image" (seed l.137); the body
    # text says it "is based on whether a given alliance is opportune" (seed l.77): both, each marked.
    alliance = english.types[-1].values
    assert alliance["source"] == "Partner's social image." and "opportune" in alliance["bodySource"]
    assert all(profile.values[name] for profile in english.types for name in report.BODY_TEXT_ATTRIBUTES.values())
    assert {slug(profile.ref.iri) for profile in english.strategies} == set(STRATEGIES)
    assert all(profile.values["definition"] for profile in english.strategies)


def test_spanish_labels_with_english_where_no_translation_exists(spanish):
    assert {ref.label for ref in spanish.matrix.types} >= {"legitimidad de mercado", "legitimidad social"}
    assert {ref.label for ref in spanish.matrix.strategies} >= {"desarrollo sostenible"}
    card = spanish.card(NBI)
    assert card.ref.label == "Alianza Newmont–Buenaventura–CFI (Yanacocha)"
    (newmont,) = [part for part in card.parts if slug(part.actor.ref.iri) == "newmont"]
    # The partners' texts have Spanish translations; the evidence keeps the words of the paper's English translation
    # ("Yanacocha has also gained social legitimacy in the local communities because it engages in social
    # responsibility activities.", seed l.178): a text without a translation is shown in English.
    assert len(newmont.benefits) == 5 and any("industria del oro" in text for text in newmont.benefits)
    assert any("social responsibility activities" in item.evidence for item in card.attributions)
    assert card.definition.startswith("La alianza «establecida entre")


def test_a_language_the_report_is_not_written_in_is_refused(store_dir: Path):
    with pytest.raises(UsageError, match="en or es"):
        collect(store_dir, "fr")


def test_a_sparql_endpoint_gives_the_same_report_as_the_store(store_dir: Path, english):
    with serving.running(store_dir, f"127.0.0.1:{free_port()}") as endpoint:
        remote = collect(endpoint=endpoint.query_url)
    assert remote == english


@pytest.fixture(scope="module")
def records_store(tmp_path_factory) -> Path:
    """The paper's data plus tests/fixtures/report/records.ttl (an assessment, a markup-named alliance)."""
    target = tmp_path_factory.mktemp("report-records") / "store"
    records = FIXTURES / "report" / "records.ttl"
    source = build.SourceFile("data", records, GRAPH_BASE + "tests/fixtures/report/records.ttl")
    build.build(target, [*build.project_sources(), source], keep_submissions=False)
    return target


def test_principle_assessments_and_plain_legitimacy_statements_are_reported(records_store: Path):
    found = collect(records_store, "es")
    (assessment,) = found.card(NBI).assessments
    # "sal:assessedPrinciple sal:ClearCommunication ; sal:rating 3 ; sal:assessor sald:report-test-ngo"
    assert (slug(assessment.principle.iri), assessment.rating, assessment.date) == (
        "ClearCommunication",
        "3",
        "2012-06-30",
    )
    assert assessment.assessor.label == "ONG de prueba del informe"
    assert assessment.sources == (SALD + "report-test-source",)
    assert found.citations[SALD + "report-test-source"].short == "Tester 2012"
    # A legitimacy stated without an attribution still counts, and the alliance without a Spanish label keeps
    # its English one.
    markup = found.card(SALD + "report-test-markup-alliance")
    assert found.matrix.count(SAL + "PovertyReduction", SAL + "InvestmentLegitimacy") == 1
    assert markup.ref.label.startswith("<script>") and markup.parts[0].actor.sector is None


def test_write_report_replaces_the_file_atomically(store_dir: Path, tmp_path: Path):
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    written = report.write_report(out, store_dir)
    assert written.size == out.stat().st_size and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert out.stat().st_mode & 0o777 != 0o600  # readable as any file the user writes
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]


def test_a_failed_report_leaves_the_previous_file_and_no_debris(tmp_path: Path):
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    with pytest.raises(BackendUnavailable):
        report.write_report(out, tmp_path / "no-store")
    assert out.read_text(encoding="utf-8") == "previous"
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    ("where", "message"),
    [("missing/report.html", "does not exist"), (".", "is a folder")],
)
def test_an_unusable_output_path_is_refused_before_any_work(tmp_path: Path, where: str, message: str):
    with pytest.raises(UsageError, match=message):
        report.write_report(tmp_path / where, tmp_path / "no-store")


def test_short_citations():
    assert report.short_citation("Dacin, M.; Oliver, C.; Roy, J. P.", "2007", "x") == "Dacin et al. 2007"
    assert report.short_citation("Oliver, C.; Baum, J.", "1991", "x") == "Baum & Oliver 1991"
    assert report.short_citation("", "", "A very long title " * 5).endswith("…")
