"""What the compiled engine reports: one ``Finding`` per validation result, as ``sh:ValidationResult`` says it."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.validation.compiled.model import Node, Term


@dataclass(frozen=True)
class Finding:
    """One validation result, as ``sh:ValidationResult`` states it."""

    focus: Term
    path: str | None
    value: Term | None
    component: str
    shape: Node
    severity: str
    messages: tuple[ox.Literal, ...]
    path_triples: tuple[ox.Triple, ...] = ()
    source_constraint: Node | None = None
