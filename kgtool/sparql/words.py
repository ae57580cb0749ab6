"""The words around query results in a table, in English and Spanish: headers, units, yes and no, numbers.

Machine formats (csv, tsv, json) keep the SPARQL variable names and the literals as they are; the table and
markdown formats are read by people, so with ``--lang es`` their column headers, the units and other code
words of the queries (``partner``, ``operator``), booleans, the row count and numbers (``1.568``, ``2,94``)
are Spanish. Labels of IRIs come from the knowledge graph in the language asked for; these are the words the
queries themselves produce. A header or word not listed here is shown as it is.
"""

from __future__ import annotations

import re

from kgtool.choices import LANGUAGES

#: The Spanish header of each column the catalog queries return (SPARQL variable names, ``...Label`` dropped).
HEADERS_ES = {
    "about": "trata de",
    "actor": "actor",
    "actors": "actores",
    "alliance": "alianza",
    "alliancesUnderStrategy": "alianzas bajo la estrategia",
    "amount": "monto",
    "assessment": "evaluación",
    "assessor": "evaluador",
    "attribution": "atribución",
    "audience": "público objetivo",
    "audiences": "públicos",
    "beneficiaries": "beneficiarios",
    "benefit": "beneficios",
    "benefits": "beneficios",
    "bodyText": "texto del artículo",
    "budget": "presupuesto",
    "citation": "referencia",
    "claim": "afirmación",
    "completion": "avance (%)",
    "contribution": "aporte",
    "contributor": "aportante",
    "creators": "autores",
    "currency": "moneda",
    "date": "fecha",
    "definition": "definición",
    "differences": "diferencias entre la Tabla 1 y el texto",
    "drivingNeed": "necesidad impulsora",
    "environmentNeed": "necesidad del entorno",
    "evidence": "evidencia",
    "evidenceKind": "tipo de evidencia",
    "executedBy": "ejecutado por",
    "fact": "hecho",
    "figure": "cifra",
    "fund": "fondo",
    "fundedBy": "financiado por",
    "graph": "grafo",
    "holder": "titular",
    "instruments": "instrumentos",
    "investment": "inversión",
    "involvement": "participación",
    "issued": "año",
    "kind": "clase",
    "legitimacy": "legitimidad",
    "legitimacySought": "legitimidad buscada",
    "market": "mercado",
    "motivation": "motivación",
    "needs": "necesidades",
    "objectives": "objetivos",
    "organizationNeed": "necesidad de la organización",
    "partner": "socio",
    "partners": "socios",
    "periodEnd": "fin del período",
    "periodStart": "inicio del período",
    "preferredStrategy": "estrategia preferida",
    "principle": "principio",
    "project": "proyecto",
    "qualifier": "calificador",
    "quantity": "cantidad",
    "rank": "posición",
    "rating": "calificación",
    "reason": "motivo",
    "region": "región",
    "relation": "relación",
    "relational": "relacional",
    "resources": "recursos",
    "role": "papel",
    "sector": "sector",
    "social": "social",
    "source": "fuente",
    "status": "estado",
    "strategies": "estrategias",
    "strategy": "estrategia",
    "target": "destino",
    "through": "a través de",
    "title": "título",
    "type": "tipo",
    "types": "tipos",
    "ubigeo": "ubigeo",
    "unidentifiedPartners": "socios no identificados",
    "unit": "unidad",
    "when": "cuándo",
}

#: Code words the queries or the data write in English: units of figures, roles and relations.
WORDS_ES = {
    # units of sal:Figure (sal:unit)
    "USD per ounce": "US$ por onza",
    "companies": "empresas",
    "countries": "países",
    "districts": "distritos",
    "ounces of gold": "onzas de oro",
    "peasant communities": "comunidades campesinas",
    "percent": "%",
    "programmes": "programas",
    "projects": "proyectos",
    "regions": "regiones",
    "residents": "residentes",
    # roles, involvements and relations the queries name
    "partner": "socio",
    "operator": "operador",
    "funder": "financiador",
    "executor": "ejecutor",
    "contributor": "aportante",
    "prefers": "prefiere",
    "strategy": "estrategia",
    "legitimacy": "legitimidad",
}
#: The columns whose plain (untagged) values are such code words.
WORD_COLUMNS = {"unit", "role", "involvement", "relation"}

