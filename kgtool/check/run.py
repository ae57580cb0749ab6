"""``kgtool check`` as one library call: HermiT over ontology and data, then the quality rules, in one report.

The reasoner's verdicts (an inconsistency, an unsatisfiable class) become findings like the rules' ones, with a
level from the same profile, so one threshold (``--fail-on``) decides whether a check fails. What HermiT infers
is kept beside the findings and can be written into the store as its own named graph (``materialize``), so
that queries see it while the asserted graphs stay as they were loaded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool.check import catalog, quality
from kgtool.check.quality import LEVELS, Finding
from kgtool.errors import InputError, UsageError
from kgtool.rdf import ontology, resources
from kgtool.rdf.labels import label_index
from kgtool.rdf.namespaces import OWL, RDF_TYPE
from kgtool.rdf.parsing import parse_quads
from kgtool.reasoning.hermit import OWL_NOTHING
from kgtool.reasoning.reasoner import ReasoningResult, reason
from kgtool.store import build, entailment
from kgtool.store.core import GRAPH_BASE, lock, opened, require

#: The named graph that ``--materialize`` writes HermiT's inferences to.
INFERRED_GRAPH = GRAPH_BASE + "inferred"
FAIL_ON = ("error", "warn", "info", "none")
DATA_EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".rdf", ".owl", ".jsonld")


@dataclass
class CheckReport:
    """Everything a check found: the reasoner's result (None when skipped), the findings, labels to name terms."""

    findings: list[Finding]
    reasoning: ReasoningResult | None = None
    labels: dict[str, str] = field(default_factory=dict)
    rules_run: int = 0
    files: list[Path] = field(default_factory=list)  # what was read: ontology modules, then data
    # the axioms (file:line) behind each unsatisfiable class or contradicting individual, where a disjointness is
    justifications: dict[str, list[str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Number of findings per level, every level present."""
        return {level: sum(1 for f in self.findings if f.level == level) for level in LEVELS}

    def failing(self, fail_on: str) -> list[Finding]:
        """The findings at or above ``fail_on`` (error, warn, info); none for ``none``."""
        if fail_on not in FAIL_ON:
            raise UsageError(f"--fail-on {fail_on!r}: use one of {', '.join(FAIL_ON)}")
        return [] if fail_on == "none" else quality.at_or_above(self.findings, fail_on)


def data_files(paths: Sequence[Path] | None) -> list[Path]:
    """The RDF files to check with the ontology: ``paths`` (files, or folders searched recursively), else the
    shipped data (``data/`` and ``data/reference/``, as ``kgtool build`` loads them)."""
    if paths is None:
        return [source.path for source in build.project_sources() if source.kind != "ontology"]
    files = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in DATA_EXTENSIONS and p.is_file())
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def load_inputs(
    ontology_path: Path | None = None, data_paths: Sequence[Path] | None = None
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """(ontology quads with imports resolved locally, data quads)."""
    ontology_quads, data_quads, _ = read_inputs(ontology_path, data_paths)
    return ontology_quads, data_quads


def read_inputs(
    ontology_path: Path | None = None, data_paths: Sequence[Path] | None = None
) -> tuple[list[ox.Quad], list[ox.Quad], list[Path]]:
    """``load_inputs`` and the files read, ontology modules first."""
    if ontology_path is not None and not Path(ontology_path).exists():
        raise InputError(f"{ontology_path}: no such file or folder")
    ontology_quads, ontology_files = ontology.load_files(ontology_path)
    files = data_files(data_paths)
    data_quads = [quad for path in files for quad in parse_quads(path)]
    return ontology_quads, data_quads, [*ontology_files, *files]


def reasoner_findings(
    result: ReasoningResult, ontology_quads: Sequence[ox.Quad], profile: Path | None
) -> list[Finding]:
    """The reasoner's verdict as findings: unsatisfiable classes, and the individuals to blame."""
    unsat_level = quality.reasoner_level("unsatisfiable-class", profile)
    diagnosis = result.diagnosis
    unsatisfiable = diagnosis.unsatisfiable if diagnosis else result.unsatisfiable
    findings = [
        Finding(unsat_level, "unsatisfiable-class", cls, OWL + "equivalentClass", OWL_NOTHING, True)
        for cls in unsatisfiable
    ]
    if result.consistent:
        return findings
    level = quality.reasoner_level("inconsistent-ontology", profile)
    rule = "inconsistent-ontology"
    if diagnosis is None:
        return [*findings, Finding(level, rule, _main_ontology(ontology_quads), value=result.explanation)]
    for culprit in diagnosis.culprits:
        for cls in culprit.unsatisfiable_types or culprit.types:
            findings.append(Finding(level, rule, culprit.individual, RDF_TYPE, cls, True))
    for individual in diagnosis.conflict:
        others = [other for other in diagnosis.conflict if other != individual]
        text = "contradicts the ontology together with " + ", ".join(others) if others else "contradicts the ontology"
        findings.append(Finding(level, rule, individual, value=text))
    if diagnosis.schema_inconsistent or not diagnosis.isolated:
        findings.append(Finding(level, rule, _main_ontology(ontology_quads), value=diagnosis.summary()))
    return findings


def _main_ontology(quads: Sequence[ox.Quad]) -> str:
    """The IRI of the (first) ontology, to attach findings about the whole ontology to."""
    ontologies = sorted(q.subject.value for q in quads if q.object == ontology.OWL_ONTOLOGY)
    return ontologies[0] if ontologies else "(ontology)"


def check(
    ontology_path: Path | None = None,
    data_paths: Sequence[Path] | None = None,
    *,
    reasoning: bool = True,
    profile: Path | None = None,
    lang: str = "en",
) -> CheckReport:
    """Check an ontology (default: the shipped one) with its data: HermiT, then the quality rules.

    ``data_paths=None`` checks the shipped data; ``[]`` checks the ontology alone.
    """
    ontology_quads, data_quads, files = read_inputs(ontology_path, data_paths)
    rules = quality.load_rules(profile=profile)
    findings = quality.report(ontology_quads, data_quads, rules)
    folder = Path(ontology_path) if ontology_path else resources.folder("ontology")
    level = quality.reasoner_level(catalog.RULE, profile)
    findings = quality.sort_findings(
        [*catalog.findings(folder if folder.is_dir() else folder.parent, level), *findings]
    )
    result = None
    if reasoning:
        result = reason([*ontology_quads, *data_quads])
        findings = quality.sort_findings([*reasoner_findings(result, ontology_quads, profile), *findings])
    labels = label_index([*ontology_quads, *data_quads], lang)
    report = CheckReport(findings=findings, reasoning=result, labels=labels, rules_run=len(rules), files=files)
    report.justifications = _justifications(result, files) if result is not None else {}
    return report


def _justifications(result: ReasoningResult, files: list[Path]) -> dict[str, list[str]]:
    """Why each root unsatisfiable class, and each individual to blame, is so: the axioms, with file:line."""
    diagnosis = result.diagnosis
    classes = diagnosis.roots if diagnosis else []
    # an individual in an unsatisfiable class is explained by that class's axioms
    individuals = [c.individual for c in diagnosis.culprits if not c.unsatisfiable_types] if diagnosis else []
    individuals += list(diagnosis.conflict) if diagnosis else []
    if not classes and not individuals:
        return {}
    from kgtool.reasoning.justify import Axioms

    axioms = Axioms([Path(file).resolve() for file in files])
    found = {cls: axioms.why_unsatisfiable(cls) for cls in classes}
    found |= {iri: axioms.why_individual(iri) for iri in individuals}
    return {term: [str(statement) for statement in statements] for term, statements in found.items() if statements}


@contextmanager
def locked_for_writing(store_dir: Path) -> Iterator[None]:
    """kgtool's exclusive lock on the store, as every writer takes it: a store served read-only (which Oxigraph
    does not lock) is not written under its server. ``kgtool check --materialize`` takes it before HermiT runs, so
    that a store in use refuses the command at once, not after the reasoning time; a missing store is said before
    a lock file is made beside it."""
    require(store_dir)
    with lock(store_dir, exclusive=True):
        yield


def materialize(store_dir: Path, result: ReasoningResult, locked: bool = False) -> int:
    """Replace the store's inferred graph by HermiT's inferences; the number of triples written. ``locked``: the
    caller holds ``locked_for_writing(store_dir)`` already."""
    if not result.consistent:
        raise UsageError("nothing to materialize: the ontology and data are inconsistent")
    graph = ox.NamedNode(INFERRED_GRAPH)
    triples = result.inferred_triples()
    with nullcontext() if locked else locked_for_writing(store_dir), opened(store_dir) as store:
        store.update(f"DROP SILENT GRAPH <{INFERRED_GRAPH}>")
        store.extend(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), graph) for s, p, o in triples)
        entailment.rebuild(store)  # RDFS over the inferences too, and nothing stated twice in the union
    return len(triples)
