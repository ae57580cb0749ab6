"""The pages of kgtool's own documentation site, rendered from the templates in ``assets/``.

Every page is static HTML with relative links and no script, font or stylesheet from elsewhere, so the site
opens from the file system with no network. The markup is in the templates (``layout.html.j2`` and a template per
page, with macros in ``parts.html.j2``), rendered by ``kgtool.templates`` with autoescaping: text is escaped
there, never pasted.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgtool import templates
from kgtool.rdf.labels import compact, html_id

ASSETS = Path(__file__).with_name("assets")

#: (file, title) of each page, in navigation order.
PAGES = (
    ("index.html", "Overview"),
    ("ontology.html", "Ontology"),
    ("ontology-es.html", "Ontología (es)"),
    ("vocabularies.html", "Vocabularies & individuals"),
    ("shapes.html", "Shapes"),
    ("queries.html", "Query catalog"),
    ("quality.html", "Quality rules"),
)


def anchor(iri: str) -> str:
    """A stable HTML id for an IRI: its prefixed name with unsafe characters replaced."""
    return html_id(compact(iri))


def _helpers() -> dict[str, Any]:
    """What every template of the site may call."""
    return {
        "pages": PAGES,
        "anchor": anchor,
        "compact": compact,
        "is_iri": lambda term: isinstance(term, ox.NamedNode),
        "is_literal": lambda term: isinstance(term, ox.Literal),
        "labels": {},
        "local": frozenset(),
    }


def page(template: str, file: str, title: str, **context: Any) -> str:
    """The complete page ``file`` of the site, from ``template`` filled with ``context``."""
    return templates.render(ASSETS, template, joined=True, **{**_helpers(), **context}, current=file, title=title)


def navigation(current: str) -> str:
    """The navigation bar linking every page; ``current`` is marked (for pages made by others: pyLODE's)."""
    parts = templates.environment(ASSETS, joined=True).get_template("parts.html.j2")
    return str(parts.make_module(_helpers()).navigation(current))


def write_stylesheet(folder: Path) -> Path:
    """The site's one stylesheet, written beside the pages."""
    path = folder / "style.css"
    shutil.copyfile(ASSETS / "style.css", path)
    return path
