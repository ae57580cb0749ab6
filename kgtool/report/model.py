"""What ``kgtool report`` shows, as plain values: collected from catalog queries, drawn by ``report_html``.

Keeping the report's content apart from its HTML lets the tests compare what the store and a SPARQL endpoint
yield (the same ``Report``) and check the paper's counts without parsing HTML. Everything here is immutable
and holds labels already chosen in the report's language (English where a translation is missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Ref:
    """A labelled resource: its IRI and its label in the report's language."""

    label: str
    iri: str


@dataclass(frozen=True)
class Citation:
    """A cited work, and the named graphs (files, submissions) whose statements cite it."""

    iri: str
    short: str
    title: str = ""
    citation: str = ""
    graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """A partner or operator, with the sector of society it is in (None where its kind implies none)."""

    ref: Ref
    sector: Ref | None = None


@dataclass(frozen=True)
class PartnerPart:
    """One actor's part in one alliance: what its partnership states, and the sources of those statements."""

    actor: Actor
    role: str  # "partner" or "operator"
    needs: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    sought: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def states_anything(self) -> bool:
        return any((self.needs, self.objectives, self.benefits, self.resources, self.sought, self.preferred))


@dataclass(frozen=True)
class Attribution:
    """A qualified legitimacy claim: who gains which type, from which audiences, on what evidence."""

    type: Ref
    holder: Ref | None = None
    audiences: str = ""
    evidence: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """An assessment of the alliance against one principle of successful alliances."""

    principle: Ref
    date: str = ""
    rating: str = ""
    assessor: Ref | None = None
    evidence: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectLink:
    """A project a partner (or the operator) funds or executes, with those actors and the project's sources."""

    project: Ref
    through: tuple[Ref, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorProject:
    """A project one actor funds or executes, with the project's sources."""

    project: Ref
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class AllianceCard:
    """Everything the report says about one alliance."""

    ref: Ref
    anchor: str
    definition: str = ""
    unidentified_partners: bool = False
    strategies: tuple[Ref, ...] = ()
    legitimacy: tuple[Ref, ...] = ()
    parts: tuple[PartnerPart, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    sources: tuple[str, ...] = ()
    #: Each actor's projects, one mapping shared by every card: a well-connected company is in hundreds of
    #: alliances, and listing its projects on each card up front would be a million links on a large store.
    project_index: Mapping[str, tuple[ActorProject, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def projects(self) -> tuple[ProjectLink, ...]:
        """The projects the alliance's partners and operators fund or execute, each with those actors (in label
        order) and its sources; by project label, then IRI."""
        through: dict[str, set[Ref]] = {}
        found: dict[str, ActorProject] = {}
        for part in self.parts:
            for item in self.project_index.get(part.actor.ref.iri, ()):
                found.setdefault(item.project.iri, item)
                through.setdefault(item.project.iri, set()).add(part.actor.ref)
        return tuple(
            ProjectLink(item.project, tuple(sorted(through[iri])), item.sources)
            for iri, item in sorted(found.items(), key=lambda pair: (pair[1].project.label, pair[0]))
        )


@dataclass(frozen=True)
class Matrix:
    """Strategy x legitimacy: counts of alliances (zeros included) and the alliances behind each cell."""

    strategies: tuple[Ref, ...]
    types: tuple[Ref, ...]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    behind: dict[tuple[str, str], tuple[Ref, ...]] = field(default_factory=dict)

    def count(self, strategy: str, type_: str) -> int:
        return self.counts.get((strategy, type_), 0)


@dataclass(frozen=True)
class Crossover:
    """An alliance that fulfils two or more legitimacy types."""

    alliance: Ref
    types: int
    legitimacy: str
    strategies: str


@dataclass(frozen=True)
class Profile:
    """A row of Table 1 (a legitimacy type) or of Figures 1-3 (a strategy): attribute name -> text."""

    ref: Ref
    values: dict[str, str]


@dataclass(frozen=True)
class Report:
    """The whole report, in one language."""

    lang: str
    matrix: Matrix
    gaps: tuple[tuple[Ref, tuple[Ref, ...], str], ...]  # strategy, the types no alliance fulfils, why
    crossovers: tuple[Crossover, ...]
    cards: tuple[AllianceCard, ...]
    types: tuple[Profile, ...]
    strategies: tuple[Profile, ...]
    citations: dict[str, Citation]
    sectors: tuple[Ref, ...] = ()

    def card(self, iri: str) -> AllianceCard:
        """The card of the alliance ``iri`` (KeyError when there is none)."""
        for card in self.cards:
            if card.ref.iri == iri:
                return card
        raise KeyError(iri)

    @property
    def actors(self) -> dict[str, Actor]:
        """Every partner and operator of an alliance, by IRI."""
        return {part.actor.ref.iri: part.actor for card in self.cards for part in card.parts}
