"""The alliance cards of the report, collected from the catalog queries that describe alliances.

report-alliances gives every alliance (also those with no partner, strategy or legitimacy), report-alliance-links
what each links to, report-actor-projects the projects its partners and operators fund or execute (joined here,
per alliance: a query row per alliance, partner and project would be millions of rows on a large store),
report-partnership-texts what each partnership states (as partner-profile gives it: ``partnerships``),
legitimacy-attributions and principle-assessments the qualified statements, actors-by-sector the sectors; the
sources of every statement come from report-provenance, looked up by the fact that states it. The bulk listings
are asked unordered (``CatalogReader.rows``) and everything is sorted here, on plain strings, so the cards come
out in one order whatever order the rows come in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kgtool.rdf.labels import term_id
from kgtool.report.model import Actor, ActorProject, AllianceCard, Assessment, Attribution, PartnerPart, Ref
from kgtool.report.partnerships import partner_profiles
from kgtool.report.queries import CatalogReader

_LIST_SEPARATOR = " | "  # how the catalog's GROUP_CONCATs join several texts


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(_LIST_SEPARATOR) if part.strip())


def _anchors(iris: Iterable[str]) -> dict[str, str]:
    """A unique, readable HTML id per alliance: ``alliance-<local name>``."""
    anchors: dict[str, str] = {}
    taken: set[str] = set()
    for iri in iris:
        base = term_id("alliance", iri)
        anchor, number = base, 2
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        taken.add(anchor)
        anchors[iri] = anchor
    return anchors


def alliance_cards(
    asked: CatalogReader, sources_of: dict[str, tuple[str, ...]]
) -> tuple[tuple[AllianceCard, ...], set[str]]:
    """One card per alliance of report-alliances, filled from the queries that describe alliances; and the
    facts (alliances, partnerships, attributions, assessments, projects) whose sources the cards cite."""
    index = asked.rows("report-alliances", ordered=False)
    index.sort(key=lambda row: (row["allianceLabel"], row["alliance"]))  # as the query orders it
    link_rows = asked.rows("report-alliance-links", ordered=False)
    links: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in link_rows:
        links[row["alliance"]][row["relation"]].append(row)
    project_index = _project_index(asked.rows("report-actor-projects", ordered=False), sources_of)
    profiles = partner_profiles(asked.rows("report-partnership-texts", ordered=False), asked.lang)
    sectors = _sectors(asked)
    attribution_rows = [row for row in asked.rows("legitimacy-attributions", ordered=False) if row.get("alliance")]
    attributions = _attributions(attribution_rows, sources_of)
    assessment_rows = asked.rows("principle-assessments")
    assessments = _assessments(asked, assessment_rows, sources_of)
    anchors = _anchors(row["alliance"] for row in index)
    facts = {row["alliance"] for row in index}
    facts.update(
        row["through"] for row in link_rows if row["relation"] in ("partner", "legitimacy") and "through" in row
    )
    facts.update(item.project.iri for items in project_index.values() for item in items)
    facts.update(row["attribution"] for row in attribution_rows)
    facts.update(row["assessment"] for row in assessment_rows)
    cards = []
    for row in index:
        iri = row["alliance"]
        linked = links[iri]
        cards.append(
            AllianceCard(
                ref=Ref(row["allianceLabel"], iri),
                anchor=anchors[iri],
                definition=row.get("definition", ""),
                unidentified_partners=row.get("unidentifiedPartners") == "true",
                strategies=_refs(linked["strategy"]),
                legitimacy=_refs(linked["legitimacy"]),
                parts=_parts(iri, linked, profiles, sectors, sources_of),
                attributions=tuple(attributions.get(iri, ())),
                assessments=tuple(assessments.get(iri, ())),
                sources=sources_of.get(iri, ()),
                project_index=project_index,
            )
        )
    return tuple(cards), facts


def _refs(rows: list[dict[str, str]]) -> tuple[Ref, ...]:
    return tuple(Ref(label, iri) for label, iri in sorted({(row["targetLabel"], row["target"]) for row in rows}))


def _sectors(asked: CatalogReader) -> dict[str, Ref | None]:
    """Each actor's sector of society (stated, or implied by its kind); None where none or several disagree."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in asked.rows("actors-by-sector"):
        found[row["actor"]].update([row["sector"]] if row.get("sector") else [])
    labels = asked.labels({sector for sectors in found.values() for sector in sectors})
    return {
        actor: Ref(labels.get(next(iter(sectors)), next(iter(sectors))), next(iter(sectors)))
        if len(sectors) == 1
        else None
        for actor, sectors in found.items()
    }


