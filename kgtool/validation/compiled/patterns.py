"""``sh:pattern`` as pySHACL reads it (Python's ``re``), rewritten for Oxigraph's regular expressions (Rust).

pySHACL matches with ``re.search``; Oxigraph's ``REGEX`` uses Rust's regex crate. They agree on the common
syntax and differ where it matters: Python's ``$`` also matches before a final newline (``"0201\\n"`` passes
``^[0-9]{4}$``), ``\\Z`` is Rust's ``\\z``, ``{`` without a valid count is a literal in Python, ``[`` and ``&&`` /
``--`` / ``~~`` inside a class are literals in Python but class syntax in Rust, ``{,n}`` means ``{0,n}``. Only
the flags pySHACL reads are passed (``i``, ``m``). What Rust cannot do (lookaround, back-references, atomic
groups) is not claimed: ``Unsupported``, and the shape falls back to pySHACL.
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox

from kgtool.validation.compiled.errors import Unsupported

_COUNT = re.compile(r"\{(\d*)(,?)(\d*)\}")


def translate(pattern: str, flags: str = "") -> tuple[str, str]:
    """The Rust form of a Python regular expression and the REGEX flags; ``Unsupported`` if it has none."""
    lowered = flags.lower()
    python_flags = (re.I if "i" in lowered else 0) | (re.M if "m" in lowered else 0)
    try:
        re.compile(pattern, python_flags)
    except re.error as error:
        raise Unsupported(f"sh:pattern {pattern!r} is not a Python regular expression: {error}") from error
    multiline = "m" in lowered
    rust = _rewrite(pattern, multiline)
    regex_flags = ("i" if "i" in lowered else "") + ("m" if multiline else "")
    if not _oxigraph_accepts(rust, regex_flags):
        raise Unsupported(f"sh:pattern {pattern!r} uses what Oxigraph's regular expressions lack")
    return rust, regex_flags


def _rewrite(pattern: str, multiline: bool) -> str:
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            out.append("\\z" if escaped == "Z" and not in_class else char + escaped)
            i += 2
            continue
        if in_class:
            if char == "]" and not _class_start(out):
                in_class = False
                out.append(char)
            elif char == "[" or (char in "&-~" and pattern[i + 1 : i + 2] == char):
                out.append("\\" + char)
            else:
                out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a leading ] is a member
                out.append("\\]")
                i += 1
        elif char == "$" and not multiline:
            out.append("(?:\\n?$)")
        elif char == "{":
            match = _COUNT.match(pattern, i)
            if match and (match.group(1) or match.group(3)) and (match.group(2) or not match.group(3)):
                low = match.group(1) or "0"
                out.append("{" + low + match.group(2) + match.group(3) + "}")
                i = match.end()
                continue
            out.append("\\{")
        elif char == "}":
            out.append("\\}")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _class_start(out: list[str]) -> bool:
    """Whether a ``]`` would close an empty class (it cannot: it is then a member)."""
    return out[-1] == "[" or (out[-1] == "^" and len(out) > 1 and out[-2] == "[")


@cache
def _oxigraph_accepts(pattern: str, flags: str) -> bool:
    query = f'SELECT (COALESCE(REGEX("", {_quote(pattern)}, {_quote(flags)}), "invalid") AS ?r) {{}}'
    rows = list(ox.Store().query(query))
    return bool(rows) and rows[0]["r"].value != "invalid"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
