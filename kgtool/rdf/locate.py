"""Where a term or a statement is written in an RDF file: the line a report points to (``file:line``).

Parsers give quads, not positions. A record is found where it is written as a subject (its IRI, or any prefixed
form of it the file declares), else on the first line that mentions it; a statement on the first line of its
subject's block that names its property (and, where given, its object). Validation reports name records this way,
``kgtool check`` the axioms that explain an unsatisfiable class or an inconsistency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kgtool.files import read_input
from kgtool.rdf.namespaces import RDF_TYPE

_PREFIX_DECLARATIONS = (
    re.compile(r"@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE),  # Turtle, TriG, SPARQL style
    re.compile(r"xmlns:([A-Za-z][\w.-]*)\s*=\s*[\"']([^\"']*)[\"']"),  # RDF/XML
    re.compile(r"\"([A-Za-z][\w.-]*)\"\s*:\s*\"(https?://[^\"]*[#/])\""),  # JSON-LD context prefixes
)
_PREFIX_KEYWORD = re.compile("prefix", re.IGNORECASE)

_JSONLD_BASE = re.compile(r"\"@base\"\s*:\s*\"([^\"]+)\"")


class Locator:
    """Finds the line of a file where a record, or a statement, is written (each file read once)."""

    def __init__(self, files: list[Path] | None = None) -> None:
        self._texts: dict[Path, str] = {}
        self._lines: dict[Path, list[str]] = {}
        self._prefixes: dict[Path, dict[str, str]] = {}
        self._bases: dict[Path, list[str]] = {}

    def line(self, file: Path, term: ox.NamedNode) -> int | None:
        """The first line that starts with the record's IRI as a whole term (``<IRI>``, the bare IRI or a prefixed
        name), else the first that quotes it (JSON-LD)."""
        text = self._read(file)
        names = self._names(file, term.value)
        found = _first_start(text, names)
        if found is None:
            quoted = [f'"{name}"' for name in (*names, *self._relative_names(file, term.value))]
            found = min((at for name in quoted if (at := text.find(name)) != -1), default=None)
        return text.count("\n", 0, found) + 1 if found is not None else None

    def statement_line(self, file: Path, subject: str | None, predicate: str, obj: str | None = None) -> int | None:
        """The line of the statement ``subject predicate obj`` (IRIs; ``subject`` None: an anonymous axiom such as
        ``[] a owl:AllDisjointClasses``, found by its object): in a block that the subject opens, the first line
        naming the predicate (``a`` for rdf:type) and, when given, the object; else the subject's first line."""
        lines = self._lines_of(file)
        verbs = (["a"] if predicate == RDF_TYPE else []) + self._names(file, predicate)
        objects = self._names(file, obj) if obj else []
        starts = [0]
        if subject is not None:
            names = self._names(file, subject)
            starts = [n for n, text in enumerate(lines) if any(_starts_with_term(text.lstrip(), s) for s in names)]
        for start in starts:
            for number in range(start, len(lines)):
                text = lines[number]
                if any(_mentions(text, verb) for verb in verbs) and (
                    not objects or any(_mentions(text, name) for name in objects)
                ):
                    return number + 1
                if (subject is not None and text.rstrip().endswith(" .")) or text.rstrip() == ".":
                    break  # the end of the subject's block
        return starts[0] + 1 if subject is not None and starts else None

    def block_line(self, file: Path, kind: str, member: str | None) -> int | None:
        """The line of an anonymous axiom (``[] a owl:AllDisjointClasses ; owl:members ( … )``): the first line
        naming ``kind`` whose block (up to its closing ``.``) names ``member`` as well."""
        lines = self._lines_of(file)
        kinds, members = self._names(file, kind), self._names(file, member) if member else []
        for start, text in enumerate(lines):
            if not any(_mentions(text, name) for name in kinds):
                continue
            for following in lines[start:]:
                if not members or any(_mentions(following, name) for name in members):
                    return start + 1
                if following.rstrip().endswith("."):
                    break
        return None

    def _lines_of(self, file: Path) -> list[str]:
        if file not in self._lines:
            self._lines[file] = self._read(file).splitlines()
        return self._lines[file]

    def _read(self, file: Path) -> str:
        if file not in self._texts:
            text = read_input(file).decode("utf-8-sig", errors="replace")  # a byte order mark is no text
            self._texts[file] = text
            self._prefixes[file] = _declared_prefixes(text)
            self._bases[file] = _JSONLD_BASE.findall(text)
        return self._texts[file]

    def _names(self, file: Path, iri: str) -> list[str]:
        """How the file can write ``iri`` as a term: ``<IRI>``, the bare IRI, and prefixed names."""
        names = [f"<{iri}>", iri]
        for prefix, namespace in self._prefixes[file].items():
            if namespace and iri.startswith(namespace) and len(iri) > len(namespace):
                names.append(f"{prefix}:{iri[len(namespace) :]}")
        return names

    def _relative_names(self, file: Path, iri: str) -> list[str]:
        """``iri`` relative to a JSON-LD ``@base`` the file declares (``"@id": "example-ngo"``)."""
        return [iri[len(base) :] for base in self._bases[file] if iri.startswith(base) and len(iri) > len(base)]


