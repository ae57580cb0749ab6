"""What a submission workbook holds, derived from the CSV templates, the ontology, the shapes and the reference places.

Nothing here is kept by hand: a sheet is a CSV template (``data/templates/*.csv``) whose ``TYPE sal:Class`` column
names the kind of record it holds; the sheet's title is that class's label; a column's header is its property's
label (English and Spanish, from the ontology); it is *required* when a Violation-level shape of the record's
class demands a value (``sh:minCount`` or ``sh:qualifiedMinCount``), *recommended* when a Warning-level one does;
a reference to a class whose members the ontology names (strategies, legitimacy types, sectors, statuses,
audiences) is a closed list of their labels; a literal column with an ``sh:in`` list (currencies) is a list of its
values; a place is one of the reference places (Peru's regions with their INEI ubigeo code); a reference to a
class that another sheet holds is a drop-down of that sheet's IDs; numbers, years, dates and booleans are typed
cells, with the bounds the shapes set (``sh:minInclusive``/``sh:maxInclusive``).

The writer (``write``) and the reader (``read``) both work from this layout, so a
label shown in a drop-down is read back as the IRI it stands for.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import pyoxigraph as ox

from kgtool.choices import LANGUAGES
from kgtool.errors import InputError
from kgtool.rdf import ontology, resources
from kgtool.rdf.labels import in_language
from kgtool.rdf.namespaces import PREFIXES, RDFS_LABEL, SAL, SH, XSD
from kgtool.rdf.parsing import parse_quads
from kgtool.validation import csv_templates
from kgtool.validation.csv_templates import Column

#: Datatype -> kind of typed cell.
CELL_OF_DATATYPE = {
    **{XSD + name: "number" for name in ("decimal", "double", "float")},
    **{
        XSD + name: "integer"
        for name in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long", "short", "unsignedInt")
    },
    XSD + "gYear": "year",
    XSD + "date": "date",
    XSD + "boolean": "boolean",
}
#: The lowest value a datatype allows, where the shapes say nothing.
DATATYPE_MINIMUM = {XSD + "nonNegativeInteger": 0, XSD + "positiveInteger": 1, XSD + "unsignedInt": 0}
REFERENCE_PLACES = "reference/regions.ttl"
#: Headers of the columns that name no property: the record's ID, its kind and its names.
FIXED_HEADERS = {
    "ID": {"en": "ID", "es": "ID"},
    "TYPE": {"en": "Kind", "es": "Tipo"},
    "LABEL@en": {"en": "Name in English", "es": "Nombre en inglés"},
    "LABEL@es": {"en": "Name in Spanish", "es": "Nombre en español"},
}

#: Where things are in a workbook: the rows of every data sheet, and the hidden sheet that says it is one of ours.
HEADER_ROW, OTHER_HEADER_ROW, KEY_ROW, TEMPLATE_ROW, FIRST_ROW = 1, 2, 3, 4, 5
META_SHEET, LISTS_SHEET = "kgtool", "Lists"
MARKER, WORKBOOK_FORMAT = "kgtool submission workbook", 1

_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in {**PREFIXES, "sh": SH}.items())


@dataclass(frozen=True)
class Choice:
    """One entry of a drop-down list: the value it stands for (an IRI, or a literal's text) and what it shows."""

    value: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()  # other spellings read back as this value (a region's plain name, its code)

    def shown(self, lang: str) -> str:
        return in_language(self.labels, lang) or self.value


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a sheet: its CSV template column and what a person sees and may enter."""

    key: str  # the CSV template's column name (``based_in``)
    template: str  # its template string (``AI sal:basedIn``)
    column: Column
    headers: dict[str, str]
    notes: dict[str, str]  # what the column means (the property's definition), by language
    requirement: str | None = None  # "required", "recommended" or None
    cell: str = "text"  # text, number, integer, year, date, boolean, choice, place, reference
    choices: tuple[Choice, ...] = ()
    target: str | None = None  # for a reference: the template name of the sheet that holds its records
    bounds: tuple[float | None, float | None] = (None, None)
    closed: bool = False  # only the listed values make sense (a closed vocabulary)

    @property
    def multiple(self) -> bool:
        return self.column.split is not None

    @property
    def list_key(self) -> str | None:
        """The name of the drop-down list this column uses (columns with the same choices share one)."""
        if not self.choices:
            return None
        return self.cell + ":" + "|".join(choice.value for choice in self.choices)

    def lookup(self) -> dict[str, str]:
        """Normalized shown text (any language), value, or prefixed name -> the value it stands for."""
        found: dict[str, str] = {}
        for choice in self.choices:
            spellings = [choice.value, *choice.labels.values(), _compact(choice.value), *choice.aliases]
            for spelling in spellings:
                found.setdefault(normalized(spelling), choice.value)
        return found


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: one record type (a CSV template), its class, its titles and its columns."""

    name: str  # the template's name (``actors``)
    record_class: str
    titles: dict[str, str]
    columns: tuple[ColumnSpec, ...]

    def title(self, lang: str) -> str:
        return _sheet_title(in_language(self.titles, lang) or self.name)


@dataclass
class Layout:
    """Every sheet of a submission workbook, in the order a person fills them (what is referred to first)."""

    sheets: list[SheetSpec] = field(default_factory=list)

    def sheet(self, name: str) -> SheetSpec:
        return next(sheet for sheet in self.sheets if sheet.name == name)


def normalized(text: str) -> str:
    """Case, accents and spacing do not matter when a typed value is matched against a list."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text).strip().lower()


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _sheet_title(text: str) -> str:
    """A label as an Excel sheet title: capitalized, at most 31 characters, none of ``[]:*?/\\``."""
    text = re.sub(r"[\[\]:*?/\\]", " ", text).strip()
    return (text[:1].upper() + text[1:])[:31]


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------- knowledge


class Knowledge:
    """The ontology, the shapes and the reference places in one in-memory store, asked with SPARQL."""

    def __init__(self, ontology_dir: Path | None = None, shapes_dir: Path | None = None) -> None:
        self.store = ox.Store()
        self.store.extend(ontology.load(ontology_dir))
        shapes_folder = Path(shapes_dir) if shapes_dir else resources.folder("shapes")
        for path in sorted(shapes_folder.glob("*.ttl")):
            self.store.extend(parse_quads(path))
        places = resources.folder("data") / REFERENCE_PLACES
        if places.exists():
            self.store.extend(parse_quads(places))

    def select(self, query: str, **bindings: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        for name, iri in bindings.items():
            query = query.replace(f"?{name}_", f"<{iri}>")
        solutions = self.store.query(_PREFIXES + query)
        return [{str(v)[1:]: s[v] for v in solutions.variables if s[v] is not None} for s in solutions]

    def labels(self, iri: str) -> dict[str, str]:
        """``rdfs:label`` (else ``skos:prefLabel``) by language."""
        return self._texts(iri, ("rdfs:label", "skos:prefLabel"))

    def definitions(self, iri: str) -> dict[str, str]:
        return self._texts(iri, ("skos:definition", "rdfs:comment"))

    def _texts(self, iri: str, predicates: tuple[str, ...]) -> dict[str, str]:
        found: dict[str, str] = {}
        for predicate in predicates:
            rows = self.select(f"SELECT ?text WHERE {{ ?iri_ {predicate} ?text }} ORDER BY ?text", iri=iri)
            for row in rows:
                found.setdefault(row["text"].language or "", row["text"].value)
        return {lang: in_language(found, lang) or "" for lang in LANGUAGES if found}

    @cached_property
    def superclasses(self) -> dict[str, set[str]]:
        """Class IRI -> itself and every named class above it."""
        above: dict[str, set[str]] = {}
        for row in self.select("SELECT ?c ?d WHERE { ?c rdfs:subClassOf* ?d . ?c a owl:Class . FILTER isIRI(?d) }"):
            if isinstance(row["c"], ox.NamedNode):
                above.setdefault(row["c"].value, {row["c"].value}).add(row["d"].value)
        return above

    def is_a(self, cls: str, other: str) -> bool:
        return other in self.superclasses.get(cls, {cls})

    def subclasses(self, cls: str) -> list[str]:
        """``cls`` and every ``sal:`` class below it, in label order."""
        found = [c for c, above in self.superclasses.items() if cls in above and c.startswith(SAL)]
        return sorted(found, key=lambda c: (c != cls, normalized(self.labels(c).get("en", c))))

    def ranges(self, prop: str) -> list[str]:
        """The named classes a property's values belong to (the members of a union range too)."""
        rows = self.select(
            "SELECT DISTINCT ?r WHERE { { ?p_ rdfs:range ?r FILTER isIRI(?r) } "
            "UNION { ?p_ rdfs:range/owl:unionOf/rdf:rest*/rdf:first ?r } }",
            p=prop,
        )
        return sorted(row["r"].value for row in rows)

    def members(self, cls: str) -> list[str]:
        """The named individuals the ontology declares of ``cls`` (or a subclass): a closed vocabulary."""
        rows = self.select(
            "SELECT DISTINCT ?x WHERE { ?x a owl:NamedIndividual ; a/rdfs:subClassOf* ?cls_ }",
            cls=cls,
        )
        return sorted(row["x"].value for row in rows)

    def places(self) -> list[Choice]:
        """The reference places: Peru's regions by ubigeo (``La Libertad (13)``), then countries and areas."""
        rows = self.select(
            "SELECT ?place ?code WHERE { ?place a/rdfs:subClassOf* sal:Place . FILTER isIRI(?place) "
            "FILTER STRSTARTS(STR(?place), STR(sald:)) OPTIONAL { ?place sal:ubigeo ?code } }"
        )
        choices = []
        for row in rows:
            labels = self.labels(row["place"].value)
            code = row["code"].value if "code" in row else None
            shown = {lang: f"{text} ({code})" if code else text for lang, text in labels.items()}
            aliases = (*labels.values(), code) if code else tuple(labels.values())
            choice = Choice(row["place"].value, shown, aliases)
            choices.append((code is None, code or "", normalized(labels.get("en", "")), choice))
        return [choice for *_, choice in sorted(choices, key=lambda item: item[:3])]

    def literal_choices(self, cls: str, prop: str) -> list[str]:
        """The values of an ``sh:in`` list on ``prop`` for records of ``cls``, when they are literals."""
        rows = self.select(
            "SELECT ?value WHERE { ?shape sh:targetClass ?target ; sh:path ?p_ ; sh:in/rdf:rest*/rdf:first ?value . "
            "FILTER isLiteral(?value) ?cls_ rdfs:subClassOf* ?target }",
            p=prop,
            cls=cls,
        )
        return sorted({row["value"].value for row in rows})

    def requirement(self, cls: str, prop: str, lang: str | None = None) -> str | None:
        """``required`` when a Violation shape of ``cls`` demands a value of ``prop`` (in ``lang`` for labels),
        ``recommended`` when a Warning shape does, else None."""
        lang_filter = (
            f'?shape sh:qualifiedValueShape/sh:languageIn/rdf:rest*/rdf:first "{lang}" .'
            if lang
            else "FILTER NOT EXISTS { ?shape sh:qualifiedValueShape/sh:languageIn ?any }"
        )
        rows = self.select(
            "SELECT ?severity WHERE { ?shape sh:targetClass ?target ; sh:severity ?severity . "
            "?cls_ rdfs:subClassOf* ?target . "
            "{ ?shape sh:path ?p_ } UNION { ?shape sh:path/sh:alternativePath/rdf:rest*/rdf:first ?p_ } "
            "{ ?shape sh:minCount ?n } UNION { ?shape sh:qualifiedMinCount ?n } FILTER (?n >= 1) "
            f"{lang_filter} }}",
            p=prop,
            cls=cls,
        )
        severities = {row["severity"].value for row in rows}
        if SH + "Violation" in severities:
            return "required"
        return "recommended" if SH + "Warning" in severities else None

    def bounds(self, cls: str, prop: str) -> tuple[float | None, float | None]:
        """``sh:minInclusive`` and ``sh:maxInclusive`` of ``prop`` for records of ``cls``."""
        rows = self.select(
            "SELECT ?low ?high WHERE { ?shape sh:targetClass ?target ; sh:path ?p_ . ?cls_ rdfs:subClassOf* ?target "
            "OPTIONAL { ?shape sh:minInclusive ?low } OPTIONAL { ?shape sh:maxInclusive ?high } }",
            p=prop,
            cls=cls,
        )
        lows = [float(row["low"].value) for row in rows if "low" in row]
        highs = [float(row["high"].value) for row in rows if "high" in row]
        return (max(lows) if lows else None, min(highs) if highs else None)


# --------------------------------------------------------------------------------------------- layout


def template_files(folder: Path | None = None) -> list[Path]:
    folder = Path(folder) if folder else resources.folder("data") / "templates"
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise InputError(f"{folder}: no CSV templates (*.csv) found")
    return files


def read_template(path: Path) -> tuple[list[str], list[str]]:
    """The header row and template row of a CSV template."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if len(rows) < 2:
        raise InputError(f"{path}: a CSV template needs a header row and a template row")
    return rows[0], rows[1]


@cache
def project_knowledge() -> Knowledge:
    """The project's own ontology, shapes and reference places, read once per process."""
    return Knowledge()


def layout(templates: Path | None = None, knowledge: Knowledge | None = None) -> Layout:
    """The sheets of a submission workbook, one per CSV template, in the order their records are referred to."""
    knowledge = knowledge or project_knowledge()
    named = {path.stem: read_template(path) for path in template_files(templates)}
    return sheets_for(named, knowledge)


def sheets_for(named: dict[str, tuple[list[str], list[str]]], knowledge: Knowledge) -> Layout:
    """The layout of sheets given by name -> (keys, template strings): a workbook's own, or the templates'."""
    classes = {name: record_class(name, keys, strings) for name, (keys, strings) in named.items()}
    holders = {cls: name for name, cls in classes.items()}
    sheets = [_sheet(name, keys, strings, classes[name], holders, knowledge) for name, (keys, strings) in named.items()]
    return Layout(_in_reference_order(sheets))


def record_class(name: str, keys: list[str], strings: list[str]) -> str:
    """The class a template's ``TYPE sal:Class`` column names (the kind of record of the sheet)."""
    columns = csv_templates.parse_template_row(Path(name), keys, strings)
    for column in columns:
        if column.kind == "TYPE" and column.path:
            return column.path[0]
    raise InputError(f"{name}: the template's TYPE column does not name its class (write e.g. 'TYPE sal:Actor')")


def _sheet(
    name: str, keys: list[str], strings: list[str], cls: str, holders: dict[str, str], knowledge: Knowledge
) -> SheetSpec:
    columns = csv_templates.parse_template_row(Path(name), keys, strings)
    specs = tuple(
        _column(key, string, column, cls, holders, knowledge)
        for key, string, column in zip(keys, strings, columns, strict=False)
    )
    titles = {lang: capitalized(text) for lang, text in knowledge.labels(cls).items()} or {"en": name}
    return SheetSpec(name, cls, titles, specs)


def _column(
    key: str, string: str, column: Column, cls: str, holders: dict[str, str], knowledge: Knowledge
) -> ColumnSpec:
    base = {"key": key, "template": string, "column": column}
    if column.kind == "ID":
        return ColumnSpec(**base, headers=FIXED_HEADERS["ID"], notes={}, requirement="required", cell="id")
    if column.kind == "TYPE":
        kinds = tuple(Choice(c, _shown(knowledge.labels(c))) for c in knowledge.subclasses(cls))
        notes = knowledge.definitions(cls)
        return ColumnSpec(
            **base,
            headers=FIXED_HEADERS["TYPE"],
            notes=notes,
            requirement="required",
            cell="choice",
            choices=kinds,
            closed=True,
        )
    if column.kind == "LABEL":
        requirement = knowledge.requirement(cls, RDFS_LABEL, column.lang or "en")
        headers = FIXED_HEADERS.get(f"LABEL@{column.lang or 'en'}") or {x: f"{x} ({column.lang})" for x in LANGUAGES}
        return ColumnSpec(**base, headers=headers, notes={}, requirement=requirement)
    owner, prop = (column.path[1], column.path[2]) if len(column.path) == 3 else (cls, column.path[0])
    headers = {lang: capitalized(text) for lang, text in knowledge.labels(column.path[0]).items()}
    if len(column.path) == 3:
        inner = knowledge.labels(prop)
        headers = {lang: f"{headers.get(lang, key)} — {inner.get(lang, key)}" for lang in LANGUAGES}
    headers = headers or {lang: key.replace("_", " ") for lang in LANGUAGES}
    base |= {
        "headers": headers,
        "notes": knowledge.definitions(column.path[0]),
        "requirement": knowledge.requirement(cls, column.path[0]),
    }
    if column.kind == "AT":
        kind = CELL_OF_DATATYPE.get(column.datatype or "", "text")
        low, high = knowledge.bounds(owner, prop)
        low = DATATYPE_MINIMUM.get(column.datatype or "") if low is None else low
        if kind == "boolean":
            return ColumnSpec(**base, cell="choice", choices=_booleans(), closed=True)
        return ColumnSpec(**base, cell=kind, bounds=(low, high))
    if column.kind == "A":
        values = knowledge.literal_choices(owner, prop)
        if values:
            return ColumnSpec(**base, cell="choice", choices=tuple(Choice(v, {}) for v in values), closed=True)
        return ColumnSpec(**base)
    return _reference(base, prop, holders, knowledge)


def _reference(base: dict, prop: str, holders: dict[str, str], knowledge: Knowledge) -> ColumnSpec:
    """An ``AI`` column: a closed vocabulary, a place, or the ID of a record on another sheet."""
    ranges = knowledge.ranges(prop)
    members = sorted({m for r in ranges for m in knowledge.members(r)})
    if members:
        choices = tuple(Choice(m, _shown(knowledge.labels(m))) for m in members)
        return ColumnSpec(**base, cell="choice", choices=choices, closed=True)
    if ranges and all(knowledge.is_a(r, SAL + "Place") for r in ranges):
        return ColumnSpec(**base, cell="place", choices=tuple(knowledge.places()))
    sheets = sorted({holders[h] for r in ranges for h in holders if knowledge.is_a(r, h)})
    return ColumnSpec(**base, cell="reference", target=sheets[0] if len(sheets) == 1 else None)


def _shown(labels: dict[str, str]) -> dict[str, str]:
    return {lang: capitalized(text) for lang, text in labels.items()}


def _booleans() -> tuple[Choice, ...]:
    return (Choice("true", {"en": "Yes", "es": "Sí"}), Choice("false", {"en": "No", "es": "No"}))


def _in_reference_order(sheets: list[SheetSpec]) -> list[SheetSpec]:
    """Sheets whose records others refer to come first (sources, actors, ...); ties keep the templates' order."""
    pending = list(sheets)
    ordered: list[SheetSpec] = []
    while pending:
        placed = {sheet.name for sheet in ordered}
        ready = next(
            (
                sheet
                for sheet in pending
                if all(c.target in placed or c.target in (None, sheet.name) for c in sheet.columns)
            ),
            pending[0],  # a cycle of references: take the next one as it comes
        )
        ordered.append(ready)
        pending.remove(ready)
    return ordered
