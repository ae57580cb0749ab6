"""The compiled shapes, kept on disk by the content of the shapes: compiled once, not at every validation.

Compiling kgtool's shapes takes about 50 ms, a good part of what an ingest of a hundred records may take; the
compiled program (its queries and what their results say) is written as JSON to
``$KGTOOL_CACHE_DIR`` (default ``$XDG_CACHE_HOME/kgtool``, else ``~/.cache/kgtool``) under the SHA-256 of the
shapes' files (names and bytes), the severities allowed and the compiler's version, and read back when they are
the same. A cache
that cannot be written or read is no error: the shapes are compiled again.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import InputError
from kgtool.files import write_atomically
from kgtool.rdf import ontology, resources
from kgtool.validation import compiled
from kgtool.validation.compiled.model import ShapesGraph
from kgtool.validation.compiled.program import Program, Rule
from kgtool.validation.compiled.sparqlc import SparqlQuery
from kgtool.validation.model import Shapes

#: Changes whenever the compiler writes other queries for the same shapes.
COMPILER_VERSION = "3"
CACHE_ENV = "KGTOOL_CACHE_DIR"


def folder() -> Path:
    """Where compiled shapes are kept."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kgtool"


def ontology_ntriples(ontology_dir: Path | None = None) -> bytes:
    """The ontology (with its local imports) as N-Triples, for loading into a store in one call; kept in the
    cache by the digest of the ontology's files."""
    folder_ = Path(ontology_dir) if ontology_dir else resources.folder("ontology")
    files = sorted(folder_.glob("*.ttl")) if folder_.is_dir() else [folder_, *sorted(folder_.parent.glob("*.ttl"))]
    digest = hashlib.sha256(COMPILER_VERSION.encode())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0" + path.read_bytes() + b"\0")
    kept = folder() / f"ontology-{digest.hexdigest()[:24]}.nt"
    with suppress(OSError):
        return kept.read_bytes()
    quads = ontology.load(ontology_dir)
    text = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    with suppress(OSError):
        _atomic_write(kept, text)
    return text


def program(shapes_graph: Shapes, lenient: frozenset[str]) -> Program:
    """The compiled program of ``shapes_graph``, from the cache when it holds it (else compiled and kept)."""
    # The files' digest: the quads' blank nodes are named anew at every parse, so they cannot be the key.
    content = shapes_graph.digest.encode() or ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in shapes_graph.quads], format=ox.RdfFormat.N_TRIPLES
    )
    key = hashlib.sha256(b"\0".join([COMPILER_VERSION.encode(), *sorted(s.encode() for s in lenient), content]))
    key = key.hexdigest()
    path = folder() / f"shapes-{key[:24]}.json"
    try:
        return _read(path, shapes_graph, lenient)
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        pass
    found = compiled.compile_program(shapes_graph.quads, lenient)
    with suppress(OSError):  # an unwritable cache: compiled again next time
        _write(path, found)
    return found


def _write(path: Path, found: Program) -> None:
    data = {
        "rules": [_rule_json(rule) for rule in found.rules],
        "fallback": [[_json(node), reason] for node, reason in found.fallback.items()],
        "target_sets": [[[kind, _json(term)] for kind, term in targets] for targets in found.target_sets],
    }
    _atomic_write(path, json.dumps(data).encode())


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a reader sees the old file, the new one, or none); OSError if the
    cache folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomically(path, data, "the compiled shapes")
    except InputError as error:
        raise OSError(str(error)) from error


def _rule_json(rule: Rule) -> dict:
    return {
        "shape": _json(rule.shape),
        "component": rule.component,
        "severity": rule.severity,
        "messages": [_json(m) for m in rule.messages],
        "path": rule.path,
        "path_triples": [[_json(t.subject), _json(t.predicate), _json(t.object)] for t in rule.path_triples],
        "query": rule.query,
        "value": rule.value,
        "path_variable": rule.path_variable,
        "source_constraint": _json(rule.source_constraint) if rule.source_constraint is not None else None,
        "sparql": [rule.sparql.text, rule.sparql.projects_this, list(rule.sparql.variables)] if rule.sparql else None,
        "node_shape": rule.node_shape,
        "components": list(rule.components),
    }


def _read(path: Path, shapes_graph: Shapes, lenient: frozenset[str]) -> Program:
    data = json.loads(path.read_text(encoding="utf-8"))
    rules = [
        Rule(
            shape=_term(item["shape"]),
            component=item["component"],
            severity=item["severity"],
            messages=tuple(_term(m) for m in item["messages"]),
            path=item["path"],
            path_triples=tuple(ox.Triple(*map(_term, triple)) for triple in item["path_triples"]),
            query=item["query"],
            value=item["value"],
            path_variable=item["path_variable"],
            source_constraint=_term(item["source_constraint"]) if item["source_constraint"] else None,
            sparql=SparqlQuery(item["sparql"][0], item["sparql"][1], tuple(item["sparql"][2]))
            if item["sparql"]
            else None,
            node_shape=item["node_shape"],
            components=tuple(item["components"]),
        )
        for item in data["rules"]
    ]
    fallback = {_term(node): reason for node, reason in data["fallback"]}
    graph = ShapesGraph(shapes_graph.quads) if fallback else ShapesGraph([])
    target_sets = [tuple((kind, _term(term)) for kind, term in targets) for targets in data["target_sets"]]
    return Program(rules, fallback, graph, lenient, target_sets)


def _json(term) -> list:
    """An RDF term as JSON: ``["iri", value]``, ``["blank", id]`` or ``["literal", value, language, datatype]``."""
    if isinstance(term, ox.NamedNode):
        return ["iri", term.value]
    if isinstance(term, ox.BlankNode):
        return ["blank", term.value]
    return ["literal", term.value, term.language, term.datatype.value]


def _term(item: list):
    """An RDF term from its JSON form (``_json``)."""
    if item[0] == "iri":
        return ox.NamedNode(item[1])
    if item[0] == "blank":
        return ox.BlankNode(item[1])
    if item[2]:
        return ox.Literal(item[1], language=item[2])
    return ox.Literal(item[1], datatype=ox.NamedNode(item[3]))
