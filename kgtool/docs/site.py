"""``kgtool docs``: an offline HTML site of the ontology (pyLODE), its individuals, shapes, queries and rules.

pyLODE (3.3.x: 3.4.1 fails on import on Python < 3.12, newer versions need 3.12) renders classes and
properties. It is fed one merged, one-language graph: with both languages it shows whichever label it meets
last, and it folds every ``skos:ConceptScheme`` and module header into the ontology's metadata, so imported
module headers and scheme typings are left out of its input (the schemes get kgtool's vocabularies page).
pyLODE inlines its CSS and icons; kgtool's pages use one local stylesheet: nothing is fetched when browsing.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.check import quality
from kgtool.docs import html as docs_html
from kgtool.docs import pages as docs_pages
from kgtool.docs import shapes as docs_shapes
from kgtool.errors import InputError
from kgtool.rdf import ontology, resources
from kgtool.rdf.labels import label_index
from kgtool.rdf.namespaces import DCTERMS, ONTOLOGY_IRI, RDFS_LABEL, SKOS, TYPE_NODE
from kgtool.sparql import catalog

DCTERMS_TITLE = DCTERMS + "title"
SKOS_CONCEPT_SCHEME = SKOS + "ConceptScheme"


@dataclass
class Site:
    """What ``build_site`` wrote: the folder and every page, index first."""

    root: Path
    pages: list[Path] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # what was read: files, and folders as ``DIR/*.rq (N files)``


def main_ontology(quads: Sequence[ox.Quad]) -> str:
    """The IRI of the entry ontology: SAL's when present, else the one no other ontology imports."""
    declared = sorted(q.subject.value for q in quads if q.object == ontology.OWL_ONTOLOGY)
    if not declared:
        raise InputError("the ontology has no owl:Ontology declaration to document")
    if ONTOLOGY_IRI in declared:
        return ONTOLOGY_IRI
    imported = {q.object.value for q in quads if q.predicate == ontology.OWL_IMPORTS}
    roots = [iri for iri in declared if iri not in imported]
    return (roots or declared)[0]


def pylode_input(quads: Sequence[ox.Quad], main: str, lang: str) -> list[ox.Quad]:
    """The graph pyLODE documents well: one language, one ontology header, no concept-scheme typings."""
    modules = {q.subject.value for q in quads if q.object == ontology.OWL_ONTOLOGY} - {main}
    kept = []
    for q in quads:
        if q.subject.value in modules or q.predicate == ontology.OWL_IMPORTS:
            continue
        if q.predicate == TYPE_NODE and q.object.value == SKOS_CONCEPT_SCHEME:
            continue
        if isinstance(q.object, ox.Literal) and q.object.language and q.object.language != lang:
            continue
        kept.append(q)
    return kept


def _pylode():
    """pyLODE's OntPub, imported without letting it reconfigure logging (it sets the root logger to DEBUG)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    except Exception as error:  # pyLODE 3.4.1 raises FileNotFoundError on import
        raise InputError(
            f"pyLODE cannot be imported ({type(error).__name__}: {error}); install pylode 3.3.x"
        ) from error
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    return OntPub


def ontology_html(quads: Sequence[ox.Quad], lang: str = "en") -> str:
    """The pyLODE page of the ontology in one language, with kgtool's navigation bar on top."""
    from kgtool.rdf.parsing import to_rdflib_graph

    main = main_ontology(quads)
    if not any(q.subject.value == main and q.predicate.value in (DCTERMS_TITLE, RDFS_LABEL) for q in quads):
        raise InputError(f"<{main}> has no dcterms:title or rdfs:label: pyLODE needs an ontology title")
    OntPub = _pylode()
    graph = to_rdflib_graph(pylode_input(quads, main, lang))
    with contextlib.redirect_stdout(io.StringIO()):  # pyLODE prints diagnostics to stdout
        try:
            document = OntPub(graph)
            html = document.make_html(include_css=True)
        except Exception as error:
            raise InputError(f"pyLODE cannot document <{main}>: {type(error).__name__}: {error}") from error
    current = "ontology.html" if lang == "en" else f"ontology-{lang}.html"
    nav = docs_html.navigation(current).replace("<nav", '<nav style="margin:-1rem -1rem 1rem"', 1)
    return html.replace("<body>", f"<body>\n{nav}", 1)


def _ontology_files(ontology_path: Path | None) -> list[Path]:
    """The ontology's Turtle files and its Protégé catalog, to ship with the site."""
    path = Path(ontology_path) if ontology_path else resources.folder("ontology")
    folder = path if path.is_dir() else path.parent
    files = sorted({file for file, _ in ontology.module_map(folder).values()})
    catalog_file = folder / "catalog-v001.xml"
    return files + ([catalog_file] if catalog_file.is_file() else [])


def _folder_option(path: Path | None, default: str, option: str) -> Path:
    if path is None:
        return resources.folder(default)
    if not Path(path).is_dir():
        raise InputError(f"{option} {path}: no such folder")
    return Path(path)


def build_site(
    out: Path,
    ontology_path: Path | None = None,
    shapes_dir: Path | None = None,
    queries_dir: Path | None = None,
) -> Site:
    """Write the documentation site to ``out``: index, ontology (en, es), vocabularies, shapes, queries, rules."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file, not a folder")
    if ontology_path is not None and not Path(ontology_path).exists():
        raise InputError(f"{ontology_path}: no such file or folder")
    quads, ontology_files = ontology.load_files(ontology_path)
    shapes_folder = _folder_option(shapes_dir, "shapes", "--shapes")
    queries_folder = _folder_option(queries_dir, "queries", "--queries")
    queries = catalog.catalog(queries_folder)
    labels = label_index(quads)
    shapes = docs_shapes.load_shapes(shapes_folder, labels)
    rules = quality.load_rules()
    pages = {
        "ontology.html": ontology_html(quads, "en"),
        "ontology-es.html": ontology_html(quads, "es"),
        "vocabularies.html": docs_pages.vocabularies_page(quads, labels),
        "shapes.html": docs_shapes.shapes_page(shapes, f"{shapes_folder.name}/"),
        "queries.html": docs_pages.queries_page(queries),
        "quality.html": docs_pages.quality_page(rules, {r: quality.reasoner_level(r) for r in quality.REASONER_RULES}),
    }
    files = _ontology_files(ontology_path)
    summary = docs_pages.summarize(quads, main_ontology(quads))
    extra = {"shapes": len(shapes), "catalog queries": len(queries), "quality rules": len(rules)}
    pages = {"index.html": docs_pages.index_page(summary, extra, [f.name for f in files]), **pages}

    (out / "ontology").mkdir(parents=True, exist_ok=True)
    site = Site(root=out, sources=[str(path.resolve()) for path in ontology_files])
    for folder, pattern in ((shapes_folder, "*.ttl"), (queries_folder, "*.rq"), (quality.quality_folder(), "*.rq")):
        site.sources.append(f"{folder.resolve() / pattern} ({len(list(folder.glob(pattern)))} files)")
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
        site.pages.append(out / name)
    docs_html.write_stylesheet(out)
    for file in files:
        shutil.copyfile(file, out / "ontology" / file.name)
    return site
