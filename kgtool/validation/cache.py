"""The compiled shapes, kept on disk by the content of the shapes: compiled once, not at every validation.

Compiling kgtool's shapes takes about 50 ms, a good part of what an ingest of a hundred records may take; the
compiled program (its queries and what their results say) is written as JSON to
``$KGTOOL_CACHE_DIR`` (default ``$XDG_CACHE_HOME/kgtool``, else ``~/.cache/kgtool``) under the SHA-256 of the
shapes' quads, the severities allowed and the compiler's version, and read back when they are the same. A cache
that cannot be written or read is no error: the shapes are compiled again.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path

import pyoxigraph as ox

from kgtool.rdf import ontology
from kgtool.validation import compiled
from kgtool.validation.compiled.model import ShapesGraph
from kgtool.validation.compiled.program import Program, Rule
from kgtool.validation.compiled.sparqlc import SparqlQuery
from kgtool.validation.model import Shapes

#: Changes whenever the compiler writes other queries for the same shapes.
COMPILER_VERSION = "1"
CACHE_ENV = "KGTOOL_CACHE_DIR"


def folder() -> Path:
    """Where compiled shapes are kept."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kgtool"


def ontology_ntriples(ontology_dir: Path | None = None) -> bytes:
    """The ontology (with its local imports) as N-Triples, for loading into a store in one call."""
    quads = ontology.load(ontology_dir)
    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)


def program(shapes_graph: Shapes, lenient: frozenset[str]) -> Program:
    """The compiled program of ``shapes_graph``, from the cache when it holds it (else compiled and kept)."""
    text = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in shapes_graph.quads], format=ox.RdfFormat.N_TRIPLES
    )
    key = hashlib.sha256(
        b"\0".join([COMPILER_VERSION.encode(), *sorted(s.encode() for s in lenient), text])
    ).hexdigest()
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
        "fallback": [[str(node), reason] for node, reason in found.fallback.items()],
        "target_sets": [[[kind, str(term)] for kind, term in targets] for targets in found.target_sets],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(data), encoding="utf-8")
    partial.replace(path)  # atomic: a reader sees the whole program or none


def _rule_json(rule: Rule) -> dict:
    return {
        "shape": str(rule.shape),
        "component": rule.component,
        "severity": rule.severity,
        "messages": [str(m) for m in rule.messages],
        "path": rule.path,
        "path_triples": [f"{t.subject} {t.predicate} {t.object} ." for t in rule.path_triples],
        "query": rule.query,
        "value": rule.value,
        "path_variable": rule.path_variable,
        "source_constraint": str(rule.source_constraint) if rule.source_constraint is not None else None,
        "sparql": [rule.sparql.text, rule.sparql.projects_this, list(rule.sparql.variables)] if rule.sparql else None,
        "node_shape": rule.node_shape,
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
            path_triples=tuple(
                ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse("\n".join(item["path_triples"]), format=ox.RdfFormat.N_TRIPLES)
            ),
            query=item["query"],
            value=item["value"],
            path_variable=item["path_variable"],
            source_constraint=_term(item["source_constraint"]) if item["source_constraint"] else None,
            sparql=SparqlQuery(item["sparql"][0], item["sparql"][1], tuple(item["sparql"][2]))
            if item["sparql"]
            else None,
            node_shape=item["node_shape"],
        )
        for item in data["rules"]
    ]
    fallback = {_term(node): reason for node, reason in data["fallback"]}
    graph = ShapesGraph(shapes_graph.quads) if fallback else ShapesGraph([])
    target_sets = [tuple((kind, _term(term)) for kind, term in targets) for targets in data["target_sets"]]
    return Program(rules, fallback, graph, lenient, target_sets)


def _term(text: str):
    """An RDF term from its N-Triples form."""
    return next(iter(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object
