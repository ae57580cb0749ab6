"""Names for the blank nodes a report talks about that are the same at every run: ``_:`` and a digest of what
the submission says about the node.

A parser names a blank node anew at every parse (``_:c170f348…``), so a report that showed that name could not be
compared with the next one, nor a record be found by it twice. The id here is the first 16 hexadecimal digits of
the SHA-256 of the node's description in the submission: its statements (property and value, a blank node value
by its own statements, a few levels deep) and the statements that point to it (property and subject, a blank
node subject by its statements), sorted. It depends on neither the parser nor the engine; it changes when the
record does. Two blank nodes described alike (a record stated twice) share the digest and are told apart by a
suffix ``-2``, ``-3`` …, in the order the report names them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kgtool.validation.model import Result

#: How deep blank node values are followed in a description: deep enough to tell records apart, bounded so that
#: a long list or chain costs little.
DEPTH = 4


class BlankIds:
    """The digest of each blank node of a submission (``ids.digest(node)``), from the store that holds its
    triples, and the ids of the blank nodes of a report (``ids.assign(nodes)``)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._digests: dict[ox.BlankNode, str] = {}

    def digest(self, node: ox.BlankNode) -> str:
        if node not in self._digests:
            incoming = sorted(
                f"^{quad.predicate} {self._form(quad.subject, DEPTH, {node})}"
                for quad in self._store.quads_for_pattern(None, None, node, None)
            )
            text = "\n".join([*self._statements(node, DEPTH, {node}), *incoming])
            self._digests[node] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        return self._digests[node]

    def assign(self, nodes: Iterable[ox.BlankNode]) -> dict[ox.BlankNode, str]:
        """The id of each of ``nodes``, given in report order: the digest, with ``-2``, ``-3`` … for the second and
        later nodes of the same digest (nodes described alike, so that which is which cannot be seen)."""
        ids: dict[ox.BlankNode, str] = {}
        taken: dict[str, int] = {}
        for node in nodes:
            if node not in ids:
                digest = self.digest(node)
                taken[digest] = taken.get(digest, 0) + 1
                ids[node] = digest if taken[digest] == 1 else f"{digest}-{taken[digest]}"
        return ids

    def _statements(self, node: ox.BlankNode, depth: int, seen: set[ox.BlankNode]) -> list[str]:
        quads = self._store.quads_for_pattern(node, None, None, None)
        return sorted({f"{q.predicate} {self._form(q.object, depth, seen)}" for q in quads})

    def _form(self, term, depth: int, seen: set[ox.BlankNode]) -> str:
        """A term as a description shows it: IRIs and literals in N-Triples, a blank node by its statements."""
        if not isinstance(term, ox.BlankNode):
            return str(term)
        if depth == 0 or term in seen:
            return "[]"
        return "[" + "; ".join(self._statements(term, depth - 1, seen | {term})) + "]"


def in_report(results: Iterable[Result], records: dict) -> Iterator[ox.BlankNode]:
    """The blank nodes a report names, in its order: each result's record, the record it hangs from, its value."""
    for result in results:
        record = records.get(result.focus)
        for term in (result.focus, record.parent if record else None, result.value):
            if isinstance(term, ox.BlankNode):
                yield term
