"""Checking submitted records before they enter the knowledge graph: the data types (``model``), the parsed
submission (``submission``, read from RDF files, filled CSV templates (``csv_templates``) or submission workbooks
(``workbook_*``)), the context from the
knowledge graph (``context``), pySHACL (``engine``, ``shacl``) and the checks SHACL cannot express (``checks``),
validation in parts (``parts``), naming the records a result is about (``records``), the report in text, JSON and
Turtle (``report``) and HTML (``html``), and accepting a valid submission into the store (``ingest``).
Builds on ``kgtool.store``, ``kgtool.sparql`` (rendering terms) and ``kgtool.rdf``.
"""

from kgtool.choices import LANGUAGES
from kgtool.rdf.namespaces import SH
from kgtool.validation.engine import validate, validate_submission
from kgtool.validation.model import SEVERITIES, Record, Result, Shapes, ValidationReport
from kgtool.validation.shacl import run_shacl
from kgtool.validation.shapes import load_shapes
from kgtool.validation.submission import Submission

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
