"""A kept answer (``kgtool.sparql.answers``) is tied to the pyoxigraph and kgtool that computed it, as a kept listing
is: after an upgrade of either the question is computed again, not served as an older engine answered it (a fix
in Oxigraph's evaluation would otherwise not show until the store changed). The data are the paper's store."""

from __future__ import annotations

from pathlib import Path

import pytest

import kgtool
from conftest import settled
from kgtool.sparql import answers
from kgtool.sparql.backends import StoreBackend
from kgtool.store.core import opened

TEXT = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 5"


def test_an_answer_kept_by_another_version_is_computed_again(fresh_store: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(answers, "MIN_SECONDS", 0.0)
    runs: list[str] = []

    def ask() -> list:
        with opened(fresh_store) as store:
            backend = StoreBackend(store)

            def run(text: str):
                runs.append(text)
                return backend.select(text)

            rows = answers.Answers(fresh_store).select(run, TEXT).rows
            backend.store = None
            del store
        return rows

    settled(fresh_store, lambda path: ask())
    first, computed = ask(), len(runs)
    assert len(first) == 5 and ask() == first and len(runs) == computed  # kept: served, not run
    monkeypatch.setattr(answers.ox, "__version__", "0.0.0-another-engine")
    assert ask() == first and len(runs) == computed + 1  # another pyoxigraph: computed again
    monkeypatch.setattr(kgtool, "__version__", "0.0.0-another-kgtool")
    assert ask() == first and len(runs) == computed + 2
