"""Whole listings kept beside the store: a listing asked again of an unchanged store is copied, not computed.

Why: at a million triples Oxigraph evaluates the catalog's listings at 4–40k rows a second however they are
written (benchmarks/README.md), while kgtool's own part (sorting, writing) is under a second per 100k rows. A
researcher asks the same listing again and again (another format, the same export, a notebook run again) of a
store that changes only when it is written to. So the bytes ``kgtool query NAME --format csv|tsv|json`` writes are
also written to a file in ``<store>.answers/`` as they stream, and the next ask of the same listing on the same
store is a copy of that file (``shutil.copyfileobj``: disk speed, constant memory). The first ask after any write
is still the engine's time: a kept listing is valid only while the store's data files are as they were
(``kgtool.sparql.answers.state``, which explains why that catches every write, whoever made it).

A kept file ``<key>.listing`` starts with one line of fixed width: its key, the store state, the length and the
SHA-256 of the bytes after it. The key is the SHA-256 of everything that changes the bytes: the bound query text
(parameters and language), the format, the list columns, kgtool's and pyoxigraph's versions and this layout's. It
is written to a temporary file and renamed only when the stream ended without an error and the store's state was
the same before and after (RocksDB may merge files meanwhile); before a copy is served, its key, state, length
and digest are checked, so a cut-short, damaged or misnamed file is recomputed, never served. The digest guards
against damage, not against someone who can write the folder (SECURITY.md: kgtool trusts ``<store>.answers/``).

A kept copy is served without opening the store (``copied``; opening and closing RocksDB takes ~40 ms at a million
triples, about as long as copying 100,000 rows), and without its lock: the state alone decides. A listing is kept
only by a process that holds the store, for the state it read before and after the stream, so a kept state is one
of a store no one was writing. A writer that has written anything since (an ingest or a ``serve --writable`` still
running, one killed before its log was replayed) has grown or added a file, so its state differs and the listing is
computed, after the store is opened as always (which waits for, or refuses, the writer). A writer that has not yet
written leaves the listing as it was: the copy is the answer before its write, as a query that ran a moment earlier
would give. ``kgtool query`` copies before opening only when nothing else needs the store first: a catalog query
(not one's own file, whose unknown terms are looked up) without IRI parameters (those are checked against the
knowledge graph); otherwise it copies after opening (``write``). Bounds: only listings that took at least
``MIN_SECONDS`` are kept, at most ``MAX_BYTES`` each and ``$KGTOOL_LISTINGS_MB`` together, temporary files a
killed process left included (the least recently asked removed first; 0 keeps and serves none, and removes those
kept before at the next ask); a folder that cannot be written keeps nothing, silently. Remote endpoints and stores
in memory keep nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyoxigraph as ox

import kgtool
from kgtool.files import open_regular, replacing
from kgtool.sparql import answers
from kgtool.sparql.answers import folder, repeatable, state, unchanged

MIN_SECONDS = 0.5
MAX_BYTES = 256 * 2**20
LISTINGS_ENV = "KGTOOL_LISTINGS_MB"
LISTINGS_MB = 1024.0
SUFFIX = ".listing"
#: The kept file's layout; a new layout is a new key, so older files are never read as this one.
LAYOUT = 1
_MAGIC = b"kgtool-listing"
_HEADER = len(_MAGIC) + 1 + 64 + 1 + 64 + 1 + 20 + 1 + 64 + 1  # magic key state length digest, then "\n"
T = TypeVar("T")


def key(text: str, output_format: str, lists: dict[str, str]) -> str:
    """The name of a listing's kept file: a digest of everything that changes its bytes."""
    parts = [LAYOUT, kgtool.__version__, ox.__version__, output_format, text, sorted(lists.items())]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def path(store_dir: Path, listing_key: str) -> Path:
    """Where the listing of ``listing_key`` is kept for the store at ``store_dir``."""
    return folder(store_dir) / (listing_key + SUFFIX)


def total_bytes() -> int:
    """How much the kept listings of one store may hold together (``$KGTOOL_LISTINGS_MB``; 0 keeps none)."""
    from kgtool.environment import number

    return int(number(LISTINGS_ENV, LISTINGS_MB, "megabytes", allow_zero=True) * 2**20)


