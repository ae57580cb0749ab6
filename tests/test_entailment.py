"""RDFS entailments in their own graph: one's own query sees a mining company as an actor without property paths.

A researcher writes ``?x a sal:Actor`` (not ``a/rdfs:subClassOf* sal:Actor``) and expects every company, NGO
and government; ``?alliance org:hasMember ?x`` and expects the partners (``sal:hasPartner`` is a sub-property).
The store holds those entailments in ``https://w3id.org/sal/graph/entailed``, each once (never beside the same
asserted triple), kept current by ``build``, ``ingest`` and ``retract``, and exported like every graph, so any
SPARQL engine answers alike.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import ROOT, run_kgtool

ENTAILED = "https://w3id.org/sal/graph/entailed"
ACTORS = "SELECT ?x WHERE { ?x a sal:Actor }"
ACTORS_BY_PATH = "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* sal:Actor }"


def own_query(tmp_path: Path, store: Path, text: str, name: str = "mine.rq") -> list[dict[str, str]]:
    """Run one's own .rq file as a researcher would, the rows as CSV dicts."""
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    done = run_kgtool("query", str(path), "--store", str(store), "--format", "csv")
    assert done.code == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_a_plain_type_query_finds_every_actor_once(tmp_path: Path, store_dir: Path):
    plain = [row["x"] for row in own_query(tmp_path, store_dir, ACTORS)]
    by_path = {row["x"] for row in own_query(tmp_path, store_dir, ACTORS_BY_PATH, "path.rq")}

    assert "https://w3id.org/sal/id/newmont" in plain  # asserted a sal:MiningCompany only
    assert sorted(plain) == sorted(by_path)  # every actor, and none twice


def test_a_super_property_holds_the_values_of_its_sub_properties(tmp_path: Path):
    place = tmp_path / "synthetic-place.ttl"  # a place stated in a country with the sub-property only (synthetic)
    place.write_text(
        "@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .\n"
        "sald:synthetic-entailed-place a sal:Place ; sal:inCountry sald:peru .\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert run_kgtool("build", "--data", str(ROOT / "data"), "--data", str(place), "--store", str(store)).code == 0
    rows = own_query(tmp_path, store, "SELECT ?place WHERE { ?place sal:locatedIn sald:peru }")
    assert "https://w3id.org/sal/id/synthetic-entailed-place" in [row["place"] for row in rows]
    rows = own_query(tmp_path, store, "SELECT ?x WHERE { ?x a org:Organization }", "aligned.rq")
    assert rows == []  # the alignment classes are not materialized: README says to walk rdfs:subClassOf* for them


def test_build_says_how_many_entailments_it_stored(tmp_path: Path):
    built = run_kgtool("build", "--store", str(tmp_path / "store"))
    assert built.code == 0, built.stderr
    (line,) = [line for line in built.stdout.splitlines() if "entailed" in line]
    assert ENTAILED in line and int(line.split()[1]) > 0


SUBMISSION = """@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dcterms: <http://purl.org/dc/terms/> .
sald:src-synthetic-entailment a sal:Source ; rdfs:label "Synthetic source"@en , "Fuente sintética"@es ;
  dcterms:title "Synthetic source" .
sald:synthetic-entailment-ngo a sal:NGO ; rdfs:label "Synthetic NGO for entailment"@en ,
  "ONG sintética"@es ; sal:basedIn sald:region-cusco ; sal:citesSource sald:src-synthetic-entailment .
sald:newmont a sal:Actor .
"""


def test_ingest_and_retract_keep_the_entailments_current(tmp_path: Path, fresh_store: Path):
    records = tmp_path / "records.ttl"
    records.write_text(SUBMISSION, encoding="utf-8")
    ingested = run_kgtool("ingest", str(records), "--submitter", "Synthetic", "--store", str(fresh_store))
    assert ingested.code == 0, ingested.stdout + ingested.stderr
    submission = ingested.stdout.split("Ingested submission ")[1].split(":")[0]

    actors = [row["x"] for row in own_query(tmp_path, fresh_store, ACTORS)]
    assert "https://w3id.org/sal/id/synthetic-entailment-ngo" in actors  # entailed with the submission
    assert actors.count("https://w3id.org/sal/id/newmont") == 1  # asserted now, so no longer entailed too
    assert sorted(actors) == sorted(row["x"] for row in own_query(tmp_path, fresh_store, ACTORS_BY_PATH, "p.rq"))

    assert run_kgtool("retract", submission, "--store", str(fresh_store)).code == 0
    actors = [row["x"] for row in own_query(tmp_path, fresh_store, ACTORS)]
    assert "https://w3id.org/sal/id/synthetic-entailment-ngo" not in actors
    assert actors.count("https://w3id.org/sal/id/newmont") == 1  # entailed again from its asserted kind


def test_another_engine_sees_the_entailments_in_an_export(tmp_path: Path, store_dir: Path):
    import rdflib

    exported = tmp_path / "kg.nq"
    done = run_kgtool("export", "--store", str(store_dir), "--format", "nquads", "--output", str(exported))
    assert done.code == 0, done.stderr
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(exported, format="nquads")
    rows = dataset.query("SELECT DISTINCT ?x WHERE { ?x a <https://w3id.org/sal#Actor> }")
    assert rdflib.URIRef("https://w3id.org/sal/id/newmont") in {row[0] for row in rows}


#: New records (an NGO, a partnership stated through a sub-property) beside an existing record given a new kind and
#: a sub-property value: the entailments of both kinds of subject.
MIXED = (
    SUBMISSION
    + """sald:synthetic-entailment-alliance a sal:StrategicAlliance ;
  rdfs:label "Synthetic alliance for entailment"@en , "Alianza sintética"@es ;
  sal:hasPartner sald:synthetic-entailment-ngo , sald:newmont ; sal:citesSource sald:src-synthetic-entailment .
"""
)


def test_an_ingest_leaves_the_entailments_a_rebuild_computes(tmp_path: Path, fresh_store: Path):
    """What ``ingest`` adds to the entailed graph (consequences looked up only for records the store knows) is
    exactly what recomputing the whole graph from the store gives."""
    import pyoxigraph as ox

    from kgtool.store import entailment
    from kgtool.store.core import opened

    records = tmp_path / "records.ttl"
    records.write_text(MIXED, encoding="utf-8")
    ingested = run_kgtool("ingest", str(records), "--submitter", "Synthetic", "--store", str(fresh_store))
    assert ingested.code == 0, ingested.stdout + ingested.stderr
    graph = ox.NamedNode(ENTAILED)
    with opened(fresh_store) as store:
        kept = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
        entailment.rebuild(store)
        rebuilt = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
    del store
    new = ox.NamedNode("https://w3id.org/sal/id/synthetic-entailment-ngo")
    assert any(s == new for s, _, _ in kept)  # the new records' entailments are there
    assert kept == rebuilt
