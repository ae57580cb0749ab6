"""The whole answer from a server that caps its answers: partitions, each under the cap, then kgtool's own sort.

Virtuoso (as Debian ships it) gives at most ``ResultSetMaxRows`` = 10,000 rows per answer and refuses to sort past
that cap: ``ORDER BY … LIMIT 10000 OFFSET 10000`` fails with SR353 ("Sorted TOP clause specifies more then 20000
rows to sort. Only 10000 are allowed"), so ``LIMIT``/``OFFSET`` pages cannot reach the rows beyond the cap.
Neither does a page without ORDER BY, whose rows no engine promises to keep in the same order from one request to
the next. What every engine does answer alike is a filter: the query, as a sub-SELECT without its ORDER BY, is
asked once per partition of its rows, a row falling in the partition named by the first hex digits of the MD5 of
its plain cells (``FILTER(STRSTARTS(MD5(…), "a"))``; not the computed ones: Virtuoso fails on a filter over an
aggregate of a sub-SELECT); each partition is a set of whole rows that no other holds, so their union is the answer
as a multiset, and its size is checked against the query's ``COUNT(*)``. A partition that still reaches the cap
is split again (two digits, then three). The rows are then put in the query's order by pyoxigraph, with the
query's own ORDER BY over the rows as a ``VALUES`` table: the same comparison as the embedded store's, ties kept
in the order they came.

Where that cannot be done, the answer is an error that names the cap and the setting, never a short answer: a
query with its own LIMIT or OFFSET, one that names its own dataset (a sub-SELECT cannot), one ordered by something
it does not select, one that selects blank nodes (no VALUES table can hold them), or rows that are alike in every
cell beyond the cap.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable
from kgtool.rdf.namespaces import PREFIXES
from kgtool.sparql.binding import SKIPPED_TOKEN
from kgtool.sparql.results import QueryResult

# A token of a query: the skipped ones (comments, strings, IRIs), braces, and the keywords that matter here.
TOKEN = re.compile(
    f"(?P<skipped>{SKIPPED_TOKEN.pattern})"
    r"|(?P<word>(?<![\w?$:])(?:SELECT|WHERE|FROM|GRAPH|ORDER\s+BY|LIMIT|OFFSET)(?![\w:]))"  # not ?from nor sal:where
    r"|(?P<brace>[{}])",
    re.IGNORECASE,
)
_VARIABLE = re.compile(r"[?$](\w+)")
_HEX = "0123456789abcdef"
#: Partitions are split down to this many hex digits of the MD5 (16**3 = 4,096 partitions at most).
_DEEPEST = 3
#: The column that keeps each row's place while pyoxigraph sorts (so that ties keep the order they came in).
_PLACE = "kgtool_place"

Ask = Callable[[str], tuple[QueryResult, int | None]]


def words(text: str) -> set[str]:
    """The keywords of ``TOKEN`` that ``text`` uses (outside comments, strings and IRIs), upper case."""
    return {_word(token) for token in TOKEN.finditer(text) if token.group("word")}


def limited(text: str) -> bool:
    """Whether the query cuts its own answer (``LIMIT`` or ``OFFSET`` after its last closing brace)."""
    return bool({"LIMIT", "OFFSET"} & {_word(token) for token in _tail(text) if token.group("word")})


def looks_capped(count: int) -> bool:
    """Whether ``count`` looks like a server's cap: 1,000 or more, and 1, 2 or 5 followed by zeros only."""
    digits = str(count)
    return count >= 1000 and digits[0] in "125" and set(digits[1:]) == {"0"}


