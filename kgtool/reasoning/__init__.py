"""OWL reasoning: HermiT through owlready2 on the JRE (``hermit``), who is to blame when the ontology is
inconsistent (``explanation``), and both together as ``kgtool check`` uses them (``reasoner``). Builds on
``kgtool.rdf`` only.
"""

from kgtool.reasoning.hermit import java_available, require_java, run_hermit
from kgtool.reasoning.reasoner import ReasoningResult, reason

__all__ = [
    "ReasoningResult",
    "java_available",
    "reason",
    "require_java",
    "run_hermit",
]
