"""The namespaces of the contract (CONTRACT.md), the prefixes every query may use undeclared, and the few
vocabulary terms kgtool's code names directly.

Each IRI is written once, here; modules import the constant (a string, or a pyoxigraph ``NamedNode`` where they
compare or build quads) instead of spelling the IRI again. pyoxigraph is light; rdflib is not imported here.
"""

from __future__ import annotations

import pyoxigraph as ox

SAL = "https://w3id.org/sal#"
SALD = "https://w3id.org/sal/id/"
SALSH = "https://w3id.org/sal/shapes#"
ONTOLOGY_IRI = "https://w3id.org/sal"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"  # not in PREFIXES: catalog queries do not use SHACL
VANN = "http://purl.org/vocab/vann/"
SPDX = "http://spdx.org/rdf/terms#"

PREFIXES = {
    "sal": SAL,
    "sald": SALD,
    "salsh": SALSH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": "http://www.w3.org/ns/org#",
    "foaf": FOAF,
    "schema": "https://schema.org/",
}

# Terms as strings (compared with ``term.value``) ...
RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
RDFS_SUBCLASS_OF = RDFS + "subClassOf"
SKOS_PREFLABEL = SKOS + "prefLabel"
XSD_STRING = XSD + "string"
#: the predicates that carry a term's name, in order of preference
LABEL_PREDICATES = (RDFS_LABEL, SKOS_PREFLABEL)

# ... and as pyoxigraph terms (compared with terms, or put into quads).
TYPE_NODE = ox.NamedNode(RDF_TYPE)
RDFS_LABEL_NODE = ox.NamedNode(RDFS_LABEL)
SKOS_PREFLABEL_NODE = ox.NamedNode(SKOS_PREFLABEL)
