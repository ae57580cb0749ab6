"""The embedded store: an Oxigraph database on disk, one named graph per source file.

Opening is exclusive (Oxigraph locks its folder), so a second kgtool process on the same store gets a clear
``BackendUnavailable`` (exit 3) instead of a corrupted database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kgtool.errors import BackendUnavailable
from kgtool.rdf.namespaces import SALD, TYPE_NODE
from kgtool.store import holders

DEFAULT_STORE = Path(".kgtool") / "store"
STORE_ENV = "KGTOOL_STORE"
LOCK_WAIT_ENV = "KGTOOL_LOCK_WAIT"

#: A project file's named graph is ``GRAPH_BASE + its relative path``, e.g. ``…/graph/data/actors.ttl``.
GRAPH_BASE = "https://w3id.org/sal/graph/"
#: Accepted submissions (``kgtool.store.submissions``): a data graph each, described in the metadata graph.
METADATA_GRAPH = ox.NamedNode(GRAPH_BASE + "submissions")
SUBMISSION_PREFIX = SALD + "submission-"


class StoreInUse(BackendUnavailable):
    """Another process holds the store (kgtool's lock or Oxigraph's): wait and try again (exit 3)."""


def store_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: the ``--store`` option, else ``$KGTOOL_STORE``, else the project's ``.kgtool/store``
    (one store per project, wherever in it the user stands), else ``./.kgtool/store`` outside any project."""
    if option:
        return _named(Path(option))
    if os.environ.get(STORE_ENV):
        return _named(Path(os.environ[STORE_ENV]))
    from kgtool.rdf import resources

    project = resources.project()
    return DEFAULT_STORE if project.installed else project.root / DEFAULT_STORE


def _named(path: Path) -> Path:
    """``path``, resolved when its last part is not the folder's name (``.``, ``..``, ``/``): the lock and the kept
    answers go beside the store under its name (``path.with_name``), which such a path does not have."""
    return path.resolve() if path.name in ("", "..") else path


#: What RocksDB writes into every OPTIONS file of an Oxigraph store (one of its column families): another
#: program's RocksDB or LevelDB folder, which also has a CURRENT file, is not taken for a store kgtool may replace.
_OXIGRAPH_FAMILY = b'[CFOptions "gspo"]'


