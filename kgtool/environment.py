"""Settings read from the environment (``$KGTOOL_…``), checked once so that a bad value is a usage error."""

from __future__ import annotations

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
