"""kgtool: knowledge graph of actors, strategic alliances and legitimacy (Arbaiza; Peru's Mining Social Fund).

One subpackage per capability, in layers (docs/ARCHITECTURE.md): ``rdf`` at the bottom, then ``store``,
``sparql``, ``validation`` and ``reasoning``, ``check``, ``docs`` and ``report``, and ``cli`` on top, which only
parses arguments and calls the library. Heavy libraries (pyshacl, owlready2, rdflib, networkx) are imported
inside the functions that need them, so that ``import kgtool`` and ``kgtool --help`` stay instant.
"""

__version__ = "0.1.0"
