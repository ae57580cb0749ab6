"""Renderings of a validation report: text for people, JSON for programs, Turtle for SHACL tools.

- ``text``: problems grouped by record (its label, IRI, file and line), each with severity, property, offending
  value and message, then a summary line; in English or Spanish.
- ``json``: the stable schema documented in ``shapes/README.md`` (and ``shapes/validation-report.schema.json``);
  ``report_format`` changes only when a field changes meaning or goes away.
- ``turtle``: the standard ``sh:ValidationReport``, with kgtool's own checks as ordinary ``sh:ValidationResult``s.
  Its ``sh:conforms`` is kgtool's verdict (no Violation), as pySHACL reports it with ``allow_warnings``.

Every rendering is built whole in memory and returned as one string: nothing is printed half-way.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from kgtool import __version__
from kgtool.choices import VALIDATION_REPORT_FORMATS
from kgtool.rdf.labels import in_language
from kgtool.rdf.namespaces import PREFIXES, SH, TYPE_NODE, XSD, XSD_STRING
from kgtool.sparql.render import term_json
from kgtool.validation.model import SEVERITIES, Record, ValidationReport

FORMATS = VALIDATION_REPORT_FORMATS
REPORT_FORMAT = 1

_WORDS = {
    "en": {
        "Violation": "Violation",
        "Warning": "Warning",
        "Info": "Info",
        "unnamed": "unnamed",
        "blank node": "blank node",
        "of": "of",
        "checked": "{records} records in {files} checked against the SAL shapes and ontology; references checked "
        "against {references}.",
        "store": "the store {location}",
        "project data": "the project's data ({location}; no store found)",
        "endpoint": "nothing (a graph on a SPARQL endpoint: kgtool's own checks of files are not run there)",
        "conforms": "the submission conforms.",
        "fails": "the submission does not conform.",
        "counted": ("violation", "violations", "warning", "warnings", "info", "infos", "record", "records"),
        "summary": "{violations}, {warnings}, {infos} in {affected} of {records}: ",
        "clean": "No problems found.",
        "column": "column",
        "sheet_row": "{file}, sheet {sheet}, row {row}",
        "same as": "These files are submission {id}, already in the store (ingested {time} by {submitter}): they are "
        "checked against the store without it, and `kgtool ingest` would store nothing new.",
        "held": "the knowledge graph already holds {value}, from {origin}",
        "submission": "submission {id}",
        "file": "the project's {source}",
        "advice": "Some of these violations meet values of submission {id} (ingested {time} by {submitter}): if these "
        "files correct it, retract it first (kgtool retract {id}), then validate or ingest them again.",
    },
    "es": {
        "Violation": "Violación",
        "Warning": "Advertencia",
        "Info": "Información",
        "unnamed": "sin nombre",
        "blank node": "nodo en blanco",
        "of": "de",
        "checked": "{records} registros de {files} verificados con las formas y la ontología SAL; referencias "
        "verificadas con {references}.",
        "store": "el almacén {location}",
        "project data": "los datos del proyecto ({location}; no se encontró un almacén)",
        "endpoint": "nada (un grafo en un punto SPARQL: las verificaciones propias de kgtool sobre archivos no se "
        "ejecutan allí)",
        "conforms": "el envío es conforme.",
        "fails": "el envío no es conforme.",
        "counted": (
            "violación",
            "violaciones",
            "advertencia",
            "advertencias",
            "información",
            "informaciones",
            "registro",
            "registros",
        ),
        "summary": "{violations}, {warnings}, {infos} en {affected} de {records}: ",
        "clean": "No se encontraron problemas.",
        "column": "columna",
        "sheet_row": "{file}, hoja {sheet}, fila {row}",
        "same as": "Estos archivos son el envío {id}, ya en el almacén (ingresado {time} por {submitter}): se "
        "verifican con el almacén sin él, y `kgtool ingest` no almacenaría nada nuevo.",
        "held": "el grafo de conocimiento ya tiene {value}, de {origin}",
        "submission": "el envío {id}",
        "file": "el archivo del proyecto {source}",
        "advice": "Algunas de estas violaciones se deben a valores del envío {id} (ingresado {time} por {submitter}): "
        "si estos archivos lo corrigen, retírelo primero (kgtool retract {id}) y vuelva a validarlos o ingresarlos.",
    },
}


def render(report: ValidationReport, output_format: str = "text", lang: str = "en") -> str:
    """The report in ``output_format`` (text, json or turtle), messages and labels in ``lang``."""
    if output_format == "json":
        return json.dumps(to_json(report, lang), ensure_ascii=False, indent=2) + "\n"
    if output_format == "turtle":
        return to_turtle(report)
    return to_text(report, lang)


# --------------------------------------------------------------------------------------------- names


def compact(iri: str) -> str:
    """An IRI as a prefixed name where a known prefix fits, else as ``<IRI>``."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z0-9_][\w.-]*", iri[len(namespace) :] or "-"):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def _named(iri: str, report: ValidationReport, lang: str) -> str:
    """``label (prefixed:name)`` for an IRI with a label, else the prefixed name."""
    label = in_language(report.labels.get(iri, {}), lang)
    return f"{label} ({compact(iri)})" if label else compact(iri)


