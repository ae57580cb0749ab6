"""The Protégé catalog (``ontology/catalog-v001.xml``) against the ontology files it maps (typology recipe, step 7).

Protégé resolves ``owl:imports`` through the catalog. After a version bump (``owl:versionIRI``), a catalog still
mapping the old version IRI, or missing the new one, makes Protégé look for the module on the network, or load
an old copy. This check, in the quality report as ``catalog-mismatch``, names each ontology IRI or version IRI a
module declares that the catalog does not map to that module's file, and each catalog entry for an IRI that no
module declares (a stale version).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kgtool.check.quality import Finding
from kgtool.rdf.namespaces import OWL, TYPE_NODE
from kgtool.rdf.ontology import OWL_ONTOLOGY, module_map

RULE = "catalog-mismatch"
CATALOG = "catalog-v001.xml"
CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
VERSION_IRI = OWL + "versionIRI"


def catalog_entries(path: Path) -> dict[str, str]:
    """IRI -> the file name the catalog maps it to (the ``<uri name="…" uri="…"/>`` entries)."""
    from defusedxml import ElementTree

    root = ElementTree.parse(path).getroot()
    return {
        entry.get("name", ""): Path(entry.get("uri", "")).name
        for entry in root.iter(f"{CATALOG_NS}uri")
        if entry.get("name")
    }


def findings(folder: Path, level: str) -> list[Finding]:
    """What the catalog of ``folder`` gets wrong about the modules there; none without a catalog."""
    catalog = folder / CATALOG
    if not catalog.is_file():
        return []
    entries = catalog_entries(catalog)
    declared: dict[str, str] = {}
    for iri, (file, quads) in module_map(folder).items():
        declared[iri] = file.name
        declared.update({version: file.name for version in _versions(quads, iri)})
    found = [
        Finding(level, RULE, iri, "catalog", f"{CATALOG} does not map it to {name}")
        for iri, name in sorted(declared.items())
        if entries.get(iri) != name
    ]
    found += [
        Finding(level, RULE, iri, "catalog", f"{CATALOG} maps it to {name}, but no module declares it (an old version)")
        for iri, name in sorted(entries.items())
        if iri not in declared
    ]
    return found


def _versions(quads: Sequence[ox.Quad], ontology_iri: str) -> list[str]:
    subject = ox.NamedNode(ontology_iri)
    if not any(q.subject == subject and q.predicate == TYPE_NODE and q.object == OWL_ONTOLOGY for q in quads):
        return []
    return [q.object.value for q in quads if q.subject == subject and q.predicate.value == VERSION_IRI]
