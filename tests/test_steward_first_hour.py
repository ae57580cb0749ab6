"""A data steward's first hour (issue 20): sending files twice, correcting a submission, listing and retracting,
and CSV templates with every mistake found in one run, each with the nearest value its column allows.

Each test is the command a steward types, the message they see, and what they do next.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from conftest import ROOT, run_kgtool
from kgtool.store import submissions

EXAMPLES = ROOT / "data" / "examples"
WATER = EXAMPLES / "water-alliance.ttl"


def ingest(store: Path, *files: Path, who: str = "Synthetic NGO"):
    return run_kgtool("ingest", *map(str, files), "--submitter", who, "--store", str(store))


def quad_count(store: Path) -> int:
    return len(ox.Store(str(store)))


def submission_id(done) -> str:
    return re.search(r"Ingested submission ([0-9a-f]{16})", done.stdout).group(1)


def test_the_same_files_twice_are_recognised_before_validation(fresh_store: Path):
    first = ingest(fresh_store, WATER)
    assert first.code == 0, first.stdout + first.stderr
    size = quad_count(fresh_store)

    again = ingest(fresh_store, WATER, who="Someone else")

    assert again.code == 0, again.stdout + again.stderr
    assert f"Already in the store: submission {submission_id(first)}, the same files" in again.stdout
    assert "by Synthetic NGO" in again.stdout and "Violation" not in again.stdout
    assert quad_count(fresh_store) == size
    assert len(submissions.listing(fresh_store)) == 1
    # validate says it too, and checks the files without their stored copy (no budget "twice")
    checked = run_kgtool("validate", str(WATER), "--store", str(fresh_store))
    assert checked.code == 0, checked.stdout
    assert f"These files are submission {submission_id(first)}, already in the store" in checked.stdout


def test_a_corrected_submission_shows_the_stored_value_where_it_is_and_how_to_resolve_it(
    tmp_path: Path, fresh_store: Path
):
    first = ingest(fresh_store, WATER)
    stored = submission_id(first)
    corrected = tmp_path / "water-alliance-corrected.ttl"
    corrected.write_text(WATER.read_text(encoding="utf-8").replace("120000.00", "150000.00"), encoding="utf-8")

    refused = ingest(fresh_store, corrected)

    assert refused.code == 1 and "Not ingested" in refused.stdout
    assert "budget (sal:budget)" in refused.stdout
    assert f'already holds [schema:currency "PEN"; schema:value "120000" (xsd:decimal)], from submission {stored}' in (
        refused.stdout
    )
    assert f"retract it first (kgtool retract {stored})" in refused.stdout
    # what the steward does next: retract the old one by the start of its id, then send the correction
    retracted = run_kgtool("retract", stored[:6], "--store", str(fresh_store))
    assert retracted.code == 0 and f"Retracted submission {stored}" in retracted.stdout
    accepted = ingest(fresh_store, corrected)
    assert accepted.code == 0 and "Ingested submission" in accepted.stdout
    twice = run_kgtool("retract", stored, "--store", str(fresh_store))
    assert twice.code == 2
    expected = rf"kgtool: error: submission {stored} was already retracted at \S+; nothing to do\n"
    assert re.fullmatch(expected, twice.stderr)


def _ids_sharing_a_start(tmp_path: Path) -> tuple[Path, Path, str]:
    """Two synthetic one-record submissions whose ids start alike (found by trying contents)."""
    seen: dict[str, Path] = {}
    for number in range(400):
        path = tmp_path / f"synthetic-{number}.ttl"
        path.write_text(
            "@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dcterms: <http://purl.org/dc/terms/> .\n"
            f'sald:src-synthetic-{number} a sal:Source ; rdfs:label "Synthetic source {number}"@en , '
            f'"Fuente sintética {number}"@es ; dcterms:title "Synthetic source {number}" .\n',
            encoding="utf-8",
        )
        start = submissions.submission_id([submissions.SubmittedFile.of(path)])[:2]
        if start in seen:
            return seen[start], path, start
        seen[start] = path
    raise AssertionError("no two ids share their first two characters")


def test_submissions_never_wrap_an_id_and_retract_takes_a_unique_start(tmp_path: Path, fresh_store: Path):
    one, two, start = _ids_sharing_a_start(tmp_path)
    ids = [submission_id(ingest(fresh_store, path)) for path in (one, two)]

    listed = run_kgtool("submissions", "--store", str(fresh_store), env={"COLUMNS": "80"})

    assert listed.code == 0
    assert re.findall(r"^([0-9a-f]{16})  ", listed.stdout, re.MULTILINE) == ids  # each id whole, first on its line
    assert all(len(line) <= 80 for line in listed.stdout.splitlines() if re.match(r"[0-9a-f]{16}", line))
    ambiguous = run_kgtool("retract", start, "--store", str(fresh_store))
    assert ambiguous.code == 2 and all(found in ambiguous.stderr for found in ids)
    assert "give more of the id" in ambiguous.stderr
    assert run_kgtool("retract", ids[1][:8], "--store", str(fresh_store)).code == 0


PROJECTS = """id,kind,label_en,label_es,sector,status,completion_percent,located_in,budget_amount,budget_currency,\
beneficiaries,funded_by,executed_by,strategy,source
ID,TYPE sal:Project,LABEL@en,LABEL@es,AI sal:projectSector SPLIT=;,AI sal:projectStatus,AT sal:completion^^xsd:decimal,\
AI sal:locatedIn SPLIT=;,AT sal:budget>sal:MonetaryAmount>schema:value^^xsd:decimal,\
A sal:budget>sal:MonetaryAmount>schema:currency,AT sal:beneficiaryCount^^xsd:nonNegativeInteger,\
AI sal:fundedBy SPLIT=;,AI sal:executedBy SPLIT=;,AI sal:underStrategy SPLIT=;,AI sal:citesSource SPLIT=;
synthetic-project-one,Project,Synthetic project one,Proyecto sintético uno,,sal:Underway,50,Apurímac,,,,,,\
poverty reduction,src-arbaiza-paper
synthetic-project-two,Project,Synthetic project two,Proyecto sintético dos,,Under way,50,region-cusco,,,,,,\
sal:PovertyReduction,src-arbaiza-paper
synthetic-project-three,Project,Synthetic project three,Proyecto sintético tres,,underway,50,region-cusco,,,,,,\
poverty-reduction,src-arbaiza-paper
"""
ATTRIBUTIONS = """id,kind,label_en,label_es,alliance,holder,legitimacy,granted_by,evidence,source
ID,TYPE sal:LegitimacyAttribution,LABEL@en,LABEL@es,AI sal:attributionOf,AI sal:legitimacyHolder,\
AI sal:legitimacyType,AI sal:grantedBy SPLIT=;,A sal:evidence@en,AI sal:citesSource SPLIT=;
synthetic-attribution,LegitimacyAttribution,Synthetic attribution,Atribución sintética,\
newmont-buenaventura-ifc-alliance,newmont,sal:SocialLegitimacy,local communities,Synthetic evidence.,src-arbaiza-paper
"""


def test_every_csv_problem_in_one_run_each_with_the_nearest_allowed_value(tmp_path: Path):
    projects, attributions = tmp_path / "projects.csv", tmp_path / "attributions.csv"
    projects.write_text(PROJECTS, encoding="utf-8")
    attributions.write_text(ATTRIBUTIONS, encoding="utf-8")

    done = run_kgtool("validate", str(projects), str(attributions), env={"KGTOOL_STORE": ""}, cwd=ROOT)

    assert done.code == 2 and "Traceback" not in done.stderr
    (error,) = done.stderr.splitlines()  # one line on stderr; the problems themselves on stdout, one per line
    assert error == "kgtool: error: 6 problems in the CSV templates, each on its line above (FILE:ROW:COLUMN)"
    expected = {
        f"{projects}:3:located_in": "did you mean region-apurimac?",
        f"{projects}:3:strategy": "did you mean sal:PovertyReduction?",
        f"{projects}:4:status": "did you mean sal:Underway?",
        # a slug reads as a record (sald:underway), but this column takes only the ontology's terms: said at once
        f"{projects}:5:status": "not one of the ontology's terms this column takes; did you mean sal:Underway?",
        f"{projects}:5:strategy": "did you mean sal:PovertyReduction?",
        f"{attributions}:3:granted_by": "did you mean sal:LocalCommunitiesAudience?",
    }
    for where, suggestion in expected.items():
        (line,) = [line for line in done.stdout.splitlines() if where in line]
        assert line.rstrip().endswith(suggestion), line


def test_a_wrong_value_is_answered_with_a_term_of_the_propertys_range(tmp_path: Path):
    records = tmp_path / "records.ttl"
    records.write_text(
        "@prefix sal: <https://w3id.org/sal#> . @prefix sald: <https://w3id.org/sal/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'sald:synthetic-municipality a sal:Municipality ; rdfs:label "Synthetic municipality"@en ,\n'
        '  "Municipalidad sintética"@es ; sal:citesSource sald:src-arbaiza-paper .\n'
        'sald:synthetic-project a sal:Project ; rdfs:label "Synthetic project"@en , "Proyecto sintético"@es ;\n'
        "  sal:projectStatus sald:underway ; sal:executedBy sald:synthetic-municipality ;\n"
        '  sal:completion "abc" ; sal:citesSource sald:src-arbaiza-paper .\n',
        encoding="utf-8",
    )

    done = run_kgtool("validate", str(records), env={"KGTOOL_STORE": ""}, cwd=ROOT)

    assert done.code == 1
    assert (
        "sal:Municipality is not a term of the SAL ontology (a typo?); did you mean sal:LocalGovernment?" in done.stdout
    )
    assert "the nearest known record is sal:Underway" in done.stdout and "norway" not in done.stdout
    # one mistake, one problem: the mistyped municipality is not also "not an actor" as the project's executor,
    # and the bad completion is reported once
    assert "executed by" not in done.stdout
    assert done.stdout.count('completion (sal:completion) = "abc"') == 1


def test_the_allowed_values_beside_the_templates_come_from_the_ontology():
    from kgtool.validation import allowed_values

    shipped = ROOT / "data" / "templates" / "ALLOWED-VALUES.md"
    assert shipped.read_text(encoding="utf-8") == allowed_values.markdown(), (
        "regenerate it: python -m kgtool.validation.allowed_values > data/templates/ALLOWED-VALUES.md"
    )
    text = shipped.read_text(encoding="utf-8")
    assert "| `sal:Underway` | Underway | En ejecución |" in text  # a closed column's value with both labels
    assert "| `region-apurimac` | Apurimac (03) | Apurímac (03) |" in text  # a place, as a CSV cell writes it
    assert "`PEN`" in text and (ROOT / "data" / "templates" / "sources.csv").is_file()


def test_a_local_jsonld_context_beside_the_records_is_read_and_a_missing_one_named(tmp_path: Path):
    import json
    import shutil

    shutil.copy(ROOT / "ontology" / "context.jsonld", tmp_path / "context.jsonld")
    document = json.loads((EXAMPLES / "water-alliance.jsonld").read_text(encoding="utf-8"))
    document["@context"] = "context.jsonld"  # the shipped context, kept beside the records instead of embedded
    records = tmp_path / "records.jsonld"
    records.write_text(json.dumps(document), encoding="utf-8")

    done = run_kgtool("validate", str(records), env={"KGTOOL_STORE": ""}, cwd=ROOT)
    embedded = run_kgtool("validate", str(EXAMPLES / "water-alliance.jsonld"), env={"KGTOOL_STORE": ""}, cwd=ROOT)

    assert done.code == 0, done.stdout + done.stderr
    assert (
        done.stdout.splitlines()[-1]
        == embedded.stdout.splitlines()[-1]
        == "No problems found. The submission conforms."
    )
    assert done.stdout.split()[0] == embedded.stdout.split()[0]  # the same number of records
    document["@context"] = "../elsewhere/context.jsonld"
    records.write_text(json.dumps(document), encoding="utf-8")
    missing = run_kgtool("validate", str(records), env={"KGTOOL_STORE": ""}, cwd=ROOT)
    assert missing.code == 2 and missing.stderr.count("\n") == 1
    assert "'../elsewhere/context.jsonld' is not a file" in missing.stderr and "never fetches" in missing.stderr


def test_a_csv_only_contributor_cites_a_source_of_their_own(tmp_path: Path, fresh_store: Path):
    templates = ROOT / "data" / "templates"
    sources = tmp_path / "sources.csv"
    sources.write_text(
        (templates / "sources.csv").read_text(encoding="utf-8")
        + "src-synthetic-ngo-report,Source,Synthetic NGO report 2024,Informe sintético de ONG 2024,"
        "Synthetic NGO report,Synthetic NGO,2024,Synthetic NGO,\n",
        encoding="utf-8",
    )
    actors = tmp_path / "actors.csv"
    actors.write_text(
        (templates / "actors.csv").read_text(encoding="utf-8")
        + "synthetic-water-ngo,NGO,Synthetic water NGO,ONG sintética del agua,,,,,src-synthetic-ngo-report\n",
        encoding="utf-8",
    )

    # the actor alone cites a source nobody describes: one violation at its cell, what to do next is to send it too
    alone = run_kgtool("validate", str(actors), "--store", str(fresh_store))
    assert alone.code == 1 and "src-synthetic-ngo-report" in alone.stdout and f"{actors}:3" in alone.stdout
    # with the filled sources template beside it, both conform, and ingest stores the citation
    both = run_kgtool("validate", str(sources), str(actors), "--store", str(fresh_store))
    assert both.code == 0, both.stdout + both.stderr
    stored = run_kgtool(
        "ingest", str(sources), str(actors), "--store", str(fresh_store), "--submitter", "Synthetic NGO"
    )
    assert stored.code == 0, stored.stdout + stored.stderr
    cited = run_kgtool(
        "query", "fact-provenance", "-p", "fact=sald:synthetic-water-ngo", "--store", str(fresh_store), "-f", "csv"
    )
    assert cited.code == 0, cited.stderr
    assert "https://w3id.org/sal/id/src-synthetic-ngo-report" in cited.stdout
