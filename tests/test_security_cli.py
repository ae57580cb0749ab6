"""The command line's own contract (issue 13): one line per error, exit codes 0–3 only, ``--version``, and
output paths that are devices, FIFOs, links or ``-``."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import kgtool
from conftest import one_line_error, run_kgtool


def test_version():
    """Regression: `kgtool --version` answered "Missing command" (exit 2)."""
    result = run_kgtool("--version")
    assert result.code == 0 and result.stdout.strip() == f"kgtool {kgtool.__version__}"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("query",), ("Missing argument", "kgtool query --help")),
        (("bogus",), ("No such command", "kgtool --help")),
        (("export", "--bogus"), ("No such option", "kgtool export --help")),
        (("query", "actors-by-sector", "--timeout", "soon"), ("--timeout", "kgtool query --help")),
    ],
    ids=["missing-argument", "unknown-command", "unknown-option", "bad-number"],
)
def test_usage_errors_are_one_line(args, words):
    """Regression: a usage error was a box of 5–6 lines."""
    one_line_error(run_kgtool(*args), 2, *words)


def test_unexpected_errors_and_interrupts_map_into_the_contract():
    """What a bug or an interrupt would exit with, through the same functions `kgtool` exits through."""
    code = (
        "from kgtool.cli.main import describe_unexpected, exit_code\n"
        "print([exit_code(c) for c in (None, 0, 1, 2, 3, 70, 130, 139, -11)])\n"
        "print(describe_unexpected(RuntimeError('two\\nlines')))\n"
        "print(describe_unexpected(MemoryError()))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    codes, unexpected, memory = done.stdout.splitlines()
    assert codes == "[0, 0, 1, 2, 3, 3, 3, 3, 3]"
    assert unexpected.startswith("kgtool: internal error: RuntimeError: two lines") and "--debug" in unexpected
    assert "not enough memory" in memory


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (RuntimeError("a bug\nin two lines"), "internal error: RuntimeError: a bug in two lines"),
        (MemoryError(), "memory"),
    ],
    ids=["bug", "memory"],
)
def test_an_unexpected_error_in_a_command_is_exit_3_and_one_line(monkeypatch, capsys, error, words):
    """Through kgtool's own entry point: a command whose library call fails in a way kgtool did not foresee
    exits 3 with one line (the `except Exception` of kgtool.cli.main), never 1, 70 or a traceback."""
    import importlib

    from kgtool.sparql import catalog

    entry_point = importlib.import_module("kgtool.cli.main").main  # kgtool.cli.main is also the function's name

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(catalog, "catalog", broken)
    with pytest.raises(SystemExit) as exited:
        entry_point(["queries"])
    assert exited.value.code == 3
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in lines[0], lines


def test_an_interrupt_exits_3_in_one_line(tmp_path: Path):
    """Ctrl-C during a command: exit 3 (the work was not done), one line, no traceback. The command is a build
    waiting for the store's lock, which this test holds; the signal is sent once the build has the lock file
    open (seen in /proc), so it lands in the wait and not in Python's start-up."""
    import fcntl
    import signal
    import time

    store = tmp_path / "kg"
    lock_file = tmp_path / "kg.lock"
    with lock_file.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen(
            [sys.executable, "-m", "kgtool.cli", "build", "--store", str(store)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={
                **os.environ,
                "PYTHONPATH": str(Path(kgtool.__file__).resolve().parents[1]),
                "KGTOOL_LOCK_WAIT": "120",
            },
        )
        descriptors = Path(f"/proc/{waiting.pid}/fd")
        deadline = time.monotonic() + 60
        while not any(os.path.realpath(fd) == str(lock_file) for fd in descriptors.iterdir()):
            assert waiting.poll() is None and time.monotonic() < deadline, "the build never opened the lock file"
            time.sleep(0.1)
        waiting.send_signal(signal.SIGINT)
        _, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 3 and "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not store.exists()


def test_dash_is_standard_output(tmp_path: Path, store_dir: Path):
    """Regression: `-o -` wrote a file named '-'."""
    export = run_kgtool("export", "-o", "-", "--store", str(store_dir), cwd=tmp_path)
    assert export.code == 0 and export.stdout.startswith("@prefix")
    report = run_kgtool("report", "-o", "-", "--store", str(store_dir), cwd=tmp_path)
    assert (
        report.code == 0 and report.stdout.startswith("<!DOCTYPE html>") and report.stdout.rstrip().endswith("</html>")
    )
    assert list(tmp_path.iterdir()) == []


def _read_fifo(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:
            into.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


@pytest.mark.parametrize("command", ["export", "report"])
def test_a_fifo_is_written_in_place_never_replaced(tmp_path: Path, store_dir: Path, command: str):
    """Regression: output was written to a temporary file renamed over the target, which replaced a FIFO (and,
    as root, /dev/null or /dev/full) with a regular file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    result = run_kgtool(command, "-o", str(fifo), "--store", str(store_dir))
    reader.join(timeout=60)
    assert result.code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and received and len(received[0]) > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_fifo_nobody_reads_is_refused(tmp_path: Path, store_dir: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    one_line_error(run_kgtool("export", "-o", str(fifo), "--store", str(store_dir)), 2, "nobody reads")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root; the FIFO tests cover the rule")
def test_devices_are_written_in_place_never_replaced(tmp_path: Path, store_dir: Path):
    """As root, copies of /dev/null (1,3) and /dev/full (1,7) in a private folder: a regression here cannot
    replace the machine's real devices."""
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    assert run_kgtool("export", "-o", str(null), "--store", str(store_dir)).code == 0
    one_line_error(run_kgtool("export", "-o", str(full), "--store", str(store_dir)), 2, str(full), "No space left")
    one_line_error(run_kgtool("report", "-o", str(full), "--store", str(store_dir)), 2, "No space left")
    for device in (null, full):
        assert stat.S_ISCHR(device.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


def test_standard_output_that_cannot_be_written_is_one_line(store_dir: Path):
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "kgtool.cli", "export", "--store", str(store_dir)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(kgtool.__file__).resolve().parents[1])},
            timeout=120,
        )
    assert done.returncode == 2 and "standard output" in done.stderr and "No space left" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_symbolic_link_stays_a_link(tmp_path: Path, store_dir: Path):
    target = tmp_path / "backups" / "latest.trig"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "backup.trig"
    link.symlink_to(target)
    assert run_kgtool("export", "-o", str(link), "--store", str(store_dir)).code == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("@prefix")


