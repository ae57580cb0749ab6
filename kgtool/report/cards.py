"""What the alliance cards show (their markup is the ``card`` macro of ``assets/parts.html.j2``).

A card shows what the knowledge graph holds about one alliance and no more: a partner the sources name without
saying anything of its part is listed as such, not given empty fields, and each statement links to the works
cited for it in the report's list of sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgtool.rdf.labels import term_id
from kgtool.report.model import AllianceCard, PartnerPart

#: The fields of a partner's part, in the order a card lists them (each is also the page's word for its title).
PART_FIELDS = ("needs", "objectives", "benefits", "resources", "sought", "preferred")


def source_anchor(iri: str) -> str:
    """The HTML id of a cited work in the list of sources."""
    return term_id("source", iri)


@dataclass(frozen=True)
class Partners:
    """An alliance's partners as its card lists them: each stated part with its non-empty fields, then the
    partners the sources only name."""

    stated: tuple[tuple[PartnerPart, tuple[tuple[str, tuple[str, ...]], ...]], ...]
    named_only: tuple[PartnerPart, ...]


def partner_view(alliance: AllianceCard) -> Partners:
    """Which partners a card details (those with anything stated, a source, or the operator's role)."""
    stated = [part for part in alliance.parts if part.states_anything or part.sources or part.role == "operator"]
    return Partners(
        stated=tuple(
            (part, tuple((name, getattr(part, name)) for name in PART_FIELDS if getattr(part, name))) for part in stated
        ),
        named_only=tuple(part for part in alliance.parts if part not in stated),
    )
