"""The alliance network's drawing: alliances coloured by legitimacy type, actors by sector, laid out.

The SVG markup itself is the ``network_svg`` macro of ``assets/parts.html.j2``; this module decides what it shows.

Colours are fixed per legitimacy type and per sector (colour-blind-safe Okabe-Ito hues for the types, darker
Tol hues for the sectors, and different shapes for the two), so the same type has the same colour in every
report. Colours go in presentation attributes, not ``style``, so the page's Content-Security-Policy can forbid
inline style attributes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kgtool.rdf.namespaces import SAL
from kgtool.report.model import Report
from kgtool.report.network import ACTOR_HALF, ALLIANCE_RADIUS, Edge, Layout, Node, Placed, layout

LEGITIMACY_COLOURS = {
    SAL + "MarketLegitimacy": "#E69F00",
    SAL + "RelationalLegitimacy": "#56B4E9",
    SAL + "SocialLegitimacy": "#009E73",
    SAL + "InvestmentLegitimacy": "#CC79A7",
    SAL + "AllianceLegitimacy": "#F0E442",
}
OTHER_TYPE_COLOURS = ("#D55E00", "#0072B2", "#999933", "#882255", "#44AA99")
SECTOR_COLOURS = {
    SAL + "PublicSector": "#AA3377",
    SAL + "PrivateSector": "#332288",
    SAL + "CivilSociety": "#117733",
}
OTHER_SECTOR_COLOURS = ("#DDCC77", "#88CCEE", "#CC6677")
UNKNOWN_SECTOR_COLOUR = "#9A9A9A"
#: The overview draws at most this many alliances: those with the most partners (ties by IRI), with all their
#: partners. A force layout of tens of thousands of nodes takes minutes and reads as a blot; every alliance keeps
#: its card, and the page says how many are left out.
MOST_CONNECTED = 300


@dataclass(frozen=True)
class Palette:
    """The colour of each legitimacy type and sector that a report shows."""

    types: dict[str, str]
    sectors: dict[str, str]


def palette(report: Report) -> Palette:
    """Colours for the report's types (the matrix's columns first) and sectors; unknown ones get spare hues."""
    type_iris = [ref.iri for ref in report.matrix.types]
    type_iris += sorted({ref.iri for card in report.cards for ref in card.legitimacy} - set(type_iris))
    spare = iter(OTHER_TYPE_COLOURS * (len(type_iris) // len(OTHER_TYPE_COLOURS) + 1))
    types = {iri: LEGITIMACY_COLOURS.get(iri) or next(spare) for iri in type_iris}
    spare_sectors = iter(OTHER_SECTOR_COLOURS * (len(report.sectors) // len(OTHER_SECTOR_COLOURS) + 1))
    sectors = {ref.iri: SECTOR_COLOURS.get(ref.iri) or next(spare_sectors) for ref in report.sectors}
    return Palette(types, sectors)


def network(report: Report, colours: Palette, width: float = 1100.0) -> Layout:
    """The report's alliances and their partners and operators, laid out."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    shown = sorted(report.cards, key=lambda card: (-len(card.parts), card.ref.iri))[:MOST_CONNECTED]
    for card in shown:
        kinds = ", ".join(ref.label for ref in card.legitimacy) or "–"
        strategies = ", ".join(ref.label for ref in card.strategies) or "–"
        nodes[card.ref.iri] = Node(
            key=card.ref.iri,
            label=card.ref.label,
            kind="alliance",
            colours=tuple(colours.types[ref.iri] for ref in card.legitimacy),
            href="#" + card.anchor,
            tooltip=f"{card.ref.label}\n{kinds}\n{strategies}",
        )
        for part in card.parts:
            actor = part.actor
            sector = actor.sector
            nodes.setdefault(
                actor.ref.iri,
                Node(
                    key=actor.ref.iri,
                    label=actor.ref.label,
                    kind="actor",
                    colours=(colours.sectors[sector.iri] if sector else UNKNOWN_SECTOR_COLOUR,),
                    tooltip=f"{actor.ref.label}\n{sector.label if sector else '–'}",
                ),
            )
            edges.append(Edge(card.ref.iri, actor.ref.iri, part.role))
    drawn = layout(list(nodes.values()), edges, width=width)
    actors = {part.actor.ref.iri for card in report.cards for part in card.parts}
    drawn.left_out_alliances = len(report.cards) - len(shown)
    drawn.left_out_actors = len(actors - set(nodes))
    return drawn


def number(value: float) -> str:
    """A coordinate as the drawing writes it: one decimal at most, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def slices(placed: Placed) -> list[tuple[str, str]]:
    """The pie of an alliance with several legitimacy types: (SVG path, colour) per type, clockwise from 12."""
    x, y, r = placed.x, placed.y, ALLIANCE_RADIUS
    colours = placed.node.colours
    step = 2 * math.pi / len(colours)
    large = 1 if step > math.pi else 0
    drawn = []
    for index, colour in enumerate(colours):
        start, end = -math.pi / 2 + index * step, -math.pi / 2 + (index + 1) * step
        x0, y0 = x + r * math.cos(start), y + r * math.sin(start)
        x1, y1 = x + r * math.cos(end), y + r * math.sin(end)
        path = (
            f"M{number(x)} {number(y)} L{number(x0)} {number(y0)} "
            f"A{number(r)} {number(r)} 0 {large} 1 {number(x1)} {number(y1)} Z"
        )
        drawn.append((path, colour))
    return drawn


def nodes_in_order(drawn: Layout) -> list[Placed]:
    """The nodes as the drawing lists them: alliances, then actors, each by IRI (the same bytes every run)."""
    return sorted(drawn.nodes.values(), key=lambda placed: (placed.node.kind, placed.node.key))


#: What the drawing's template (``assets/parts.html.j2``) needs from this module.
DRAWING = {
    "number": number,
    "slices": slices,
    "nodes_in_order": nodes_in_order,
    "actor_half": ACTOR_HALF,
    "alliance_radius": ALLIANCE_RADIUS,
    "unknown_sector": UNKNOWN_SECTOR_COLOUR,
}
