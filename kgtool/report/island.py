"""Every alliance card as data: one compact JSON island the page's script pages, searches and filters.

Why: at a million triples the report has thousands of alliances, and a card each in HTML (with its partners'
projects, hundreds per well-connected company) made a 363 MB page that took ten minutes to write. The page now
draws the first ``PAGE_SIZE`` cards in HTML, so it reads without JavaScript (the paper's case fits on that first
page whole), and carries every card here, once, in tables that each name is written in a single time: works
cited, legitimacy types, strategies, actors and projects are listed once and cards refer to them by index; a
card's projects are its partners' projects, looked up per actor (``actor_projects``), as ``AllianceCard.projects``
does. ``assets/report.js`` draws a card from this data as ``assets/parts.html.j2`` draws it from the model (the
browser test compares the two).

The island is a ``<script type="application/json">``: a browser never runs it, so the page's
Content-Security-Policy still allows one script only; every ``<`` is written ``\\u003c``, so no text in the data
can close the element.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from kgtool.rdf.labels import compact
from kgtool.report.cards import PART_FIELDS, source_anchor
from kgtool.report.model import AllianceCard, Citation, Report
from kgtool.report.svg import UNKNOWN_SECTOR_COLOUR, Palette

#: Cards drawn in HTML, and cards per page when the script pages through the rest.
PAGE_SIZE = 50

#: The page's words the script needs to draw a card and its pager (``kgtool.report.text``).
SCRIPT_WORDS = (
    "strategy",
    "legitimacy",
    "none",
    "partners",
    "operator",
    "unidentified",
    "no_partners",
    *PART_FIELDS,
    "nothing_stated",
    "named_only",
    "sector_unknown",
    "attributions",
    "holder",
    "holder_unknown",
    "audiences",
    "projects",
    "projects_note",
    "via",
    "no_projects",
    "assessments",
    "no_assessments",
    "principle",
    "date",
    "rating",
    "assessor",
    "evidence",
    "sources",
    "sources_of",
    "cards_shown",
    "cards_none",
)


class _Table:
    """Values listed once, in the order first met; ``index`` gives a value's position (adding it if new)."""

    def __init__(self, row: Callable[[Any], list]) -> None:
        self.row = row
        self.positions: dict[Any, int] = {}
        self.rows: list[list] = []

    def index(self, key: Any, value: Any = None) -> int:
        if key not in self.positions:
            self.positions[key] = len(self.rows)
            self.rows.append(self.row(key if value is None else value))
        return self.positions[key]

    def indexes(self, keys: Iterable[Any]) -> list[int]:
        return [self.index(key) for key in keys]


def cards_data(report: Report, colours: Palette, words: dict[str, str]) -> dict[str, Any]:
    """The island's content: the tables, then one row per card in the report's order."""
    citations = report.citations
    sources = _Table(lambda iri: [source_anchor(iri), _short(citations.get(iri), iri)])
    types = _Table(lambda ref: [ref.iri, ref.label, colours.types.get(ref.iri, "")])
    strategies = _Table(lambda ref: [ref.iri, ref.label])
    sector_colours = dict(colours.sectors)
    actors = _Table(
        lambda part: [
            part.actor.ref.iri,
            part.actor.ref.label,
            part.actor.sector.label if part.actor.sector else "",
            sector_colours.get(part.actor.sector.iri, UNKNOWN_SECTOR_COLOUR)
            if part.actor.sector
            else UNKNOWN_SECTOR_COLOUR,
        ]
    )
    projects = _Table(lambda item: [item.project.iri, item.project.label, sources.indexes(item.sources)])
    for ref in report.matrix.types:
        types.index(ref)
    for ref in report.matrix.strategies:
        if ref.iri:
            strategies.index(ref)
    cards = [_card(card, sources, types, strategies, actors) for card in report.cards]
    index = report.cards[0].project_index if report.cards else {}
    actor_projects = [
        [projects.index(item.project.iri, item) for item in index.get(iri, ())] for iri, *_ in actors.rows
    ]
    return {
        "pageSize": PAGE_SIZE,
        "words": {key: words[key] for key in SCRIPT_WORDS},
        "sources": sources.rows,
        "types": types.rows,
        "strategies": strategies.rows,
        "actors": actors.rows,
        "projects": projects.rows,
        "actorProjects": actor_projects,
        "cards": cards,
    }


def _short(citation: Citation | None, iri: str) -> str:
    return citation.short if citation else compact(iri)


def _card(card: AllianceCard, sources: _Table, types: _Table, strategies: _Table, actors: _Table) -> list:
    """[anchor, IRI, compact IRI, label, definition, unidentified partners (0/1), strategies, types, sources,
    parts, attributions, assessments]; a part is [actor, operator (0/1), the PART_FIELDS' lists, sources]."""
    return [
        card.anchor,
        card.ref.iri,
        compact(card.ref.iri),
        card.ref.label,
        card.definition,
        int(card.unidentified_partners),
        strategies.indexes(card.strategies),
        types.indexes(card.legitimacy),
        sources.indexes(card.sources),
        [
            [
                actors.index(part.actor.ref.iri, part),
                int(part.role == "operator"),
                *(list(getattr(part, name)) for name in PART_FIELDS),
                sources.indexes(part.sources),
            ]
            for part in card.parts
        ],
        [
            [
                types.index(item.type),
                item.holder.label if item.holder else None,
                item.audiences,
                item.evidence,
                sources.indexes(item.sources),
            ]
            for item in card.attributions
        ],
        [
            [
                item.principle.label,
                item.date,
                item.rating,
                item.assessor.label if item.assessor else "",
                item.evidence,
                sources.indexes(item.sources),
            ]
            for item in card.assessments
        ],
    ]


def island(data: dict[str, Any]) -> str:
    """``data`` as the text of a ``<script type="application/json">``: compact, and no ``<`` left to end it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
