"""The command line as a user meets it: real subprocesses, exit codes of the contract, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from conftest import ROOT, run_kgtool


def test_help_lists_the_commands():
    result = run_kgtool("--help")
    assert result.code == 0
    for command in ("build", "query", "queries"):
        assert command in result.stdout


def test_help_does_not_import_the_heavy_libraries():
    import subprocess
    import sys

    probe = (
        "import sys; sys.argv=['kgtool','--help']\n"
        "from kgtool import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pyshacl', 'owlready2', 'rdflib') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().endswith("[]")


def test_build_prints_what_it_loaded(tmp_path: Path):
    target = tmp_path / "store"
    result = run_kgtool("build", "--store", str(target))
    assert result.code == 0, result.stderr
    assert "ontology" in result.stdout and "data/actors.ttl" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith(f"Built {target}:")


def test_query_prints_a_table_of_labels_not_iris(store_dir: Path):
    result = run_kgtool("query", "alliance-legitimacy-strategy", "--store", str(store_dir))
    assert result.code == 0, result.stderr
    assert "relational legitimacy" in result.stdout and "sustainable development" in result.stdout
    assert "https://w3id.org" not in result.stdout


def test_query_in_spanish(store_dir: Path):
    result = run_kgtool("query", "alliance-legitimacy-strategy", "--lang", "es", "--store", str(store_dir))
    assert result.code == 0, result.stderr
    assert "legitimidad" in result.stdout.lower()


def test_csv_and_json_keep_iris(store_dir: Path):
    as_csv = run_kgtool("query", "alliance-legitimacy-strategy", "--format", "csv", "--store", str(store_dir))
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert rows and all(row["alliance"].startswith("https://w3id.org/sal/id/") for row in rows)
    as_json = run_kgtool("query", "alliance-legitimacy-strategy", "--format", "json", "--store", str(store_dir))
    document = json.loads(as_json.stdout)
    assert document["head"]["vars"][:2] == ["alliance", "allianceLabel"]
    assert len(document["results"]["bindings"]) == len(rows)


def test_unknown_query_exits_2_in_one_line(store_dir: Path):
    result = run_kgtool("query", "no-such-question", "--store", str(store_dir))
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "unknown query 'no-such-question'" in result.stderr
    assert "Traceback" not in result.stderr


def test_update_is_refused(tmp_path: Path, store_dir: Path):
    update = tmp_path / "wipe.rq"
    update.write_text("DROP ALL", encoding="utf-8")
    result = run_kgtool("query", str(update), "--store", str(store_dir))
    assert result.code == 2 and "SPARQL Update is refused" in result.stderr
    assert run_kgtool("query", "alliance-legitimacy-strategy", "--format", "csv", "--store", str(store_dir)).code == 0


def test_bad_parameter_syntax_exits_2(store_dir: Path):
    result = run_kgtool("query", "alliance-legitimacy-strategy", "-p", "lang", "--store", str(store_dir))
    assert result.code == 2 and "name=value" in result.stderr


def test_missing_store_exits_3(tmp_path: Path):
    result = run_kgtool("query", "alliance-legitimacy-strategy", "--store", str(tmp_path / "none"))
    assert result.code == 3 and "kgtool build" in result.stderr and "Traceback" not in result.stderr


def test_locked_store_exits_3(tmp_path: Path):
    target = tmp_path / "store"
    assert run_kgtool("build", "--store", str(target)).code == 0
    holder = ox.Store(str(target))  # another process's lock, as Oxigraph takes it
    try:
        result = run_kgtool("query", "alliance-legitimacy-strategy", "--store", str(target))
    finally:
        del holder
    assert result.code == 3 and "in use by another kgtool process" in result.stderr


def test_store_from_environment_variable(store_dir: Path, tmp_path: Path):
    result = run_kgtool(
        "query", "alliance-legitimacy-strategy", "-f", "csv", cwd=tmp_path, env={"KGTOOL_STORE": str(store_dir)}
    )
    assert result.code == 0 and result.stdout.count("\n") > 1


def test_a_failed_build_leaves_the_previous_store(tmp_path: Path):
    from kgtool.errors import InputError
    from kgtool.store import build as building

    target = tmp_path / "store"
    building.build(target)
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    sources = [*building.project_sources(), building.SourceFile("data", broken, "https://example.org/g")]
    try:
        building.build(target, sources)
    except InputError as error:
        assert str(error).startswith(f"{broken}:1")
    else:
        raise AssertionError("a broken file must fail the build")
    assert run_kgtool("query", "alliance-legitimacy-strategy", "-f", "csv", "--store", str(target)).code == 0


def test_every_command_is_documented_in_the_readme():
    from kgtool.cli.main import app  # importing main registers every command

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert len(names) >= 13
    assert [name for name in names if f"kgtool {name}" not in readme] == []
