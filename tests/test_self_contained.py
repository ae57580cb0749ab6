"""The suite needs nothing outside the clone, and in CI the paper-dependent tests cannot be skipped silently."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import PAPER, PAPER_REQUIRED, ROOT, TESTSUITES

TESTS = Path(__file__).parent


def test_the_w3c_suites_are_vendored_inside_the_repository_with_their_licence():
    assert TESTSUITES.is_relative_to(ROOT / "tests")
    assert (TESTSUITES / "LICENSE.md").is_file() and "W3C" in (TESTSUITES / "LICENSE.md").read_text(encoding="utf-8")
    for suite in ("rdf-turtle", "rdf-trig", "rdf-n-triples", "rdf-n-quads", "rdf-xml"):
        assert (TESTSUITES / suite / "manifest.ttl").exists(), suite


def test_no_test_reads_the_workplace_shared_folder_except_for_the_paper():
    """Only conftest's PAPER may point outside the clone; everything else lives under tests/ or the project."""
    pattern = re.compile(r"""["']shared["']|/shared/|KGTOOL_SHARED""")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TESTS.glob("*.py"))
        if path.name not in ("conftest.py", "test_self_contained.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI promises the paper (CI=true is not set here)")
def test_ci_runs_the_paper_dependent_tests():
    """CI (CI=true) has shared/ beside the clone: the paper must be found and its tests must not be skippable."""
    assert PAPER_REQUIRED, "CI must export KGTOOL_REQUIRE_PAPER=1 (.ci/run) so a missing paper fails, not skips"
    assert PAPER.is_file(), f"CI has no paper at {PAPER}"


def test_the_paper_fixture_skips_with_one_line_saying_how_to_enable_it(tmp_path: Path):
    import subprocess
    import sys

    test = tmp_path / "test_probe.py"
    test.write_text("def test_probe(paper_text):\n    assert paper_text\n", encoding="utf-8")
    for helper in ("conftest.py", "servers.py"):  # conftest and the test module it imports
        (tmp_path / helper).write_text((TESTS / helper).read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "KGTOOL_PAPER": str(tmp_path / "absent.txt"), "KGTOOL_REQUIRE_PAPER": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert "set KGTOOL_PAPER=" in line and "absent.txt" in line
    required = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "KGTOOL_REQUIRE_PAPER": "1"},
        timeout=120,
    )
    assert required.returncode == 1 and "KGTOOL_REQUIRE_PAPER=1" in required.stdout
