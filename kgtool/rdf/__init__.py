"""RDF basics that every other layer uses: vocabulary constants (``namespaces``), strict offline parsing
(``parsing``), the ontology with its local ``owl:imports`` (``ontology``), labels by language (``labels``) and
where the knowledge folders are (``resources``). It imports nothing of kgtool but ``errors`` and ``environment``.
"""

from kgtool.rdf.labels import compact, label_index, name
from kgtool.rdf.namespaces import ONTOLOGY_IRI, PREFIXES, SAL, SALD, SALSH
from kgtool.rdf.ontology import without_imports
from kgtool.rdf.parsing import iter_quads, parse_quads, rdf_format, to_rdflib_graph
from kgtool.rdf.resources import folder, project_root

__all__ = [
    "ONTOLOGY_IRI",
    "PREFIXES",
    "SAL",
    "SALD",
    "SALSH",
    "compact",
    "folder",
    "iter_quads",
    "label_index",
    "name",
    "parse_quads",
    "project_root",
    "rdf_format",
    "to_rdflib_graph",
    "without_imports",
]
