"""tools/mutation.py stays runnable: every mutation still finds the one text it changes, and names real tests."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("mutation", ROOT / "tools" / "mutation.py")
mutation = importlib.util.module_from_spec(_spec)
sys.modules["mutation"] = mutation  # dataclasses look their module up there
_spec.loader.exec_module(mutation)


@pytest.mark.parametrize("item", mutation.MUTATIONS, ids=lambda m: m.name)
def test_each_mutation_applies_once_and_names_existing_tests(item, tmp_path):
    target = tmp_path / item.path
    target.parent.mkdir(parents=True)
    target.write_text((ROOT / item.path).read_text(encoding="utf-8"), encoding="utf-8")
    original = item.apply(tmp_path)
    assert target.read_text(encoding="utf-8") != original
    assert all((ROOT / arg).is_file() for arg in item.tests if arg.startswith("tests/"))


def test_the_list_holds_the_issues_changes_and_more():
    assert sum(m.issue for m in mutation.MUTATIONS) == 14 and len(mutation.MUTATIONS) >= 28
    assert len({m.name for m in mutation.MUTATIONS}) == len(mutation.MUTATIONS)
