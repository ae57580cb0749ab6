"""The values kgtool's options accept, declared once: the command line validates against them
(``kgtool.cli.app.choice``) and the library renders by them. Dependency-free, so ``kgtool --help`` stays instant.
"""

from __future__ import annotations

#: The languages kgtool speaks (labels, headers, messages): ``--lang``.
LANGUAGES = ("en", "es")
#: ``kgtool query --format``: a table for people, SPARQL results in CSV/TSV/JSON, or markdown.
QUERY_FORMATS = ("table", "csv", "tsv", "json", "markdown")
#: ``kgtool queries --format``: the catalog listing.
LISTING_FORMATS = ("table", "json")
#: ``kgtool check --format``.
CHECK_FORMATS = ("table", "tsv", "json", "markdown")
#: The validation report as ``kgtool.validation.report`` renders it ...
VALIDATION_REPORT_FORMATS = ("text", "json", "turtle")
#: ... and ``kgtool validate --format``, which adds the HTML page (``kgtool.validation.html``).
VALIDATION_FORMATS = (*VALIDATION_REPORT_FORMATS, "html")
#: ``kgtool validate --engine`` and ``ingest --engine``: SHACL compiled to SPARQL (the default), or pySHACL.
SHACL_ENGINES = ("compiled", "pyshacl")
