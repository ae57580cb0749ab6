"""One "did you mean" for every command: the known terms nearest to what a person typed.

People name things by their words (``poverty reduction``, ``Apurímac``, ``local communities``) or misspell an IRI
(``sal:hasPartnr``, ``sal:PovertyReductionStrategy``). Every command that takes a term — ``validate`` (unknown
``sal:`` terms, unknown references), CSV and workbook reading, ``query`` parameters, query names, the terms of
one's own SPARQL — asks this module, so a suggestion reads the same everywhere and is found the same way:

- a term is known by its local name and by its ``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel`` in every
  language (English and Spanish here), compared without case, accents or punctuation (``PovertyReduction``,
  ``poverty-reduction`` and ``Reducción de la pobreza`` all name ``sal:PovertyReduction``);
- the caller restricts the candidates to what the position allows (the property's range, the parameter's type),
  so a misspelt project status is never answered with a country (``underway`` → ``sal:Underway``, not
  ``sald:norway``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.rdf.namespaces import LABEL_PREDICATES, RDFS_SUBCLASS_OF, SKOS

#: The predicates whose literals name a term.
NAME_PREDICATES = (*LABEL_PREDICATES, SKOS + "altLabel")
#: How alike two names must read (difflib's ratio) to be suggested.
CUTOFF = 0.6
#: Suggestions beyond the first must read about as near as it (within this much of its ratio).
MARGIN = 0.05

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def words(text: str) -> str:
    """What a name says, for comparing: ``sal:PovertyReductionStrategy`` -> ``poverty reduction strategy``,
    ``Reducción de la pobreza`` -> ``reduccion de la pobreza``, ``region-apurimac`` -> ``region apurimac``."""
    text = local_name(text.strip())
    text = _CAMEL.sub(" ", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_WORD.sub(" ", text).strip()


def local_name(text: str) -> str:
    """The part of an IRI or CURIE after its namespace (``https://w3id.org/sal#NGO`` -> ``NGO``); words as they are."""
    if " " in text.strip():
        return text
    for separator in ("#", "/"):
        if separator in text and "://" in text:
            text = text.rsplit(separator, 1)[-1] or text
    prefix, colon, local = text.partition(":")
    return local if colon and prefix.isidentifier() and not local.startswith("//") else text


@dataclass(frozen=True)
class Candidate:
    """A known term and the names it goes by (already reduced to ``words``)."""

    iri: str
    names: frozenset[str]


class Nearest:
    """The known terms of one position, searchable by any of their names."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = {candidate.iri: candidate for candidate in candidates}
        self._iris_by_name: dict[str, list[str]] = {}
        for iri in sorted(self.candidates):
            for name in sorted(self.candidates[iri].names):
                self._iris_by_name.setdefault(name, []).append(iri)

    def __len__(self) -> int:
        return len(self.candidates)

    def __contains__(self, iri: object) -> bool:
        return iri in self.candidates

    def iris(self) -> list[str]:
        return sorted(self.candidates)

    def named(self, text: str) -> list[str]:
        """The terms one of whose names is exactly ``text`` (case, accents and punctuation aside)."""
        return list(self._iris_by_name.get(words(text), []))

    def suggest(self, text: str, limit: int = 1, cutoff: float = CUTOFF) -> list[str]:
        """Up to ``limit`` terms whose names read most like ``text``, best first; none below ``cutoff``."""
        wanted = words(text)
        if not wanted:
            return []
        exact = self.named(text)
        if exact:
            return exact[:limit]
        scored: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(b=wanted, autojunk=False)
        for name, iris in self._iris_by_name.items():
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            score = matcher.ratio()
            if score >= cutoff:
                for iri in iris:
                    scored[iri] = max(score, scored.get(iri, 0.0))
        ranked = sorted(scored, key=lambda iri: (-scored[iri], iri))
        # only the ones about as near as the nearest: a clear winner is named alone
        return [iri for iri in ranked[:limit] if scored[iri] >= scored[ranked[0]] - MARGIN]

    def best(self, text: str) -> str | None:
        """The nearest term, however far: for a message that must name one (the position's own terms only)."""
        found = self.suggest(text) or self.suggest(text, cutoff=0.0)
        return found[0] if found else None


def from_names(names: dict[str, Iterable[str]]) -> Nearest:
    """Terms given as IRI (or any key, e.g. a query name) -> their names; the key's local name counts too."""
    return Nearest(
        Candidate(key, frozenset(w for w in (words(key), *map(words, texts)) if w)) for key, texts in names.items()
    )


def from_quads(quads: Iterable[ox.Quad | ox.Triple], keep: Sequence[str] | None = None) -> Nearest:
    """Every IRI subject of ``quads`` (or only those in ``keep``) with the names the quads give it."""
    names: dict[str, set[str]] = {}
    wanted = set(keep) if keep is not None else None
    for quad in quads:
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        iri = quad.subject.value
        if wanted is not None and iri not in wanted:
            continue
        entry = names.setdefault(iri, set())
        if quad.predicate.value in NAME_PREDICATES and isinstance(quad.object, ox.Literal):
            entry.add(quad.object.value)
    for iri in wanted or ():
        names.setdefault(iri, set())
    return from_names(names)


def members_query(classes: Sequence[str], namespaces: Sequence[str] = (), closed: bool = False) -> str:
    """SPARQL: the IRIs typed with one of ``classes`` (or a subclass; ``closed``: the list already holds every
    subclass, as for a store that has no ontology), or every IRI subject in ``namespaces`` when no class is given,
    each with its names. Works on the store and on any SPARQL endpoint."""
    names = " ".join(f"<{p}>" for p in NAME_PREDICATES)
    if classes:
        values = " ".join(f"<{c}>" for c in classes)
        path = "a" if closed else f"a/<{RDFS_SUBCLASS_OF}>*"
        selection = f"VALUES ?class {{ {values} }} ?x {path} ?class ."
    else:
        starts = " || ".join(f'STRSTARTS(STR(?x), "{n}")' for n in namespaces) or "true"
        selection = f"{{ SELECT DISTINCT ?x WHERE {{ ?x ?anything ?value FILTER (isIRI(?x) && ({starts})) }} }}"
    return (
        f"SELECT DISTINCT ?x ?name WHERE {{ {selection} FILTER isIRI(?x) "
        f"OPTIONAL {{ VALUES ?naming {{ {names} }} ?x ?naming ?name FILTER isLiteral(?name) }} }}"
    )


def from_rows(rows: Iterable[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]) -> Nearest:
    """A Nearest from the rows of ``members_query``."""
    names: dict[str, set[str]] = {}
    for row in rows:
        entry = names.setdefault(row["x"].value, set())
        if "name" in row:
            entry.add(row["name"].value)
    return from_names(names)


def from_store(store: ox.Store, classes: Sequence[str] = (), namespaces: Sequence[str] = ()) -> Nearest:
    """The members of ``classes`` (or the IRIs of ``namespaces``) in an open store, with their names."""
    solutions = store.query(members_query(classes, namespaces), use_default_graph_as_union=True)
    return from_rows({v.value: s[v] for v in solutions.variables if s[v] is not None} for s in solutions)
