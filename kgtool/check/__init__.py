"""``kgtool check``: the reasoner's verdict and the quality report on the ontology (``run``), the quality rules
(``quality``) and their renderings (``render``). Builds on ``kgtool.reasoning``, ``kgtool.sparql`` (the rules are
catalog-style queries) and ``kgtool.store``.
"""

from kgtool.check.quality import Finding, Rule
from kgtool.check.run import FAIL_ON, INFERRED_GRAPH, CheckReport, check, materialize

__all__ = [
    "FAIL_ON",
    "INFERRED_GRAPH",
    "CheckReport",
    "Finding",
    "Rule",
    "check",
    "materialize",
]
