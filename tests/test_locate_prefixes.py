"""The prefixes a file declares, as the locator of records finds them (``kgtool.rdf.locate``): its quick search
for the ``prefix`` keyword must find exactly the places the case-insensitive pattern finds, offsets in the text's
characters (not its bytes), so that records written with a prefix declared after non-ASCII text are placed."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgtool.rdf.locate import _PREFIX_KEYWORD, Locator, _declared_prefixes, _keyword_offsets

ROOT = Path(__file__).resolve().parent.parent
#: Pieces of text: the keyword in several cases, what a case-insensitive pattern also takes for its "i", letters
#: of one to four UTF-8 bytes, and declarations.
PIECES = [
    "prefix", "PREFIX", "PreFiX", "@prefix", "pref", "ix", "prefİx", "prefıx", "\u0130", "\u0131",
    "é", "中", "😀", "a", " ", "\n", ":", "<http://e/>", "@prefix ex: <http://e/> .\n", "PREFIX d: <http://d/>\n",
    "\ufffd", "ß", "ǅ",
]  # fmt: skip


def _pattern_offsets(text: str) -> list[int]:
    return [match.start() for match in _PREFIX_KEYWORD.finditer(text)]


def test_the_keyword_search_finds_what_the_pattern_finds_on_random_text():
    rng = random.Random(19)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        assert list(_keyword_offsets(text)) == _pattern_offsets(text), repr(text)


def test_the_keyword_search_finds_what_the_pattern_finds_in_the_project_files():
    found = [*ROOT.glob("ontology/*.ttl"), *ROOT.glob("data/**/*.ttl"), *ROOT.glob("tests/w3c/**/*.ttl")]
    files = sorted(path for path in found if path.is_file())
    assert len(files) > 50
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        assert list(_keyword_offsets(text)) == _pattern_offsets(text), path


@pytest.mark.parametrize("before", ["# Café, 中文, 😀 — no prefix here\n", "# prefİx: dotted i\n", ""])
def test_a_record_written_with_a_prefix_declared_after_non_ascii_text_is_placed(tmp_path: Path, before: str):
    path = tmp_path / "records.ttl"
    path.write_text(f'{before}@prefix ex: <http://e/> .\n\nex:a ex:label "Café" .\n', encoding="utf-8")
    assert _declared_prefixes(path.read_text(encoding="utf-8")) == {"ex": "http://e/"}
    assert Locator([path]).line(path, ox.NamedNode("http://e/a")) == before.count("\n") + 3
