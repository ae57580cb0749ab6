"""The report as one self-contained HTML page: inline CSS, SVG and script, nothing loaded from anywhere.

The page carries a Content-Security-Policy that allows only its own inline style and script (by hash), so a
browser refuses any request the page might try to make: the guarantee that the report works offline and
tells no server that it was opened does not rest on the code below being careful, but on the browser.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from html import escape
from pathlib import Path

from kgtool import __version__
from kgtool.rdf.labels import html_id, local_name
from kgtool.report.cards import card, source_anchor
from kgtool.report.model import Matrix, Profile, Report
from kgtool.report.svg import UNKNOWN_SECTOR_COLOUR, Palette, network, palette, svg, swatch
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
    anchors = {alliance.ref.iri: alliance.anchor for alliance in report.cards}
    body = "".join(
        (
            _header(report, origin, date, words),
            "<main>",
            _matrix(report.matrix, anchors, colours, words),
            _gaps(report, anchors, words),
            _network(report, colours, words),
            _cards(report, colours, words),
            _profiles("table1", report.types, words, ("definition", "drivingNeed")),
            _profiles("strategies", report.strategies, words, ("definition", "instruments", "benefits", "actors")),
            _citations(report, words),
            "</main>",
            f"<footer><p>{escape(words['footer'])}</p></footer>",
        )
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(report.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f'<meta name="generator" content="kgtool {escape(__version__)}">\n'
        f"<title>{escape(words['title'])}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def _header(report: Report, origin: str, date: str, words: dict[str, str]) -> str:
    summary = words["summary"].format(
        alliances=len(report.cards),
        actors=len(report.actors),
        attributions=sum(len(card.attributions) for card in report.cards),
        sources=len(report.citations),
    )
    generated = words["generated"].format(version=__version__, origin=origin, date=date)
    links = "".join(f'<li><a href="#{key}">{escape(_section_title(key, words))}</a></li>' for key in SECTIONS)
    return (
        f'<header><h1>{escape(words["title"])}</h1><p class="subtitle">{escape(words["subtitle"])}</p>'
        f'<p class="summary">{escape(summary)}</p><p class="generated">{escape(generated)}</p>'
        f'<nav aria-label="{escape(words["contents"])}"><ul>{links}</ul></nav></header>'
    )


def _section_title(key: str, words: dict[str, str]) -> str:
    return words[{"alliances": "cards_title", "sources": "citations_title"}.get(key, key + "_title")]


def _heat(count: int, most: int) -> int:
    return 0 if count <= 0 else max(1, round(HEAT_LEVELS * count / max(most, 1)))


def _matrix(matrix: Matrix, anchors: dict[str, str], colours: Palette, words: dict[str, str]) -> str:
    """The heatmap: one row per strategy, one column per legitimacy type; counts link to the alliances."""
    most = max(matrix.counts.values(), default=0)
    head = "".join(
        f'<th scope="col" data-type="{escape(ref.iri)}">{swatch(colours.types[ref.iri])} {escape(ref.label)}</th>'
        for ref in matrix.types
    )
    rows = []
    for strategy in matrix.strategies:
        cells = []
        for type_ in matrix.types:
            count = matrix.count(strategy.iri, type_.iri)
            names = {"count": count, "strategy": strategy.label, "type": type_.label}
            title = escape((words["matrix_cell"] if count else words["matrix_zero"]).format(**names))
            value = str(count)
            if count:
                value = f'<a href="#{cell_anchor(strategy.iri, type_.iri)}" title="{title}">{count}</a>'
            cells.append(
                f'<td class="heat-{_heat(count, most)}" data-strategy="{escape(strategy.iri)}" '
                f'data-type="{escape(type_.iri)}" data-count="{count}" title="{title}">{value}</td>'
            )
        rows.append(f'<tr><th scope="row">{escape(strategy.label)}</th>{"".join(cells)}</tr>')
    behind = []
    for strategy in matrix.strategies:
        for type_ in matrix.types:
            alliances = matrix.behind.get((strategy.iri, type_.iri), ())
            if alliances:
                items = "".join(
                    f'<li><a href="#{anchors.get(ref.iri, "alliances")}" data-alliance="{escape(ref.iri)}">'
                    f"{escape(ref.label)}</a></li>"
                    for ref in alliances
                )
                behind.append(
                    f'<div id="{cell_anchor(strategy.iri, type_.iri)}"><h4>{escape(strategy.label)} × '
                    f"{escape(type_.label)} ({len(alliances)})</h4><ul>{items}</ul></div>"
                )
    return (
        f'<section id="matrix"><h2>{escape(words["matrix_title"])}</h2><p>{escape(words["matrix_intro"])}</p>'
        f'<table class="heatmap"><thead><tr><th scope="col">{escape(words["matrix_corner"])}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table><h3>{escape(words['behind_title'])}</h3>"
        f'<div class="behind">{"".join(behind)}</div></section>'
    )


def _gaps(report: Report, anchors: dict[str, str], words: dict[str, str]) -> str:
    gaps = "".join(
        f'<tr data-strategy="{escape(strategy.iri)}"><th scope="row">{escape(strategy.label)}</th>'
        f"<td>{escape(', '.join(ref.label for ref in missing))}</td><td>{escape(reason)}</td></tr>"
        for strategy, missing, reason in report.gaps
    )
    gap_table = (
        f'<table class="gaps"><thead><tr><th>{escape(words["gaps_strategy"])}</th><th>{escape(words["gaps_missing"])}'
        f"</th><th>{escape(words['gaps_reason'])}</th></tr></thead><tbody>{gaps}</tbody></table>"
        if gaps
        else f'<p class="muted">{escape(words["no_gaps"])}</p>'
    )
    crossovers = "".join(
        f'<tr data-alliance="{escape(item.alliance.iri)}"><td><a href="#{anchors.get(item.alliance.iri, "alliances")}">'
        f"{escape(item.alliance.label)}</a></td><td>{item.types}</td><td>{escape(item.legitimacy)}</td>"
        f"<td>{escape(item.strategies)}</td></tr>"
        for item in report.crossovers
    )
    keys = ("crossover_alliance", "crossover_types", "crossover_legitimacy", "crossover_strategies")
    crossover_table = (
        f'<table class="crossovers"><thead><tr>{"".join(f"<th>{escape(words[k])}</th>" for k in keys)}</tr></thead>'
        f"<tbody>{crossovers}</tbody></table>"
        if crossovers
        else f'<p class="muted">{escape(words["no_crossovers"])}</p>'
    )
    return (
        f'<section id="gaps"><h2>{escape(words["gaps_title"])}</h2><p>{escape(words["gaps_intro"])}</p>{gap_table}'
        f"<p>{escape(words['crossover_intro'])}</p>{crossover_table}</section>"
    )


def _network(report: Report, colours: Palette, words: dict[str, str]) -> str:
    drawn = network(report, colours)
    alliances = sum(1 for placed in drawn.nodes.values() if placed.node.kind == "alliance")
    title = words["network_aria"].format(alliances=alliances, actors=len(drawn.nodes) - alliances)
    types = {ref.iri: ref.label for ref in report.matrix.types}
    types.update({ref.iri: ref.label for card in report.cards for ref in card.legitimacy})
    type_items = [f"<li>{swatch(colour)} {escape(types.get(iri, iri))}</li>" for iri, colour in colours.types.items()]
    type_items.append(f"<li>{swatch('#ffffff')} {escape(words['legend_none'])}</li>")
    sector_items = [
        f"<li>{swatch(colours.sectors[ref.iri], 'square')} {escape(ref.label)}</li>" for ref in report.sectors
    ]
    sector_items.append(f"<li>{swatch(UNKNOWN_SECTOR_COLOUR, 'square')} {escape(words['sector_unknown'])}</li>")
    line_items = (
        f"<li>{swatch('', 'line')} {escape(words['edge_partner'])}</li>"
        f"<li>{swatch('', 'line', dashed=True)} {escape(words['edge_operator'])}</li>"
    )
    legend = (
        f'<div class="legend"><div>{escape(words["legend_legitimacy"])}<ul>{"".join(type_items)}</ul></div>'
        f"<div>{escape(words['legend_sector'])}<ul>{''.join(sector_items)}</ul></div>"
        f"<div>{escape(words['legend_lines'])}<ul>{line_items}</ul></div></div>"
    )
    hidden = drawn.hidden_labels
    hidden_text = words["network_hidden"].format(hidden=hidden, total=len(drawn.nodes))
    note = f'<p class="note" id="network-hidden">{escape(hidden_text)}</p>' if hidden else ""
    if drawn.left_out_alliances:
        left_out = words["network_left_out"].format(
            shown=alliances, alliances=drawn.left_out_alliances, actors=drawn.left_out_actors
        )
        note += f'<p class="note" id="network-left-out">{escape(left_out)}</p>'
    search = (
        f'<p class="search"><label>{escape(words["search"])}: <input type="search" id="network-search" '
        f'autocomplete="off"></label> <span id="network-matches" aria-live="polite"></span></p>'
    )
    return (
        f'<section id="network"><h2>{escape(words["network_title"])}</h2><p>{escape(words["network_intro"])}</p>'
        f'{legend}{search}<div class="network-frame">{svg(drawn, title)}</div>{note}</section>'
    )


def _cards(report: Report, colours: Palette, words: dict[str, str]) -> str:
    articles = "".join(card(alliance, report.citations, colours, words) for alliance in report.cards)
    return (
        f'<section id="alliances"><h2>{escape(words["cards_title"])}</h2><p>{escape(words["cards_intro"])}</p>'
        f'<div class="cards">{articles}</div></section>'
    )


def _cell(text: str) -> str:
    parts = [part for part in text.split(" | ") if part.strip()]
    if len(parts) > 1:
        return "<ul>" + "".join(f"<li>{escape(part)}</li>" for part in parts) + "</ul>"
    return escape(text)


def _profiles(key: str, profiles: tuple[Profile, ...], words: dict[str, str], first: tuple[str, ...]) -> str:
    """Table 1 or Figures 1-3: one column per type (or strategy), one row per attribute."""
    attributes = list(dict.fromkeys([*first, *(name for profile in profiles for name in profile.values)]))
    head = "".join(f'<th scope="col" data-iri="{escape(p.ref.iri)}">{escape(p.ref.label)}</th>' for p in profiles)
    rows = "".join(
        f'<tr><th scope="row">{escape(words.get(name, name))}</th>'
        + "".join(f"<td>{_cell(profile.values.get(name, ''))}</td>" for profile in profiles)
        + "</tr>"
        for name in attributes
    )
    title, intro = words[f"{key}_title"], words[f"{key}_intro"]
    return (
        f'<section id="{key}"><h2>{escape(title)}</h2><p>{escape(intro)}</p>'
        f'<table class="profile"><thead><tr><th scope="col">{escape(words["attribute"])}</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _citations(report: Report, words: dict[str, str]) -> str:
    items = []
    for citation in sorted(report.citations.values(), key=lambda item: (item.short.lower(), item.iri)):
        text = citation.citation or citation.title or citation.iri
        graphs = ", ".join(_graph_name(graph) for graph in citation.graphs)
        recorded = f' <span class="muted">({escape(words["recorded_in"])} {escape(graphs)})</span>' if graphs else ""
        items.append(
            f'<li id="{source_anchor(citation.iri)}" data-iri="{escape(citation.iri)}"><strong>'
            f"{escape(citation.short)}</strong>: {escape(text)}{recorded}</li>"
        )
    return (
        f'<section id="sources"><h2>{escape(words["citations_title"])}</h2><p>{escape(words["citations_intro"])}</p>'
        f'<ol class="citations">{"".join(items)}</ol></section>'
    )


def _graph_name(graph: str) -> str:
    from kgtool.store.core import GRAPH_BASE

    return graph.removeprefix(GRAPH_BASE)
