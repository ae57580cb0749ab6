"""A synthetic case, hundreds of alliances strong, to test the report at a scale the paper does not reach.

The data follows the ontology (actors of real kinds, so their sector is implied; partnerships; legitimacy
attributions; strategies; principle assessments; sources) and is generated from a seed, so every run sees the
same graph. Names are long and alike on purpose ("Minera Andina del Norte 12 ..."), as real ones often are: that
is what makes labels collide.
"""

from __future__ import annotations

import random
from pathlib import Path

from kgtool.store import build as building
from kgtool.store.core import GRAPH_BASE

SAL = "https://w3id.org/sal#"
TYPES = ("MarketLegitimacy", "RelationalLegitimacy", "SocialLegitimacy", "InvestmentLegitimacy", "AllianceLegitimacy")
STRATEGIES = ("SustainableDevelopment", "PovertyReduction", "InstitutionalDevelopment")
KINDS = (
    ("MiningCompany", "Minera {place} {n}", "Compañía Minera {place} {n}"),
    ("NGO", "Asociación Civil {place} {n}", "Asociación Civil {place} {n}"),
    ("LocalGovernment", "Municipality of {place} {n}", "Municipalidad de {place} {n}"),
    ("Community", "Community of {place} {n}", "Comunidad de {place} {n}"),
    ("IntergovernmentalOrganization", "International Fund for {place} {n}", "Fondo Internacional para {place} {n}"),
)
PLACES = ("Ancash", "Cajamarca", "Arequipa", "Cusco", "La Libertad", "Apurímac", "Moquegua", "Huancavelica", "Puno")
PRINCIPLES = ("MutualBenefit", "CommitmentAndTrust", "Flexibility", "Transparency", "ClearCommunication")


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic_turtle(alliances: int = 300, actors: int = 140, seed: int = 20240601) -> str:
    """Turtle for ``alliances`` alliances among ``actors`` actors; partners are drawn with a preference for the
    already well connected, so a few actors are in many alliances, as mining companies are."""
    rng = random.Random(seed)
    lines = [
        "@prefix sal: <https://w3id.org/sal#> .",
        "@prefix sald: <https://w3id.org/sal/id/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        'sald:syn-source a sal:Source ; dcterms:title "Synthetic monitoring records" ; dcterms:creator "kgtool tests" ;'
        ' dcterms:issued "2024"^^xsd:gYear .',
    ]
    for index in range(actors):
        kind, english, spanish = KINDS[index % len(KINDS)]
        place = PLACES[rng.randrange(len(PLACES))]
        lines.append(
            f"sald:syn-actor-{index} a sal:{kind} ; rdfs:label {_literal(english.format(place=place, n=index))}@en , "
            f"{_literal(spanish.format(place=place, n=index))}@es ."
        )
    weights = [1.0] * actors
    for index in range(alliances):
        chosen: set[int] = set()
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            chosen.add(rng.choices(range(actors), weights=weights)[0])
        for member in chosen:
            weights[member] += 0.6
        strategy = STRATEGIES[rng.randrange(len(STRATEGIES))]
        types = rng.sample(TYPES, rng.choice((0, 1, 1, 1, 2, 3)))
        alliance = f"sald:syn-alliance-{index}"
        place = PLACES[index % len(PLACES)]
        lines.append(
            f"{alliance} a sal:StrategicAlliance ; "
            f"rdfs:label {_literal(f'Alliance {index} for water and health in {place}')}@en , "
            f"{_literal(f'Alianza {index} por el agua y la salud en {place}')}@es ; "
            f"sal:underStrategy sal:{strategy} ; sal:citesSource sald:syn-source ; "
            f"sal:hasPartner {', '.join(f'sald:syn-actor-{m}' for m in sorted(chosen))} ."
        )
        for member in sorted(chosen)[:1]:
            lines.append(
                f"sald:syn-partnership-{index}-{member} a sal:Partnership ; sal:partner sald:syn-actor-{member} ; "
                f'sal:partnershipIn {alliance} ; sal:need "Water for {place}"@en ; '
                f"sal:citesSource sald:syn-source ."
            )
        for type_ in types:
            lines.append(
                f"sald:syn-attribution-{index}-{type_} a sal:LegitimacyAttribution ; sal:attributionOf {alliance} ; "
                f"sal:legitimacyType sal:{type_} ; sal:legitimacyHolder sald:syn-actor-{min(chosen)} ; "
                f'sal:evidence "Recorded by the monitoring team."@en ; sal:citesSource sald:syn-source .'
            )
        if index % 25 == 0:
            principle = PRINCIPLES[index % len(PRINCIPLES)]
            lines.append(
                f"sald:syn-assessment-{index} a sal:PrincipleAssessment ; sal:assessedAlliance {alliance} ; "
                f'sal:assessedPrinciple sal:{principle} ; sal:assessmentDate "2024-05-{1 + index % 28:02d}" ; '
                f"sal:rating {1 + index % 5} ; sal:assessor sald:syn-actor-{min(chosen)} ; "
                f'sal:evidence "Minutes of the steering committee."@en ; sal:citesSource sald:syn-source .'
            )
    return "\n".join(lines) + "\n"


def build_synthetic_store(folder: Path, alliances: int = 300, actors: int = 140) -> Path:
    """A store of the ontology, the reference data and the synthetic case (not the paper's data)."""
    data = folder / "synthetic.ttl"
    data.write_text(synthetic_turtle(alliances, actors), encoding="utf-8")
    sources = [source for source in building.project_sources() if source.kind != "data"]
    sources.append(building.SourceFile("data", data, GRAPH_BASE + "tests/synthetic.ttl"))
    store = folder / "store"
    building.build(store, sources=sources, keep_submissions=False)
    return store
