"""What a small ingest does without (issue 19: ingest of 100 records ≤ 100 ms beyond process start): behaviour
guards, not timings. ``kgtool ingest`` of RDF records imports neither pydantic (typer's converter), nor pySHACL's
engine and rdflib, nor the table readers, nor rich's progress bar off a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import benchmark_generator, kgtool_environment

#: Modules a conforming RDF submission is ingested without (with the compiled engine, its shapes cache warm).
NOT_IMPORTED = (
    "pydantic",
    "pyshacl",
    "rdflib",
    "openpyxl",
    "rich.progress",
    "kgtool.validation.engine",
    "kgtool.validation.shacl",
    "kgtool.validation.csv_templates",
    "kgtool.validation.workbook_read",
)


def _ingest_probe(store: Path, records: Path, cache: Path) -> tuple[str, list[str]]:
    """Run ``kgtool ingest`` in a new process as the entry point runs it; its output and the modules it imported."""
    probe = (
        "import sys\n"
        f"sys.argv = ['kgtool', 'ingest', '--store', {str(store)!r}, '--submitter', 'test', '-m', 'probe', "
        f"{str(records)!r}]\n"
        "from kgtool import cli\n"
        "try:\n    cli.main()\nexcept SystemExit as done:\n    print('exit', done.code)\n"
        "import json\nsys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        env=kgtool_environment({"KGTOOL_CACHE_DIR": str(cache)}),
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_a_small_rdf_ingest_imports_none_of_the_heavy_modules(tmp_path: Path, fresh_store: Path):
    records = tmp_path / "records.ttl"
    records.write_bytes(benchmark_generator().generate(records=20, seed=19, prefix="synthetic-latency").bytes)
    warm = tmp_path / "cache"
    first, _ = _ingest_probe(fresh_store, records, warm)  # fills the compiled-shapes cache
    assert "Ingested submission" in first and "exit 0" in first, first
    second = tmp_path / "second.ttl"
    second.write_bytes(benchmark_generator().generate(records=20, seed=20, prefix="synthetic-latency-2").bytes)
    output, modules = _ingest_probe(fresh_store, second, warm)
    assert "Ingested submission" in output and "exit 0" in output, output
    assert "kgtool.validation.pipeline" in modules and "typer" in modules  # the probe saw the ingest's imports
    assert [name for name in NOT_IMPORTED if name in modules] == []
