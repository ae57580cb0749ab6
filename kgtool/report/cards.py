"""The alliance cards of the report: one ``<article>`` per alliance, every statement with its sources.

A card shows what the knowledge graph holds about one alliance and no more: a partner the sources name without
saying anything of its part is listed as such, not given empty fields, and each statement links to the works
cited for it in the report's list of sources.
"""

from __future__ import annotations

from html import escape

from kgtool.rdf.labels import compact, term_id
from kgtool.report.model import AllianceCard, Assessment, Attribution, Citation, PartnerPart, ProjectLink, Ref
from kgtool.report.svg import UNKNOWN_SECTOR_COLOUR, Palette, swatch


def source_anchor(iri: str) -> str:
    """The HTML id of a cited work in the list of sources."""
    return term_id("source", iri)


def cites(sources: tuple[str, ...], citations: dict[str, Citation], words: dict[str, str]) -> str:
    """``Sources: <a href="#source-…">Casado Cañeque 2007</a>``, or nothing when no source is cited."""
    if not sources:
        return ""
    links = ", ".join(
        f'<a href="#{source_anchor(iri)}">{escape(citations[iri].short if iri in citations else compact(iri))}</a>'
        for iri in sources
    )
    label = words["sources"] if len(sources) > 1 else words["sources_of"]
    return f'<span class="cites">{escape(label)}: {links}</span>'


def badges(refs: tuple[Ref, ...], colours: dict[str, str], words: dict[str, str]) -> str:
    if not refs:
        return f'<span class="muted">{escape(words["none"])}</span>'
    return "".join(
        f'<span class="badge">{swatch(colours[ref.iri]) if ref.iri in colours else ""}{escape(ref.label)}</span>'
        for ref in refs
    )


def card(alliance: AllianceCard, citations: dict[str, Citation], colours: Palette, words: dict[str, str]) -> str:
    """One alliance's card."""
    definition = ""
    if alliance.definition or alliance.sources:
        definition = (
            f'<p class="definition">{escape(alliance.definition)} {cites(alliance.sources, citations, words)}</p>'
        )
    return (
        f'<article class="card" id="{alliance.anchor}" data-iri="{escape(alliance.ref.iri)}">'
        f"<h3>{escape(alliance.ref.label)}</h3>"
        f'<p class="iri"><code>{escape(compact(alliance.ref.iri))}</code></p>{definition}'
        f'<dl class="facets"><dt>{escape(words["strategy"])}</dt><dd>{badges(alliance.strategies, {}, words)}</dd>'
        f"<dt>{escape(words['legitimacy'])}</dt><dd>{badges(alliance.legitimacy, colours.types, words)}</dd></dl>"
        f"{_partners(alliance, citations, colours, words)}"
        f"{_attributions(alliance.attributions, citations, colours, words)}"
        f"{_projects(alliance.projects, citations, words)}"
        f"{_assessments(alliance.assessments, citations, words)}"
        "</article>"
    )


def _actor(part: PartnerPart, colours: Palette, words: dict[str, str]) -> str:
    sector = part.actor.sector
    colour = colours.sectors.get(sector.iri, UNKNOWN_SECTOR_COLOUR) if sector else UNKNOWN_SECTOR_COLOUR
    sector_name = sector.label if sector else words["sector_unknown"]
    role = f' <span class="badge">{escape(words["operator"])}</span>' if part.role == "operator" else ""
    return (
        f'<span class="actor" data-actor="{escape(part.actor.ref.iri)}" data-role="{part.role}">'
        f"{swatch(colour, 'square')} <strong>{escape(part.actor.ref.label)}</strong> "
        f'<span class="sector">({escape(sector_name)})</span>{role}</span>'
    )


