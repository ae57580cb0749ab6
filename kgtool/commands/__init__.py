"""Command modules: each registers its commands on ``kgtool.commands.app.app`` when imported."""

from kgtool.commands import build, query  # noqa: F401  (registration)
