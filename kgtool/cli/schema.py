"""``kgtool schema [CLASS]``: how the kinds of record connect, for writing one's own SPARQL.

Without a class: the ontology's classes with their labels. With one (``sal:Project``, a full IRI, or its label in
English or Spanish such as ``project`` or ``empresa minera``): every property of the ontology that leads from it and
to it, written as the triple pattern to use (``?project sal:executedBy ?actor``) with the labels, read from the
project's ontology (``kgtool.rdf.schema``). An unknown class is one line with the nearest class (exit 2).
"""

from __future__ import annotations

from typing import Annotated

import typer

from kgtool.cli.app import LangOption, app, console


@app.command()
def schema(
    cls: Annotated[
        str | None, typer.Argument(metavar="CLASS", help="A class: sal:Project, its IRI, or its label (project)")
    ] = None,
    lang: LangOption = "en",
) -> None:
    """How the kinds of record connect: the properties that lead from a class and to it, as triple patterns."""
    from kgtool.rdf import nearest, ontology
    from kgtool.rdf import schema as rdf_schema
    from kgtool.rdf.labels import compact, label_index
    from kgtool.rdf.namespaces import OWL, RDF, SAL

    quads = ontology.load()
    labels = label_index(quads, lang)
    classes = sorted(
        {
            q.subject.value
            for q in quads
            if q.predicate.value == RDF + "type" and q.object.value == OWL + "Class" and q.subject.value.startswith(SAL)
        }
    )
    out = console()
    if cls is None:
        for iri in classes:
            out.print(f"{compact(iri)}  {labels.get(iri, '')}", highlight=False, soft_wrap=True)
        out.print("kgtool schema CLASS: the properties that lead from it and to it", highlight=False)
        return
    pool = nearest.from_quads(quads, classes)
    chosen = _resolve(cls, pool, compact)
    outgoing, incoming = rdf_schema.links(quads, chosen)
    out.print(f"{compact(chosen)} ({labels.get(chosen, '')})", highlight=False, soft_wrap=True)
    for title, found in (("from it", outgoing), ("to it", incoming)):
        out.print(f"  {title}:" if found else f"  {title}: none", highlight=False)
        for link in found:
            source, target = (chosen, _one(link.targets)) if title == "from it" else (_one(link.sources), chosen)
            pattern = f"?{_variable(source)} {compact(link.prop)} ?{_variable(target)}"
            ends = link.targets if title == "from it" else link.sources
            named = " | ".join(_named(c, labels, compact) for c in sorted(ends)) or "(not stated)"
            arrow = "→" if title == "from it" else "←"
            out.print(f"    {pattern:<58} {labels.get(link.prop, '')} {arrow} {named}", highlight=False, soft_wrap=True)


def _named(iri: str, labels: dict[str, str], compact) -> str:
    """``sal:Actor (actor)``; a term without a label by its name alone."""
    return f"{compact(iri)} ({labels[iri]})" if labels.get(iri) else compact(iri)


def _resolve(text: str, pool, compact) -> str:
    """The class ``text`` names (CURIE, IRI, or a label); else one line with the nearest class (exit 2)."""
    from kgtool.errors import UsageError
    from kgtool.rdf.namespaces import SAL

    iri = SAL + text[4:] if text.startswith("sal:") else text.strip("<>")
    if iri in pool:
        return iri
    named = pool.named(text)
    if len(named) == 1:
        return named[0]
    near = pool.suggest(text, limit=3) or pool.suggest(text, limit=1, cutoff=0.0)
    shown = repr(text if len(text) <= 80 else text[:80] + "…")
    hint = " or ".join(compact(found) for found in near)
    mean, quiso = (f"; did you mean {hint}?", f"; ¿quiso decir {hint}?") if hint else ("", "")
    raise UsageError(
        f"{shown} is not a class of the ontology{mean} (`kgtool schema` lists them)",
        es=f"{shown} no es una clase de la ontología{quiso} (`kgtool schema` las lista)",
    )


def _one(classes: frozenset[str]) -> str:
    """The class a variable is named after: the only one, or the first of a union."""
    return sorted(classes)[0] if classes else "value"


def _variable(iri: str) -> str:
    """``sal:LocalGovernment`` -> ``localGovernment``: a variable name for a record of that class."""
    name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return name[:1].lower() + name[1:] if name else "x"
