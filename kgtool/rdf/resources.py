"""Where the project's knowledge files are: the checkout, or the copy shipped inside the wheel.

In a checkout (and an editable install) ``ontology/``, ``shapes/``, ``data/`` and ``queries/`` sit beside the
``kgtool/`` package; a plain ``pip install .`` copies them to ``kgtool/resources/``. Callers ask for a folder
by name and never care which layout they run in.
"""

from __future__ import annotations

from pathlib import Path

KNOWLEDGE_FOLDERS = ("ontology", "shapes", "data", "queries")

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the kgtool package (this module is kgtool/rdf/)


def project_root() -> Path:
    """The folder that holds the knowledge folders (the checkout, or the wheel's resources)."""
    checkout = _PACKAGE_DIR.parent
    if (checkout / "ontology").is_dir() and (checkout / "queries").is_dir():
        return checkout
    return _PACKAGE_DIR / "resources"


def folder(name: str) -> Path:
    """Path of one knowledge folder, e.g. ``folder("queries")``."""
    if name not in KNOWLEDGE_FOLDERS:
        raise ValueError(f"unknown knowledge folder {name!r}")
    return project_root() / name
