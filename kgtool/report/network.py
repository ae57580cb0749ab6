"""Laying out the alliance network in Python (networkx), so the report needs no JavaScript graph library.

Each connected part of the network gets a force-directed layout of its own (networkx's spring layout, seeded, so
the same graph always gives the same picture); nodes closer than they may be are pushed apart; the parts are
packed in rows, biggest first. Names are then placed greedily, most connected nodes first, at the first spot
around the node where they overlap no other name and no node; a name that finds no such spot is hidden (it
shows on hover). So the page stays legible at a few hundred alliances: visible names never overlap, and the
drawing grows with the number of nodes, not with its square.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FONT_SIZE = 11.0
LINE_HEIGHT = FONT_SIZE * 1.3
ALLIANCE_RADIUS = 9.0
ACTOR_HALF = 7.0  # actors are squares of side 2 * ACTOR_HALF
NODE_GAP = 8.0  # the least free space between two nodes' bounding circles
MAX_LABEL_CHARS = 56
MARGIN = 16.0


@dataclass(frozen=True)
class Node:
    """A node to draw: an alliance (circle) or an actor (square)."""

    key: str
    label: str
    kind: str  # "alliance" or "actor"
    colours: tuple[str, ...] = ()
    href: str = ""
    tooltip: str = ""

    @property
    def radius(self) -> float:
        """Radius of the node's bounding circle."""
        return ALLIANCE_RADIUS if self.kind == "alliance" else ACTOR_HALF * math.sqrt(2)


@dataclass(frozen=True)
class Edge:
    """A line between an alliance and an actor: ``partner`` (solid) or ``operator`` (dashed)."""

    source: str
    target: str
    kind: str = "partner"


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: x, y is its top left corner."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass
class Placed:
    """A node at its place, with its name's text, anchor and box (no box: the name is hidden)."""

    node: Node
    x: float
    y: float
    outward: float = 1.0  # > 0 when the node lies right of its part's centre: names go right first
    text: str = ""
    anchor: str = "start"
    text_x: float = 0.0
    text_y: float = 0.0
    label_box: Box | None = None


@dataclass
class Layout:
    """The laid-out network: canvas size, placed nodes (by key) and edges."""

    width: float
    height: float
    nodes: dict[str, Placed] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    #: Alliances and actors not drawn: past the overview's limit (``kgtool.report.svg.MOST_CONNECTED``).
    left_out_alliances: int = 0
    left_out_actors: int = 0

    @property
    def hidden_labels(self) -> int:
        return sum(1 for placed in self.nodes.values() if placed.label_box is None)


_NARROW = set("ijl.,:;!|'`·")
_SEMI = set('frtI()[]{}-– /"')
_WIDE = set("mwMW@%—")


BOLD_FACTOR = 1.12  # alliance names are bold


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """A generous estimate of the drawn width of ``text`` in a sans-serif font (DejaVu Sans is among the widest)."""
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.34
        elif char in _SEMI:
            units += 0.45
        elif char in _WIDE:
            units += 0.98
        elif char.isupper() or char.isdigit():
            units += 0.74
        else:
            units += 0.64
    return units * size * (BOLD_FACTOR if bold else 1.0)


def name_width(node: Node, text: str) -> float:
    """The estimated width of ``text`` as ``node``'s name (alliances' names are bold)."""
    return text_width(text, bold=node.kind == "alliance")


_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&.\-]{1,11})\)\s*$")


def label_texts(label: str) -> list[str]:
    """The texts to try for a node's name, longest first: the name (cut at MAX_LABEL_CHARS), its trailing
    acronym ("... Immunization (GAVI)" -> "GAVI"), and the name cut short."""
    texts = [short_label(label), *_ACRONYM.findall(label), short_label(label, 22)]
    return list(dict.fromkeys(texts))


