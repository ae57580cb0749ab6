"""SHACL compiled to set-based SPARQL on Oxigraph, with pySHACL's results.

``compile_program(shapes_quads)`` turns a shapes graph into one SPARQL query per shape and constraint (over
all focus nodes at once); ``run(program, store)`` runs them in parallel on a pyoxigraph ``Store`` and returns
``Finding``s, the validation results. Shapes the compiler does not claim are validated by pySHACL
(``program.fallback`` says which and why). pySHACL is the reference: ``literals`` reproduces its (rdflib's)
reading of literals, and the test suite checks equality on kgtool's shapes and the W3C test suite.
"""

from kgtool.validation.compiled.errors import ShapesError, Unsupported
from kgtool.validation.compiled.program import Program, Rule, compile_program
from kgtool.validation.compiled.results import Finding
from kgtool.validation.compiled.run import run

__all__ = ["Finding", "Program", "Rule", "ShapesError", "Unsupported", "compile_program", "run"]
