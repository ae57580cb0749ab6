"""The nesting check's shortcut (``kgtool.rdf.limits._bracket_line_tokens``): tokenizing only the lines that hold
a bracket must give the whole file's brackets, in order, so that a file is refused exactly when the whole scan
refuses it: brackets hidden in strings, IRIs and comments stay hidden, and no bracket is missed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kgtool.errors import InputError
from kgtool.rdf import limits

#: Pieces of Turtle-like text, valid or not: brackets, strings (closed or not, with escapes), IRIs, comments,
#: line ends of every kind, and what looks like a triple term.
PIECES = [
    b"[", b"]", b"(", b")", b"<<", b">>", b"<", b">", b'"', b"'", b"\\", b"#", b"\n", b"\r", b"\r\n", b" ", b"a",
    b'"x ] y"', b"'( z'", b"<http://e/a>", b"# [ ( comment\n", b'"esc \\" ]"', b"ex:b", b";", b".", b"<a b>",
]  # fmt: skip
BRACKETS = set(limits._BRACKETS)


def _brackets(tokens: list[bytes]) -> list[bytes]:
    return [token for token in tokens if token in BRACKETS]


def test_the_lines_with_a_bracket_give_the_whole_files_brackets():
    rng = random.Random(19)
    checked = 0
    for _ in range(4000):
        data = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60)))
        found = limits._bracket_line_tokens(data)
        if found is not None:
            checked += 1
            assert _brackets(found) == _brackets(limits._TURTLE_TOKENS.findall(data)), data
    assert checked > 3000


def test_triple_quotes_and_brackets_on_most_lines_take_the_whole_scan():
    assert limits._bracket_line_tokens(b'ex:a ex:b """one\n] two""" .\n') is None
    assert limits._bracket_line_tokens(b"ex:a ex:b [ ex:c 1 ] .\n" * 1000) is None


@pytest.mark.parametrize("hidden", [b'"]"', b"# ]", b"<urn:x>", b"'a ] b'"])
def test_a_file_is_refused_exactly_when_the_whole_scan_refuses_it(tmp_path: Path, monkeypatch, hidden: bytes):
    """Brackets opened over many lines of a large file, with closers hidden on the lines in between: refused at
    the limit, and accepted one level below it."""
    monkeypatch.setenv(limits.MAX_DEPTH_ENV, "20")
    filler = b"ex:s ex:p ex:o .\n" * 2000  # most lines hold no bracket: the shortcut is taken
    for depth, refused in [(21, True), (20, False)]:
        data = b"@prefix ex: <http://e/> .\n" + filler
        data += b"".join(b"ex:a ex:b [ ex:c " + hidden + b"\n" for _ in range(depth)) + b"ex:d 1" + b" ]" * depth
        data += b" .\n" + filler
        assert limits._bracket_line_tokens(data) is not None
        path = tmp_path / f"nested-{depth}.ttl"
        path.write_bytes(data)
        if refused:
            with pytest.raises(InputError, match="nested deeper than 20 levels"):
                limits.check_rdf(path, data, limits.ox.RdfFormat.TURTLE)
        else:
            limits.check_rdf(path, data, limits.ox.RdfFormat.TURTLE)
