"""``kgtool docs``: the offline documentation site (``site``), its HTML frame (``html``), the vocabulary, query and
quality pages (``pages``) and what each SHACL shape requires (``shapes``). Builds on ``kgtool.check``,
``kgtool.reasoning``, ``kgtool.sparql`` and ``kgtool.rdf``.
"""

from kgtool.docs.site import Site, build_site

__all__ = [
    "Site",
    "build_site",
]
