"""Naming the records a report talks about: their labels, the file and line where they are written, their kind.

A data steward acts on "Example water committee (sald:example-water-committee), records.ttl:12", not on an IRI.
Labels come from the submission, the knowledge graph's description of what it points to, and the ontology (for
property and class names). Lines are found in the submitted text itself, since parsers do not keep positions:
the line where the record is written as a subject (its IRI, or any prefixed form of it the file declares), else
the first line that mentions it; a blank node is placed at the record that points to it, or on its own line where
``kgtool.validation.blank_places`` can tell it for sure.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox

from kgtool.rdf.locate import Locator
from kgtool.rdf.namespaces import RDFS_LABEL_NODE, SAL, SKOS_PREFLABEL_NODE, TYPE_NODE
from kgtool.validation.blank_places import BlankPlaces
from kgtool.validation.model import SEVERITIES, Record, Result, Subject
from kgtool.validation.submission import Submission
from kgtool.validation.workspace import Workspace


def iris_in(results: Iterable[Result], records: Iterable[Record] = ()) -> set[str]:
    """Every IRI a rendering may want a label for: records, properties, values, suggestions, kinds, parents."""
    iris: set[str] = set()
    for record in records:
        iris.update(iri for iri in (record.kind, record.parent_path) if iri)
        if isinstance(record.parent, ox.NamedNode):
            iris.add(record.parent.value)
    for result in results:
        for term in (result.focus, result.value):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
        if result.path and not result.path.startswith("<"):
            iris.add(result.path)
        if result.suggestion:
            iris.add(result.suggestion)
    return iris


def store_of(submission: Submission, context: list[ox.Triple], ontology_quads: list[ox.Quad]) -> ox.Store:
    """The submission, its context and the ontology in one store, for a ``View``."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in (*submission.triples, *context))
    store.extend(ontology_quads)
    return store


class View:
    """The submission, its context and the ontology together, to name and place the records of a report."""

    def __init__(self, submission: Submission | Workspace, store: ox.Store, blanks: BlankPlaces | None = None) -> None:
        self.submission = submission
        self.store = store
        # the whole submission's blank nodes (a part's store alone does not describe a blank node whole)
        self._blanks = blanks
        self._locator = Locator(submission.files)
        self._record = cache(self._describe)

    def labels(self, iris: Iterable[str]) -> dict[str, dict[str, str]]:
        """``rdfs:label`` (else ``skos:prefLabel``) of each IRI, by language; IRIs without a label are left out."""
        found = {}
        for iri in sorted(iris):
            if by_lang := self._labels_of(ox.NamedNode(iri)):
                found[iri] = by_lang
        return found

    def _labels_of(self, term: Subject) -> dict[str, str]:
        by_lang: dict[str, str] = {}
        for predicate in (RDFS_LABEL_NODE, SKOS_PREFLABEL_NODE):
            # Sorted: a record with two labels in one language is named the same way whatever the store's order.
            found = sorted(
                (q.object.language or "", q.object.value)
                for q in self.store.quads_for_pattern(term, predicate, None, None)
                if isinstance(q.object, ox.Literal)
            )
            for language, value in found:
                by_lang.setdefault(language, value)
        return by_lang

    def records(self, terms: Iterable[Subject]) -> dict[Subject, Record]:
        return {term: self._record(term) for term in terms}

    def sort_key(self, result: Result) -> tuple:
        """Results grouped by record in file order, worst severity first, then by property and value."""
        record = self._record(result.focus)
        place = self._record(record.parent) if record.parent is not None else record
        file_index = (
            self.submission.files.index(place.file)
            if place.file in self.submission.files
            else len(self.submission.files)
        )
        return (
            file_index,
            place.line or 0,
            self._order(place),
            record.parent is not None,
            self._order(record),
            SEVERITIES.index(result.severity),
            result.path or "",
            str(result.value or ""),
            result.shape,  # the rest only breaks ties, so that every engine gives one order
            result.component,
            sorted(result.messages.items()),
        )

    def _order(self, record: Record) -> tuple:
        """Where a record goes among those of one line: by IRI; a blank node (whose name changes at every parse)
        by what it is, its labels, where it hangs and the digest of its description (``BlankIds``), so that the
        order is the same at every run (its name last only keeps apart two nodes described alike)."""
        if isinstance(record.term, ox.BlankNode):
            digest = self._blanks.ids.digest(record.term) if self._blanks else ""
            labels = sorted(record.labels.items())
            return (True, record.kind or "", labels, record.parent_path or "", digest, str(record.term))
        return (False, "", [], "", "", str(record.term))

    def _describe(self, term: Subject) -> Record:
        kinds = sorted(
            q.object.value
            for q in self.store.quads_for_pattern(term, TYPE_NODE, None, None)
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(SAL)
        )
        parent, parent_path = None, None
        if isinstance(term, ox.BlankNode):
            parent, parent_path = self.submission.parent_of(term) or (None, None)
        file = self.submission.file_of(term)
        line = self.submission.csv_row(term)
        if line is None and file is not None and file not in self.submission.csv:
            if isinstance(term, ox.NamedNode):
                line = self._locator.line(file, term)
            elif self._blanks is not None and parent is None:  # a nested node is placed by its record
                line = self._blanks.line(file, term)
        kind = kinds[0] if kinds else None
        sheet = self.submission.csv_sheet(term)
        return Record(term, self._labels_of(term), file, line, kind, parent, parent_path, sheet)