def _partners(alliance: AllianceCard, citations: dict[str, Citation], colours: Palette, words: dict[str, str]) -> str:
    stated = [part for part in alliance.parts if part.states_anything or part.sources or part.role == "operator"]
    named_only = [part for part in alliance.parts if part not in stated]
    items = []
    for part in stated:
        fields = [
            (words["needs"], part.needs),
            (words["objectives"], part.objectives),
            (words["benefits"], part.benefits),
            (words["resources"], part.resources),
            (words["sought"], part.sought),
            (words["preferred"], part.preferred),
        ]
        details = "".join(
            f"<dt>{escape(name)}</dt>" + "".join(f"<dd>{escape(value)}</dd>" for value in values)
            for name, values in fields
            if values
        )
        body = f"<dl>{details}</dl>" if details else ""
        if not details and part.role == "partner":
            body = f'<p class="muted">{escape(words["nothing_stated"])}</p>'
        items.append(
            f'<li class="part">{_actor(part, colours, words)}{body}{cites(part.sources, citations, words)}</li>'
        )
    if named_only:
        names = "; ".join(_actor(part, colours, words) for part in named_only)
        items.append(f'<li class="part named-only">{escape(words["named_only"])}: {names}</li>')
    listing = (
        f'<ul class="parts">{"".join(items)}</ul>' if items else f'<p class="muted">{escape(words["no_partners"])}</p>'
    )
    note = f'<p class="note">{escape(words["unidentified"])}</p>' if alliance.unidentified_partners else ""
    return f"<h4>{escape(words['partners'])}</h4>{listing}{note}"


def _attributions(
    attributions: tuple[Attribution, ...], citations: dict[str, Citation], colours: Palette, words: dict[str, str]
) -> str:
    if not attributions:
        return ""
    items = []
    for item in attributions:
        holder = (
            f" — {escape(words['holder'])} <strong>{escape(item.holder.label)}</strong>"
            if item.holder
            else f' — <span class="muted">{escape(words["holder_unknown"])}</span>'
        )
        audiences = f", {escape(words['audiences'])} {escape(item.audiences)}" if item.audiences else ""
        quote = f"<blockquote>{escape(item.evidence)}</blockquote>" if item.evidence else ""
        items.append(
            f'<li class="attribution" data-type="{escape(item.type.iri)}">{badges((item.type,), colours.types, words)}'
            f"{holder}{audiences}{quote}{cites(item.sources, citations, words)}</li>"
        )
    return f"<h4>{escape(words['attributions'])}</h4><ul>{''.join(items)}</ul>"


def _projects(projects: tuple[ProjectLink, ...], citations: dict[str, Citation], words: dict[str, str]) -> str:
    heading = f"<h4>{escape(words['projects'])}</h4>"
    if not projects:
        return f'{heading}<p class="muted">{escape(words["no_projects"])}</p>'
    items = "".join(
        f'<li class="project" data-iri="{escape(item.project.iri)}">{escape(item.project.label)} '
        f'<span class="muted">({escape(words["via"])} {escape(", ".join(ref.label for ref in item.through))})</span> '
        f"{cites(item.sources, citations, words)}</li>"
        for item in projects
    )
    return f'{heading}<p class="muted">{escape(words["projects_note"])}</p><ul>{items}</ul>'


def _assessments(assessments: tuple[Assessment, ...], citations: dict[str, Citation], words: dict[str, str]) -> str:
    heading = f"<h4>{escape(words['assessments'])}</h4>"
    if not assessments:
        return f'{heading}<p class="muted">{escape(words["no_assessments"])}</p>'
    head = "".join(
        f"<th>{escape(words[key])}</th>" for key in ("principle", "date", "rating", "assessor", "evidence", "sources")
    )
    rows = "".join(
        f'<tr class="assessment"><td>{escape(item.principle.label)}</td><td>{escape(item.date)}</td>'
        f"<td>{escape(item.rating)}</td><td>{escape(item.assessor.label if item.assessor else '')}</td>"
        f"<td>{escape(item.evidence)}</td><td>{cites(item.sources, citations, words)}</td></tr>"
        for item in assessments
    )
    return f"{heading}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
