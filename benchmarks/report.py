"""The table ``benchmarks/run`` prints, and the results file it writes with the machine and the versions.

Why a table of ratios: a time alone says little on an unknown machine; a time beside the tool a user would
otherwise run, measured in the same run on the same input, says how kgtool compares and travels between machines.
Every row: what was measured, kgtool's time, the baseline's, the speed ratio (baseline time / kgtool time, so
"2×" means kgtool is twice as fast), the target, whether it is met, and the peak memory of both processes.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata

COLUMNS = (
    "step",
    "work",
    "kgtool",
    "baseline",
    "baseline time",
    "speed vs baseline",
    "target",
    "met",
    "kgtool peak",
    "baseline peak",
)


@dataclass
class Row:
    """One line of the table. Times in seconds (None: not measured; ``limit``: stopped at that many seconds)."""

    step: str
    work: str
    seconds: float | None
    baseline: str = "—"
    baseline_seconds: float | None = None
    baseline_limit: float | None = None
    baseline_error: str | None = None
    target: str = "—"
    met: bool | None = None
    peak: int | None = None  # KiB
    baseline_peak: int | None = None
    kgtool_text: str | None = None  # shown instead of the time (e.g. a throughput beside it)

    def ratio(self) -> str:
        """Baseline time over kgtool's time; a lower bound when the baseline hit its limit."""
        if self.seconds is None or self.seconds <= 0:
            return "—"
        if self.baseline_seconds is not None:
            return f"{self.baseline_seconds / self.seconds:.2f}×"
        if self.baseline_limit is not None:
            return f"> {self.baseline_limit / self.seconds:.2f}×"
        return "—"

    def cells(self) -> list[str]:
        if self.baseline_seconds is not None:
            baseline_time = duration(self.baseline_seconds)
        elif self.baseline_limit is not None:
            baseline_time = f"> {duration(self.baseline_limit)} (stopped)"
        elif self.baseline_error:
            baseline_time = f"fails ({self.baseline_error})"
        else:
            baseline_time = "—"
        return [
            self.step,
            self.work,
            self.kgtool_text or duration(self.seconds),
            self.baseline,
            baseline_time,
            self.ratio(),
            self.target,
            {True: "yes", False: "**no**", None: "—"}[self.met],
            memory(self.peak),
            memory(self.baseline_peak),
        ]


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def memory(kib: int | None) -> str:
    if kib is None:
        return "—"
    return f"{kib / 1024:.0f} MiB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.2f} GiB"


def table(rows: list[Row]) -> str:
    """A Markdown table, aligned so that it also reads well in a terminal."""
    lines = [list(COLUMNS), *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    text = [_line(lines[0], widths), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    text += [_line(line, widths) for line in lines[1:]]
    return "\n".join(text) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"


def machine() -> dict[str, str]:
    """Cores, memory, CPU, system: what a reader needs to compare a results file with their own machine."""
    info = {
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "memory": _meminfo(),
        "cpu": _cpu_model(),
        "system": platform.platform(),
    }
    return info


def _meminfo() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions(oxigraph_binary: str) -> dict[str, str]:
    """The versions of everything measured: kgtool, Python, the engines and the baselines."""
    found = {"python": sys.version.split()[0]}
    for package in ("kgtool", "pyoxigraph", "oxigraph", "rdflib", "pyshacl", "owlready2"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["oxigraph (command)"] = _command_version([oxigraph_binary, "--version"])
    found["java"] = _command_version(["java", "-version"])
    return found


def _command_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"
