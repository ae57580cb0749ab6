"""One error hierarchy for the whole library; each error carries the exit code of the contract.

The library raises these and never prints or exits; ``kgtool.cli`` turns them into one line on stderr
and the exit code (0 success, 1 problems in the data or ontology, 2 unusable input or usage,
3 a backend unavailable).
"""

from __future__ import annotations


class KgtoolError(Exception):
    """Base class: ``str(error)`` is the one line shown to the user; ``es`` the same line in Spanish, shown
    instead when the command runs with ``--lang es``."""

    exit_code = 2

    def __init__(self, message: str = "", es: str | None = None) -> None:
        super().__init__(message)
        self.es = es

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` (Spanish where written, else English)."""
        return self.es if lang == "es" and self.es else str(self)


class UsageError(KgtoolError):
    """The request cannot be understood: unknown query, bad parameter, unknown format."""

    exit_code = 2


class InputError(KgtoolError):
    """A file cannot be used: missing, unreadable, wrongly encoded or not parseable."""

    exit_code = 2


class DataProblem(KgtoolError):
    """The data or the ontology has problems (violations, inconsistency, failed checks)."""

    exit_code = 1


class BackendUnavailable(KgtoolError):
    """A backend cannot be reached: the store is locked or missing, an endpoint is down, no JRE."""

    exit_code = 3
