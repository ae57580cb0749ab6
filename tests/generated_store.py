"""A store of the benchmarks' seeded synthetic data (benchmarks/generate.py) beside the ontology: the same bytes
for the same size and seed, so tests see many rows without the paper's data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from kgtool.store import build as building
from kgtool.store.core import GRAPH_BASE

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def _generator():
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def build_generated_store(folder: Path, triples: int = 3_000, seed: int = 17) -> Path:
    """A store at ``folder/store``: the ontology and reference vocabularies, and ``triples`` synthetic triples."""
    data = folder / "synthetic.ttl"
    data.write_bytes(_generator().generate(triples, seed=seed).bytes)
    sources = [source for source in building.project_sources() if source.kind != "data"]
    sources.append(building.SourceFile("data", data, GRAPH_BASE + "benchmarks/synthetic.ttl"))
    store = folder / "store"
    building.build(store, sources=sources, keep_submissions=False)
    return store
