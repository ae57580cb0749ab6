"""The line of a blank-node record in its file, where it can be known for sure; else none.

The parse that validation works on names every blank node anew (``rename_blank_nodes``), so a node cannot be found
in the text by its name. The file is read again, keeping the names it writes (``_:b1``), into a store of its own;
a node there and the node validated are the same when their digests (``BlankIds``: what the file says about
them) are equal, and the digest is not another node's of that file. Its line is then

- for a node the file names (``_:b1``) and no statement has as value, the first statement that has it as subject;
- for an anonymous one (``[] a sal:StrategicAlliance ; …``) written as a statement's subject, the line of that
  statement: the statements with an anonymous subject (``kgtool.rdf.subjects``), in the order written, are paired
  with the blank nodes the parser makes for them and that nothing points to, in the order made, and only when
  the two counts agree.

Turtle, TriG, N-Triples and N-Quads (by the file's suffix), up to ``MAX_BYTES``; any other file, a file the
scanner does not follow, a node described as another is, or a node nested in a record: no line.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgtool.rdf.subjects import subjects
from kgtool.validation.blank_ids import BlankIds

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
#: The largest file read a second time for its blank nodes' lines. Measured: 6.6 MB of Turtle with 50,000
#: anonymous records (each with a nested node) placed in 5-8 s at load 4.5, against 33 s for its validation.
MAX_BYTES = 8_000_000


class BlankPlaces:
    """``places.line(file, node)``: the line of a blank node of the submission (``ids`` gives its digest)."""

    def __init__(self, ids: BlankIds) -> None:
        self.ids = ids
        self._lines: dict[Path, dict[str, int]] = {}

    def line(self, file: Path, node: ox.BlankNode) -> int | None:
        if file not in self._lines:
            self._lines[file] = _lines_by_digest(file)
        return self._lines[file].get(self.ids.digest(node))


def _lines_by_digest(file: Path) -> dict[str, int]:
    """The line of each blank node of ``file`` that can be placed, by its digest."""
    fmt = _FORMATS.get(file.suffix.lower())
    if fmt is None or not file.is_file() or file.stat().st_size > MAX_BYTES:
        return {}
    from kgtool.files import read_input

    data = read_input(file)
    written = subjects(data.decode("utf-8-sig", errors="replace"))
    if written is None:
        return {}
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=file.resolve().as_uri(), rename_blank_nodes=False))
    except (SyntaxError, ValueError, OSError):
        return {}
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    values = {q.object for q in quads if isinstance(q.object, ox.BlankNode)}
    # Only nodes nothing points to: a node described alike has no value pointing to it either, so these are all
    # the nodes whose digest could be a placed node's (and a nested node is placed by its record).
    tops = {q.subject for q in quads if isinstance(q.subject, ox.BlankNode) and q.subject not in values}
    placed = _named_lines(tops, written) | _anonymous_lines(quads, tops, written)
    ids = BlankIds(store)
    digests: dict[str, list[ox.BlankNode]] = {}
    for node in tops:
        digests.setdefault(ids.digest(node), []).append(node)
    return {digest: placed[nodes[0]] for digest, nodes in digests.items() if len(nodes) == 1 and nodes[0] in placed}


def _named_lines(tops: set[ox.BlankNode], written) -> dict[ox.BlankNode, int]:
    """``_:b1`` nodes: the line of the first statement written with it as subject."""
    first: dict[str, int] = {}
    for subject in written:
        if subject.token.startswith("_:"):
            first.setdefault(subject.token[2:], subject.line)
    return {node: first[node.value] for node in tops if node.value in first}


def _anonymous_lines(quads: list[ox.Quad], tops: set[ox.BlankNode], written) -> dict[ox.BlankNode, int]:
    """Anonymous subjects (``[ … ]`` and collections), paired in order with the parser's unnamed nodes that are
    subjects and never values; only ``[`` ones are records, and only when the counts agree."""
    anonymous = [subject for subject in written if subject.token in ("[", "(")]
    named = {subject.token[2:] for subject in written if subject.token.startswith("_:")}
    made: dict[ox.BlankNode, None] = {}  # in the order made
    for quad in quads:
        if quad.subject in tops and quad.subject.value not in named:
            made.setdefault(quad.subject)
    if len(made) != len(anonymous):
        return {}
    return {node: subject.line for node, subject in zip(made, anonymous, strict=True) if subject.token == "["}
