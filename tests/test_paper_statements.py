"""The paper's statements that are no fact about an identified case: claims, what alliances require, their obstacles.

Each expected statement is written here with the paper's sentence and its line in the paper's text file (seed l.N);
the tests check that the knowledge graph holds it, with the work the paper cites for it, and that every quoted
sentence is the paper's, word for word (when the paper's text is present; tests/conftest.py ``paper_text``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PAPER
from kgtool.rdf.namespaces import PREFIXES, SAL, SALD
from kgtool.sparql import catalog, queries
from kgtool.store.core import opened

# claim -> (seed line, the works the paper cites for it, what it names). The sentences are in data/claims.ttl.
CLAIMS = {
    # "Research shows that satisfying the need for legitimacy has allowed organizations to benefit from different
    # strategic resources including a better reputation, access to other markets ... (Baum & Oliver, 1991; Larson,
    # 1992)."
    "claim-legitimacy-benefits": (81, {"src-baum-oliver-1991", "src-larson-1992"}, {"DacinOliverRoy2007"}),
    # "Finally, this model proposes a crossover between legitimacy types to benefit a specific development strategy.
    # This, as Baum & Oliver (1991) contend, will ensure that organizations acquire a better reputation ..."
    "claim-legitimacy-crossover": (200, {"src-arbaiza-paper", "src-baum-oliver-1991"}, {"DacinOliverRoy2007"}),
    # "The company in charge of the social fund approves follow-up on projects. ... (Arbaiza, 2008)."
    "claim-social-fund-project-follow-up": (91, {"src-arbaiza-2008"}, {"SustainableDevelopment"}),
    # "Experience has shown that public-private alliances guarantee more investment in less developed countries ..."
    "claim-public-private-alliances-investment": (119, {"src-casado-2007"}, set()),
    # "These efforts also provide technical assistance and additional financing to civil society, with the
    # collaboration of the private sector, ... (Casado, 2007)."
    "claim-international-alliances-assistance": (
        119,
        {"src-casado-2007"},
        {"jei", "gavi", "stoptb", "pep", "global-water-partnership", "growing-sustainable-business"},
    ),
    # "I believe that in the case of large-scale mining interests in Peru, this model will constitute a fundamental
    # contribution ..."
    "claim-model-contribution": (194, {"src-arbaiza-paper"}, {"peru"}),
    # "Mining in Peru will constitute an important source of development if and only if it is managed through
    # strategic alliances and contributes to sustainable development and poverty reduction."
    "claim-mining-development-condition": (
        196,
        {"src-arbaiza-paper"},
        {"peru", "SustainableDevelopment", "PovertyReduction"},
    ),
    # "Poverty levels have risen and it has become necessary to develop programs ..."
    "claim-poverty-risen": (204, {"src-arbaiza-paper"}, {"peru"}),
    # "Social funds were created in response to the fiscal and political crisis in Latin America."
    "claim-social-funds-origin": (208, {"src-arbaiza-paper"}, {"latin-america"}),
    # "In the mid 1980s, many developed and less developed countries set up programs to compensate ... (OIT, 2001)."
    "claim-compensation-programmes-1980s": (19, {"src-oit-2001"}, {"africa", "latin-america"}),
    # "although countries in Latin America and the Caribbean reduced poverty in the 1990s" (IDB, 2003)
    "claim-lac-poverty-reduced-1990s": (41, {"src-idb-2003"}, {"latin-america-and-the-caribbean"}),
    # "a significant portion of the rural communities in mining areas have a negative perception of mining investment
    # (Guzmán, 2003)."
    "claim-rural-negative-perception": (43, {"src-guzman-2003"}, {"peru"}),
    # "These difficulties are primarily attributable to environmental concerns (Tanaka & Huber, 2007)."
    "claim-conflicts-environmental": (43, {"src-tanaka-huber-2007"}, {"peru"}),
    # "According to Guzman (2003), Peru should promote mining investment that ensures that the population's rights
    # and activities are respected."
    "claim-mining-investment-rights": (45, {"src-guzman-2003"}, {"peru"}),
    # "In Peru, recently created funds for private investment projects are run by private legal entities ..."
    "claim-private-entities-run-funds": (210, {"src-arbaiza-paper"}, {"peru"}),
    # "Peru began to pass new environmental legislation in the 1990s."
    "claim-environmental-legislation-1990s": (216, {"src-arbaiza-paper"}, {"peru"}),
    # "The number of alliances has increased considerably ... (Inforesources, 2005; Renart, 2008)."
    "claim-alliance-growth": (55, {"src-inforesources-2005", "src-renart-2008"}, set()),
    # "These alliances have helped boost the productivity of resources and open up new markets. They also facilitate
    # exchanges on strategic issues ... (Dyer, Kale & Singh, 2001; Fiszbein & Lowden, 1999; García-Canal et al.,
    # 2004; Ireland, Hitt & Vaidyanath, 2002)"
    "claim-alliance-benefits": (
        55,
        {
            "src-dyer-kale-singh-2001",
            "src-fiszbein-lowden-1999",
            "src-garcia-canal-et-al-2004",
            "src-ireland-hitt-vaidyanath-2002",
        },
        set(),
    ),
}

# "Nevertheless, when establishing alliances it is necessary to develop common objectives, determine each partner's
# benefits and establish a scheme to equitably distribute decision making powers." (seed l.121-123); "alliances
# must be managed well and should not lose sight of the primary reason for which they were established (Casado,
# 2007)."
REQUIREMENTS = {"CommonObjectives", "PartnerBenefitsDetermined", "EquitableDecisionPower", "GoodAllianceManagement"}
# "Tennyson (2003) indicates that the public in general tends to be somewhat skeptical. The institutions and
# individuals that direct these efforts often suffer from limitations and each sector tends to harbor negative
# perceptions. It seems that concept of an alliance is not well understood ... (United Nations, 2005)." (l.123)
OBSTACLES = {"PublicSkepticism", "LeadershipLimitations", "NegativeSectorPerceptions", "AllianceConceptMisunderstood"}


def slug(term) -> str:
    return term.value.removeprefix(SALD).removeprefix(SAL)


def _select(store_dir: Path, text: str) -> list[dict]:
    with opened(store_dir) as store:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        return [{v.value: s[v] for v in result.variables if s[v] is not None} for s in result]


def test_the_cited_claims_query_lists_each_claim_with_its_sources_and_topics(store_dir: Path):
    rows = queries.run(store_dir, catalog.resolve("cited-claims")).rows
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(slug(row["claim"]), set()).add(slug(row["source"]))
    assert found == {claim: sources for claim, (_, sources, _) in CLAIMS.items()}
    topics = _select(store_dir, "SELECT ?claim ?topic WHERE { ?claim a sal:Claim ; sal:claimAbout ?topic }")
    named: dict[str, set[str]] = {claim: set() for claim in CLAIMS}
    for row in topics:
        named[slug(row["claim"])].add(slug(row["topic"]))
    assert named == {claim: about for claim, (_, _, about) in CLAIMS.items()}
    # "reduced poverty in the 1990s" (l.41), "new environmental legislation in the 1990s" (l.216): the claims with a
    # period the paper gives in years ("the mid 1980s", l.19, is no year and is left in the quote).
    periods = {slug(row["claim"]): row["when"].value for row in rows if "when" in row}
    assert periods == dict.fromkeys(
        ["claim-lac-poverty-reduced-1990s", "claim-environmental-legislation-1990s"], "1990–1999"
    )
    peru = {
        slug(row["claim"])
        for row in queries.run(store_dir, catalog.resolve("cited-claims"), {"about": "sald:peru"}).rows
    }
    assert peru == {claim for claim, (_, _, about) in CLAIMS.items() if "peru" in about}


def test_every_claim_quotes_the_paper_at_its_line(store_dir: Path, paper_text: str):
    lines = [" ".join(line.split()) for line in PAPER.read_text(encoding="utf-8").splitlines()]
    rows = _select(store_dir, "SELECT ?claim ?quote WHERE { ?claim a sal:Claim ; sal:evidence ?quote }")
    assert len(rows) == len(CLAIMS)
    for row in rows:
        quote = " ".join(row["quote"].value.split())
        assert quote in paper_text, slug(row["claim"])
        line = CLAIMS[slug(row["claim"])][0]
        # the quote starts on the line given above (the paragraph's line in the seed file)
        assert quote[:60] in lines[line - 1], (slug(row["claim"]), line)


@pytest.mark.parametrize(
    ("scheme", "members"), [("AllianceRequirementScheme", REQUIREMENTS), ("AllianceObstacleScheme", OBSTACLES)]
)
def test_what_alliances_require_and_their_obstacles_are_in_the_ontology(
    store_dir: Path, paper_text: str, scheme: str, members: set[str]
):
    rows = _select(
        store_dir,
        f"""SELECT ?concept ?note ?es WHERE {{ ?concept skos:topConceptOf sal:{scheme} ; skos:scopeNote ?note ;
              rdfs:label ?es FILTER(lang(?es) = "es") }}""",
    )
    assert {slug(row["concept"]) for row in rows} == members
    for row in rows:
        quoted = row["note"].value.split('"')[1]  # The paper: "..."
        assert " ".join(quoted.split()) in paper_text, slug(row["concept"])


def test_the_programme_figures_carry_their_report_s_date(store_dir: Path):
    # "According to the MINEM report published in March 2010, 39 companies are affiliated ..." (seed l.25);
    # "According to the National Society of Mining Petroleum and Energy (2010) 1,568 projects are underway." (l.27)
    rows = _select(
        store_dir, "SELECT ?figure ?date ?source WHERE { ?figure sal:refDate ?date ; sal:citesSource ?source }"
    )
    dates = {slug(row["figure"]): (row["date"].value, row["date"].datatype.value.rsplit("#", 1)[1]) for row in rows}
    sources = {slug(row["figure"]): slug(row["source"]) for row in rows}
    minem = {f for f, s in sources.items() if s == "src-minem-2010"}
    snmpe = {f for f, s in sources.items() if s == "src-snmpe-2010"}
    assert len(minem) == 3 and len(snmpe) == 8
    assert {dates[f] for f in minem} == {("2010-03", "gYearMonth")}
    assert {dates[f] for f in snmpe} == {("2010", "gYear")}
    assert dates["fig-un-2000-millennium-goals-countries"] == ("2000", "gYear")  # "In the year 2000, 189 countries"


def test_the_paper_s_spanish_label_keeps_its_english_title(store_dir: Path, paper_text: str):
    # "*Translated by: Kathleen Galagher" (seed l.15): the paper gives no title of its Spanish original, so the
    # Spanish label names it by its English title instead of a back-translation.
    assert "Translated by: Kathleen Galagher" in paper_text
    rows = _select(
        store_dir, 'SELECT ?label WHERE { sald:src-arbaiza-paper rdfs:label ?label FILTER(lang(?label) = "es") }'
    )
    (row,) = rows
    assert (
        "The Applicability of Strategic Alliances in the Development Process of Poor Communities" in row["label"].value
    )
