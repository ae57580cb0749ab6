"""``kgtool report``: one self-contained HTML page of the strategy x legitimacy model, built from the catalog.

Every number and name in the report comes from a catalog query (``queries/*.rq``) run on a backend, so the
page says exactly what ``kgtool query`` says, on the embedded store or on a SPARQL endpoint alike.

The parts: ``report_queries`` runs the catalog; this module and ``report_alliances`` collect the rows into a
``report_model.Report``; ``report_html`` (with ``report_cards``, ``report_svg``, ``report_network`` and
``report_text``) draws it; ``write_report`` puts the page in place atomically, so a failed run never leaves a
half-written file behind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kgtool.errors import UsageError
from kgtool.files import write_atomically
from kgtool.rdf.labels import compact
from kgtool.rdf.namespaces import SAL
from kgtool.report.alliances import alliance_cards
from kgtool.report.model import AllianceCard, Citation, Crossover, Matrix, Profile, Ref, Report
from kgtool.report.queries import CatalogReader
from kgtool.sparql.results import DEFAULT_TIMEOUT, Backend

#: Languages the report's own texts exist in; data labels fall back to English where a translation is missing.
LANGUAGES = ("en", "es")

#: The columns of the catalog's legitimacy-strategy-matrix query, in its order, and the types they count.
MATRIX_COLUMNS = {
    "market": SAL + "MarketLegitimacy",
    "relational": SAL + "RelationalLegitimacy",
    "social": SAL + "SocialLegitimacy",
    "investment": SAL + "InvestmentLegitimacy",
    "alliance": SAL + "AllianceLegitimacy",
}

#: The attributes of Table 1 and of Figures 1-3, as the catalog's profile queries name their columns.
TYPE_ATTRIBUTES = ("definition", "drivingNeed", "motivation", "source", "audience", "benefit")
#: The body text's readings of Table 1 (legitimacy-type-body-text's columns -> the report's row names).
BODY_TEXT_ATTRIBUTES = {
    "environmentNeed": "bodyEnvironmentNeed",
    "organizationNeed": "bodyOrganizationNeed",
    "source": "bodySource",
    "audience": "bodyAudience",
}
STRATEGY_ATTRIBUTES = ("definition", "instruments", "benefits", "actors")


def check_language(lang: str) -> str:
    """``lang`` if the report speaks it, else a UsageError (exit 2)."""
    if lang not in LANGUAGES:
        raise UsageError(
            f"--lang {lang!r}: the report is written in {' or '.join(LANGUAGES)}",
            es=f"--lang {lang!r}: el informe está escrito en {' o '.join(LANGUAGES)}",
        )
    return lang


def collect(backend: Backend, lang: str = "en") -> Report:
    """The report's content, from the catalog queries run on ``backend``."""
    asked = CatalogReader(backend, check_language(lang))
    provenance = asked.rows("report-provenance", ordered=False)
    sources_of = _sources_by_fact(provenance)
    types = _types(asked)
    matrix = _matrix(asked, types)
    column = {ref.iri: index for index, ref in enumerate(matrix.types)}
    types = tuple(sorted(types, key=lambda profile: (column.get(profile.ref.iri, len(column)), profile.ref)))
    cards, facts = alliance_cards(asked, sources_of)
    sectors = sorted({part.actor.sector for card in cards for part in card.parts if part.actor.sector})
    return Report(
        lang=lang,
        matrix=matrix,
        gaps=_gaps(asked.rows("legitimacy-gaps"), matrix),
        crossovers=tuple(
            Crossover(
                Ref(row["allianceLabel"], row["alliance"]), int(row["types"]), row["legitimacy"], row["strategies"]
            )
            for row in asked.rows("crossover-alliances")
        ),
        cards=cards,
        types=types,
        strategies=tuple(_profile(row, "strategy", STRATEGY_ATTRIBUTES) for row in asked.rows("strategy-profile")),
        citations=_citations(asked.rows("report-sources"), provenance, facts, _cited_sources(cards)),
        sectors=tuple(sectors),
    )