def path_display(path: str | None, report: ValidationReport, lang: str) -> str:
    if not path:
        return "—"
    if path.startswith("<"):  # a complex path, in SPARQL syntax
        return re.sub(r"<([^>]+)>", lambda m: compact(m.group(1)), path)
    return _named(path, report, lang)


def value_display(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, report: ValidationReport, lang: str) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _named(term.value, report, lang)
    if isinstance(term, ox.BlankNode):
        return f"({_WORDS[lang]['unnamed']})"
    return value_text(term)


def value_text(term: ox.Literal) -> str:
    """A literal as the report shows it: quoted, shortened past 80 characters, with its language or datatype."""
    text = term.value if len(term.value) <= 80 else term.value[:77] + "…"
    text = json.dumps(text, ensure_ascii=False)
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype.value != XSD_STRING:
        return f"{text} ({compact(term.datatype.value)})"
    return text


def record_title(record: Record, report: ValidationReport, lang: str) -> str:
    """How a record is named in the text report: label, IRI, and where it is written. A blank node by its label
    (else its kind), and by the record it hangs from, if any, else by its file and line."""
    label = in_language(record.labels, lang)
    if isinstance(record.term, ox.BlankNode):
        if label:
            name = f"{label} ({_WORDS[lang]['blank node']})"
        else:
            kind_label = in_language(report.labels.get(record.kind, {}), lang) if record.kind else None
            kind = (kind_label or compact(record.kind)) if record.kind else ""
            name = f"{kind} ({_WORDS[lang]['unnamed']})".strip()
        if record.parent is not None:
            parent = report.records.get(record.parent)
            parent_name = record_title(parent, report, lang) if parent else compact(str(record.parent))
            return name + f" — {path_display(record.parent_path, report, lang)} {_WORDS[lang]['of']} {parent_name}"
    else:
        name = f"{label} ({compact(record.term.value)})" if label else compact(record.term.value)
    if record.file is not None and record.sheet and record.line:
        name += " — " + _WORDS[lang]["sheet_row"].format(file=record.file, sheet=record.sheet, row=record.line)
    elif record.file is not None:
        name += f" — {record.file}" + (f":{record.line}" if record.line else "")
    return name


# --------------------------------------------------------------------------------------------- text


def to_text(report: ValidationReport, lang: str = "en") -> str:
    words = _WORDS[lang]
    references = words[report.references].format(location=report.references_location)
    files = ", ".join(str(f) for f in report.files) or report.references_location
    lines = [words["checked"].format(records=report.record_count, files=files, references=references), ""]
    if report.same_as is not None:
        same = report.same_as
        lines[-1:-1] = [words["same as"].format(id=same.id, time=same.time, submitter=same.submitter)]
    current = None
    explained: set = set()
    width = max(len(words[s]) for s in SEVERITIES)
    for result in report.results:
        if result.focus != current:
            if current is not None:
                lines.append("")
            current = result.focus
            record = report.records.get(result.focus) or Record(result.focus, {}, None, None)
            lines.append(record_title(record, report, lang))
        head = f"  {words[result.severity]:<{width}}  {path_display(result.path, report, lang)}"
        simple_path = result.path and not result.path.startswith("<")
        shown_elsewhere = (result.focus, ox.NamedNode(result.path) if simple_path else None)
        if result.value is not None and result.value not in shown_elsewhere:
            head += f" = {value_display(result.value, report, lang)}"
        key = (result.focus, result.path)
        if (cell := report.cells.get(key)) is not None:
            head += f"  [{cell}: {report.columns.get(key, '')}]"
        elif (column := report.columns.get(key)) is not None:
            head += f"  [{words['column']} {column}]"
        lines.append(head)
        lines.append(" " * (width + 4) + result.message(lang))
        key = (result.focus, result.path or "")
        if key not in explained:  # once per record and property, under its first problem
            explained.add(key)
            lines += [" " * (width + 4) + _held(conflict, words) for conflict in report.conflicts.get(key, [])]
    if report.results:
        lines.append("")
    held = {c.submission for found in report.conflicts.values() for c in found if c.submission is not None}
    for entry in sorted(held, key=lambda entry: entry.time):
        lines += [words["advice"].format(id=entry.id, time=entry.time, submitter=entry.submitter), ""]
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"


def _held(conflict, words: dict) -> str:
    """One value the store already holds for a record's property, and where from."""
    if conflict.submission is None:
        origin = words["file"].format(source=conflict.source)
    else:
        origin = words["submission"].format(id=conflict.submission.id)
    return words["held"].format(value=conflict.value, origin=origin)


