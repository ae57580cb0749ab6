"""``kgtool report`` as a user meets it: a page written atomically, one-line errors, the contract's exit codes."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from conftest import run_kgtool


def test_the_report_is_written_and_announced(store_dir: Path, tmp_path: Path):
    out = tmp_path / "report.html"
    result = run_kgtool("report", "--out", str(out), "--store", str(store_dir))
    assert result.code == 0, result.stderr
    assert f"Wrote {out}" in result.stdout and "13 alliances" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]


def test_the_report_in_spanish(store_dir: Path, tmp_path: Path):
    out = tmp_path / "informe.html"
    assert run_kgtool("report", "-o", str(out), "--lang", "es", "--store", str(store_dir)).code == 0
    assert '<html lang="es">' in out.read_text(encoding="utf-8")


def _refused(result, code: int, words: str) -> None:
    assert result.code == code, (result.code, result.stderr)
    assert words in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_errors_are_one_line_with_the_contracts_exit_codes(store_dir: Path, tmp_path: Path):
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    store = str(store_dir)
    _refused(run_kgtool("report", "--out", str(out), "--lang", "fr", "--store", store), 2, "en or es")
    _refused(run_kgtool("report", "--out", str(tmp_path / "no" / "r.html"), "--store", store), 2, "does not exist")
    _refused(run_kgtool("report", "--out", str(tmp_path), "--store", store), 2, "is a folder")
    both = run_kgtool("report", "--out", str(out), "--store", store, "--endpoint", "http://127.0.0.1:9/query")
    _refused(both, 2, "not both")
    _refused(run_kgtool("report", "--out", str(out), "--store", str(tmp_path / "none")), 3, "kgtool build")
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    _refused(run_kgtool("report", "--out", str(out), "--endpoint", f"http://127.0.0.1:{port}/query"), 3, "127.0.0.1")
    assert out.read_text(encoding="utf-8") == "previous"  # nothing half-written, nothing replaced
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.html"]


def test_out_is_required(store_dir: Path):
    result = run_kgtool("report", "--store", str(store_dir))
    assert result.code == 2 and "--out" in result.stderr


def test_help_lists_report_and_stays_light():
    assert "report" in run_kgtool("--help").stdout
    assert "--lang" in run_kgtool("report", "--help").stdout
    probe = (
        "import sys; sys.argv=['kgtool','report','--help']\n"
        "from kgtool import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr([m for m in ('networkx', 'numpy', 'scipy', 'pyoxigraph') if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().endswith("[]"), done.stderr


def test_the_report_from_a_sparql_endpoint(store_dir: Path, tmp_path: Path):
    from kgtool.sparql import serving

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with serving.running(store_dir, f"127.0.0.1:{port}") as endpoint:
        out = tmp_path / "remote.html"
        result = run_kgtool("report", "--out", str(out), "--endpoint", endpoint.query_url)
    assert result.code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert endpoint.query_url in text and "13 alliances" in result.stdout
