"""Naming terms for people: the best label of each IRI found in a set of quads.

Reports (``kgtool check``) and documentation pages (``kgtool docs``) name classes and individuals by label,
never by bare IRI; they work on quads in memory, before any store exists, so they cannot use
``kgtool.sparql.queries.labels`` (which reads a store).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from kgtool.rdf.namespaces import PREFIXES

LABEL_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)


def label_index(quads: Iterable[ox.Quad], lang: str = "en") -> dict[str, str]:
    """IRI -> its label: ``rdfs:label`` or ``skos:prefLabel`` in ``lang``, else English, else untagged, else any."""
    preference = {lang: 0, "en": 1, "": 2}
    best: dict[str, tuple[int, str]] = {}
    for quad in quads:
        if quad.predicate.value not in LABEL_PREDICATES or not isinstance(quad.object, ox.Literal):
            continue
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        rank = preference.get(quad.object.language or "", 3)
        iri = quad.subject.value
        if iri not in best or (rank, quad.object.value) < best[iri]:
            best[iri] = (rank, quad.object.value)
    return {iri: label for iri, (_, label) in best.items()}


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
