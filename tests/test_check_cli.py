"""``kgtool check`` as a knowledge engineer runs it: the shipped ontology passes with its inferences listed,
deliberately broken copies fail with exit 1 naming the culprits by label, bad input is one line and exit 2,
and no Java runtime is exit 3. Broken copies are the shipped ontology plus one fixture appended to sal.ttl.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURES, ROOT, run_kgtool
from kgtool.check.run import INFERRED_GRAPH
from kgtool.rdf.namespaces import SAL


def broken_copy(tmp_path: Path, fixture: str) -> Path:
    """A copy of ontology/ whose sal.ttl ends with the fixture's triples."""
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    with (folder / "sal.ttl").open("a", encoding="utf-8") as main:
        main.write("\n" + (FIXTURES / "check" / fixture).read_text(encoding="utf-8"))
    return folder


def assert_one_line_error(stderr: str) -> None:
    assert stderr.count("\n") == 1 and stderr.startswith("kgtool: error: "), stderr
    assert "Traceback" not in stderr


def test_check_passes_on_the_shipped_ontology_lists_inferences_and_materializes_them(tmp_path: Path):
    target = tmp_path / "store"
    assert run_kgtool("build", "--store", str(target)).code == 0
    result = run_kgtool("check", "--materialize", "--store", str(target))
    assert result.code == 0, result.stderr
    assert "Reasoner (HermiT): consistent; 0 unsatisfiable classes" in result.stdout
    assert (
        "Newmont (sald:newmont) —in societal sector (sal:inSocietalSector)→ private sector (sal:PrivateSector)"
    ) in result.stdout
    assert "0 errors" in result.stdout and "passed (--fail-on error)" in result.stdout
    assert f"into <{INFERRED_GRAPH}>" in result.stderr
    store = ox.Store(str(target))
    sectors = store.quads_for_pattern(
        ox.NamedNode("https://w3id.org/sal/id/newmont"),
        ox.NamedNode(SAL + "inSocietalSector"),
        ox.NamedNode(SAL + "PrivateSector"),
        ox.NamedNode(INFERRED_GRAPH),
    )
    assert len(list(sectors)) == 1


def test_a_class_disjoint_with_its_superclass_fails_naming_class_and_individuals(tmp_path: Path):
    result = run_kgtool("check", "--ontology", str(broken_copy(tmp_path, "disjoint-superclass.ttl")))
    assert result.code == 1, result.stderr
    assert "INCONSISTENT: unsatisfiable classes mining company (sal:MiningCompany)" in result.stdout
    for culprit in ("Newmont (sald:newmont)", "Yanacocha (sald:yanacocha)", "Buenaventura (sald:buenaventura)"):
        assert culprit in result.stdout
    assert "unsatisfiable-class" in result.stdout and "inconsistent-ontology" in result.stdout
    assert_one_line_error(result.stderr)
    assert "check failed" in result.stderr


def test_a_class_without_label_fails_and_is_named(tmp_path: Path):
    result = run_kgtool("check", "--ontology", str(broken_copy(tmp_path, "unlabelled-class.ttl")), "--format", "json")
    assert result.code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["reasoner"]["consistent"] is True and report["passed"] is False
    culprits = {(f["rule"], f["entity"]["iri"]) for f in report["findings"] if f["level"] == "ERROR"}
    assert culprits == {
        ("missing-english-label", SAL + "MiningCooperative"),
        ("missing-spanish-label", SAL + "MiningCooperative"),
    }


def test_quality_only_in_tsv_and_the_fail_on_threshold():
    errors_only = run_kgtool("check", "--no-reasoning", "--format", "tsv")
    assert errors_only.code == 0, errors_only.stderr
    # The shipped ontology has no finding at any level: the header alone, and --fail-on warn passes too.
    assert errors_only.stdout.splitlines() == ["Level\tRule Name\tSubject\tProperty\tValue"]
    clean = run_kgtool("check", "--no-reasoning", "--format", "markdown", "--fail-on", "warn", "--lang", "es")
    assert clean.code == 0 and "Razonador: omitido" in clean.stdout and "aprobado (--fail-on warn)" in clean.stdout
    # A sloppy ontology (tests/fixtures/check/sloppy.ttl) fails at warn, its terms named by their Spanish labels.
    sloppy = str(FIXTURES / "check" / "sloppy.ttl")
    args = ("check", "--ontology", sloppy, "--no-reasoning", "--format", "markdown", "--fail-on", "warn")
    warned = run_kgtool(*args, "--lang", "es")
    assert warned.code == 1 and "| nivel | regla | entidad | propiedad | valor |" in warned.stdout
    assert "| duplicate-label | gemelo A (https://example.org/sloppy#TwinA) | rdfs:label | twin |" in warned.stdout
    assert "gemelo A" not in run_kgtool(*args).stdout


def test_no_java_runtime_is_exit_3_in_one_line(tmp_path: Path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_kgtool("check", env={"PATH": str(empty)})
    assert result.code == 3
    assert_one_line_error(result.stderr)
    assert "Java runtime" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "fatal"], "--fail-on 'fatal'"),
        (["--format", "xml"], "unknown format 'xml'"),
        (["--ontology", "/no/such/ontology"], "no such file or folder"),
        (["--data", "/no/such/data.ttl"], "no such file or folder"),
        (["--materialize", "--no-reasoning"], "--materialize needs the reasoner"),
        (["--profile", "/no/such/profile.tsv"], "no such profile file"),
    ],
)
def test_usage_and_input_errors_are_exit_2_in_one_line(args, message):
    result = run_kgtool("check", *args)
    assert result.code == 2, result.stderr
    assert_one_line_error(result.stderr)
    assert message in result.stderr


def test_unparseable_data_is_exit_2_with_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sal: <https://w3id.org/sal#> .\nsal:x sal:y .\n", encoding="utf-8")
    result = run_kgtool("check", "--no-reasoning", "--data", str(bad))
    assert result.code == 2
    assert_one_line_error(result.stderr)
    assert f"{bad}:2" in result.stderr


def test_help_of_check_and_docs_stays_light():
    probe = (
        "import sys; sys.argv=['kgtool','check','--help']\n"
        "from kgtool import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('owlready2', 'rdflib', 'pylode') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "--fail-on" in done.stdout and done.stderr.strip().endswith("[]")
    assert "--out" in run_kgtool("docs", "--help").stdout
