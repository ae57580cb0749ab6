"""SECURITY.md says what kgtool guarantees: its settings, their defaults and the tests behind it must be true."""

from __future__ import annotations

import re
from pathlib import Path

import kgtool
from kgtool import files
from kgtool.rdf import limits
from kgtool.sparql import deadline, listings
from kgtool.store import submissions
from kgtool.validation import parts

ROOT = Path(__file__).resolve().parents[1]
SECURITY = ROOT / "SECURITY.md"

#: Each size or wait setting and its default in the code, as the table in SECURITY.md must give it.
DEFAULTS = {
    "KGTOOL_MAX_INPUT_MB": files.MAX_INPUT_MB,
    "KGTOOL_MAX_DEPTH": limits.MAX_DEPTH,
    "KGTOOL_MAX_LITERAL_MB": limits.MAX_LITERAL_MB,
    "KGTOOL_MAX_RESPONSE_MB": deadline.MAX_RESPONSE_MB,
    "KGTOOL_WRITE_BATCH": submissions.WRITE_BATCH,
    "KGTOOL_PART_RECORDS": parts.PART_RECORDS,
    "KGTOOL_LOCK_WAIT": 10,
    "KGTOOL_LISTINGS_MB": listings.LISTINGS_MB,
}
#: Settings that are not limits: where the store and the cache of compiled shapes are, an endpoint's credentials.
NOT_LIMITS = {
    "KGTOOL_STORE",
    "KGTOOL_PROJECT",
    "KGTOOL_CACHE_DIR",
    "KGTOOL_ENDPOINT_USER",
    "KGTOOL_ENDPOINT_PASSWORD",
    "KGTOOL_ENDPOINT_AUTH",
}


def _table_rows(text: str) -> dict[str, str]:
    """Setting -> its default cell, from the rows of the "Limits and settings" table."""
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3:
            for name in re.findall(r"\$(KGTOOL_[A-Z_]+)", cells[0]):
                rows[name] = cells[1]
    return rows


def test_every_limit_the_code_reads_is_in_the_table_with_its_default():
    code = "".join(path.read_text(encoding="utf-8") for path in Path(kgtool.__file__).parent.rglob("*.py"))
    read = set(re.findall(r"(?<![A-Za-z_])KGTOOL_[A-Z_]+", code)) - NOT_LIMITS  # not constants like _KGTOOL_GRAPHS
    assert read == set(DEFAULTS), "settings read by the code and listed here differ"
    rows = _table_rows(SECURITY.read_text(encoding="utf-8"))
    assert set(rows) == set(DEFAULTS)
    for name, default in DEFAULTS.items():
        numbers = [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", rows[name])]
        assert float(default) in numbers, f"SECURITY.md gives {rows[name]!r} for {name}, the code {default}"


def test_the_settings_that_are_not_limits_are_named_too():
    text = SECURITY.read_text(encoding="utf-8")
    assert all(name in text for name in NOT_LIMITS - {"KGTOOL_ENDPOINT_AUTH"})


def test_every_file_it_names_exists():
    text = SECURITY.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:tests|kgtool)/[\w/.-]+\.py)`", text))
    assert {"tests/test_hostile.py", "kgtool/rdf/limits.py", "kgtool/sparql/guard.py"} <= named
    missing = sorted(name for name in named if not (ROOT / name).is_file())
    assert not missing, f"SECURITY.md names files that do not exist: {missing}"
