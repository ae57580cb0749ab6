"""Rendering a check report: a table for people, TSV in ROBOT's report layout, JSON, markdown.

Machine formats (TSV, JSON) keep full IRIs so that other tools can join on them; JSON adds labels. The table
and markdown name every term by label with its prefixed name, never by bare IRI.
"""

from __future__ import annotations

import csv
import io
import json

from kgtool.check.quality import Finding
from kgtool.check.run import CheckReport
from kgtool.rdf.labels import compact, name
from kgtool.reasoning.reasoner import ReasoningResult

FORMATS = ("table", "tsv", "json", "markdown")
TSV_HEADER = ["Level", "Rule Name", "Subject", "Property", "Value"]


def cells(finding: Finding, labels: dict[str, str]) -> list[str]:
    """A finding as five readable cells: level, rule, entity, property, value."""
    value = finding.value or ""
    if finding.value_is_iri:
        value = name(value, labels)
    prop = compact(finding.property) if finding.property else ""
    return [finding.level, finding.rule, name(finding.entity, labels), prop, value]


def inference_lines(result: ReasoningResult, labels: dict[str, str]) -> list[str]:
    """HermiT's inferences as sentences: memberships, subclass links, then other facts."""
    lines = [f"{name(s, labels)} is a {name(o, labels)}" for s, o in result.inferred_types]
    lines += [f"{name(s, labels)} ⊑ {name(o, labels)}" for s, o in result.inferred_subclasses]
    lines += [f"{name(s, labels)} —{name(p, labels)}→ {name(o, labels)}" for s, p, o in result.inferred_facts]
    return lines


def reasoner_line(report: CheckReport) -> str:
    """One line on what HermiT concluded."""
    result = report.reasoning
    if result is None:
        return "Reasoner: skipped (--no-reasoning)"
    if not result.consistent:
        why = result.diagnosis.summary(report.labels) if result.diagnosis else result.explanation
        return f"Reasoner (HermiT): INCONSISTENT: {why}"
    return (
        f"Reasoner (HermiT): consistent; {len(result.unsatisfiable)} unsatisfiable classes; inferred "
        f"{len(result.inferred_types)} class memberships, {len(result.inferred_subclasses)} subclass links, "
        f"{len(result.inferred_facts)} property values"
    )


def summary_line(report: CheckReport, fail_on: str) -> str:
    """The closing line: counts per level and the verdict against ``fail_on``."""
    counts = report.counts()
    tally = f"{counts['ERROR']} errors, {counts['WARN']} warnings, {counts['INFO']} info ({report.rules_run} rules)"
    failing = report.failing(fail_on)
    verdict = f"FAILED: {len(failing)} at or above {fail_on}" if failing else f"passed (--fail-on {fail_on})"
    return f"{tally}: {verdict}"


def to_tsv(report: CheckReport) -> str:
    """The findings in ROBOT's report TSV layout, with full IRIs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(TSV_HEADER)
    for f in report.findings:
        writer.writerow([f.level, f.rule, f.entity, f.property or "", (f.value or "").replace("\n", " ")])
    return buffer.getvalue()


def _term(iri: str, labels: dict[str, str]) -> dict[str, str]:
    return {"iri": iri, "label": labels.get(iri, compact(iri))}


def to_json(report: CheckReport, fail_on: str) -> str:
    """The whole report as JSON: reasoner verdict, inferences, findings with labels, counts, verdict."""
    result, labels = report.reasoning, report.labels
    document: dict = {"reasoner": None}
    if result is not None:
        document["reasoner"] = {
            "consistent": result.consistent,
            "explanation": result.explanation,
            "unsatisfiable": [_term(c, labels) for c in result.unsatisfiable],
            "inferredTypes": [
                {"individual": _term(s, labels), "class": _term(o, labels)} for s, o in result.inferred_types
            ],
            "inferredSubclasses": [
                {"subclass": _term(s, labels), "superclass": _term(o, labels)} for s, o in result.inferred_subclasses
            ],
            "inferredFacts": [
                {"subject": _term(s, labels), "property": _term(p, labels), "object": _term(o, labels)}
                for s, p, o in result.inferred_facts
            ],
        }
    document["findings"] = [
        {
            "level": f.level,
            "rule": f.rule,
            "entity": _term(f.entity, labels),
            "property": f.property,
            "value": _term(f.value, labels) if f.value_is_iri and f.value else f.value,
        }
        for f in report.findings
    ]
    document["counts"] = report.counts()
    document["failOn"] = fail_on
    document["passed"] = not report.failing(fail_on)
    return json.dumps(document, ensure_ascii=False, indent=2)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: CheckReport, fail_on: str) -> str:
    """A markdown report: reasoner verdict and inferences, then the findings table and the verdict."""
    lines = [f"**{reasoner_line(report)}**", ""]
    if report.reasoning is not None and report.reasoning.consistent:
        inferred = inference_lines(report.reasoning, report.labels)
        if inferred:
            lines += ["Inferred:", "", *(f"- {_md(line)}" for line in inferred), ""]
    lines += ["| level | rule | entity | property | value |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(_md(c) for c in cells(f, report.labels)) + " |" for f in report.findings]
    lines += ["", summary_line(report, fail_on), ""]
    return "\n".join(lines)
