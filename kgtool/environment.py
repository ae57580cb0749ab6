"""Settings read from the environment (``$KGTOOL_…``), checked once so that a bad value is a usage error.

An unset or empty variable means the default. Anything else must be a number of the stated kind, or kgtool
exits 2 naming the variable: a typo in a limit must never silently switch the limit off.
"""

from __future__ import annotations

import math
import os

from kgtool.errors import UsageError


def positive_int(name: str, default: int, unit: str) -> int:
    """``$name`` as a positive integer of ``unit`` (e.g. "records"), ``default`` when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"${name} must be a positive number of {unit}, not {value!r}")
    return int(value)


def number(name: str, default: float, unit: str, allow_zero: bool = False) -> float:
    """``$name`` as a finite positive number of ``unit`` (zero too when ``allow_zero``), ``default`` when unset
    or empty; fractions are allowed (``0.5`` MB)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        parsed = float(value)
    except ValueError:
        parsed = math.nan
    if not math.isfinite(parsed) or parsed < 0 or (parsed == 0 and not allow_zero):
        kind = "a number" if allow_zero else "a positive number"
        raise UsageError(f"${name} must be {kind} of {unit}, not {value!r}")
    return parsed


def megabytes(name: str, default: float) -> int:
    """``$name`` as a positive number of megabytes (MB = 2**20 bytes), in bytes."""
    return max(1, int(number(name, default, "megabytes") * 2**20))