_AFTER_TERM = " \t;,.[(\r\n"


def _first_start(text: str, names: list[str]) -> int | None:
    """The offset of the first place where a line starts (after blanks) with one of ``names`` as a whole term
    (followed by a blank, ``;``, ``,``, ``.``, ``[``, ``(`` or the end of the line): the occurrences of each
    name are visited in order, which is quick even for a long file."""
    best: int | None = None
    for name in names:
        at = text.find(name)
        while at != -1 and (best is None or at < best):
            line_start = text.rfind("\n", 0, at) + 1
            after = text[at + len(name) : at + len(name) + 1]
            if not text[line_start:at].strip() and (not after or after in _AFTER_TERM):
                best = at
                break
            at = text.find(name, at + 1)
    return best


def _declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a file declares (Turtle/TriG/SPARQL, RDF/XML, JSON-LD context), the first of each name;
    each declaration form is looked for where its keyword is, not by running its pattern over the whole text."""
    prefixes: dict[str, str] = {}
    turtle, xml, jsonld = _PREFIX_DECLARATIONS
    for at in _keyword_offsets(text):
        found = turtle.match(text, at - 1 if at and text[at - 1] == "@" else at)
        if found:
            prefixes.setdefault(found.group(1) or "", found.group(2))
    at = text.find("xmlns:")
    while at != -1:
        if found := xml.match(text, at):
            prefixes.setdefault(found.group(1), found.group(2))
        at = text.find("xmlns:", at + 1)
    if '"@context"' in text:  # JSON-LD
        for prefix, namespace in jsonld.findall(text):
            prefixes.setdefault(prefix, namespace)
    return prefixes


def _keyword_offsets(text: str) -> Iterator[int]:
    """The offsets in ``text`` where ``_PREFIX_KEYWORD`` (``prefix`` in any case) matches, in order.

    A case-insensitive pattern walks the whole text in Python's regular expression engine (0.4 s for 52 MB);
    a byte search in the text's UTF-8 with its ASCII letters lowered finds the same places in C (each found
    byte offset turned into the text's by decoding the bytes before it once). The two differ only for the
    dotted and dotless i (U+0130, U+0131), which the pattern takes for an ``i``: a text holding one is searched
    with the pattern."""
    if "\u0130" in text or "\u0131" in text:
        yield from (keyword.start() for keyword in _PREFIX_KEYWORD.finditer(text))
        return
    raw = text.encode("utf-8", "surrogatepass")
    lowered = raw.lower()  # ASCII letters only: a byte of a multi-byte character is never ASCII
    chars, done = 0, 0
    at = lowered.find(b"prefix")
    while at != -1:
        chars += len(raw[done:at].decode("utf-8", "surrogatepass"))
        done = at
        yield chars
        at = lowered.find(b"prefix", at + 1)


def _starts_with_term(text: str, spelling: str) -> bool:
    """Whether ``text`` starts with ``spelling`` as a whole term (followed by a space, ``;``, ``,`` or the end)."""
    if not text.startswith(spelling):
        return False
    rest = text[len(spelling) :]
    return not rest or rest[0] in " \t;,.[("


def _mentions(text: str, spelling: str) -> bool:
    """Whether ``text`` names ``spelling`` as a whole term."""
    return re.search(rf"(?<![\w:<]){re.escape(spelling)}(?![\w:-])", text) is not None