def short_label(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``label``, cut at a word boundary with an ellipsis when longer than ``limit`` characters."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def layout(nodes: Sequence[Node], edges: Iterable[Edge], width: float = 1100.0, seed: int = 7) -> Layout:
    """Place ``nodes`` and their names on a canvas ``width`` wide (wider only if one part needs it)."""
    import networkx as nx

    by_key = {node.key: node for node in nodes}
    kept = [edge for edge in edges if edge.source in by_key and edge.target in by_key]
    graph = nx.Graph()
    graph.add_nodes_from(sorted(by_key))
    graph.add_edges_from((edge.source, edge.target) for edge in kept)
    parts = sorted((sorted(part) for part in nx.connected_components(graph)), key=lambda part: (-len(part), part))
    positions = [_part_layout(_part_graph(graph, part), by_key, seed, width - 2 * MARGIN - 140) for part in parts]
    placed, canvas_width, canvas_height = _pack(positions, by_key, width)
    result = Layout(canvas_width, canvas_height, placed, kept)
    _place_labels(result, dict(graph.degree()))
    return result


def _part_graph(graph, keys: list[str]):
    """One connected part as a graph of its own, nodes and edges added in sorted order. Not ``graph.subgraph``:
    a view of a part smaller than half the graph lists its nodes in the order of a Python set, which changes with
    the hash seed, and the spring layout's start (hence the drawing) follows that order."""
    import networkx as nx

    part = nx.Graph()
    part.add_nodes_from(keys)
    part.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges(keys)))
    return part


