"""The namespaces of the contract (CONTRACT.md) and the prefixes every query may use undeclared."""

from __future__ import annotations

SAL = "https://w3id.org/sal#"
SALD = "https://w3id.org/sal/id/"
SALSH = "https://w3id.org/sal/shapes#"
ONTOLOGY_IRI = "https://w3id.org/sal"

PREFIXES = {
    "sal": SAL,
    "sald": SALD,
    "salsh": SALSH,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
}