def summary(report: ValidationReport, lang: str = "en") -> str:
    words = _WORDS[lang]
    if not report.results:
        return f"{words['clean']} " + words["conforms"][0].upper() + words["conforms"][1:]
    singular_plural = words["counted"]

    def counted(number: int, index: int) -> str:
        return f"{number} {singular_plural[2 * index + (number != 1)]}"

    affected = len({r.focus for r in report.results})
    counts = {
        "violations": counted(report.count("Violation"), 0),
        "warnings": counted(report.count("Warning"), 1),
        "infos": counted(report.count("Info"), 2),
        "affected": affected,
        "records": counted(report.record_count, 3),
    }
    return words["summary"].format(**counts) + (words["conforms"] if report.conforms else words["fails"])


# --------------------------------------------------------------------------------------------- json


def _id(term, report: ValidationReport) -> str:
    """An IRI, or ``_:`` and a blank node's id that is the same at every run (``kgtool.validation.blank_ids``)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    return "_:" + report.blank_ids.get(term, term.value)


def _value_json(term, report: ValidationReport) -> dict:
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": report.blank_ids.get(term, term.value)}
    return term_json(term)


def _record_json(record: Record | None, term, report: ValidationReport, lang: str) -> dict:
    record = record or Record(term, {}, None, None)
    return {
        "id": _id(record.term, report),
        "label": in_language(record.labels, lang),
        "type": record.kind,
        "file": str(record.file) if record.file else None,
        "line": record.line,
        "sheet": record.sheet,
        "parent": (None if record.parent is None else {"id": _id(record.parent, report), "path": record.parent_path}),
    }


def to_json(report: ValidationReport, lang: str = "en") -> dict:
    """The report as the documented JSON object (``report_format`` 1)."""
    return {
        "report_format": REPORT_FORMAT,
        "kgtool_version": __version__,
        "conforms": report.conforms,
        "language": lang,
        "files": [str(f) for f in report.files],
        "checked_against": {"references": report.references, "location": report.references_location},
        "summary": {
            "records": report.record_count,
            "records_with_results": len({r.focus for r in report.results}),
            "violations": report.count("Violation"),
            "warnings": report.count("Warning"),
            "infos": report.count("Info"),
        },
        "results": [
            {
                "severity": result.severity,
                "record": _record_json(report.records.get(result.focus), result.focus, report, lang),
                "path": result.path,
                "column": report.columns.get((result.focus, result.path)),
                "cell": report.cells.get((result.focus, result.path)),
                "path_label": in_language(report.labels.get(result.path or "", {}), lang),
                "value": _value_json(result.value, report) if result.value is not None else None,
                "message": result.message(lang),
                "messages": dict(sorted(result.messages.items())),
                "suggestion": result.suggestion,
                "shape": result.shape or None,
                "constraint": result.component,
            }
            for result in report.results
        ],
    }


# --------------------------------------------------------------------------------------------- turtle


def to_turtle(report: ValidationReport) -> str:
    """The standard SHACL ``sh:ValidationReport`` in Turtle."""
    sh = {name: ox.NamedNode(SH + name) for name in ("ValidationReport", "ValidationResult")}
    boolean = ox.NamedNode(XSD + "boolean")
    node = ox.BlankNode()
    triples = [
        ox.Triple(node, TYPE_NODE, sh["ValidationReport"]),
        ox.Triple(node, ox.NamedNode(SH + "conforms"), ox.Literal(str(report.conforms).lower(), datatype=boolean)),
    ]
    for result in report.results:
        item = ox.BlankNode()
        triples += [
            ox.Triple(node, ox.NamedNode(SH + "result"), item),
            ox.Triple(item, TYPE_NODE, sh["ValidationResult"]),
            ox.Triple(item, ox.NamedNode(SH + "focusNode"), result.focus),
            ox.Triple(item, ox.NamedNode(SH + "resultSeverity"), ox.NamedNode(SH + result.severity)),
            ox.Triple(item, ox.NamedNode(SH + "sourceConstraintComponent"), ox.NamedNode(result.component)),
        ]
        if result.shape:
            triples.append(ox.Triple(item, ox.NamedNode(SH + "sourceShape"), ox.NamedNode(result.shape)))
        if result.path_rdf:
            triples.append(ox.Triple(item, ox.NamedNode(SH + "resultPath"), result.path_rdf[0].subject))
            triples += result.path_rdf
        elif result.path:
            triples.append(ox.Triple(item, ox.NamedNode(SH + "resultPath"), ox.NamedNode(result.path)))
        if result.value is not None:
            triples.append(ox.Triple(item, ox.NamedNode(SH + "value"), result.value))
        for lang, message in sorted(result.messages.items()):
            triples.append(ox.Triple(item, ox.NamedNode(SH + "resultMessage"), ox.Literal(message, language=lang)))
    from kgtool.rdf.parsing import quiet_rdflib, to_rdflib_graph

    with quiet_rdflib():  # an ill-typed offending value is data to print, not a warning to log
        graph = to_rdflib_graph(triples)  # rdflib's Turtle nests each result under the report: easier to read
        for prefix, namespace in {"sh": SH, **PREFIXES}.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return graph.serialize(format="turtle")
