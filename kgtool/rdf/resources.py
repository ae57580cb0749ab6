"""Where the knowledge files are: the project folder the user works in, else the copy installed with kgtool.

A *project folder* holds ``ontology/`` (Turtle files) beside at least one of ``data/``, ``shapes/`` and
``queries/``, as the kgtool checkout does and as a knowledge engineer's own copy does. Like git finds its
repository, kgtool finds the project from the current folder upward, unless one is named: ``--project DIR``
(``use_project``), else ``$KGTOOL_PROJECT``. Outside any project the copy installed with kgtool is used (in a
checkout or an editable install the checkout beside the package; after ``pip install .`` the wheel's
``kgtool/resources/``), and the commands that read the files say so: a user editing ``ontology/`` must never
have a command silently check another copy.

Callers ask for a folder by name (``folder("queries")``); a project without one of the folders (say, no
``queries/``) gets the installed copy's for that folder alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kgtool.errors import UsageError

KNOWLEDGE_FOLDERS = ("ontology", "shapes", "data", "queries")
PROJECT_ENV = "KGTOOL_PROJECT"
#: What makes a folder a project: ontology/ with Turtle files, and one of these beside it.
MARKER = "ontology/*.ttl with data/, shapes/ or queries/ beside it"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the kgtool package (this module is kgtool/rdf/)


@dataclass(frozen=True)
class Project:
    """The folder the knowledge files are read from, and how it was chosen."""

    root: Path
    how: str  # "--project", "$KGTOOL_PROJECT", "found", "installed"
    start: Path | None = None  # the folder the search started from (for "found" and "installed")

    @property
    def installed(self) -> bool:
        return self.how == "installed"

    def describe(self) -> str:
        """One line for the user: which project, and how kgtool chose it."""
        if self.installed:
            return (
                f"no kgtool project folder in {self.start} or above ({MARKER}): using the copy installed with "
                f"kgtool at {self.root}; to use your own, work inside it or pass --project DIR (or set "
                f"${PROJECT_ENV})"
            )
        reason = {"found": f"found from {self.start}", "--project": "--project"}.get(self.how, self.how)
        return f"project {self.root} ({reason})"


_chosen: dict[str, Project] = {}


def is_project(path: Path) -> bool:
    """Whether ``path`` is a project folder (see ``MARKER``)."""
    ontology = path / "ontology"
    if not ontology.is_dir() or not any(ontology.glob("*.ttl")):
        return False
    return any((path / name).is_dir() for name in ("data", "shapes", "queries"))


def installed_root() -> Path:
    """The copy installed with kgtool: the checkout beside the package, else the wheel's resources."""
    checkout = _PACKAGE_DIR.parent
    if (checkout / "ontology").is_dir() and (checkout / "queries").is_dir():
        return checkout
    return _PACKAGE_DIR / "resources"


def use_project(path: Path | str, how: str = "--project") -> Project:
    """Work on the project at ``path`` from now on (the ``--project`` option); refused if it is not one."""
    root = Path(path).expanduser()
    if not is_project(root):
        raise UsageError(f"{how} {root}: not a kgtool project folder (it needs {MARKER})")
    _chosen["project"] = Project(root.resolve(), how)
    return _chosen["project"]


def project(start: Path | None = None) -> Project:
    """The project in use: the one named (``--project``, ``$KGTOOL_PROJECT``), else the first project folder from
    ``start`` (the current folder) upward, else the installed copy."""
    if "project" in _chosen:
        return _chosen["project"]
    named = os.environ.get(PROJECT_ENV)
    if named:
        return use_project(named, f"${PROJECT_ENV}")
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return Project(folder, "found", start)
    return Project(installed_root(), "installed", start)


def project_root() -> Path:
    """The folder that holds the knowledge folders in use."""
    return project().root


def folder(name: str) -> Path:
    """Path of one knowledge folder, e.g. ``folder("queries")``: the project's, else the installed copy's."""
    if name not in KNOWLEDGE_FOLDERS:
        raise ValueError(f"unknown knowledge folder {name!r}")
    own = project_root() / name
    return own if own.is_dir() else installed_root() / name
