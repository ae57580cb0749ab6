"""The validation report as one self-contained HTML page, to send back to whoever submitted the records.

The submitter does not run kgtool: the page says in their language (English or Spanish) whether the submission
can be accepted, then, violations first and warnings apart, each record or spreadsheet row with its problems:
the cell (``Actor!C7``), the column, the value and what to do. It is rendered from a Jinja2 template with
autoescaping (a value from the submission is text, never markup), its stylesheet is inline, and its
Content-Security-Policy allows that stylesheet alone (by hash): the page loads nothing and runs nothing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kgtool import __version__, templates
from kgtool.rdf.labels import in_language
from kgtool.validation.model import SEVERITIES, Record, Result, ValidationReport
from kgtool.validation.report import _WORDS as TEXT_WORDS
from kgtool.validation.report import compact, path_display, record_title, summary, value_display
from kgtool.validation.workbook_layout import capitalized

ASSETS = Path(__file__).with_name("assets")
TEMPLATE, STYLE = "validation-report.html.j2", "validation-report.css"

WORDS = {
    "en": {
        "title": "Validation report for the submitted records",
        "files": "Files checked",
        "conforms": "The submission conforms: it can be accepted.",
        "fails": "The submission does not conform: it cannot be accepted yet.",
        "records_checked": "records checked",
        "todo_fails": "What to do: correct every violation below (each names the cell or record, the value and the "
        "rule), then send the corrected file again. Please correct the warnings too; hints are for information.",
        "todo_warnings": "The records can be accepted. Please look at the warnings below: the records would be "
        "better with them corrected.",
        "todo_clean": "No problems were found. Thank you.",
        "Violation_title": "Violations: must be corrected",
        "Violation_explanation": "A submission with a violation is refused until it is corrected.",
        "Warning_title": "Warnings: should be corrected",
        "Warning_explanation": "The records are accepted, but something is missing or doubtful.",
        "Info_title": "Hints",
        "Info_explanation": "For information; nothing needs to change.",
        "cell": "Cell",
        "field": "Field",
        "value": "Value",
        "problem": "Problem and what to do",
        "sheet_row": "{file}, sheet {sheet}, row {row}",
        "row": "{file}, row {row}",
        "line": "{file}, line {line}",
        "generated": "{checked} Checked on {date} by kgtool {version}.",
        "footer": "Made by kgtool, the toolkit of the SAL knowledge graph (strategic alliances, legitimacy and "
        "development strategies). This page works offline and loads nothing.",
    },
    "es": {
        "title": "Informe de validación de los registros enviados",
        "files": "Archivos verificados",
        "conforms": "El envío es conforme: puede aceptarse.",
        "fails": "El envío no es conforme: todavía no puede aceptarse.",
        "records_checked": "registros verificados",
        "todo_fails": "Qué hacer: corrija cada violación indicada abajo (cada una nombra la celda o el registro, el "
        "valor y la regla) y vuelva a enviar el archivo corregido. Corrija también las advertencias; las "
        "sugerencias son informativas.",
        "todo_warnings": "Los registros pueden aceptarse. Revise las advertencias de abajo: los registros "
        "mejorarían si se corrigen.",
        "todo_clean": "No se encontraron problemas. Gracias.",
        "Violation_title": "Violaciones: deben corregirse",
        "Violation_explanation": "Un envío con una violación se rechaza hasta que se corrija.",
        "Warning_title": "Advertencias: deberían corregirse",
        "Warning_explanation": "Los registros se aceptan, pero falta algo o algo es dudoso.",
        "Info_title": "Sugerencias",
        "Info_explanation": "Para su información; no es necesario cambiar nada.",
        "cell": "Celda",
        "field": "Campo",
        "value": "Valor",
        "problem": "Problema y qué hacer",
        "sheet_row": "{file}, hoja {sheet}, fila {row}",
        "row": "{file}, fila {row}",
        "line": "{file}, línea {line}",
        "generated": "{checked} Verificado el {date} por kgtool {version}.",
        "footer": "Generado por kgtool, la herramienta del grafo de conocimiento SAL (alianzas estratégicas, "
        "legitimidad y estrategias de desarrollo). Esta página funciona sin conexión y no carga nada.",
    },
}


@dataclass
class Item:
    severity: str
    severity_name: str
    cell: str | None
    field: str
    value: str
    message: str


@dataclass
class RecordView:
    id: str
    id_shown: str | None
    name: str
    place: str | None
    items: list[Item] = field(default_factory=list)


@dataclass
class Group:
    severity: str
    title: str
    explanation: str
    records: list[RecordView] = field(default_factory=list)


def render_html(report: ValidationReport, lang: str = "en", today: datetime.date | None = None) -> str:
    """The whole page for ``report``, in ``lang``."""
    words = WORDS[lang]
    style = (ASSETS / STYLE).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; form-action 'none'"
    text_words = TEXT_WORDS[lang]
    references = text_words[report.references].format(location=report.references_location)
    checked = text_words["checked"].format(
        records=report.record_count, files=", ".join(str(f) for f in report.files), references=references
    )
    date = (today or datetime.date.today()).isoformat()
    found = groups(report, lang)
    counts = [
        {"severity": s, "number": report.count(s), "name": _counted(report.count(s), SEVERITIES.index(s), lang)}
        for s in SEVERITIES
    ]
    return templates.render(
        ASSETS,
        TEMPLATE,
        lang=lang,
        policy=policy,
        style=style,
        version=__version__,
        words=words,
        files=[str(f) for f in report.files],
        conforms=report.conforms,
        verdict=words["conforms" if report.conforms else "fails"],
        counts=counts,
        records=report.record_count,
        summary=summary(report, lang),
        generated=words["generated"].format(checked=checked, date=date, version=__version__),
        groups=found,
        cells=any(item.cell for group in found for record in group.records for item in record.items),
    )


def _counted(number: int, index: int, lang: str) -> str:
    return TEXT_WORDS[lang]["counted"][2 * index + (number != 1)]


def groups(report: ValidationReport, lang: str) -> list[Group]:
    """Violations, then warnings, then hints; in each, the records in report order with their problems."""
    words = WORDS[lang]
    found: list[Group] = []
    for severity in SEVERITIES:
        results = [r for r in report.results if r.severity == severity]
        if not results:
            continue
        group = Group(severity, words[f"{severity}_title"], words[f"{severity}_explanation"])
        views: dict[object, RecordView] = {}
        for result in results:
            if result.focus not in views:
                views[result.focus] = _record_view(report, result.focus, lang)
                group.records.append(views[result.focus])
            item = _item(report, result, lang)
            if item not in views[result.focus].items:  # two constraints of one rule can say the same thing
                views[result.focus].items.append(item)
        found.append(group)
    return found


def _record_view(report: ValidationReport, term, lang: str) -> RecordView:
    record = report.records.get(term) or Record(term, {}, None, None)
    if isinstance(term, ox.NamedNode):
        label = in_language(record.labels, lang)
        shown = compact(term.value)
        kind_label = in_language(report.labels.get(record.kind or "", {}), lang)
        return RecordView(term.value, shown, label or capitalized(kind_label or shown), _place(record, lang))
    parent = report.records.get(record.parent) if record.parent is not None else None
    bare_parent = Record(parent.term, parent.labels, None, None) if parent else None
    name = record_title(Record(term, record.labels, None, None, record.kind), report, lang)
    if record.parent is not None:
        of = record_title(bare_parent, report, lang) if bare_parent else compact(str(record.parent.value))
        name += f" — {path_display(record.parent_path, report, lang)} {TEXT_WORDS[lang]['of']} {of}"
    place = _place(parent if record.parent is not None else record, lang)
    return RecordView(f"_:{report.blank_ids.get(term, term.value)}", None, capitalized(name), place)


def _place(record: Record | None, lang: str) -> str | None:
    """Where a record is written: a sheet and row, a CSV row, or a file and line."""
    if record is None or record.file is None:
        return None
    words, file = WORDS[lang], Path(record.file).name
    if record.sheet and record.line:
        return words["sheet_row"].format(file=file, sheet=record.sheet, row=record.line)
    if record.line and Path(record.file).suffix.lower() == ".csv":
        return words["row"].format(file=file, row=record.line)
    return words["line"].format(file=file, line=record.line) if record.line else file


def _item(report: ValidationReport, result: Result, lang: str) -> Item:
    cell, column = cell_of(report, result)
    simple_path = result.path and not result.path.startswith("<")
    shown_elsewhere = (result.focus, ox.NamedNode(result.path) if simple_path else None)
    value = "" if result.value is None or result.value in shown_elsewhere else value_display(result.value, report, lang)
    return Item(
        severity=result.severity,
        severity_name=TEXT_WORDS[lang][result.severity],
        cell=cell,
        field=column or path_display(result.path, report, lang),
        value=value,
        message=result.message(lang),
    )


def cell_of(report: ValidationReport, result: Result) -> tuple[str | None, str | None]:
    """The spreadsheet cell of a result (``Actor!C7``) and its column's header, where the records came from one."""
    key = (result.focus, result.path)
    return report.cells.get(key), report.columns.get(key)
