"""What a compiled constraint is (``Check``), the constraint components it reports, and fresh variable names."""

from __future__ import annotations

from dataclasses import dataclass

COMPONENTS = {
    "class": "ClassConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent",
    "equals": "EqualsConstraintComponent",
    "disjoint": "DisjointConstraintComponent",
    "lessThan": "LessThanConstraintComponent",
    "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "not": "NotConstraintComponent",
    "and": "AndConstraintComponent",
    "or": "OrConstraintComponent",
    "xone": "XoneConstraintComponent",
    "node": "NodeConstraintComponent",
    "closed": "ClosedConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "in": "InConstraintComponent",
    "sparql": "SPARQLConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
}
#: The value variable of top-level value-wise checks.
VALUE = "?value"
RANGES = {"minExclusive": ">", "minInclusive": ">=", "maxExclusive": "<", "maxInclusive": "<="}
NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}


@dataclass(frozen=True)
class Check:
    """One constraint at a focus: ``body`` (the focus is bound before it) has a solution per result; ``value`` is
    the variable reported as ``sh:value``; ``keys`` further variables that make results distinct; ``path`` a
    variable holding the result path when the constraint names it (``sh:closed``); ``test`` the filter of a
    top-level value-wise check (the value pattern is then the shape's), so that a shape's value-wise checks can
    share one query."""

    component: str
    body: str
    value: str | None
    keys: tuple[str, ...] = ()
    path: str | None = None
    test: str | None = None  # a top-level value-wise check: its filter on ``?value`` (or the focus), for merging


@dataclass
class Variables:
    """Fresh SPARQL variable names."""

    count: int = 0

    def __call__(self, stem: str = "v") -> str:
        self.count += 1
        return f"?{stem}{self.count}"