def _parts(
    alliance: str,
    linked: dict[str, list[dict[str, str]]],
    profiles: dict[tuple[str, str], dict[str, str]],
    sectors: dict[str, Ref | None],
    sources_of: dict[str, tuple[str, ...]],
) -> tuple[PartnerPart, ...]:
    """The partners (with what their partnerships state) and the operators of one alliance."""
    parts: dict[tuple[str, str], PartnerPart] = {}
    for role in ("partner", "operator"):
        grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in linked[role]:
            grouped[row["target"]].append(row)
        for actor_iri, rows in grouped.items():
            profile = profiles.get((alliance, actor_iri), {}) if role == "partner" else {}
            partnerships = sorted({row["through"] for row in rows if row.get("through")})
            parts[(role, actor_iri)] = PartnerPart(
                actor=Actor(Ref(rows[0]["targetLabel"], actor_iri), sectors.get(actor_iri)),
                role=role,
                needs=_split(profile.get("needs")),
                objectives=_split(profile.get("objectives")),
                benefits=_split(profile.get("benefits")),
                resources=_split(profile.get("resources")),
                sought=(profile["legitimacySought"],) if profile.get("legitimacySought") else (),
                preferred=(profile["preferredStrategy"],) if profile.get("preferredStrategy") else (),
                sources=tuple(sorted({source for p in partnerships for source in sources_of.get(p, ())})),
            )
    return tuple(sorted(parts.values(), key=lambda part: (part.role != "partner", part.actor.ref)))


def _attributions(rows: list[dict[str, str]], sources_of: dict[str, tuple[str, ...]]) -> dict[str, list[Attribution]]:
    """legitimacy-attributions grouped by alliance (one query row per attribution and cited source)."""
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row["attribution"]].append(row)
    found: dict[str, list[Attribution]] = defaultdict(list)
    for attribution, group in grouped.items():
        first = group[0]
        sources = {row["source"] for row in group if row.get("source")} | set(sources_of.get(attribution, ()))
        found[first["alliance"]].append(
            Attribution(
                type=Ref(first["typeLabel"], first["type"]),
                holder=Ref(first.get("holderLabel", first["holder"]), first["holder"]) if first.get("holder") else None,
                audiences=first.get("audiences", ""),
                evidence=first.get("evidence", ""),
                sources=tuple(sorted(sources)),
            )
        )
    for attributions in found.values():  # ties (same type and holder) by what they say: the same order every run
        attributions.sort(key=_attribution_key)
    return found


def _attribution_key(item: Attribution) -> tuple:
    holder = item.holder or Ref("", "")
    return (item.type.label, item.type.iri, holder.label, holder.iri, item.audiences, item.evidence, item.sources)


def _assessments(
    asked: CatalogReader, rows: list[dict[str, str]], sources_of: dict[str, tuple[str, ...]]
) -> dict[str, list[Assessment]]:
    assessor_labels = asked.labels(row["assessor"] for row in rows if row.get("assessor"))
    found: dict[str, list[Assessment]] = defaultdict(list)
    for row in rows:
        sources = ({row["source"]} if row.get("source") else set()) | set(sources_of.get(row["assessment"], ()))
        assessor = row.get("assessor")
        found[row["alliance"]].append(
            Assessment(
                principle=Ref(row["principleLabel"], row["principle"]),
                date=row.get("date", ""),
                rating=row.get("rating", ""),
                assessor=Ref(assessor_labels.get(assessor, assessor), assessor) if assessor else None,
                evidence=row.get("evidence", ""),
                sources=tuple(sorted(sources)),
            )
        )
    for assessments in found.values():
        assessments.sort(key=lambda item: (item.principle, item.date))
    return found


def _project_index(
    rows: list[dict[str, str]], sources_of: dict[str, tuple[str, ...]]
) -> dict[str, tuple[ActorProject, ...]]:
    """report-actor-projects by actor: each actor's projects (by label, then IRI) with the projects' sources."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        found[row["actor"]].append((row["projectLabel"], row["project"]))
    made: dict[tuple[str, str], ActorProject] = {}
    return {
        actor: tuple(
            made.setdefault(pair, ActorProject(Ref(*pair), sources_of.get(pair[1], ()))) for pair in sorted(set(pairs))
        )
        for actor, pairs in sorted(found.items())
    }