def whole(url: str, text: str, first: QueryResult, cap: int, ask: Ask) -> QueryResult:
    """The whole answer to ``text``, whose first answer ``first`` was cut at ``cap`` rows: asked again partition by
    partition through ``ask`` (which names the dataset and sends one request), then sorted as the query says."""
    if limited(text):
        raise capped(url, cap, "the query has its own LIMIT or OFFSET")
    if "FROM" in words(text):
        raise capped(url, cap, "the query names its own dataset (FROM), which a sub-SELECT cannot")
    prologue, body, order = _parts(text)
    variables = list(first.variables)
    if not set(_VARIABLE.findall(order)) <= set(variables):
        raise capped(url, cap, "the query is ordered by a variable it does not select")
    plain = [name for name in variables if name not in _aliases(body)]
    if not plain:
        raise capped(url, cap, "it selects only computed values, which no partition can tell apart")
    key = "MD5(CONCAT(" + ', "|", '.join(f'COALESCE(STR(?{name}), "")' for name in plain) + "))"
    rows: list[dict] = []
    pending = list(_HEX)
    while pending:
        prefix = pending.pop(0)
        part, said = ask(f'{prologue}SELECT * WHERE {{ {{\n{body}\n}} FILTER(STRSTARTS({key}, "{prefix}")) }}')
        if len(part.rows) >= min(said or cap, cap):
            if len(prefix) >= _DEEPEST:
                raise capped(url, cap, "more rows than that are alike in every cell")
            pending += [prefix + digit for digit in _HEX]
        else:
            rows += part.rows
    counted, _ = ask(f"{prologue}SELECT (COUNT(*) AS ?{_PLACE}) WHERE {{ {{\n{body}\n}} }}")
    total = counted.rows[0].get(_PLACE) if counted.rows else None
    if total is None or total.value != str(len(rows)):
        raise capped(url, cap, f"its parts hold {len(rows):,} rows but it counts {total.value if total else 'none'}")
    return QueryResult(first.variables, _sorted(url, cap, variables, rows, order) if order else rows)


def capped(url: str, cap: int, why: str) -> BackendUnavailable:
    """The error for an answer longer than the server gives in one piece, that kgtool cannot read in parts."""
    return BackendUnavailable(
        f"{url} gives at most {cap:,} rows per answer and this answer is longer ({why}); kgtool does not show a "
        "partial answer: raise the cap (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini) "
        "or narrow the query with a parameter",
        es=f"{url} da como máximo {cap:,} filas por respuesta y esta respuesta es más larga; kgtool no muestra "
        "una respuesta parcial: suba el límite (Virtuoso: ResultSetMaxRows en la sección [SPARQL] de "
        "virtuoso.ini) o acote la consulta con un parámetro",
    )


def _aliases(body: str) -> set[str]:
    """The variables the query's own SELECT clause computes (``(… AS ?name)``): an aggregate among them cannot be
    filtered on in Virtuoso 7 (SQ156, docs/ENGINES.md V16), and the others follow from the plain ones."""
    tokens = [token for token in TOKEN.finditer(body) if not token.group("skipped")]
    start = next((token.start() for token in tokens if token.group("brace") or _word(token) == "WHERE"), len(body))
    clause = "".join(part for part in SKIPPED_TOKEN.split(body[:start]))
    return set(re.findall(r"\bAS\s+[?$](\w+)", clause, re.IGNORECASE))


def _word(token: re.Match) -> str:
    return " ".join(token.group(0).upper().split())


def _tail(text: str) -> list[re.Match]:
    """The tokens after the query's last closing brace (its solution modifiers)."""
    tail: list[re.Match] = []
    for token in TOKEN.finditer(text):
        if token.group("brace") == "}":
            tail = []
        elif not token.group("skipped"):
            tail.append(token)
    return tail


def _parts(text: str) -> tuple[str, str, str]:
    """The query's prologue (PREFIX and BASE), its body (SELECT to the end of its WHERE clause, GROUP BY and
    HAVING included) and its ORDER BY clause ("" when it has none)."""
    select = next(token for token in TOKEN.finditer(text) if token.group("word") and _word(token) == "SELECT")
    order = next((token for token in _tail(text) if token.group("word") and _word(token) == "ORDER BY"), None)
    end = order.start() if order else len(text)
    return text[: select.start()], text[select.start() : end], text[end:] if order else ""


def _sorted(url: str, cap: int, variables: list[str], rows: list[dict], order: str) -> list[dict]:
    """``rows`` in the order of the query's ORDER BY clause ``order``, by pyoxigraph over a VALUES table."""
    if any(isinstance(term, ox.BlankNode) for row in rows for term in row.values()):
        raise capped(url, cap, "it selects blank nodes, which kgtool cannot sort outside the server")
    table = "\n".join(
        f"({index} {' '.join(str(row[name]) if name in row else 'UNDEF' for name in variables)})"
        for index, row in enumerate(rows)
    )
    names = " ".join(f"?{name}" for name in variables)
    query = f"SELECT ?{_PLACE} WHERE {{ VALUES (?{_PLACE} {names}) {{\n{table}\n}} }}\n{order}\n?{_PLACE}"
    places = ox.Store().query(query, prefixes=PREFIXES)
    return [rows[int(solution[_PLACE].value)] for solution in places]
