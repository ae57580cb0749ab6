"""kgtool commands: check (to be written)."""

from __future__ import annotations
