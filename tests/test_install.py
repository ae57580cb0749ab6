"""The README's first command works after a plain (non-editable) install, run from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_first_readme_command_from_a_wheel_in_a_temporary_folder(tmp_path: Path):
    wheels, target, workdir = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    workdir.mkdir()
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], check=True, timeout=600)
    (wheel,) = wheels.glob("kgtool-*.whl")
    # --target: the wheel alone in a fresh folder; its dependencies come from this environment.
    subprocess.run([*pip, "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": str(target), "COLUMNS": "200"}
    kgtool = target / "bin" / "kgtool"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(kgtool), *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)

    where = subprocess.run(
        [sys.executable, "-c", "import kgtool.rdf.resources as r; print(r.project_root())"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target))  # the wheel's own copy of ontology/, data/, queries/
    built = run("build")
    assert built.returncode == 0, built.stderr
    assert (workdir / ".kgtool" / "store").is_dir()
    answered = run("query", "alliance-legitimacy-strategy")
    assert answered.returncode == 0, answered.stderr
    assert "relational legitimacy" in answered.stdout and "9 rows" in answered.stdout
