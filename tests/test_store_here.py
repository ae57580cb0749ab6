"""A store named by a path whose last part is not a name (``--store .`` inside the store, ``--store ..``,
``$KGTOOL_STORE=.``): its lock and its kept answers go beside the store, as for any other spelling of the same
folder, and every command works as it does with the full path (``Path('.').with_name`` raised ValueError: an
internal error for ``kgtool query`` and ``kgtool ingest`` run from inside the store)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_kgtool
from kgtool.sparql import answers
from kgtool.store.core import lock, store_path

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "water-alliance.ttl"


def test_a_store_named_from_inside_is_the_same_folder(tmp_path: Path, monkeypatch):
    inner = tmp_path / "store" / "inner"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    assert store_path("..") == tmp_path / "store"
    assert answers.folder(store_path("..")) == tmp_path / "store.answers"  # beside the store, as for its full path
    monkeypatch.chdir(tmp_path / "store")
    assert store_path(".") == tmp_path / "store"
    monkeypatch.setenv("KGTOOL_STORE", ".")
    assert store_path() == tmp_path / "store"
    assert store_path("plain") == Path("plain")  # an ordinary relative name is kept as the user gave it


def test_query_and_ingest_run_from_inside_the_store(fresh_store: Path):
    asked = run_kgtool("query", "actors-by-sector", "--store", ".", "--format", "csv", cwd=fresh_store)
    assert asked.code == 0, asked.stderr
    full = run_kgtool("query", "actors-by-sector", "--store", str(fresh_store), "--format", "csv")
    assert asked.stdout == full.stdout and full.stdout.count("\n") > 1
    ingested = run_kgtool(
        "ingest", str(EXAMPLE), "--store", ".", "--submitter", "review", "--message", "from inside", cwd=fresh_store
    )
    assert ingested.code == 0, ingested.stderr
    listed = run_kgtool("submissions", "--store", str(fresh_store))
    assert "from inside" in listed.stdout


def test_a_store_named_through_a_link_takes_the_same_lock(fresh_store: Path, tmp_path: Path):
    """The lock that keeps writers off a store being served read-only is beside the store itself: a server started
    on a link to the store (here: its shared lock, held as ``kgtool serve`` holds it) keeps an ingest that names the
    store by its real path waiting, then out (exit 3), and the other way round; nothing is written meanwhile."""
    link = tmp_path / "linked-store"
    link.symlink_to(fresh_store, target_is_directory=True)
    for served, named in ((link, fresh_store), (fresh_store, link)):
        with lock(served, exclusive=False):
            refused = run_kgtool(
                "ingest", str(EXAMPLE), "--store", str(named), "--submitter", "review", "--message", "while served",
                env={"KGTOOL_LOCK_WAIT": "0"},
            )  # fmt: skip
        assert refused.code == 3, refused.stdout + refused.stderr
        assert "in use" in refused.stderr and refused.stderr.count("\n") == 1
    assert "while served" not in run_kgtool("submissions", "--store", str(fresh_store)).stdout
