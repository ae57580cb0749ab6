"""The quality report, after ROBOT's ``report``: one SPARQL rule per file, a profile assigning each a level.

A rule is a ``.rq`` file in ``queries/quality/`` that selects ``?entity ?property ?value`` for every problem it
finds (so "must return no rows"); its ``#+ summary:`` and ``#+ description:`` headers say what it checks, an
optional ``#+ level:`` gives a default level and ``#+ scope: all`` reports entities outside the ontology's own
namespace too (by default only the ontology's terms are reported, like ROBOT's ``--base-iri``). The profile
(``profile.tsv``: ``LEVEL<TAB>rule`` per line, ROBOT's format) assigns the levels ERROR, WARN or INFO. Adding a
rule means adding a file, never code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError, UsageError
from kgtool.rdf import resources
from kgtool.rdf.namespaces import OWL, PREFIXES, TYPE_NODE, VANN
from kgtool.sparql.catalog import parse_decorators

LEVELS = ("ERROR", "WARN", "INFO")
PROFILE_NAME = "profile.tsv"
#: Findings that come from the reasoner, not from a rule file; the profile may set their level too.
#: The rules kgtool computes itself rather than by SPARQL: the reasoner's verdicts and the Protégé catalog.
REASONER_RULES = {"inconsistent-ontology": "ERROR", "unsatisfiable-class": "ERROR", "catalog-mismatch": "ERROR"}

VANN_NAMESPACE = ox.NamedNode(VANN + "preferredNamespaceUri")


@dataclass(frozen=True)
class Rule:
    """One quality rule: its name (file stem), SPARQL text, documentation, level and scope."""

    name: str
    path: Path
    text: str
    level: str
    summary: str = ""
    description: str = ""
    scope: str = "terms"  # "terms": only the ontology's own terms are reported; "all": every entity


@dataclass(frozen=True)
class Finding:
    """One problem: which rule found it at which level, on which entity, through which property and value."""

    level: str
    rule: str
    entity: str
    property: str | None = None
    value: str | None = None
    value_is_iri: bool = False


def quality_folder() -> Path:
    """The shipped rules: ``queries/quality/``."""
    return resources.folder("queries") / "quality"


def load_profile(path: Path) -> dict[str, str]:
    """A ROBOT-style profile: rule name -> level, from ``LEVEL<TAB>rule`` lines ('#' starts a comment)."""
    from kgtool.files import read_text

    if not path.exists():
        raise InputError(f"{path}: no such profile file")
    levels = {}
    for number, raw in enumerate(read_text(path, "profile").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or parts[0].upper() not in LEVELS:
            raise InputError(f"{path}:{number}: write a profile line as LEVEL<TAB>rule, LEVEL one of {LEVELS}")
        levels[parts[1]] = parts[0].upper()
    return levels


def load_rules(folder: Path | None = None, profile: Path | None = None) -> list[Rule]:
    """The rules of ``folder`` (default: the shipped ones) with their levels from ``profile`` or their header."""
    folder = folder or quality_folder()
    levels = load_profile(profile or folder / PROFILE_NAME)
    rules = []
    for path in sorted(folder.glob("*.rq")):
        header = parse_decorators(path.read_text(encoding="utf-8"), str(path))
        level = levels.get(path.stem) or str(header.get("level", "")).upper()
        if level not in LEVELS:
            raise UsageError(f"{path}: the rule has no level: add `ERROR|WARN|INFO<TAB>{path.stem}` to the profile")
        scope = str(header.get("scope", "terms")).strip()
        if scope not in ("terms", "all"):
            raise UsageError(f"{path}: `#+ scope:` must be terms or all, not {scope!r}")
        rules.append(
            Rule(
                name=path.stem,
                path=path,
                text=path.read_text(encoding="utf-8"),
                level=level,
                summary=str(header.get("summary", "")),
                description=str(header.get("description", "")),
                scope=scope,
            )
        )
    known = {rule.name for rule in rules} | set(REASONER_RULES)
    unknown = sorted(set(levels) - known)
    if unknown:
        raise UsageError(f"the profile names rules that do not exist: {', '.join(unknown)}")
    return rules


def reasoner_level(rule: str, profile: Path | None = None, folder: Path | None = None) -> str:
    """The level of a reasoner finding (``inconsistent-ontology``, ``unsatisfiable-class``)."""
    levels = load_profile(profile or (folder or quality_folder()) / PROFILE_NAME)
    return levels.get(rule, REASONER_RULES[rule])


def own_namespaces(ontology_quads: Iterable[ox.Quad]) -> tuple[set[str], set[str]]:
    """(namespaces, ontology IRIs) whose terms the report covers: ``vann:preferredNamespaceUri`` of each ontology.

    Without one, the ontology IRI followed by ``#`` or ``/`` is taken as its namespace.
    """
    quads = list(ontology_quads)
    ontologies = {q.subject.value for q in quads if q.predicate == TYPE_NODE and q.object.value == OWL + "Ontology"}
    namespaces = {q.object.value for q in quads if q.predicate == VANN_NAMESPACE and q.subject.value in ontologies}
    if not namespaces:
        namespaces = {iri + suffix for iri in ontologies for suffix in ("#", "/")}
    return namespaces, ontologies


def _text(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def run_rule(store: ox.Store, rule: Rule) -> list[Finding]:
    """The findings of one rule on a store holding the ontology and data in its default graph."""
    try:
        result = store.query(rule.text, prefixes=PREFIXES)
    except SyntaxError as error:
        raise UsageError(f"{rule.path}: invalid SPARQL: {error}") from error
    if not isinstance(result, ox.QuerySolutions) or "entity" not in [v.value for v in result.variables]:
        raise UsageError(f"{rule.path}: a quality rule must be a SELECT of ?entity ?property ?value")
    findings = []
    for row in result:
        entity, prop, value = row["entity"], row["property"], row["value"]
        if entity is None:
            continue
        findings.append(
            Finding(
                level=rule.level,
                rule=rule.name,
                entity=_text(entity),
                property=prop.value if isinstance(prop, ox.NamedNode) else None,
                value=None if value is None else _text(value),
                value_is_iri=isinstance(value, ox.NamedNode),
            )
        )
    return findings


def in_scope(entity: str, namespaces: set[str], ontologies: set[str]) -> bool:
    """Whether an entity is one of the ontology's own terms (or one of its ontology IRIs)."""
    return entity in ontologies or any(entity.startswith(ns) and entity != ns for ns in namespaces)


def report(
    ontology_quads: Sequence[ox.Quad], data_quads: Sequence[ox.Quad] = (), rules: Sequence[Rule] | None = None
) -> list[Finding]:
    """Run ``rules`` (default: the shipped ones) over the ontology and data; findings sorted by level and rule."""
    rules = load_rules() if rules is None else rules
    namespaces, ontologies = own_namespaces(ontology_quads)
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in [*ontology_quads, *data_quads])
    findings: set[Finding] = set()
    for rule in rules:
        for finding in run_rule(store, rule):
            if rule.scope == "all" or in_scope(finding.entity, namespaces, ontologies):
                findings.add(finding)
    return sort_findings(findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """ERROR first, then WARN, then INFO; within a level by rule, entity, property, value."""
    return sorted(findings, key=lambda f: (LEVELS.index(f.level), f.rule, f.entity, f.property or "", f.value or ""))


def at_or_above(findings: Iterable[Finding], threshold: str) -> list[Finding]:
    """The findings whose level is ``threshold`` (ERROR, WARN, INFO) or more severe."""
    limit = LEVELS.index(threshold.upper())
    return [f for f in findings if LEVELS.index(f.level) <= limit]
