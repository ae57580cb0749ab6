"""The HTML skeleton shared by kgtool's own documentation pages: layout, navigation, one local stylesheet.

Every page is static HTML with relative links and no script, font or stylesheet from elsewhere, so the site
opens from the file system with no network. Text is always escaped here, never pasted.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgtool.rdf.labels import compact, html_id

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

STYLESHEET = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d232a; }
body { line-height: 1.5; }
nav.kgtool { background: #17324d; padding: .5rem 1rem; }
nav.kgtool a { color: #fff; margin-right: 1.2rem; text-decoration: none; }
nav.kgtool a.current { font-weight: bold; text-decoration: underline; }
main { max-width: 70rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; } h2 { border-bottom: 1px solid #ccd; padding-top: 1rem; } h3 { margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
pre { background: #f5f7f9; border: 1px solid #dde; padding: .7rem; overflow-x: auto; font-size: .85rem; }
code { font-size: .9em; } .iri { color: #556; font-size: .85em; }
.level-ERROR { color: #a00; font-weight: bold; } .level-WARN { color: #a60; font-weight: bold; }
.level-INFO { color: #357; }
.lang { color: #667; font-size: .8em; margin-left: .3em; }
section.entry { border-left: 3px solid #c9d6e3; padding-left: .8rem; margin: 1rem 0; }
"""


def esc(text: object) -> str:
    """HTML-escaped text (quotes too: it may land in an attribute)."""
    return html.escape(str(text), quote=True)


def anchor(iri: str) -> str:
    """A stable HTML id for an IRI: its prefixed name with unsafe characters replaced."""
    return html_id(compact(iri))


def navigation(current: str) -> str:
    """The navigation bar linking every page; ``current`` is marked."""
    marked = ' class="current"'
    links = "".join(f'<a href="{file}"{marked if file == current else ""}>{esc(title)}</a>' for file, title in PAGES)
    return f'<nav class="kgtool">{links}</nav>'


def page(file: str, title: str, body: str) -> str:
    """A complete HTML page of the site."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{esc(title)}</title>\n<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
        f"{navigation(file)}\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal, labels: dict[str, str], local: set[str]) -> str:
    """A term as HTML: an IRI by label (a link when this site documents it), a literal with its language."""
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value) or compact(term.value)
        shown = (
            f'{esc(label)} <span class="iri">{esc(compact(term.value))}</span>' if term.value in labels else esc(label)
        )
        return f'<a href="#{anchor(term.value)}">{shown}</a>' if term.value in local else shown
    if isinstance(term, ox.Literal):
        language = f'<span class="lang">@{esc(term.language)}</span>' if term.language else ""
        return f"{esc(term.value)}{language}"
    return "(blank node)"


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table; the cells are HTML already (escape them first)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_stylesheet(folder: Path) -> Path:
    """The site's one stylesheet, written beside the pages."""
    path = folder / "style.css"
    path.write_text(STYLESHEET.lstrip(), encoding="utf-8")
    return path
