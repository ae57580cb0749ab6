"""Checking submitted records before they enter the knowledge graph: the data types (``model``), the parsed
submission (``submission``, read from RDF files, filled CSV templates (``csv_templates``) or submission workbooks
(``workbook_*``)), the context from the
knowledge graph (``context``), pySHACL (``engine``, ``shacl``) and the checks SHACL cannot express (``checks``),
validation in parts (``parts``), naming the records a result is about (``records``), the report in text, JSON and
Turtle (``report``) and HTML (``html``), and accepting a valid submission into the store (``ingest``).
Builds on ``kgtool.store``, ``kgtool.sparql`` (rendering terms) and ``kgtool.rdf``.

The names below are imported when first asked for (``kgtool.validation.validate``): importing one module of the
package (``kgtool.validation.ingest`` for a small ingest) does not import pySHACL's engine and the table readers.
"""

from __future__ import annotations

import importlib

#: Each name of the package's API and the module that defines it.
_WHERE = {
    "LANGUAGES": "kgtool.choices",
    "SH": "kgtool.rdf.namespaces",
    "validate": "kgtool.validation.engine",
    "validate_submission": "kgtool.validation.engine",
    "SEVERITIES": "kgtool.validation.model",
    "Record": "kgtool.validation.model",
    "Result": "kgtool.validation.model",
    "Shapes": "kgtool.validation.model",
    "ValidationReport": "kgtool.validation.model",
    "run_shacl": "kgtool.validation.shacl",
    "load_shapes": "kgtool.validation.shapes",
    "Submission": "kgtool.validation.submission",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


__all__ = [
    "LANGUAGES",
    "SEVERITIES",
    "SH",
    "Record",
    "Result",
    "Shapes",
    "Submission",
    "ValidationReport",
    "load_shapes",
    "run_shacl",
    "validate",
    "validate_submission",
]
