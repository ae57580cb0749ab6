"""A seeded generator of synthetic SAL instance data, for benchmarks only.

Why it exists: the paper's case is a few thousand triples, so it says nothing about how kgtool's cost grows.
This module writes as much instance data as asked (1k to 1M+ triples) in the project's own vocabulary:
actors of every kind, alliances with 2-5 partnerships, legitimacy attributions, principle assessments,
projects across Peru's 25 regions and all project sectors, funds, contributions, localities and figures.

Rules it keeps, because benchmark data must never be mistaken for facts and must measure the real thing:
- Everything is marked synthetic: every slug starts with ``synthetic-`` (``sald:synthetic-ngo-12``), every
  label says "synthetic"/"sintético", every record cites ``sald:synthetic-benchmark-source``, a ``sal:Source``
  whose title and comment say it is not a real document. Only Peru's regions (``data/reference/``) are real,
  and they are pointed to, never restated.
- It conforms to ``shapes/`` with no result at all (not even a warning), so a validation run measures the
  cost of checking good data; ``violations=K`` then breaks exactly K records in K ways SHACL sees alone (each
  yields exactly one Violation, none a warning), so the count of Violations is known in advance.
- It is deterministic: the same arguments give the same bytes (one ``random.Random(seed)``, no clock, no set
  iteration order).

Run ``python benchmarks/generate.py --help``; ``benchmarks/run`` imports ``generate``.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

SAL = "https://w3id.org/sal#"
SALD = "https://w3id.org/sal/id/"
SOURCE = "sald:synthetic-benchmark-source"

PREFIXES = (
    ("sal", SAL),
    ("sald", SALD),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("schema", "https://schema.org/"),
)

#: Peru's regions as data/reference/regions.ttl names them (a test of the shapes keeps that list in sync).
REGIONS = (
    "amazonas",
    "ancash",
    "apurimac",
    "arequipa",
    "ayacucho",
    "cajamarca",
    "callao",
    "cusco",
    "huancavelica",
    "huanuco",
    "ica",
    "junin",
    "la-libertad",
    "lambayeque",
    "lima",
    "loreto",
    "madre-de-dios",
    "moquegua",
    "pasco",
    "piura",
    "puno",
    "san-martin",
    "tacna",
    "tumbes",
    "ucayali",
)

#: Every kind of actor: (class, the sector its class implies or None, English name, Spanish name).
ACTOR_KINDS = (
    ("MiningCompany", "PrivateSector", "Synthetic Mining Company", "Compañía Minera Sintética"),
    ("NGO", "CivilSociety", "Synthetic NGO", "ONG Sintética"),
    ("LocalGovernment", "PublicSector", "Synthetic Municipality", "Municipalidad Sintética"),
    ("Community", "CivilSociety", "Synthetic Community", "Comunidad Sintética"),
    ("MiningGroup", "PrivateSector", "Synthetic Mining Group", "Grupo Minero Sintético"),
    ("PeasantCommunity", "CivilSociety", "Synthetic Peasant Community", "Comunidad Campesina Sintética"),
    ("RegionalGovernment", "PublicSector", "Synthetic Regional Government", "Gobierno Regional Sintético"),
    ("CommunityLeader", "CivilSociety", "Synthetic Community Leader", "Dirigente Comunal Sintético"),
    ("IntergovernmentalOrganization", "PublicSector", "Synthetic Development Bank", "Banco de Desarrollo Sintético"),
    ("GovernmentAgency", "PublicSector", "Synthetic Agency", "Agencia Sintética"),
    ("ResearchCentre", "CivilSociety", "Synthetic Research Centre", "Centro de Investigación Sintético"),
    ("BusinessAssociation", "CivilSociety", "Synthetic Business Association", "Asociación Empresarial Sintética"),
    ("NationalGovernment", "PublicSector", "Synthetic Ministry", "Ministerio Sintético"),
    ("InternationalOrganization", None, "Synthetic International Foundation", "Fundación Internacional Sintética"),
    ("Company", "PrivateSector", "Synthetic Supplier", "Proveedor Sintético"),
    ("Organization", None, "Synthetic Organization", "Organización Sintética"),
)
PERSON_KINDS = {"CommunityLeader"}
SECTORS = ("PublicSector", "PrivateSector", "CivilSociety")
STRATEGIES = ("SustainableDevelopment", "PovertyReduction", "InstitutionalDevelopment")
LEGITIMACY = (
    "MarketLegitimacy",
    "RelationalLegitimacy",
    "SocialLegitimacy",
    "InvestmentLegitimacy",
    "AllianceLegitimacy",
)
AUDIENCES = (
    "GovernmentAudience",
    "ClientsAudience",
    "SuppliersAudience",
    "LocalCommunitiesAudience",
    "PublicInterestGroupsAudience",
    "PotentialPartnersAudience",
    "InvestorsAudience",
    "OtherCompanyDirectorsAudience",
    "OtherOrganizationsAudience",
    "PartnersAudience",
)
PRINCIPLES = (
    "MutualBenefit",
    "CommitmentAndTrust",
    "Flexibility",
    "Transparency",
    "ClearCommunication",
    "EquityAndJustice",
)
EVIDENCE_KINDS = ("ExplicitStatement", "ListedExample", "CuratorInference")
PROJECT_SECTORS = (
    "NutritionSector",
    "EducationSector",
    "HealthSector",
    "InfrastructureSector",
    "ProductiveChainsSector",
    "CapacityBuildingSector",
    "WaterSanitationSector",
    "ElectrificationSector",
    "AgricultureSector",
    "ConstructionSector",
    "EnvironmentSector",
    "TransportSector",
    "PublicWorksSector",
    "InstitutionalStrengtheningSector",
)
STATUSES = ("Planned", "Underway", "Finished", "Suspended")
TOPICS = (
    ("drinking water", "agua potable"),
    ("child nutrition", "nutrición infantil"),
    ("rural schools", "escuelas rurales"),
    ("health posts", "postas de salud"),
    ("irrigation", "riego"),
    ("local roads", "caminos vecinales"),
    ("alpaca farming", "crianza de alpacas"),
    ("municipal management", "gestión municipal"),
)
PARTNER_TEXTS = ("need", "objective", "expectedBenefit", "contributedResource")


@dataclass
class Record:
    """One subject and its statements: ``(predicate, object)`` in Turtle, an object may be a blank node
    (a list of statements itself)."""

    subject: str
    kind: str  # the generator's name for what it is: "actor", "alliance", "project", ...
    statements: list[tuple[str, str | list[tuple[str, str]]]]
    sector_implied: str | None = None


@dataclass
class Injected:
    """One violation put in on purpose: the record, the shape that must report it, and how it was broken."""

    focus: str
    shape: str
    how: str


@dataclass
class Dataset:
    """What ``generate`` made: the Turtle text and what it holds."""

    text: str
    triples: int
    records: int
    injected: list[Injected] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bytes = self.text.encode("utf-8")


def en(text: str) -> str:
    return _quoted(text) + "@en"


def es(text: str) -> str:
    return _quoted(text) + "@es"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


class Generator:
    """Builds records block by block; a block is one alliance with everything around it."""

    def __init__(self, seed: int, prefix: str) -> None:
        if not prefix.startswith("synthetic"):
            raise ValueError("the slug prefix must start with 'synthetic' so that generated data is marked as such")
        self.rng = random.Random(seed)
        self.prefix = prefix
        self.records: list[Record] = []
        self.counters: dict[str, int] = {}
        self.actors: list[tuple[str, str]] = []  # (IRI, class)
        self.localities: list[str] = []
        self.projects: list[str] = []
        self.fund: str | None = None
        self.blocks = 0

    def iri(self, kind: str) -> tuple[str, int]:
        number = self.counters.get(kind, 0) + 1
        self.counters[kind] = number
        return f"sald:{self.prefix}-{kind}-{number}", number

    def add(self, record: Record) -> Record:
        self.records.append(record)
        return record

    def labelled(self, english: str, spanish: str) -> list[tuple[str, str]]:
        return [("rdfs:label", en(english)), ("rdfs:label", es(spanish))]

    def source(self) -> None:
        """The one source every generated record cites; its text says it is not a real document."""
        self.add(
            Record(
                SOURCE,
                "source",
                [
                    ("a", "sal:Source"),
                    *self.labelled(
                        "Synthetic benchmark source (not a real document)",
                        "Fuente sintética de benchmark (no es un documento real)",
                    ),
                    ("dcterms:title", en("Synthetic records generated by kgtool's benchmarks/generate.py")),
                    ("dcterms:creator", _quoted("kgtool benchmarks (synthetic)")),
                    ("dcterms:issued", typed(2024, "gYear")),
                    ("rdfs:comment", en("Synthetic: every record citing this source is fictional benchmark data.")),
                ],
            )
        )

    def region(self) -> str:
        return f"sald:region-{self.rng.choice(REGIONS)}"

    def actor(self) -> str:
        index = self.counters.get("actor-kind", 0)
        self.counters["actor-kind"] = index + 1
        kind, sector, english, spanish = ACTOR_KINDS[index % len(ACTOR_KINDS)]
        slug = kind.lower() if kind != "IntergovernmentalOrganization" else "igo"
        subject, number = self.iri(slug)
        statements = [("a", f"sal:{kind}"), *self.labelled(f"{english} {number}", f"{spanish} {number}")]
        statements.append(("sal:citesSource", SOURCE))
        if self.rng.random() < 0.5:
            statements.append(("sal:locatedIn", self.region()))
        stated_sector = sector is not None and self.rng.random() < 0.35
        if stated_sector:
            statements.append(("sal:inSocietalSector", f"sal:{sector}"))
        if self.rng.random() < 0.25:
            statements.append(("sal:prefersStrategy", f"sal:{self.rng.choice(STRATEGIES)}"))
        self.add(Record(subject, "actor", statements, sector if stated_sector else None))
        self.actors.append((subject, kind))
        return subject

    def partners(self, count: int) -> list[str]:
        """Distinct partners: mostly recent actors, sometimes one of the first (long-lived, well connected)."""
        chosen: list[str] = []
        while len(chosen) < count:
            if self.rng.random() < 0.2:
                candidate = self.actors[self.rng.randrange(min(len(self.actors), 20))][0]
            else:
                candidate = self.actors[len(self.actors) - 1 - self.rng.randrange(min(len(self.actors), 60))][0]
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def block(self) -> None:
        """One alliance with its partnerships and attributions, its projects, and now and then a fund,
        a contribution, a locality, an assessment and a figure."""
        self.blocks += 1
        for _ in range(3 if self.actors else 8):
            self.actor()
        if self.blocks % 3 == 1:
            self.locality()
        if self.fund is None or self.blocks % 8 == 0:
            self.new_fund()
        members = self.partners(self.rng.randint(2, 5))
        alliance, types, strategy = self.alliance(members)
        for holder_type in types[:2]:
            self.attribution(alliance, self.rng.choice(members), holder_type)
        if self.blocks % 3 == 0:
            self.assessment(alliance, self.rng.choice(members))
        for _ in range(self.rng.randint(1, 2)):
            self.project(members, strategy)
        if self.rng.random() < 0.5:
            self.contribution(self.rng.choice(members))
        if self.blocks % 10 == 0:
            self.figure()

    def locality(self) -> None:
        subject, number = self.iri("locality")
        region = self.region()
        statements = [
            ("a", "sal:Locality"),
            *self.labelled(f"Synthetic Locality {number}", f"Localidad Sintética {number}"),
        ]
        statements += [("sal:locatedIn", region), ("sal:citesSource", SOURCE)]
        self.add(Record(subject, "locality", statements))
        self.localities.append(subject)

    def alliance(self, members: list[str]) -> tuple[str, list[str], str]:
        subject, number = self.iri("alliance")
        topic = self.rng.choice(TOPICS)
        strategy = self.rng.choice(STRATEGIES)
        types = self.rng.sample(LEGITIMACY, self.rng.choice((1, 1, 2, 2, 3)))
        start = self.rng.randint(2004, 2020)
        statements = [
            ("a", "sal:StrategicAlliance"),
            *self.labelled(f"Synthetic alliance {number} for {topic[0]}", f"Alianza sintética {number} por {topic[1]}"),
            ("sal:underStrategy", f"sal:{strategy}"),
            *(("sal:fulfilsLegitimacy", f"sal:{t}") for t in types),
            ("sal:periodStart", typed(start, "gYear")),
            ("sal:periodEnd", typed(start + self.rng.randint(1, 6), "gYear")),
            ("sal:locatedIn", self.region()),
            ("sal:citesSource", SOURCE),
        ]
        organizations = [iri for iri, kind in self.actors[-60:] if kind not in PERSON_KINDS and iri not in members]
        if organizations and self.rng.random() < 0.1:
            statements.append(("sal:operatesThrough", self.rng.choice(organizations)))
        partnerships = []
        for position, member in enumerate(members, start=1):
            partnership = f"{subject}-partner-{position}"
            partnerships.append(partnership)
            statements.append(("sal:hasPartner", member))
        statements += [("sal:hasPartnership", p) for p in partnerships]
        self.add(Record(subject, "alliance", statements))
        for partnership, member in zip(partnerships, members, strict=True):
            self.partnership(partnership, member, subject, number, types, topic)
        return subject, types, strategy

    def partnership(
        self, subject: str, member: str, alliance: str, number: int, types: list[str], topic: tuple[str, str]
    ) -> None:
        statements = [
            ("a", "sal:Partnership"),
            *self.labelled(
                f"Synthetic partnership in alliance {number}", f"Participación sintética en la alianza {number}"
            ),
            ("sal:partner", member),
            ("sal:partnershipIn", alliance),
            ("sal:seeksLegitimacy", f"sal:{self.rng.choice(types)}"),
            ("sal:citesSource", SOURCE),
        ]
        for text in self.rng.sample(PARTNER_TEXTS, 2):
            statements.append((f"sal:{text}", en(f"Synthetic {text} about {topic[0]}.")))
        if self.rng.random() < 0.3:
            statements.append(("sal:prefersStrategy", f"sal:{self.rng.choice(STRATEGIES)}"))
        self.add(Record(subject, "partnership", statements))

    def attribution(self, alliance: str, holder: str, legitimacy: str) -> None:
        subject, number = self.iri("attribution")
        statements = [
            ("a", "sal:LegitimacyAttribution"),
            *self.labelled(
                f"Synthetic legitimacy attribution {number}", f"Atribución de legitimidad sintética {number}"
            ),
            ("sal:attributionOf", alliance),
            ("sal:legitimacyHolder", holder),
            ("sal:legitimacyType", f"sal:{legitimacy}"),
            ("sal:grantedBy", f"sal:{self.rng.choice(AUDIENCES)}"),
            ("sal:evidence", en(f"A synthetic sentence standing for the source's evidence {number}.")),
            ("sal:evidenceKind", f"sal:{self.rng.choice(EVIDENCE_KINDS)}"),
            ("sal:citesSource", SOURCE),
        ]
        self.add(Record(subject, "attribution", statements))

    def assessment(self, alliance: str, assessor: str) -> None:
        subject, number = self.iri("assessment")
        day = f"{self.rng.randint(2008, 2024)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        statements = [
            ("a", "sal:PrincipleAssessment"),
            *self.labelled(f"Synthetic principle assessment {number}", f"Evaluación de principio sintética {number}"),
            ("sal:assessedAlliance", alliance),
            ("sal:assessedPrinciple", f"sal:{self.rng.choice(PRINCIPLES)}"),
            ("sal:assessmentDate", typed(day, "date")),
            ("sal:rating", str(self.rng.randint(1, 5))),
            ("sal:assessor", assessor),
            ("sal:evidence", en(f"Synthetic minutes of steering committee meeting {number}.")),
            ("sal:evidenceKind", f"sal:{self.rng.choice(EVIDENCE_KINDS)}"),
            ("sal:citesSource", SOURCE),
        ]
        self.add(Record(subject, "assessment", statements))

    def project(self, members: list[str], strategy: str) -> None:
        subject, number = self.iri("project")
        topic = self.rng.choice(TOPICS)
        status = self.rng.choice(STATUSES)
        completion = {"Planned": 0, "Finished": 100}.get(status, self.rng.randint(5, 95))
        start = self.rng.randint(2006, 2022)
        place = self.rng.choice(self.localities) if self.localities and self.rng.random() < 0.4 else self.region()
        funder = self.fund if self.fund and self.rng.random() < 0.3 else self.rng.choice(members)
        statements = [
            ("a", "sal:Project"),
            *self.labelled(f"Synthetic project {number}: {topic[0]}", f"Proyecto sintético {number}: {topic[1]}"),
            *(("sal:projectSector", f"sal:{s}") for s in self.rng.sample(PROJECT_SECTORS, self.rng.choice((1, 1, 2)))),
            ("sal:projectStatus", f"sal:{status}"),
            ("sal:completion", str(completion)),
            ("sal:underStrategy", f"sal:{strategy}"),
            ("sal:executedBy", self.rng.choice(members)),
            ("sal:fundedBy", funder),
            ("sal:locatedIn", place),
            ("sal:beneficiaryCount", str(self.rng.randint(50, 20000))),
            ("sal:periodStart", typed(f"{start}-{self.rng.randint(1, 12):02d}-01", "date")),
            ("sal:budget", self.money()),
            ("sal:citesSource", SOURCE),
        ]
        if status == "Finished":
            statements.append(("sal:periodEnd", typed(start + self.rng.randint(1, 3), "gYear")))
        self.add(Record(subject, "project", statements))
        self.projects.append(subject)

    def money(self) -> list[tuple[str, str]]:
        value = f"{self.rng.randint(10, 5000) * 1000}.00"
        return [
            ("a", "sal:MonetaryAmount"),
            ("schema:value", value),
            ("schema:currency", _quoted(self.rng.choice(("PEN", "USD")))),
        ]

    def new_fund(self) -> None:
        subject, number = self.iri("fund")
        founder = self.actors[-1][0]
        statements = [
            ("a", "sal:SocialFund"),
            *self.labelled(f"Synthetic Social Fund {number}", f"Fondo Social Sintético {number}"),
            ("sal:underStrategy", f"sal:{self.rng.choice(STRATEGIES)}"),
            ("sal:administeredBy", founder),
            ("sal:establishedBy", founder),
            ("sal:locatedIn", self.region()),
            ("sal:periodStart", typed(self.rng.randint(2006, 2015), "gYear")),
            ("sal:beneficiaryCount", str(self.rng.randint(1000, 90000))),
            ("sal:amount", self.money()),
            ("sal:citesSource", SOURCE),
        ]
        self.add(Record(subject, "fund", statements))
        self.fund = subject

    def contribution(self, contributor: str) -> None:
        subject, number = self.iri("contribution")
        start = self.rng.randint(2007, 2020)
        statements = [
            ("a", "sal:Contribution"),
            *self.labelled(f"Synthetic contribution {number}", f"Aporte sintético {number}"),
            ("sal:contributor", contributor),
            ("sal:toFund", self.fund),
            ("sal:amount", self.money()),
            ("sal:periodStart", typed(start, "gYear")),
            ("sal:periodEnd", typed(start + self.rng.randint(0, 3), "gYear")),
            ("sal:citesSource", SOURCE),
        ]
        self.add(Record(subject, "contribution", statements))

    def figure(self) -> None:
        subject, number = self.iri("figure")
        statements = [
            ("a", "sal:Figure"),
            *self.labelled(f"Synthetic figure {number}", f"Cifra sintética {number}"),
            ("sal:figureAbout", self.rng.choice(self.projects)),
            ("sal:measure", en("synthetic count of households reached")),
            ("sal:quantity", str(self.rng.randint(10, 5000))),
            ("sal:unit", _quoted("households")),
            ("sal:refDate", typed(self.rng.randint(2008, 2024), "gYear")),
            ("sal:citesSource", SOURCE),
        ]
        self.add(Record(subject, "figure", statements))


# --- Violations: each breaks one record so that exactly one SHACL Violation (and nothing else) results.


def _replace(record: Record, predicate: str, value: str) -> None:
    record.statements = [(p, value if p == predicate else o) for p, o in record.statements]


def _completion_over_100(record: Record) -> str:
    _replace(record, "sal:completion", "150")
    return "completion 150"


def _negative_beneficiaries(record: Record) -> str:
    _replace(record, "sal:beneficiaryCount", "-5")
    return "beneficiary count -5"


def _no_english_label(record: Record) -> str:
    record.statements = [(p, o) for p, o in record.statements if not (p == "rdfs:label" and o.endswith("@en"))]
    return "English label removed"


def _rating_out_of_range(record: Record) -> str:
    _replace(record, "sal:rating", "7")
    return "rating 7"


def _period_reversed(record: Record) -> str:
    end = next(o for p, o in record.statements if p == "sal:periodEnd")
    year = int(end.split('"')[1])
    _replace(record, "sal:periodStart", typed(year + 3, "gYear"))
    return "period ends 3 years before it starts"


def _untagged_text(record: Record) -> str:
    text_predicates = {f"sal:{t}" for t in PARTNER_TEXTS}
    first = next(i for i, (p, _) in enumerate(record.statements) if p in text_predicates)
    predicate, value = record.statements[first]
    record.statements[first] = (predicate, value.removesuffix("@en"))
    return f"{predicate} without a language tag"


def _sector_contradicts_kind(record: Record) -> str:
    wrong = next(s for s in SECTORS if s != record.sector_implied)
    _replace(record, "sal:inSocietalSector", f"sal:{wrong}")
    return f"sector sal:{wrong} contradicts its kind"


#: (record kind, extra condition, the shape that reports it, how to break the record)
VIOLATIONS = (
    ("project", None, "CompletionPercent", _completion_over_100),
    ("assessment", None, "AssessmentRating", _rating_out_of_range),
    ("alliance", None, "PeriodOrder", _period_reversed),
    ("partnership", None, "PartnershipText", _untagged_text),
    ("actor", "sector", "ActorSectorMatchesKind", _sector_contradicts_kind),
    ("project", None, "LabelEnglish", _no_english_label),
    ("project", None, "BeneficiaryCountValue", _negative_beneficiaries),
)


def inject(records: list[Record], count: int, seed: int) -> list[Injected]:
    """Break ``count`` distinct records, taking the ways to break them in turn; returns what was broken."""
    rng = random.Random(seed * 7919 + 1)
    candidates = {}
    for kind, condition, _, _ in VIOLATIONS:
        eligible = [r for r in records if r.kind == kind and (condition is None or r.sector_implied)]
        rng.shuffle(eligible)
        candidates.setdefault((kind, condition), eligible)
    used: set[str] = set()
    injected = []
    for index in range(count):
        kind, condition, shape, breaker = VIOLATIONS[index % len(VIOLATIONS)]
        pool = candidates[(kind, condition)]
        while pool and pool[-1].subject in used:
            pool.pop()
        if not pool:
            raise ValueError(f"too few records to inject {count} violations: generate more triples")
        record = pool.pop()
        used.add(record.subject)
        injected.append(Injected(_expand(record.subject), "https://w3id.org/sal/shapes#" + shape, breaker(record)))
    return injected


def _expand(name: str) -> str:
    return SALD + name.removeprefix("sald:") if name.startswith("sald:") else name


# --- Writing Turtle


def _count(record: Record) -> int:
    return sum(1 + (len(o) if isinstance(o, list) else 0) for _, o in record.statements)


def _render(record: Record) -> str:
    parts = []
    for predicate, value in record.statements:
        if isinstance(value, list):
            value = "[ " + " ; ".join(f"{p} {o}" for p, o in value) + " ]"
        parts.append(f"{predicate} {value}")
    return record.subject + " " + " ;\n    ".join(parts) + " .\n"


def generate(
    triples: int = 10_000,
    seed: int = 1,
    violations: int = 0,
    prefix: str = "synthetic",
    records: int | None = None,
) -> Dataset:
    """Synthetic data of at least ``triples`` triples (whole blocks: a little more), or of exactly ``records``
    records when given (blocks, then localities to make up the number), with ``violations`` records broken.

    ``prefix`` starts every slug (it must start with "synthetic"); two datasets with different prefixes can be
    loaded together without sharing a record, except the synthetic source, which both describe identically.
    """
    generator = Generator(seed, prefix)
    generator.source()
    if records is None:
        total = _count(generator.records[0])
        while total < triples:
            before = len(generator.records)
            generator.block()
            total += sum(_count(r) for r in generator.records[before:])
    else:
        while len(generator.records) + 40 <= records:
            generator.block()
        while len(generator.records) < records:
            generator.locality()
    injected = inject(generator.records, violations, seed) if violations else []
    header = [
        "# SYNTHETIC benchmark data generated by kgtool's benchmarks/generate.py "
        f"(seed {seed}, prefix {prefix!r}, {violations} injected violations).",
        "# Every record is fictional and cites sald:synthetic-benchmark-source; it is not part of the knowledge graph.",
        "",
        *(f"@prefix {name}: <{iri}> ." for name, iri in PREFIXES),
        "",
    ]
    body = "\n".join(_render(r) for r in generator.records)
    count = sum(_count(r) for r in generator.records)
    return Dataset("\n".join(header) + "\n" + body, count, len(generator.records), injected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="at least this many triples (default 10000)")
    parser.add_argument("--records", type=int, help="exactly this many records instead of a triple count")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violations", type=int, default=0, help="break this many records (one Violation each)")
    parser.add_argument("--prefix", default="synthetic", help="slug prefix (must start with 'synthetic')")
    parser.add_argument("--out", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    dataset = generate(args.triples, args.seed, args.violations, args.prefix, args.records)
    if args.out:
        args.out.write_bytes(dataset.bytes)
    else:
        sys.stdout.buffer.write(dataset.bytes)
    print(f"{dataset.triples} triples, {dataset.records} records, {len(dataset.injected)} violations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