_SENTENCES = {
    "en": {"rows": "{count} rows", "one row": "1 row", "row": "row {number}", "yes": "true", "no": "false"},
    "es": {"rows": "{count} filas", "one row": "1 fila", "row": "fila {number}", "yes": "sí", "no": "no"},
}
#: The footer of a table that shows part of an answer, and how to see the rest.
_PAGE = {
    "en": ("rows {first}–{last} of {total} shown", "next rows: --offset {next}", "every row: --all or --format csv"),
    "es": (
        "se muestran las filas {first}–{last} de {total}",
        "las siguientes: --offset {next}",
        "todas: --all o --format csv",
    ),
}
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def check(lang: str) -> str:
    """``lang``, or English for a language the tables are not written in (labels still follow ``lang``)."""
    return lang if lang in LANGUAGES else "en"


def header(column: str, lang: str, own: dict[str, str] | None = None) -> str:
    """The header a person reads: ``allianceLabel`` -> ``alliance`` (English), ``alianza`` (Spanish). ``own``
    are the query's own Spanish headers (``#+ headers_es:``), for a column that reads otherwise there."""
    name = column[: -len("Label")] if column.endswith("Label") and len(column) > 5 else column
    if check(lang) == "es":
        return (own or {}).get(name) or HEADERS_ES.get(name, name)
    return name


def word(column: str, text: str, lang: str) -> str:
    """A code word of a query (a unit, a role) in ``lang``; any other text as it is."""
    if check(lang) == "es" and column in WORD_COLUMNS:
        return WORDS_ES.get(text, text)
    return text


def boolean(value: str, lang: str) -> str:
    """``true``/``false`` as a person reads it in ``lang`` (``sí``/``no`` in Spanish)."""
    words = _SENTENCES[check(lang)]
    return words["yes"] if value in ("true", "1") else words["no"]


def number(lexical: str, lang: str) -> str:
    """A number in ``lang``'s style: Spanish groups thousands with ``.`` and writes decimals with ``,``
    (``1568`` -> ``1.568``, ``2.94`` -> ``2,94``); English keeps the lexical form. Other forms (``1.5E3``)
    are left as they are."""
    if check(lang) != "es" or not _NUMBER.fullmatch(lexical):
        return lexical
    sign = "-" if lexical.startswith("-") else ""
    whole, _, fraction = lexical.lstrip("+-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def sentence(key: str, lang: str, **values: object) -> str:
    """One of the table's own sentences (``row``) in ``lang``."""
    return _SENTENCES[check(lang)][key].format(**values)


def row_count(count: int, lang: str) -> str:
    """``9 rows``, ``1 row``; ``1.568 filas``, ``1 fila``."""
    if count == 1:
        return _SENTENCES[check(lang)]["one row"]
    return sentence("rows", lang, count=number(str(count), lang))


def page_note(offset: int, shown: int, total: int, lang: str) -> str:
    """``rows 1–50 of 69,801 shown; next rows: --offset 50; every row: --all or --format csv`` (or in Spanish)."""
    shown_words, next_words, all_words = _PAGE[check(lang)]
    first, last = (offset + 1, offset + shown) if shown else (offset, offset)
    parts = [
        shown_words.format(first=number(str(first), lang), last=number(str(last), lang), total=number(str(total), lang))
    ]
    if offset + shown < total:
        parts.append(next_words.format(next=offset + shown))
    parts.append(all_words)
    return "; ".join(parts)
