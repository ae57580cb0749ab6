"""The text of a SPARQL query as a person wrote it: the prefixes it uses and the ``sal:``/``sald:`` terms it names.

Read before (or instead of) parsing, so that a mistake is reported in the words of the query: an undeclared prefix
as ``mine.rq:4: unknown prefix ex:``, not as the parser's "expected OPTIONAL" at a column.
"""

from __future__ import annotations

import re

from kgtool.rdf.namespaces import PREFIXES, SAL, SALD
from kgtool.sparql.binding import SKIPPED_TOKEN

_PREFIXED_NAME = re.compile(r"(?<![\w?$:<@\"'^-])([A-Za-z][\w.-]*)?:((?:[\w-]|%[0-9A-Fa-f]{2})(?:[\w.-]*[\w-])?)?")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def undeclared_prefix(text: str) -> tuple[int, str] | None:
    """The first prefix a query uses without declaring it (and that kgtool does not declare): (line, prefix)."""
    declared = {name or "" for name, _ in _DECLARED.findall(text)} | set(PREFIXES)
    for start, _, code in _tokens(text):
        for match in _PREFIXED_NAME.finditer(code):
            prefix = match.group(1) or ""
            if prefix not in declared and not _is_keyword_colon(code, match):
                return text.count("\n", 0, start + match.start()) + 1, prefix
    return None


def _is_keyword_colon(code: str, match: re.Match) -> bool:
    """``PREFIX ex: <…>`` declares, it does not use."""
    before = code[: match.start()].rstrip()
    return before.upper().endswith("PREFIX")


def _tokens(text: str):
    """The stretches of ``text`` outside comments, strings and IRIs: (start, end, text)."""
    position = 0
    for skipped in SKIPPED_TOKEN.finditer(text):
        if skipped.start() > position:
            yield position, skipped.start(), text[position : skipped.start()]
        position = skipped.end()
    if position < len(text):
        yield position, len(text), text[position:]


def used_terms(text: str) -> dict[str, int]:
    """The ``sal:`` and ``sald:`` IRIs a query names (by prefixed name or in full), with the line of the first use."""
    namespaces = {name or "": iri for name, iri in _DECLARED.findall(text)}
    namespaces = {**PREFIXES, **namespaces}
    found: dict[str, int] = {}
    for start, _, code in _tokens(text):
        for match in _PREFIXED_NAME.finditer(code):
            prefix, local = match.group(1) or "", match.group(2)
            if local and namespaces.get(prefix) in (SAL, SALD) and not _is_keyword_colon(code, match):
                found.setdefault(namespaces[prefix] + local, text.count("\n", 0, start + match.start()) + 1)
    for match in re.finditer(r"<((?:https://w3id\.org/sal#|https://w3id\.org/sal/id/)[^>\s]+)>", text):
        found.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return found
