"""The report as one self-contained HTML page: inline CSS, SVG and script, nothing loaded from anywhere.

The page carries a Content-Security-Policy that allows only its own inline style and script (by hash), so a
browser refuses any request the page might try to make: the guarantee that the report works offline and
tells no server that it was opened does not rest on the markup being careful, but on the browser.

The markup is the templates in ``assets/`` (``report.html.j2`` and its macros in ``parts.html.j2``), rendered by
``kgtool.templates`` with autoescaping; this module computes what they show.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from kgtool import __version__, templates
from kgtool.rdf.labels import compact, html_id, local_name
from kgtool.report.cards import partner_view, source_anchor
from kgtool.report.island import PAGE_SIZE, cards_data, island
from kgtool.report.model import Matrix, Profile, Ref, Report
from kgtool.report.svg import DRAWING, UNKNOWN_SECTOR_COLOUR, Palette, network, palette
from kgtool.report.text import texts

_ASSETS = Path(__file__).with_name("assets")
HEAT_LEVELS = 8
SECTIONS = ("matrix", "gaps", "network", "alliances", "table1", "strategies", "sources")


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _hash(content: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii") + "'"


def cell_anchor(strategy: str, type_: str) -> str:
    """The HTML id of the list of alliances behind one matrix cell."""
    return f"cell-{html_id(local_name(strategy))}-{html_id(local_name(type_))}"


def render(report: Report, origin: str, today: datetime.date | None = None) -> str:
    """The whole page for ``report``; ``origin`` says where the data came from (store or endpoint)."""
    words = texts(report.lang)
    colours = palette(report)
    style, script = _asset("report.css"), _asset("report.js")
    policy = (
        f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    date = (today or datetime.date.today()).isoformat()
    return templates.render(
        _ASSETS,
        "report.html.j2",
        joined=True,
        **DRAWING,
        report=report,
        lang=report.lang,
        words=words,
        colours=colours,
        citations=report.citations,
        policy=templates.markup(policy),
        style=templates.markup(style),
        script=templates.markup(script),
        version=__version__,
        summary=words["summary"].format(
            alliances=len(report.cards),
            actors=len(report.actors),
            attributions=sum(len(card.attributions) for card in report.cards),
            sources=len(report.citations),
        ),
        generated=words["generated"].format(version=__version__, origin=origin, date=date),
        sections=[(key, _section_title(key, words)) for key in SECTIONS],
        anchors={alliance.ref.iri: alliance.anchor for alliance in report.cards},
        matrix=_matrix(report.matrix, words),
        gaps=[
            _Gap(strategy, ", ".join(ref.label for ref in missing), reason) for strategy, missing, reason in report.gaps
        ],
        network=_network(report, colours, words),
        cards=report.cards[:PAGE_SIZE],
        paged=words["cards_paged"].format(shown=PAGE_SIZE, count=len(report.cards))
        if len(report.cards) > PAGE_SIZE
        else "",
        data=templates.markup(island(cards_data(report, colours, words))),
        table1=_profiles(report.types, words, ("definition", "drivingNeed")),
        strategies=_profiles(report.strategies, words, ("definition", "instruments", "benefits", "actors")),
        citations_listed=_citations(report),
        source_anchor=source_anchor,
        compact=compact,
        partner_view=partner_view,
    )


def _section_title(key: str, words: dict[str, str]) -> str:
    return words[{"alliances": "cards_title", "sources": "citations_title"}.get(key, key + "_title")]


def _heat(count: int, most: int) -> int:
    return 0 if count <= 0 else max(1, round(HEAT_LEVELS * count / max(most, 1)))


@dataclass(frozen=True)
class _Cell:
    strategy: str
    type: str
    count: int
    heat: int
    title: str
    anchor: str


@dataclass(frozen=True)
class _Row:
    label: str
    cells: tuple[_Cell, ...]


@dataclass(frozen=True)
class _Behind:
    anchor: str
    strategy: str
    type: str
    alliances: tuple[Ref, ...]


@dataclass(frozen=True)
class _MatrixView:
    types: tuple[Ref, ...]
    rows: tuple[_Row, ...]
    behind: tuple[_Behind, ...]


def _matrix(matrix: Matrix, words: dict[str, str]) -> _MatrixView:
    """The heatmap: one row per strategy, one column per legitimacy type; counts link to the alliances."""
    most = max(matrix.counts.values(), default=0)
    rows = []
    for strategy in matrix.strategies:
        cells = []
        for type_ in matrix.types:
            count = matrix.count(strategy.iri, type_.iri)
            names = {"count": count, "strategy": strategy.label, "type": type_.label}
            title = (words["matrix_cell"] if count else words["matrix_zero"]).format(**names)
            anchor = cell_anchor(strategy.iri, type_.iri)
            cells.append(_Cell(strategy.iri, type_.iri, count, _heat(count, most), title, anchor))
        rows.append(_Row(strategy.label, tuple(cells)))
    behind = tuple(
        _Behind(cell_anchor(strategy.iri, type_.iri), strategy.label, type_.label, alliances)
        for strategy in matrix.strategies
        for type_ in matrix.types
        if (alliances := matrix.behind.get((strategy.iri, type_.iri), ()))
    )
    return _MatrixView(matrix.types, tuple(rows), behind)


@dataclass(frozen=True)
class _Gap:
    strategy: Ref
    missing: str
    reason: str


@dataclass(frozen=True)
class _NetworkView:
    drawn: object
    title: str
    types: tuple[tuple[str, str], ...]
    sectors: tuple[tuple[str, str], ...]
    hidden: str
    left_out: str


def _network(report: Report, colours: Palette, words: dict[str, str]) -> _NetworkView:
    """The drawing and its legend, and the notes on what it leaves unlabelled or out."""
    drawn = network(report, colours)
    alliances = sum(1 for placed in drawn.nodes.values() if placed.node.kind == "alliance")
    types = {ref.iri: ref.label for ref in report.matrix.types}
    types.update({ref.iri: ref.label for card in report.cards for ref in card.legitimacy})
    hidden = drawn.hidden_labels
    left_out = ""
    if drawn.left_out_alliances:
        left_out = words["network_left_out"].format(
            shown=alliances, alliances=drawn.left_out_alliances, actors=drawn.left_out_actors
        )
    return _NetworkView(
        drawn=drawn,
        title=words["network_aria"].format(alliances=alliances, actors=len(drawn.nodes) - alliances),
        types=(
            *((colour, types.get(iri, iri)) for iri, colour in colours.types.items()),
            ("#ffffff", words["legend_none"]),
        ),
        sectors=(
            *((colours.sectors[ref.iri], ref.label) for ref in report.sectors),
            (UNKNOWN_SECTOR_COLOUR, words["sector_unknown"]),
        ),
        hidden=words["network_hidden"].format(hidden=hidden, total=len(drawn.nodes)) if hidden else "",
        left_out=left_out,
    )


@dataclass(frozen=True)
class _ProfilesView:
    profiles: tuple[Profile, ...]
    rows: tuple[tuple[str, tuple[str | tuple[str, ...], ...]], ...]


def _cell(text: str) -> str | tuple[str, ...]:
    """A profile cell: its text, or its items when it lists several (``a | b``)."""
    parts = tuple(part for part in text.split(" | ") if part.strip())
    return parts if len(parts) > 1 else text


def _profiles(profiles: tuple[Profile, ...], words: dict[str, str], first: tuple[str, ...]) -> _ProfilesView:
    """Table 1 or Figures 1-3: one column per type (or strategy), one row per attribute, ``first`` first."""
    attributes = list(dict.fromkeys([*first, *(name for profile in profiles for name in profile.values)]))
    rows = tuple(
        (words.get(name, name), tuple(_cell(profile.values.get(name, "")) for profile in profiles))
        for name in attributes
    )
    return _ProfilesView(profiles, rows)


@dataclass(frozen=True)
class _Cited:
    anchor: str
    iri: str
    short: str
    text: str
    graphs: str


def _citations(report: Report) -> list[_Cited]:
    """The works cited, by short name, each with the graphs that record it."""
    from kgtool.store.core import GRAPH_BASE

    return [
        _Cited(
            anchor=source_anchor(citation.iri),
            iri=citation.iri,
            short=citation.short,
            text=citation.citation or citation.title or citation.iri,
            graphs=", ".join(graph.removeprefix(GRAPH_BASE) for graph in citation.graphs),
        )
        for citation in sorted(report.citations.values(), key=lambda item: (item.short.lower(), item.iri))
    ]