def _part_layout(part, by_key: dict[str, Node], seed: int, room: float) -> dict[str, tuple[float, float]]:
    """Positions of one connected part, in pixels, nodes at least their radii plus NODE_GAP apart."""
    import networkx as nx

    keys = sorted(part.nodes)
    if len(keys) <= 3:  # a short path: a column, names to the right, as compact as a list
        ends = [key for key in keys if part.degree(key) <= 1] or keys
        path = list(nx.dfs_preorder_nodes(part, source=min(ends)))
        step = 2 * max(by_key[key].radius for key in keys) + 2 * NODE_GAP
        return {key: (0.0, index * step) for index, key in enumerate(path)}
    hub = max(keys, key=lambda key: (part.degree(key), key))
    if len(keys) >= 5 and part.degree(hub) == len(keys) - 1 and part.number_of_edges() == len(keys) - 1:
        return _star(hub, sorted((k for k in keys if k != hub), key=lambda k: by_key[k].label), by_key)
    if len(keys) < DENSE_LIMIT:
        raw = nx.spring_layout(part, seed=seed, iterations=200 if len(keys) <= 200 else 80)
    else:
        raw = dict(zip(keys, _force_layout(nx.to_numpy_array(part, nodelist=keys), seed, 50), strict=True))
    if len(keys) <= 40:  # small: edges of a readable length
        lengths = sorted(math.dist(raw[a], raw[b]) for a, b in part.edges)
        scale_x = scale_y = 110.0 / max(lengths[len(lengths) // 2], 1e-6)
        positions = {key: (float(raw[key][0]) * scale_x, float(raw[key][1]) * scale_y) for key in keys}
        return separate(positions, {key: by_key[key].radius for key in keys})
    # Large: a force layout crowds its hubs in the middle and leaves the rim empty. Evening out each axis by
    # rank (keeping left-of and above as they were) spreads the crowd; the area is what the names need, as
    # wide as the canvas allows.
    need = sum((name_width(by_key[k], short_label(by_key[k].label, 22)) + 30) * (LINE_HEIGHT + 14) for k in keys) * 2.2
    width = min(room, math.sqrt(need))
    xs = _even_out([float(raw[key][0]) for key in keys])
    ys = _even_out([float(raw[key][1]) for key in keys])
    positions = {key: (xs[index] * width, ys[index] * need / width) for index, key in enumerate(keys)}
    return separate(positions, {key: by_key[key].radius for key in keys})


#: From this many nodes networkx's spring layout switches to a sparse solver that loops over the nodes in Python
#: (17 s for the 1,070 nodes of the overview at a million triples); ``_force_layout`` is its dense solver.
DENSE_LIMIT = 500


def _force_layout(adjacency, seed: int, iterations: int):
    """Fruchterman-Reingold positions (n x 2, about [0, 1]) as networkx's dense solver computes them: every pair
    of nodes repels, every edge attracts, the step cools linearly; numpy does each iteration at once (n x n
    arrays: 18 MB at 1,000 nodes), and a seeded generator makes the start, so the drawing is the same every run."""
    import numpy as np

    count = adjacency.shape[0]
    x, y = np.random.RandomState(seed).rand(2, count)
    k = math.sqrt(1.0 / count)
    temperature = 0.1 * float(max(np.ptp(x), np.ptp(y)))
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx, dy = x[:, np.newaxis] - x, y[:, np.newaxis] - y
        distance = np.clip(np.hypot(dx, dy), 0.01, None)
        force = k * k / distance**2 - adjacency * distance / k
        move_x, move_y = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        length = np.hypot(move_x, move_y)
        scale = temperature / np.where(length < 0.01, 0.1, length)
        x, y = x + move_x * scale, y + move_y * scale
        temperature -= cooling
        if math.sqrt(float(((move_x * scale) ** 2 + (move_y * scale) ** 2).sum())) / count < 1e-4:
            break
    return np.column_stack((x, y))


def _even_out(values: list[float], weight: float = 0.9) -> list[float]:
    """Coordinates mapped to [0, 1], mostly by rank: the order is kept, the crowding is not."""
    low, high = min(values), max(values)
    span = max(high - low, 1e-9)
    ranks = [0.0] * len(values)
    for rank, index in enumerate(sorted(range(len(values)), key=values.__getitem__)):
        ranks[index] = rank / max(len(values) - 1, 1)
    return [weight * ranks[i] + (1 - weight) * (values[i] - low) / span for i in range(len(values))]


def _star(hub: str, leaves: list[str], by_key: dict[str, Node]) -> dict[str, tuple[float, float]]:
    """One alliance with many partners (or one actor in many alliances): the leaves evenly on a circle."""
    spacing = 2 * max(by_key[key].radius for key in leaves) + 2 * NODE_GAP
    radius = max(110.0, spacing * len(leaves) / (2 * math.pi))
    positions = {hub: (0.0, 0.0)}
    for index, key in enumerate(leaves):
        angle = 2 * math.pi * index / len(leaves) + math.pi / len(leaves)  # none straight above or below
        positions[key] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def separate(
    positions: dict[str, tuple[float, float]], radii: dict[str, float], iterations: int = 300
) -> dict[str, tuple[float, float]]:
    """Push apart nodes whose bounding circles come closer than NODE_GAP, until none do (or iterations run out)."""
    reach = 2 * max(radii.values()) + NODE_GAP
    keys = sorted(positions)
    order = {key: index for index, key in enumerate(keys)}
    current = {key: list(positions[key]) for key in keys}
    for _ in range(iterations):
        grid: dict[tuple[int, int], list[str]] = defaultdict(list)
        for key in keys:
            x, y = current[key]
            grid[(math.floor(x / reach), math.floor(y / reach))].append(key)
        moved = False
        for key in keys:
            x, y = current[key]
            column, row = math.floor(x / reach), math.floor(y / reach)
            for other in (o for dx in (-1, 0, 1) for dy in (-1, 0, 1) for o in grid[(column + dx, row + dy)]):
                if order[other] <= order[key]:
                    continue
                moved |= _push_apart(current[key], current[other], radii[key] + radii[other] + NODE_GAP, order[other])
        if not moved:
            break
    return {key: (x, y) for key, (x, y) in current.items()}


def _push_apart(a: list[float], b: list[float], least: float, salt: int) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    distance = math.hypot(dx, dy)
    if distance >= least:
        return False
    if distance < 1e-9:  # the same spot: part them along a direction that depends on the node only
        angle = salt * 2.399963
        dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
    shift = (least - distance) / 2 + 0.05
    ux, uy = dx / distance, dy / distance
    a[0], a[1] = a[0] - ux * shift, a[1] - uy * shift
    b[0], b[1] = b[0] + ux * shift, b[1] + uy * shift
    return True


def _extent(positions: dict[str, tuple[float, float]], by_key: dict[str, Node]) -> Box:
    """The box a part needs: its nodes, and room for names beside the nodes at its edges."""
    left = min(x - by_key[k].radius for k, (x, _) in positions.items())
    right = max(x + by_key[k].radius for k, (x, _) in positions.items())
    top = min(y - by_key[k].radius for k, (_, y) in positions.items())
    bottom = max(y + by_key[k].radius for k, (_, y) in positions.items())
    if len(positions) <= 3:  # small parts: room for every name on the right, where it goes first
        right = max(
            x + by_key[k].radius + 4 + name_width(by_key[k], short_label(by_key[k].label))
            for k, (x, _) in positions.items()
        )
        return Box(left - 6, top - 6, right - left + 12, bottom - top + 12)
    room = (
        70.0
        if len(positions) > 40
        else min(200.0, max(name_width(by_key[k], short_label(by_key[k].label)) for k in positions))
    )
    return Box(left - room, top - 22, right - left + 2 * room, bottom - top + 44)


def _pack(
    positions: list[dict[str, tuple[float, float]]], by_key: dict[str, Node], width: float
) -> tuple[dict[str, Placed], float, float]:
    """Shelf packing: parts left to right in rows, a new row when the next part would pass ``width``."""
    placed: dict[str, Placed] = {}
    x = y = MARGIN
    row_height = used_width = 0.0
    for part in positions:
        box = _extent(part, by_key)
        if x > MARGIN and x + box.width > width - MARGIN:
            x, y = MARGIN, y + row_height
            row_height = 0.0
        centre = sum(px for px, _ in part.values()) / len(part)
        for key, (px, py) in part.items():
            outward = -1.0 if px < centre - 1 and len(part) > 3 else 1.0
            placed[key] = Placed(by_key[key], px - box.x + x, py - box.y + y, outward)
        x += box.width
        row_height = max(row_height, box.height)
        used_width = max(used_width, x)
    return placed, max(width, used_width + MARGIN), y + row_height + MARGIN


class _Grid:
    """A spatial index of boxes, so each name is checked against its neighbours only."""

    def __init__(self, cell: float = 64.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        for column in range(math.floor(box.x / self.cell), math.floor((box.x + box.width) / self.cell) + 1):
            for row in range(math.floor(box.y / self.cell), math.floor((box.y + box.height) / self.cell) + 1):
                yield column, row

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def hits(self, box: Box, ignore: Box | None = None) -> bool:
        return any(other is not ignore and box.overlaps(other) for key in self._keys(box) for other in self.cells[key])


def node_box(placed: Placed) -> Box:
    radius = placed.node.radius
    return Box(placed.x - radius, placed.y - radius, 2 * radius, 2 * radius)


def _candidates(placed: Placed, text: str) -> Iterable[tuple[str, float, float, Box]]:
    """Spots for a name around its node, best first: (anchor, text x, baseline y, box)."""
    x, y, radius = placed.x, placed.y, placed.node.radius
    width = name_width(placed.node, text)
    ascent, descent = FONT_SIZE * 0.95, FONT_SIZE * 0.3
    height = ascent + descent
    right = [
        ("start", x + radius + 4, y + FONT_SIZE * 0.35),
        ("start", x + radius * 0.7 + 2, y - radius - 2 - descent),
        ("start", x + radius * 0.7 + 2, y + radius + 2 + ascent),
    ]
    left = [
        ("end", x - radius - 4, y + FONT_SIZE * 0.35),
        ("end", x - radius * 0.7 - 2, y - radius - 2 - descent),
        ("end", x - radius * 0.7 - 2, y + radius + 2 + ascent),
    ]
    centred = [("middle", x, y - radius - 4 - descent), ("middle", x, y + radius + 4 + ascent)]
    first, second = (right, left) if placed.outward > 0 else (left, right)
    for anchor, tx, ty in [first[0], second[0], *centred, *first[1:], *second[1:]]:
        left = {"start": tx, "end": tx - width, "middle": tx - width / 2}[anchor]
        yield anchor, tx, ty, Box(left - 1, ty - ascent - 1, width + 2, height + 2)


def _place_labels(result: Layout, degree: dict[str, int]) -> None:
    nodes = _Grid()
    boxes = {key: node_box(placed) for key, placed in result.nodes.items()}
    for box in boxes.values():
        nodes.add(box)
    names = _Grid()
    canvas = Box(2, 2, result.width - 4, result.height - 4)
    ranked = sorted(result.nodes.values(), key=lambda p: (p.node.kind != "alliance", -degree[p.node.key], p.node.key))
    for placed in ranked:
        spot = _free_spot(placed, canvas, names, nodes, boxes[placed.node.key])
        if spot:
            placed.text, (placed.anchor, placed.text_x, placed.text_y, placed.label_box) = spot
            names.add(placed.label_box)
        else:  # hidden: drawn on hover, in full, at the first spot
            placed.text = short_label(placed.node.label)
            placed.anchor, placed.text_x, placed.text_y, _ = next(iter(_candidates(placed, placed.text)))


def _free_spot(
    placed: Placed, canvas: Box, names: _Grid, nodes: _Grid, own: Box
) -> tuple[str, tuple[str, float, float, Box]] | None:
    """The first (text, spot) for a node's name that stays on the canvas and covers no name and no node."""
    for text in label_texts(placed.node.label):
        for anchor, tx, ty, box in _candidates(placed, text):
            inside = box.x >= canvas.x and box.y >= canvas.y
            inside = inside and box.x + box.width <= canvas.x + canvas.width
            inside = inside and box.y + box.height <= canvas.y + canvas.height
            if inside and not names.hits(box) and not nodes.hits(box, ignore=own):
                return text, (anchor, tx, ty, box)
    return None