def _types(asked: CatalogReader) -> tuple[Profile, ...]:
    """Table 1's cells of each legitimacy type, then the body text's readings (rows named ``body...``)."""
    body = {row["type"]: row for row in asked.rows("legitimacy-type-body-text")}
    types = []
    for row in asked.rows("legitimacy-type-profile"):
        profile = _profile(row, "type", TYPE_ATTRIBUTES)
        read = body.get(row["type"], {})
        profile.values.update({name: read.get(column, "") for column, name in BODY_TEXT_ATTRIBUTES.items()})
        types.append(profile)
    return tuple(types)


def _profile(row: dict[str, str], key: str, attributes: tuple[str, ...]) -> Profile:
    return Profile(Ref(row.get(key + "Label", row[key]), row[key]), {name: row.get(name, "") for name in attributes})


def _matrix(asked: CatalogReader, types: tuple[Profile, ...]) -> Matrix:
    """legitimacy-strategy-matrix for the counts; alliance-legitimacy-strategy for the alliances behind them."""
    type_labels = {profile.ref.iri: profile.ref.label for profile in types}
    missing = [iri for iri in MATRIX_COLUMNS.values() if iri not in type_labels]
    type_labels.update(asked.labels(missing))
    columns = tuple(Ref(type_labels.get(iri, iri), iri) for iri in MATRIX_COLUMNS.values())
    counts: dict[tuple[str, str], int] = {}
    strategies = []
    for row in asked.rows("legitimacy-strategy-matrix"):
        # The row of the alliances whose strategy is not stated has no strategy IRI: "" stands for it.
        strategies.append(Ref(row["strategyLabel"], row.get("strategy", "")))
        for variable, type_iri in MATRIX_COLUMNS.items():
            counts[(row.get("strategy", ""), type_iri)] = int(row.get(variable, "0"))
    behind: dict[tuple[str, str], set[Ref]] = defaultdict(set)
    for row in asked.rows("alliance-legitimacy-strategy", ordered=False):
        behind[(row.get("strategy", ""), row["legitimacy"])].add(Ref(row["allianceLabel"], row["alliance"]))
    return Matrix(
        strategies=tuple(strategies),
        types=columns,
        counts=counts,
        behind={cell: tuple(sorted(refs, key=_ref_key)) for cell, refs in behind.items()},
    )


def _ref_key(ref: Ref) -> tuple[str, str]:
    """Sorting key of a Ref (its label, then its IRI): the order ``Ref``'s own comparison gives, at C speed."""
    return (ref.label, ref.iri)


def _gaps(rows: list[dict[str, str]], matrix: Matrix) -> tuple[tuple[Ref, tuple[Ref, ...], str], ...]:
    """Per strategy (in the matrix's order), the legitimacy types no alliance under it fulfils, and why: the
    strategy has no alliance at all (no case in the data), or its alliances do not fulfil them."""
    missing: dict[str, list[Ref]] = defaultdict(list)
    names: dict[str, Ref] = {}
    reasons: dict[str, str] = {}
    for row in rows:
        names[row["strategy"]] = Ref(row["strategyLabel"], row["strategy"])
        missing[row["strategy"]].append(Ref(row["typeLabel"], row["type"]))
        reasons[row["strategy"]] = row.get("reason", "")
    order = [ref.iri for ref in matrix.strategies] + sorted(set(names) - {ref.iri for ref in matrix.strategies})
    column = {ref.iri: index for index, ref in enumerate(matrix.types)}
    return tuple(
        (names[iri], tuple(sorted(missing[iri], key=lambda ref: (column.get(ref.iri, len(column)), ref))), reasons[iri])
        for iri in order
        if iri in names
    )


