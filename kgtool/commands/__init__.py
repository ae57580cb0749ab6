"""Command modules: each registers its commands on ``kgtool.commands.app.app`` when imported."""

from kgtool.commands import build, check, ingest, query, remote, report, serve, validate  # noqa: F401  (registration)
