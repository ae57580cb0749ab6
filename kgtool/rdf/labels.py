"""Naming terms for people: the best label of each IRI found in a set of quads.

Reports (``kgtool check``) and documentation pages (``kgtool docs``) name classes and individuals by label,
never by bare IRI; they work on quads in memory, before any store exists, so they cannot use
``kgtool.sparql.queries.labels`` (which reads a store).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kgtool.rdf.namespaces import LABEL_PREDICATES, PREFIXES


def in_language(texts: Mapping[str, str], lang: str) -> str | None:
    """The text in ``lang``, else in English, else untagged (key ``""``), else any; None when there is none.

    kgtool's one rule for choosing a label or a message by language (``best_labels`` ranks terms by it)."""
    for key in (lang, "en", ""):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), None)


def best_labels(labelled: Iterable[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]], lang: str) -> dict[str, str]:
    """IRI -> its best label among ``(iri, label)`` pairs, by ``in_language``'s rule; the first in code point
    order among equals, so the choice does not depend on the order the labels come in."""
    preference = {lang: 0, "en": 1, "": 2}
    best: dict[str, tuple[int, str]] = {}
    for iri, label in labelled:
        rank = preference.get((label.language if isinstance(label, ox.Literal) else None) or "", 3)
        if iri not in best or (rank, label.value) < best[iri]:
            best[iri] = (rank, label.value)
    return {iri: text for iri, (_, text) in best.items()}


def label_index(quads: Iterable[ox.Quad], lang: str = "en") -> dict[str, str]:
    """IRI -> its label: ``rdfs:label`` or ``skos:prefLabel`` in ``lang``, else English, else untagged, else any."""
    return best_labels(
        (
            (quad.subject.value, quad.object)
            for quad in quads
            if quad.predicate.value in LABEL_PREDICATES
            and isinstance(quad.object, ox.Literal)
            and isinstance(quad.subject, ox.NamedNode)
        ),
        lang,
    )


def compact(iri: str) -> str:
    """``https://w3id.org/sal#Actor`` -> ``sal:Actor`` where a known prefix fits, else the IRI."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def local_name(iri: str) -> str:
    """What follows an IRI's last ``/`` or ``#`` (a trailing one ignored): ``sald:newmont`` -> ``newmont``."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def html_id(text: str) -> str:
    """``text`` (a local or prefixed name) as part of an HTML id: each run of characters other than ASCII letters,
    digits, ``_`` and ``-`` becomes one ``-``. The report's and the docs' ids are all made here."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)


def term_id(kind: str, iri: str) -> str:
    """``kind-<local name>``, e.g. ``alliance-newmont-alliance``: an HTML id for a term (never ``kind-``)."""
    return f"{kind}-" + (html_id(local_name(iri)).strip("-") or "x")


def name(iri: str, labels: dict[str, str]) -> str:
    """``label (prefix:local)`` when the IRI has a label, else the prefixed name: how reports name a term."""
    short = compact(iri)
    label = labels.get(iri)
    return f"{label} ({short})" if label else short