@pytest.mark.parametrize("command", ["export", "report"])
def test_a_missing_folder_is_one_line(tmp_path: Path, store_dir: Path, command: str):
    """Regression: `export -o` into a missing folder ended in an internal error (exit 70)."""
    missing = tmp_path / "missing" / "out"
    one_line_error(run_kgtool(command, "-o", str(missing), "--store", str(store_dir)), 2, "does not exist")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("output_format", ["csv", "json", "table"])
def test_a_query_answer_that_cannot_be_written_is_one_line(store_dir: Path, output_format: str):
    """A full disk under `kgtool query` is the same one line (exit 2) as under `kgtool export`, never an
    'internal error' asking for a report."""
    command = ["query", "fact-provenance", "--format", output_format, "--store", str(store_dir)]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "kgtool.cli", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(kgtool.__file__).resolve().parents[1])},
            timeout=120,
        )
    assert done.returncode == 2, done.stderr
    assert "standard output" in done.stderr and "No space left" in done.stderr and "internal" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [
        ["query", "fact-provenance", "--format", "csv"],
        ["query", "fact-provenance", "--format", "table"],
        ["export", "--format", "nquads"],
    ],
    ids=["query-csv", "query-table", "export"],
)
def test_a_reader_that_closed_the_pipe_ends_the_command_quietly_with_exit_3(store_dir: Path, command: list[str]):
    """`kgtool query ... | head`: the reader goes away before kgtool writes. typer (and rich, for tables) would
    exit 1, the contract's code for data with problems; kgtool exits 3 (not finished) and prints nothing, as a
    program SIGPIPE ends. The read end is closed before the command starts writing, so every write fails."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kgtool.cli", *command, "--store", str(store_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(kgtool.__file__).resolve().parents[1])},
    )
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 3, stderr
    assert stderr == ""