def exists(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph store, sound or damaged (kgtool never creates one by reading)."""
    if not (path.is_dir() and (path / "CURRENT").is_file()):
        return False
    for options in path.glob("OPTIONS-*"):
        try:
            with options.open("rb") as file:
                if _OXIGRAPH_FAMILY in file.read(1 << 20):
                    return True
        except OSError:
            continue
    return False


def require(path: Path) -> Path:
    """``path`` if it holds a store; else the one error every command gives for a missing store (exit 3)."""
    if not exists(path):
        raise BackendUnavailable(
            f"no kgtool store at {path}: run `kgtool build` first (or pass --store)",
            es=f"no hay un almacén de kgtool en {path}: ejecute antes `kgtool build` (o pase --store)",
        )
    return path


def open_store(path: Path, create: bool = False) -> ox.Store:
    """Open the store at ``path``; refuse a missing store unless ``create``, and a locked one always."""
    if not create:
        require(path)
    try:
        store = ox.Store(str(path))
    except (OSError, RuntimeError, ValueError) as error:  # RocksDB says "Corruption: ..." as a RuntimeError
        if "lock" in str(error).lower():
            who = holders.described(path)
            raise StoreInUse(
                f"the store {path} is in use by another kgtool process{who}; wait for it to finish",
                es=f"otro proceso de kgtool está usando el almacén {path}{who}; espere a que termine",
            ) from error
        raise damaged(path, error) from error
    _drop_old_logs(path)
    try:
        _complete(path, store)  # what a killed ingest left before its commit point is never seen
    except StoreInUse:
        del store  # released before the error is said
        raise
    return store


def damaged(path: Path, error: BaseException) -> BackendUnavailable:
    """The one line for a store that cannot be opened: what RocksDB said, and the two ways to recover."""
    reason = " ".join(str(error).split())[:160]
    return BackendUnavailable(
        f"the store {path} cannot be opened, it is damaged or not a kgtool store ({reason}); replace it with "
        f"`kgtool build --drop-submissions --store {path}` (its submissions are lost) or restore a backup with "
        f"`kgtool build --from BACKUP --store {path}`",
        es=f"no se puede abrir el almacén {path}: está dañado o no es un almacén de kgtool ({reason}); "
        f"reemplácelo con `kgtool build --drop-submissions --store {path}` (se pierden sus envíos) o restaure una "
        f"copia con `kgtool build --from COPIA --store {path}`",
    )


def _drop_old_logs(path: Path) -> None:
    """Remove the info logs RocksDB rotates on every open (``LOG.old.<time>``): one open each per command
    piled up 118 files, 17 MB, on a small store. The current ``LOG`` stays; the database never reads them."""
    for old_log in path.glob("LOG.old.*"):
        old_log.unlink(missing_ok=True)


def incomplete(store: ox.Store) -> list[ox.NamedNode]:
    """The graphs of submissions whose metadata record was never written (a killed ingest). Retracted submissions
    have a record (and no data), so they are never among them."""
    return [
        graph
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode)
        and graph.value.startswith(SUBMISSION_PREFIX)
        and not any(store.quads_for_pattern(graph, TYPE_NODE, None, METADATA_GRAPH))
    ]


def _complete(path: Path, store: ox.Store) -> None:
    """Drop what a killed ingest left (``incomplete``) under kgtool's exclusive lock: this process's if it holds it
    (build, ingest, retract, ``check --materialize``, ``serve --writable``), else taken for the drop if no one holds
    the store. Whoever holds it may be serving the store read-only (which Oxigraph does not lock) or be about to
    write it, so a process that cannot take it writes nothing; nor does it read the part (kgtool never shows half a
    submission): it says so and exits 3, as for a store in use. The drop is a write, and readers open the store
    for writing (``kgtool query``, ``export``, ``validate``) only because Oxigraph's read-only mode cannot drop it."""
    left = incomplete(store)
    if not left:
        return
    held = _LOCKED.get(Path(os.path.realpath(path)))
    if held:  # this process holds the exclusive lock
        _drop(store, left)
        return
    if held is None:  # and not the shared one, which it cannot trade for the exclusive one without letting go
        try:
            with lock(path, exclusive=True, wait_seconds=0):
                _drop(store, left)
            return
        except StoreInUse:
            pass
    ids = ", ".join(graph.value.removeprefix(SUBMISSION_PREFIX) for graph in left)
    who = holders.described(path)
    raise StoreInUse(
        f"the store {path} holds part of a submission whose ingest was killed ({ids}), and another kgtool process "
        f"holds the store{who}: only a command holding it alone may remove that part; try again when it has finished",
        es=f"el almacén {path} contiene parte de un envío cuya ingesta se interrumpió ({ids}) y otro proceso de "
        f"kgtool lo está usando{who}: solo un comando que lo use en exclusiva puede quitar esa parte; vuelva a "
        "intentarlo cuando termine",
    )


def _drop(store: ox.Store, graphs: list[ox.NamedNode]) -> None:
    for graph in graphs:
        store.remove_graph(graph)


#: kgtool's locks this process holds, by the store's real path: True if exclusive (``lock``). A second lock of the
#: same file from the same process would wait for the first (``flock`` locks each opening of the file).
_LOCKED: dict[Path, bool] = {}

#: Stores kept open by ``kept_open``, by resolved path: ``opened`` hands them out instead of opening again.
_KEPT: dict[Path, ox.Store] = {}


@contextmanager
def opened(path: Path, create: bool = False) -> Iterator[ox.Store]:
    """``open_store`` as a context manager that flushes and releases the lock on exit; inside ``kept_open`` of the
    same path, the store it keeps (neither opened nor closed here)."""
    kept = _KEPT.get(Path(path).resolve()) if _KEPT else None
    if kept is not None:
        yield kept
        return
    store = open_store(path, create=create)
    try:
        with holders.holding(path):
            yield store
    finally:
        store.flush()
        del store


@contextmanager
def kept_open(path: Path) -> Iterator[ox.Store]:
    """Hold the store at ``path`` open for a whole command: every ``opened(path)`` inside gets this one store.

    Why: opening a RocksDB database of a million triples takes ~50 ms and closing it ~10 ms, whatever the work;
    an ingest asks the store five times (is the content known, validation context, its stored copy, writing), so
    for a 100-record submission the opens were a third of its time. Used by one thread of one command (ingest,
    under kgtool's exclusive lock); the store is flushed and released when the block ends, also on an error.
    """
    key = Path(path).resolve()
    if key in _KEPT:  # already kept by an enclosing block: that one closes it
        yield _KEPT[key]
        return
    with opened(path) as store:
        _KEPT[key] = store
        try:
            yield store
        finally:
            del _KEPT[key]


def graph_counts(store: ox.Store) -> dict[str, int]:
    """Number of triples in each named graph, by graph IRI."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


@contextmanager
def lock(path: Path, exclusive: bool, wait_seconds: float | None = None) -> Iterator[None]:
    """A kgtool-level lock beside the store: shared for readers that outlive a command (``serve``), exclusive
    for writers (``build``, ``ingest``). Waits at most ``wait_seconds`` (default ``$KGTOOL_LOCK_WAIT`` or 10),
    then raises BackendUnavailable.

    Oxigraph's own lock covers one process holding the database; this one also covers a read-only server,
    which Oxigraph does not lock, so that no build rewrites a store while it is being served.
    """
    import fcntl
    import time

    if wait_seconds is None:
        from kgtool.environment import number

        wait_seconds = number(LOCK_WAIT_ENV, 10.0, "seconds", allow_zero=True)
    real = Path(os.path.realpath(path))  # one lock however the store is named (a link to it, its real path)
    lock_file = real.with_name(real.name + ".lock")
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_file.open("a+")
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    who = holders.described(path)
                    raise StoreInUse(
                        f"the store {path} is in use by another kgtool process{who} (waited {wait_seconds:g} s); "
                        "try again when it has finished",
                        es=f"otro proceso de kgtool está usando el almacén {path}{who} (se esperó {wait_seconds:g} s); "
                        "vuelva a intentarlo cuando termine",
                    ) from None
                time.sleep(0.1)
        previous = _LOCKED.get(real)
        _LOCKED[real] = exclusive
        try:
            with holders.holding(path):
                yield
        finally:
            if previous is None:
                del _LOCKED[real]
            else:
                _LOCKED[real] = previous
    finally:
        handle.close()  # closing releases the lock
