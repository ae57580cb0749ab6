"""Files kgtool writes for people (the report, workbooks): whole or not at all, even when interrupted."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kgtool.errors import InputError


def write_atomically(out: Path, content: bytes, what: str = "the file") -> None:
    """Write ``content`` to a temporary file beside ``out`` and rename it over ``out``: never a partial file.

    The file gets the permissions a new file would (the umask's), and the data is on disk before the rename.
    Errors are one ``InputError`` line that names ``--out`` and ``what`` was being written.
    """
    try:
        descriptor, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    except OSError as error:
        raise InputError(f"--out {out}: cannot write in {out.parent}: {error.strerror or error}") from error
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"--out {out}: cannot write {what}: {error.strerror or error}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
