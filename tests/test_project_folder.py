"""kgtool works on the project folder the user stands in (issue 20, the knowledge engineer's first hour).

A knowledge engineer installs kgtool (`pip install .`), edits `ontology/` and `data/` of their project and runs
`kgtool build`, `check` and `docs` there, or in one of its subfolders. Each command must read the files of that
project, say which ones with absolute paths, and fall back to the copy installed with kgtool only outside a
project folder, saying so. `--project DIR` and `$KGTOOL_PROJECT` name a project from anywhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_kgtool

SAL_PREFIXES = """@prefix sal: <https://w3id.org/sal#> .
@prefix sald: <https://w3id.org/sal/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
NEW_NGO = "https://w3id.org/sal/id/synthetic-firsthour-ngo"


def make_project(parent: Path, name: str = "my-project") -> Path:
    """A user's own project folder: a copy of the knowledge folders, nothing of kgtool's code."""
    project = parent / name
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, project / folder)
    return project


def add_synthetic_ngo(project: Path) -> Path:
    """The user's edit: a new data file with one NGO (synthetic, for this test)."""
    extra = project / "data" / "synthetic-extra.ttl"
    extra.write_text(
        SAL_PREFIXES + "sald:synthetic-firsthour-ngo a sal:NGO ;\n"
        '  rdfs:label "First-hour NGO (synthetic)"@en , "ONG de la primera hora (sintética)"@es ;\n'
        "  sal:citesSource sald:src-arbaiza-paper .\n",
        encoding="utf-8",
    )
    return extra


def test_build_in_a_subfolder_of_a_project_reads_that_project_and_names_its_files(tmp_path: Path):
    project = make_project(tmp_path)
    extra = add_synthetic_ngo(project)

    built = run_kgtool("build", cwd=project / "data")

    assert built.code == 0, built.stderr
    assert built.stdout.startswith(f"project {project} (found from {project / 'data'})")  # which project, and why
    assert str(extra) in built.stdout  # every file read, with its absolute path
    assert str(project / "ontology" / "sal.ttl") in built.stdout
    assert str(ROOT / "ontology") not in built.stdout  # nothing of the installed copy
    assert (project / ".kgtool" / "store").is_dir()  # the project's store, not one per subfolder
    assert not (project / "data" / ".kgtool").exists()
    # What the user does next: ask the store from anywhere in the project; their NGO is there.
    asked = run_kgtool("query", "actors-by-sector", "--format", "csv", cwd=project / "queries")
    assert asked.code == 0, asked.stderr
    assert NEW_NGO in asked.stdout


def test_check_reads_the_edited_ontology_of_the_project_not_the_installed_one(tmp_path: Path):
    project = make_project(tmp_path)
    edited = project / "ontology" / "legitimacy.ttl"
    with edited.open("a", encoding="utf-8") as handle:  # the user's edit: a class with no definition
        handle.write('\nsal:SyntheticUndefinedLegitimacy a owl:Class ; rdfs:label "undefined legitimacy"@en .\n')

    checked = run_kgtool("check", "--no-reasoning", "--format", "tsv", "--fail-on", "none", cwd=project)

    assert checked.code == 0, checked.stderr
    assert "SyntheticUndefinedLegitimacy" in checked.stdout  # the finding about the user's edit
    assert str(edited) in checked.stderr  # and the file it read, with its absolute path
    assert str(project / "data" / "actors.ttl") in checked.stderr
    # the same command outside any project says that it checks the installed copy, and does not see the edit
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = run_kgtool("check", "--no-reasoning", "--format", "tsv", "--fail-on", "none", cwd=elsewhere)
    assert "SyntheticUndefinedLegitimacy" not in outside.stdout
    assert "no kgtool project" in outside.stderr and "installed" in outside.stderr


def test_docs_document_the_project_files(tmp_path: Path):
    project = make_project(tmp_path)
    with (project / "ontology" / "legitimacy.ttl").open("a", encoding="utf-8") as handle:
        handle.write(
            "\nsal:SyntheticDocumentedLegitimacy a owl:Class ; "
            'rdfs:label "synthetic documented legitimacy"@en , "legitimidad documentada sintética"@es .\n'
        )

    made = run_kgtool("docs", "--out", str(tmp_path / "site"), cwd=project / "ontology")

    assert made.code == 0, made.stderr
    assert made.stdout.startswith(f"project {project} ")
    assert str(project / "ontology" / "legitimacy.ttl") in made.stdout
    assert str(project / "shapes") in made.stdout and str(project / "queries") in made.stdout
    copied = (tmp_path / "site" / "ontology" / "legitimacy.ttl").read_text(encoding="utf-8")
    assert "SyntheticDocumentedLegitimacy" in copied
    assert "synthetic documented legitimacy" in (tmp_path / "site" / "ontology.html").read_text(encoding="utf-8")


def test_outside_a_project_the_installed_copy_is_used_and_named(tmp_path: Path):
    built = run_kgtool("build", cwd=tmp_path)

    assert built.code == 0, built.stderr
    first = built.stdout.splitlines()[0]
    assert "no kgtool project folder" in first and str(tmp_path) in first and "installed" in first
    assert "--project DIR" in first  # what to do to use one's own
    assert (tmp_path / ".kgtool" / "store").is_dir()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_project_named_with_an_option_or_the_environment_is_used_from_anywhere(tmp_path: Path, how: str):
    project = make_project(tmp_path)
    extra = add_synthetic_ngo(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = tmp_path / "store"
    if how == "option":
        built = run_kgtool("--project", str(project), "build", "--store", str(store), cwd=elsewhere)
    else:
        built = run_kgtool("build", "--store", str(store), cwd=elsewhere, env={"KGTOOL_PROJECT": str(project)})

    assert built.code == 0, built.stderr
    assert str(extra) in built.stdout
    assert f"project {project}" in built.stdout


def test_a_named_folder_that_is_not_a_project_is_refused_in_one_line(tmp_path: Path):
    empty = tmp_path / "not-a-project"
    empty.mkdir()

    refused = run_kgtool("build", "--store", str(tmp_path / "s"), env={"KGTOOL_PROJECT": str(empty)}, cwd=tmp_path)

    assert refused.code == 2
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert str(empty) in refused.stderr and "ontology/" in refused.stderr
    assert not (tmp_path / "s").exists()


def test_build_can_name_another_ontology_and_data_folder(tmp_path: Path):
    project = make_project(tmp_path)
    other = make_project(tmp_path, "other-copy")
    extra = add_synthetic_ngo(other)
    store = tmp_path / "store"

    ontology, data = str(other / "ontology"), str(other / "data")
    built = run_kgtool("build", "--ontology", ontology, "--data", data, "--store", str(store), cwd=project)

    assert built.code == 0, built.stderr
    assert str(extra) in built.stdout and str(other / "ontology" / "sal.ttl") in built.stdout
    assert str(project / "data") not in built.stdout
    asked = run_kgtool("query", "actors-by-sector", "--format", "csv", "--store", str(store))
    assert NEW_NGO in asked.stdout
    missing = run_kgtool("build", "--data", str(tmp_path / "nowhere"), "--store", str(store), cwd=project)
    assert missing.code == 2 and "nowhere" in missing.stderr and "Traceback" not in missing.stderr
