"""Drawing the alliance network as inline SVG: alliances coloured by legitimacy type, actors by sector.

Colours are fixed per legitimacy type and per sector (colour-blind-safe Okabe-Ito hues for the types, darker
Tol hues for the sectors, and different shapes for the two), so the same type has the same colour in every
report. Colours go in presentation attributes, not ``style``, so the page's Content-Security-Policy can forbid
inline style attributes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

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


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _alliance_shape(placed: Placed) -> str:
    x, y, r = placed.x, placed.y, ALLIANCE_RADIUS
    colours = placed.node.colours
    if not colours:
        return f'<circle class="shape none" cx="{_number(x)}" cy="{_number(y)}" r="{_number(r)}" fill="#ffffff"/>'
    if len(colours) == 1:
        return f'<circle class="shape" cx="{_number(x)}" cy="{_number(y)}" r="{_number(r)}" fill="{colours[0]}"/>'
    slices = []
    step = 2 * math.pi / len(colours)
    for index, colour in enumerate(colours):
        start, end = -math.pi / 2 + index * step, -math.pi / 2 + (index + 1) * step
        x0, y0 = x + r * math.cos(start), y + r * math.sin(start)
        x1, y1 = x + r * math.cos(end), y + r * math.sin(end)
        large = 1 if step > math.pi else 0
        slices.append(
            f'<path d="M{_number(x)} {_number(y)} L{_number(x0)} {_number(y0)} '
            f'A{_number(r)} {_number(r)} 0 {large} 1 {_number(x1)} {_number(y1)} Z" fill="{colour}"/>'
        )
    ring = f'<circle class="ring" cx="{_number(x)}" cy="{_number(y)}" r="{_number(r)}" fill="none"/>'
    return "".join(slices) + ring


def _actor_shape(placed: Placed) -> str:
    side = 2 * ACTOR_HALF
    return (
        f'<rect class="shape" x="{_number(placed.x - ACTOR_HALF)}" y="{_number(placed.y - ACTOR_HALF)}" '
        f'width="{_number(side)}" height="{_number(side)}" rx="2" fill="{placed.node.colours[0]}"/>'
    )


def _node(placed: Placed) -> str:
    node = placed.node
    shape = _alliance_shape(placed) if node.kind == "alliance" else _actor_shape(placed)
    hidden = "" if placed.label_box else " hidden"
    label = (
        f'<text class="label{hidden}" x="{_number(placed.text_x)}" y="{_number(placed.text_y)}" '
        f'text-anchor="{placed.anchor}">{escape(placed.text)}</text>'
    )
    title = f"<title>{escape(node.tooltip or node.label)}</title>"
    body = f'<a href="{escape(node.href)}">{title}{shape}</a>' if node.href else f"{title}{shape}"
    anchor = f' data-card="{escape(node.href[1:])}"' if node.href else ""
    return (
        f'<g class="node {node.kind}" data-key="{escape(node.key)}" data-name="{escape(node.label)}"{anchor}>'
        f"{body}{label}</g>"
    )


def svg(drawn: Layout, title: str) -> str:
    """The laid-out network as an inline ``<svg>`` element (no xmlns needed inside HTML)."""
    width, height = _number(drawn.width), _number(drawn.height)
    lines = []
    for edge in drawn.edges:
        a, b = drawn.nodes[edge.source], drawn.nodes[edge.target]
        lines.append(
            f'<line class="edge {edge.kind}" x1="{_number(a.x)}" y1="{_number(a.y)}" x2="{_number(b.x)}" '
            f'y2="{_number(b.y)}" data-source="{escape(edge.source)}" data-target="{escape(edge.target)}"/>'
        )
    ordered = sorted(drawn.nodes.values(), key=lambda placed: (placed.node.kind, placed.node.key))
    classes = "network large" if len(drawn.nodes) > 120 else "network"  # large: fainter lines
    return (
        f'<svg class="{classes}" id="network-svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="network-svg-title"><title id="network-svg-title">{escape(title)}</title>'
        f'<g class="edges">{"".join(lines)}</g>'
        f'<g class="nodes">{"".join(_node(placed) for placed in ordered)}</g></svg>'
    )


def swatch(colour: str, shape: str = "circle", dashed: bool = False) -> str:
    """A small legend sample: a circle, a square or a line."""
    if shape == "line":
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        return f'<svg class="swatch" width="22" height="12"><line x1="1" y1="6" x2="21" y2="6"{dash}/></svg>'
    if shape == "square":
        square = f'<rect x="1" y="1" width="12" height="12" fill="{colour}"/>'
        return f'<svg class="swatch" width="14" height="14">{square}</svg>'
    return f'<svg class="swatch" width="14" height="14"><circle cx="7" cy="7" r="6" fill="{colour}"/></svg>'