def write(store_dir: Path, listing_key: str, out: BinaryIO, produce: Callable[[BinaryIO], T]) -> T | None:
    """The listing of ``listing_key`` written to ``out``: copied from its kept file if that was kept on the store as
    it is now (returns None), else ``produce(target)`` writes it (its value returned) and its bytes are kept."""
    limit = total_bytes()
    try:
        now = state(store_dir)
    except OSError:
        return produce(out)
    kept = path(store_dir, listing_key)
    if not limit:  # none kept, none served: those kept before go
        _evict(kept.parent, 0)
        return produce(out)
    if _copy(kept, listing_key, now, out):
        return None
    produced, result = False, None
    started = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            copy = _opened(kept, stack)
            tee = _Tee(out, copy, min(MAX_BYTES, limit))
            result = produce(tee)
            produced = True
            if copy is None or tee.size is None or time.perf_counter() - started < MIN_SECONDS:
                raise _NotKept
            if not unchanged(store_dir, now):
                raise _NotKept
            copy.seek(0)
            copy.write(_header(listing_key, now, tee.size, tee.digest.hexdigest()))
    except _NotKept:
        return result
    except OSError:  # the kept copy could not be finished (a full disk): the listing itself was written
        if not produced:
            raise
        return result
    _evict(kept.parent, limit)
    return result


def copied(store_dir: Path, text: str, output_format: str, lists: dict[str, str], out: BinaryIO) -> bool:
    """Whether the listing of ``text`` in ``output_format`` was kept on the store as it is now, and so was copied to
    ``out``; the store is not opened (see the module's docstring for why the state alone is enough)."""
    if not repeatable(text) or not total_bytes():  # never kept (kgtool.sparql.answers.repeatable), or none is
        return False
    listing_key = key(text, output_format, lists)
    try:
        now, kept = state(store_dir), path(store_dir, listing_key)
    except (OSError, ValueError):  # no store there, a path without a name (/): the command that opens it says so
        return False
    return _copy(kept, listing_key, now, out)


def _copy(kept: Path, listing_key: str, now: str, out: BinaryIO) -> bool:
    """``kept`` copied to ``out`` if it was kept for ``listing_key`` on the store in state ``now``."""
    source = _valid(kept, listing_key, now)
    if source is None:
        return False
    with source:
        shutil.copyfileobj(source, out, 2**20)
    with contextlib.suppress(OSError):
        os.utime(kept)  # the least recently asked is removed first
    return True


class _NotKept(Exception):
    """The listing was written but is not kept: fast, too large, or the store changed meanwhile."""


def _opened(kept: Path, stack: contextlib.ExitStack) -> BinaryIO | None:
    """A temporary file that becomes ``kept`` when ``stack`` closes without an error; None if it cannot be written."""
    try:
        kept.parent.mkdir(exist_ok=True)
        copy = stack.enter_context(replacing(kept))
        copy.write(b" " * _HEADER)
    except OSError:
        return None
    return copy


class _Tee(io.RawIOBase):
    """Writes to ``out`` and to ``copy`` (digest and size counted) until ``copy`` passes ``limit`` bytes or fails;
    then ``size`` is None and nothing more is copied."""

    def __init__(self, out: BinaryIO, copy: BinaryIO | None, limit: int) -> None:
        self.out, self.copy, self.limit = out, copy, limit
        self.size: int | None = 0
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.out.write(chunk)
        if self.copy is None or self.size is None:
            return len(chunk)
        self.size += len(chunk)
        try:
            if self.size <= self.limit:
                self.copy.write(chunk)
                self.digest.update(chunk)
                return len(chunk)
        except OSError:  # a full disk: the listing goes on, its copy is dropped
            pass
        self.size = None
        return len(chunk)


def _header(listing_key: str, now: str, size: int, digest: str) -> bytes:
    line = b" ".join([_MAGIC, listing_key.encode(), now.encode(), b"%020d" % size, digest.encode()]) + b"\n"
    assert len(line) == _HEADER
    return line


def _valid(kept: Path, listing_key: str, now: str) -> BinaryIO | None:
    """``kept`` opened at its first byte of the listing, if it is whole and was kept for ``listing_key`` on the store
    in state ``now``; None otherwise (missing, another key or state, cut short, damaged)."""
    try:
        source = open_regular(kept)  # a FIFO there is not waited on
    except OSError:
        return None
    try:
        fields = source.read(_HEADER).split()
        if len(fields) == 5 and fields[:3] == [_MAGIC, listing_key.encode(), now.encode()] and fields[3].isdigit():
            size, digest = int(fields[3]), fields[4].decode("ascii", "replace")
            whole = os.fstat(source.fileno()).st_size == _HEADER + size
            if whole and hashlib.file_digest(source, "sha256").hexdigest() == digest:
                source.seek(_HEADER)
                return source
    except OSError:
        pass
    source.close()
    return None


def _evict(kept_folder: Path, limit: int) -> None:
    """Remove the least recently asked listings, and temporary files a killed process left (up to ``MAX_BYTES``
    each, counted with the listings; ``answers.kept_files``), until they hold at most ``limit`` bytes together."""
    kept = sorted(answers.kept_files(kept_folder, SUFFIX))
    held = sum(size for _, size, _ in kept)
    for _, size, old in kept:
        if held <= limit:
            break
        with contextlib.suppress(OSError):  # removed meanwhile: it holds nothing any more either
            os.unlink(old)
        held -= size
