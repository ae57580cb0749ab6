"""kgtool: knowledge graph of actors, strategic alliances and legitimacy (Arbaiza; Peru's Mining Social Fund).

The package is a thin library, one module per capability; ``kgtool.cli`` only parses arguments and calls it.
Heavy libraries (pyshacl, owlready2, rdflib) are imported inside the functions that need them, so that
``import kgtool`` and ``kgtool --help`` stay instant.
"""

__version__ = "0.1.0"
