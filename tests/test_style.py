"""The code stays ruff-clean (lint and format), as the project's standards require."""

from __future__ import annotations

import shutil
import subprocess

from conftest import ROOT


def test_ruff_lint_and_format_are_clean():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is part of the test extra: pip install '.[test]'"
    lint = subprocess.run([ruff, "check", "kgtool", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout
    layout = subprocess.run([ruff, "format", "--check", "kgtool", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert layout.returncode == 0, layout.stdout
