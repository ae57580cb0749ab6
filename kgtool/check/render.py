"""Rendering a check report: a table for people, TSV in ROBOT's report layout, JSON, markdown.

Machine formats (TSV, JSON) keep full IRIs so that other tools can join on them; JSON adds labels. The table
and markdown name every term by label with its prefixed name, never by bare IRI, and speak ``--lang`` (the
rule names and levels are identifiers of the quality profile and stay as they are).
"""

from __future__ import annotations

import csv
import io
import json

from kgtool.check.quality import Finding
from kgtool.check.run import CheckReport
from kgtool.choices import CHECK_FORMATS
from kgtool.rdf.labels import compact, name
from kgtool.reasoning.reasoner import ReasoningResult

FORMATS = CHECK_FORMATS
TSV_HEADER = ["Level", "Rule Name", "Subject", "Property", "Value"]

#: The report's own words in English and Spanish (``{...}`` are filled in).
WORDS = {
    "en": {
        "skipped": "Reasoner: skipped (--no-reasoning)",
        "because": "  why {term}: these axioms and facts together (file:line):",
        "inconsistent": "Reasoner (HermiT): INCONSISTENT: {why}",
        "consistent": "Reasoner (HermiT): consistent; {unsatisfiable} unsatisfiable classes; inferred {types} class "
        "memberships, {subclasses} subclass links, {facts} property values",
        "is a": "{thing} is a {kind}",
        "tally": "{errors} errors, {warnings} warnings, {infos} info ({rules} rules)",
        "failed": "FAILED: {count} at or above {level}",
        "passed": "passed (--fail-on {level})",
        "inferred": "inferred",
        "inferred_heading": "Inferred:",
        "title": "Quality report",
        "columns": ("level", "rule", "entity", "property", "value"),
    },
    "es": {
        "skipped": "Razonador: omitido (--no-reasoning)",
        "because": "  por qué {term}: estos axiomas y hechos juntos (archivo:línea):",
        "inconsistent": "Razonador (HermiT): INCONSISTENTE: {why}",
        "consistent": "Razonador (HermiT): consistente; {unsatisfiable} clases insatisfacibles; inferidas "
        "{types} pertenencias a clases, {subclasses} relaciones de subclase, {facts} valores de propiedades",
        "is a": "{thing} es un(a) {kind}",
        "tally": "{errors} errores, {warnings} avisos, {infos} informativos ({rules} reglas)",
        "failed": "FALLÓ: {count} en el nivel {level} o superior",
        "passed": "aprobado (--fail-on {level})",
        "inferred": "inferido",
        "inferred_heading": "Inferido:",
        "title": "Informe de calidad",
        "columns": ("nivel", "regla", "entidad", "propiedad", "valor"),
    },
}


def words(lang: str) -> dict:
    """The report's words in ``lang`` (English for a language it is not written in)."""
    return WORDS.get(lang, WORDS["en"])


def cells(finding: Finding, labels: dict[str, str]) -> list[str]:
    """A finding as five readable cells: level, rule, entity, property, value."""
    value = finding.value or ""
    if finding.value_is_iri:
        value = name(value, labels)
    prop = compact(finding.property) if finding.property else ""
    return [finding.level, finding.rule, name(finding.entity, labels), prop, value]


def inference_lines(result: ReasoningResult, labels: dict[str, str], lang: str = "en") -> list[str]:
    """HermiT's inferences as sentences: memberships, subclass links, then other facts."""
    is_a = words(lang)["is a"]
    lines = [is_a.format(thing=name(s, labels), kind=name(o, labels)) for s, o in result.inferred_types]
    lines += [f"{name(s, labels)} ⊑ {name(o, labels)}" for s, o in result.inferred_subclasses]
    lines += [f"{name(s, labels)} —{name(p, labels)}→ {name(o, labels)}" for s, p, o in result.inferred_facts]
    return lines


def justification_lines(report: CheckReport, lang: str = "en") -> list[str]:
    """Why each unsatisfiable class or contradicting individual is so: its axioms and facts, one per line."""
    said = words(lang)
    lines = []
    for term, statements in sorted(report.justifications.items()):
        lines.append(said["because"].format(term=name(term, report.labels)))
        lines += [f"    {statement}" for statement in statements]
    return lines


def reasoner_line(report: CheckReport, lang: str = "en") -> str:
    """One line on what HermiT concluded."""
    said = words(lang)
    result = report.reasoning
    if result is None:
        return said["skipped"]
    if not result.consistent:
        why = result.diagnosis.summary(report.labels) if result.diagnosis else result.explanation
        return said["inconsistent"].format(why=why)
    return said["consistent"].format(
        unsatisfiable=len(result.unsatisfiable),
        types=len(result.inferred_types),
        subclasses=len(result.inferred_subclasses),
        facts=len(result.inferred_facts),
    )


def summary_line(report: CheckReport, fail_on: str, lang: str = "en") -> str:
    """The closing line: counts per level and the verdict against ``fail_on``."""
    said = words(lang)
    counts = report.counts()
    tally = said["tally"].format(
        errors=counts["ERROR"], warnings=counts["WARN"], infos=counts["INFO"], rules=report.rules_run
    )
    failing = report.failing(fail_on)
    verdict = (
        said["failed"].format(count=len(failing), level=fail_on) if failing else said["passed"].format(level=fail_on)
    )
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
            "justifications": report.justifications,
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


def to_markdown(report: CheckReport, fail_on: str, lang: str = "en") -> str:
    """A markdown report: reasoner verdict and inferences, then the findings table and the verdict."""
    said = words(lang)
    lines = [f"**{reasoner_line(report, lang)}**", ""]
    if report.reasoning is not None and report.reasoning.consistent:
        inferred = inference_lines(report.reasoning, report.labels, lang)
        if inferred:
            lines += [said["inferred_heading"], "", *(f"- {_md(line)}" for line in inferred), ""]
    lines += ["| " + " | ".join(said["columns"]) + " |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(_md(c) for c in cells(f, report.labels)) + " |" for f in report.findings]
    lines += ["", summary_line(report, fail_on, lang), ""]
    return "\n".join(lines)
