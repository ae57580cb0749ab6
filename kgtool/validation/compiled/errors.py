"""Why a shape is not compiled: it uses something the compiler does not claim, so pySHACL validates it."""

from __future__ import annotations


class Unsupported(Exception):
    """A shape feature the compiler does not translate; ``str(error)`` says which."""


class ShapesError(Exception):
    """The shapes graph cannot be used as it is (a SHACL-SPARQL query that SHACL forbids, ...): pySHACL refuses
    it as well."""