def _sources_by_fact(provenance: list[dict[str, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in provenance:
        found[row["fact"]].add(row["source"])
    return {fact: tuple(sorted(sources)) for fact, sources in found.items()}


def _cited_sources(cards: tuple[AllianceCard, ...]) -> set[str]:
    cited = {source for card in cards for source in card.sources}
    for card in cards:
        for items in (card.parts, card.attributions, card.assessments):
            cited.update(source for item in items for source in item.sources)
    # A card's projects are its partners' projects: each actor's once, not once per alliance it is in.
    actors = {part.actor.ref.iri for card in cards for part in card.parts}
    projects = cards[0].project_index if cards else {}
    cited.update(source for actor in actors for link in projects.get(actor, ()) for source in link.sources)
    return cited


def _citations(
    works: list[dict[str, str]], provenance: list[dict[str, str]], facts: set[str], cited: set[str]
) -> dict[str, Citation]:
    """The works cited for ``facts``, each with a short name ("Casado Cañeque 2007") and the named graphs
    (files, submissions) that record those facts; a work ``cited`` without provenance gets its IRI as name."""
    details = {row["source"]: row for row in works}
    graphs: dict[str, set[str]] = defaultdict(set)
    for row in provenance:
        if row["fact"] in facts:
            graphs[row["source"]].add(row["graph"])
    citations = {}
    for source in sorted(set(graphs) | cited):
        row = details.get(source, {}) if source in graphs else {}
        citations[source] = Citation(
            iri=source,
            short=short_citation(
                row.get("creators", ""), row.get("issued", ""), row.get("title", "") or compact(source)
            ),
            title=row.get("title", ""),
            citation=row.get("citation", ""),
            graphs=tuple(sorted(graphs[source])),
        )
    return citations


def short_citation(creators: str, issued: str, fallback: str) -> str:
    """``Dacin et al. 2007``, ``Casado Cañeque 2007``, ``Lydia Arbaiza Fermini``: how a statement names its source."""
    names = sorted(name.strip() for name in creators.split(";") if name.strip())
    surnames = [name.split(",")[0].strip() for name in names]
    if not surnames:
        author = fallback if len(fallback) <= 60 else fallback[:57].rstrip() + "…"
    elif len(surnames) == 1:
        author = surnames[0]
    elif len(surnames) == 2:
        author = f"{surnames[0]} & {surnames[1]}"
    else:
        author = f"{surnames[0]} et al."
    return f"{author} {issued}".strip()


@dataclass(frozen=True)
class Written:
    """What ``write_report`` wrote."""

    path: Path
    report: Report
    size: int


def check_output(out: Path) -> Path:
    """``out`` if a report can be written there; else a UsageError naming what is wrong."""
    if out.is_dir():
        raise UsageError(
            f"--out {out}: is a folder; give a file name such as {out / 'report.html'}",
            es=f"--out {out}: es una carpeta; dé un nombre de archivo como {out / 'informe.html'}",
        )
    if not out.parent.is_dir():
        raise UsageError(
            f"--out {out}: the folder {out.parent} does not exist", es=f"--out {out}: la carpeta {out.parent} no existe"
        )
    return out


def write_report(
    out: Path,
    store_dir: Path | None = None,
    endpoint: str | None = None,
    lang: str = "en",
    timeout: float = DEFAULT_TIMEOUT,
) -> Written:
    """Collect the report from the store (or ``endpoint``), render it and put it at ``out`` atomically."""
    from kgtool.report import html as report_html
    from kgtool.sparql import backends
    from kgtool.store.core import store_path

    check_language(lang)
    check_output(out)
    if store_dir and endpoint:
        raise UsageError("give --store or --endpoint, not both", es="dé --store o --endpoint, no ambos")
    with backends.connect(store_dir, endpoint, timeout) as backend:
        report = collect(backend, lang)
    origin = endpoint or str(store_path(store_dir))
    page = report_html.render(report, origin).encode("utf-8")
    write_atomically(out, page, "the report")
    return Written(out, report, len(page))
