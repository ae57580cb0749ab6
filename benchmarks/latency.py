"""Ingest latency beyond process start: `kgtool ingest` of a fresh small submission minus `kgtool --help`.

Issue 19's target (100 records into a 1M-triple store ≤ 100 ms beyond process start) is about the whole command,
imports and all, which `benchmarks/run` (timed around the library call) does not see. Each round runs, for every
checkout given, `kgtool --help` then `kgtool ingest` of a new synthetic submission (its own seed and slugs, so
that it is never the store's already) into the same store, as separate processes under `nice`; rounds interleave
the checkouts, so that the machine's load weighs on each alike. Reported per checkout: medians of the wall times
and of the processes' CPU times (user + system, less sensitive to other work on the machine), and of their
differences round by round ("beyond").

    python benchmarks/latency.py --store COPY_OF_A_STORE --rounds 12 before=/path/to/old/checkout after=.

The store is written to (each round adds a submission): give it a copy. Synthetic data only
(``benchmarks/generate.py``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GENERATE = Path(__file__).resolve().parent / "generate.py"


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str], checkout: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one process run in ``checkout`` (so that ``python -m`` imports its kgtool); its
    last line of output."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(["nice", "-n", "10", *command], cwd=checkout, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:4])} failed in {checkout} ({done.returncode}): {done.stderr[-400:]}")
    return wall, _children_cpu() - cpu, lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", help="LABEL=PATH of a kgtool checkout (its kgtool/ is imported)")
    parser.add_argument("--store", type=Path, required=True, help="a store to ingest into (a copy: it is written)")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--records", type=int, default=100, help="records per submission (default 100)")
    parser.add_argument("--seed", type=int, default=1900, help="first seed (each submission gets the next)")
    args = parser.parse_args(argv)
    checkouts = [(label, Path(path).resolve()) for label, path in (item.split("=", 1) for item in args.checkouts)]
    env = dict(os.environ)
    folder = Path(tempfile.mkdtemp(prefix="kgtool-latency-"))
    rows: dict[str, list[tuple[float, float, float, float]]] = {label: [] for label, _ in checkouts}
    seed = args.seed
    for round_ in range(1, args.rounds + 1):
        for label, checkout in checkouts:
            seed += 1
            records = folder / f"synthetic-{seed}.ttl"
            make = [sys.executable, str(GENERATE), "--records", str(args.records), "--seed", str(seed)]
            subprocess.run([*make, "--prefix", f"synthetic-latency-{seed}", "--out", str(records)], check=True,
                           capture_output=True)  # fmt: skip
            help_wall, help_cpu, _ = timed([sys.executable, "-m", "kgtool.cli", "--help"], checkout, env)
            ingest = ["ingest", "--store", str(args.store), "--submitter", "latency benchmark", "-m", f"round {seed}"]
            wall, cpu, last = timed([sys.executable, "-m", "kgtool.cli", *ingest, str(records)], checkout, env)
            if "Ingested submission" not in last:
                raise SystemExit(f"{label}: not ingested: {last}")
            rows[label].append((help_wall, wall, help_cpu, cpu))
            print(
                f"{label} round {round_}: help {help_wall:.3f} s, ingest {wall:.3f} s, beyond {wall - help_wall:.3f} s"
            )
    print("\n| checkout | rounds | `--help` | `ingest` | beyond start | CPU `--help` | CPU `ingest` | CPU beyond |")
    print("|---|---|---|---|---|---|---|---|")
    for label, measured in rows.items():
        help_wall, wall, help_cpu, cpu = (statistics.median(column) for column in zip(*measured, strict=True))
        beyond = statistics.median(w - h for h, w, _, _ in measured)
        cpu_beyond = statistics.median(c - h for _, _, h, c in measured)
        print(
            f"| {label} | {len(measured)} | {help_wall:.3f} s | {wall:.3f} s | {beyond:.3f} s | {help_cpu:.3f} s "
            f"| {cpu:.3f} s | {cpu_beyond:.3f} s |"
        )
    print(f"\n`uptime`: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
