"""kgtool commands: validate (to be written)."""

from __future__ import annotations
