"""Who holds a store: so that "in use by another kgtool process" can say which one (command and PID).

Oxigraph's lock and kgtool's lock file say only *that* a store is held. Each kgtool process that holds a store
(opens it, or takes kgtool's lock beside it, as ``kgtool serve`` does for as long as it serves) leaves a note in the
temporary folder (one folder per store, one note per process): its command line and since when; the note goes when
it lets go. A note whose process
is gone (killed) is ignored and removed, so a stale note never names the wrong culprit.
"""

from __future__ import annotations

import datetime
import json
import os
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_held: dict[Path, int] = {}  # how many times this process holds each store (nested lock + open)


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    since: str

    def __str__(self) -> str:
        return f"`{self.command}` (PID {self.pid}, since {self.since})"


def _notes(path: Path) -> Path:
    """The folder of notes about the store at ``path``: in the temporary folder, not beside the store (whose
    folder holds only what kgtool's build and lock put there)."""
    import hashlib
    import tempfile

    key = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kgtool-holders-{os.getuid()}" / key


def command_line() -> str:
    """This process's command as the user typed it: ``kgtool serve --store s`` (however kgtool was started)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("python")
    program = started.name
    if program == "kgtool" or (program in ("__main__.py", "main.py") and "kgtool" in started.parts):
        program = "kgtool"
    return " ".join([program, *(shlex.quote(arg) for arg in sys.argv[1:])])


@contextmanager
def holding(path: Path) -> Iterator[None]:
    """Leave a note that this process holds the store at ``path`` for the duration of the block."""
    key = Path(path).resolve()
    note = _notes(key) / str(os.getpid())
    if _held.get(key, 0) == 0:
        try:
            note.parent.mkdir(parents=True, exist_ok=True)
            since = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            note.write_text(json.dumps({"command": command_line(), "since": since}), encoding="utf-8")
        except OSError:
            pass  # a note is a courtesy: a read-only folder must not stop the command
    _held[key] = _held.get(key, 0) + 1
    try:
        yield
    finally:
        _held[key] -= 1
        if _held[key] == 0:
            note.unlink(missing_ok=True)


def holders(path: Path) -> list[Holder]:
    """The other live processes that hold the store at ``path``, oldest first."""
    found = []
    folder = _notes(Path(path).resolve())
    for note in sorted(folder.glob("*")) if folder.is_dir() else []:
        try:
            pid = int(note.name)
            if pid == os.getpid():
                continue
            os.kill(pid, 0)  # raises when no such process: a note left by a killed one
            data = json.loads(note.read_text(encoding="utf-8"))
            found.append(Holder(pid, str(data.get("command", "?")), str(data.get("since", "?"))))
        except ProcessLookupError:
            note.unlink(missing_ok=True)
        except (ValueError, OSError):
            continue
    return sorted(found, key=lambda holder: holder.since)


def described(path: Path) -> str:
    """``: kgtool serve --store s (PID 1234, since …)``, or nothing when no live holder left a note."""
    found = holders(path)
    return ": " + "; ".join(str(holder) for holder in found) if found else ""
