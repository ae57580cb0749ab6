"""The user's files: read within a limit, written whole or not at all, devices and ``-`` treated as what they are.

Reading (``read_input``): kgtool reads regular files only, and at most ``$KGTOOL_MAX_INPUT_MB`` of each (512 MB
by default). A device (``/dev/zero``), a FIFO nobody writes, a socket would make a read that never ends; they are
refused at once, before anything opens them for reading, in one ``InputError`` line (exit 2).

Writing (``writing``, ``write_atomically``): ``-`` is standard output; an existing device or FIFO
(``/dev/null``, ``/dev/full``, a pipe) is written in place and never replaced; anything else gets a temporary
file beside the target, renamed over it once complete (a symbolic link is followed, so the link stays a link).
A write that fails — a missing folder, a full disk — is one ``InputError`` line and leaves no partial file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kgtool.errors import InputError

MAX_INPUT_ENV = "KGTOOL_MAX_INPUT_MB"
MAX_INPUT_MB = 512.0
STDOUT = "-"


def max_input_bytes() -> int:
    """The largest file kgtool reads, in bytes (``$KGTOOL_MAX_INPUT_MB``)."""
    from kgtool.environment import megabytes

    return megabytes(MAX_INPUT_ENV, MAX_INPUT_MB)


def too_large(path: Path | str, size: int | None = None) -> InputError:
    """The one line for a file beyond ``$KGTOOL_MAX_INPUT_MB``."""
    limit = max_input_bytes() / 2**20
    measured = f" ({size / 2**20:.1f} MB)" if size is not None else ""
    return InputError(
        f"{path}: larger than the input limit of {limit:g} MB{measured}; raise ${MAX_INPUT_ENV} to read it"
    )


def require_regular(path: Path, what: str = "file") -> os.stat_result:
    """``path``'s status if it is a regular file (symbolic links followed); else one InputError line."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    if stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path}: is a folder, not a {what}")
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"{path}: not a regular file (a device, FIFO or socket); kgtool reads only files")
    return status


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (links followed), without waiting: opening a FIFO for
    reading would wait for a writer. OSError for anything else (missing, a folder, a FIFO, a device)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    handle = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        handle.close()
        raise OSError(f"{path}: not a regular file")
    return handle


def read_input(path: Path, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``$KGTOOL_MAX_INPUT_MB``; one InputError line otherwise.

    The size is checked before reading, and the read stops one byte past the limit, so a file that grows while
    it is read is refused too. The file is opened without waiting (a FIFO swapped in after the check cannot
    block) and checked again once open.
    """
    limit = max_input_bytes()
    status = require_regular(path, what)
    if status.st_size > limit:
        raise too_large(path, status.st_size)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(f"{path}: not a regular file (a device, FIFO or socket); kgtool reads only files")
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise InputError(f"{path}: cannot be read ({error.strerror or error})") from error
    if len(data) > limit:
        raise too_large(path)
    return data


def read_text(path: Path, what: str = "file") -> str:
    """``read_input`` decoded as UTF-8 (a byte order mark dropped); one InputError line when it is not UTF-8."""
    data = read_input(path, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte 0x{data[error.start]:02x})") from error


@contextlib.contextmanager
def writing(out: Path | str, what: str = "the file") -> Iterator[BinaryIO]:
    """A binary handle that writes ``out``: standard output for ``-``, an existing device or FIFO in place, any
    other path through a temporary file renamed over it when the block ends without an error."""
    if str(out) == STDOUT:
        with reported(STDOUT, what):
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        return
    target = Path(os.path.realpath(out))  # a symbolic link is followed: the link stays, its target is replaced
    if target.exists() and not target.is_file():
        if target.is_dir():
            raise InputError(f"{out}: is a folder; give a file name, such as {Path(out) / 'out'}")
        with reported(out, what), _open_in_place(target, out) as device:  # /dev/null, a FIFO: never replaced
            yield device
        return
    if not target.parent.is_dir():
        raise InputError(f"{out}: cannot write {what}: the folder {Path(out).parent} does not exist")
    with reported(out, what), replacing(target) as handle:
        yield handle


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``target`` (``.NAME.*.part``), synced and renamed over it when the block ends without
    an error, removed otherwise: ``target`` is never partial. Errors are raised as they are (``writing`` words them)."""
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(out: Path | str, content: bytes, what: str = "the file") -> None:
    """Write ``content`` to ``out`` as ``writing`` does: never a partial file, never a replaced device."""
    with writing(out, what) as handle:
        handle.write(content)


def _open_in_place(target: Path, out: Path | str) -> BinaryIO:
    """An existing device or FIFO opened for writing; a FIFO that nobody reads is refused instead of waited on."""
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise InputError(f"{out}: a FIFO that nobody reads from; start its reader first") from None
        raise
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "wb")


@contextlib.contextmanager
def reported(out: Path | str, what: str) -> Iterator[None]:
    """Turn an OSError while writing ``out`` into one InputError line (a full disk, a missing permission). A
    reader that closed its end of a pipe (``kgtool query ... | head``) is not an error of the output: its
    ``BrokenPipeError`` goes on to ``kgtool.cli.main``, which ends the command quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        where = "standard output" if str(out) == STDOUT else str(out)
        raise InputError(f"{where}: cannot write {what}: {error.strerror or error}") from error
