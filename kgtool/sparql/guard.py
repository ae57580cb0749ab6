"""SPARQL that would reach the network or crash the parser, refused before the store evaluates it.

Oxigraph executes ``SERVICE <url>`` (and, in an update, ``LOAD <url>``) by making the HTTP request itself, from
the machine that holds the store: through ``kgtool serve`` anyone who can send a query could make the server
fetch internal URLs and read the answer (server-side request forgery), and ``kgtool query`` on a colleague's
``.rq`` file would call out. So SERVICE is refused unless the command names the hosts it may call
(``--allow-service HOST``), its endpoint is written as a full ``<http(s)://…>`` IRI of one of them, and LOAD is
refused in updates always.

Finding the keywords must not be fooled by how text hides them (``FILTER(1<2)SERVICE#>`` reads as an IRI to a
naive tokenizer). pyoxigraph exposes no parse tree, so kgtool asks pyoxigraph's own grammar: every occurrence of
the word, anywhere (strings, IRIs and comments included), is replaced by letters of the same length that are no
keyword; if the text then still parses, none of them was the keyword. Otherwise each occurrence is tested alone
(it alone replaced by letters, every other one by the same-grammar ``GRAPH``): the occurrences whose replacement
breaks the query are the keywords. Parsing means evaluating on an empty in-memory store, and every text tested
has each occurrence replaced, so the test itself calls nothing.

Nesting deeper than ``$KGTOOL_MAX_DEPTH`` (256) is refused too: pyoxigraph's SPARQL parser recurses once per
group and dies with SIGSEGV near 2,100 nested ``{ }`` (measured, 8 MiB stacks).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kgtool.errors import UsageError
from kgtool.rdf.limits import check_depth, max_depth

# What can hide a bracket in SPARQL: strings (four kinds), IRIs, comments. An IRI-shaped span may really be
# code ('<' as less-than): its brackets still count (``check_depth``'s iri_may_be_code). A comment started
# inside such a span can still mislead this reading; kgtool serve therefore also bounds a request's size and
# evaluates it on a thread with a large stack (``kgtool.sparql.serving``).
_SPARQL_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb"|<[^<>\"{}|^`\\\x00-\x20]*>"
    rb"|#[^\n\r]*"
    rb"|[\[\](){}]"
    rb"|<<|>>"
)
# SERVICE and its SILENT, with anything SPARQL allows between them (spaces, comments): read as one word, so that
# replacing it by GRAPH leaves a query of the same grammar.
_SERVICE = re.compile(r"service(?:(?:\s|#[^\n\r]*)+silent(?![\w:]))?", re.IGNORECASE)
_LOAD = re.compile(r"load", re.IGNORECASE)
_AFTER_SERVICE = re.compile(r"(?:\s|#[^\n]*\n?)*(?:silent(?:\s|#[^\n]*\n?)*)?(<[^>\s]*>|[?$]\w+|\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """What a command lets a query reach: the hosts a SERVICE may call (none by default)."""

    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def allowing(cls, hosts: Iterable[str] | None) -> Policy:
        return cls(frozenset(host.strip().lower().strip("[]") for host in hosts or () if host.strip()))


NO_NETWORK = Policy()


def check_query(
    text: str, policy: Policy = NO_NETWORK, prefixes: Mapping[str, str] | None = None, source: str = "the query"
) -> None:
    """Refuse (exit 2) a query nested too deep, or with a SERVICE the policy does not allow; ``source`` names
    the query in the message."""
    _check_nesting(text, source)
    for where, target in service_targets(text, prefixes):
        _check_target(target, where, policy)


def check_update(text: str) -> None:
    """Refuse an update nested too deep, or one that would LOAD or call a SERVICE (never allowed in updates)."""
    _check_nesting(text, "the update")
    words = [*_SERVICE.finditer(text), *_LOAD.finditer(text)]
    if words and not _parses(_blanked(text, words), update=True):
        raise UsageError(
            "SPARQL Update with LOAD or SERVICE is refused: kgtool serve makes no request to other servers "
            "(--allow-service applies to queries only)"
        )


def service_targets(text: str, prefixes: Mapping[str, str] | None = None) -> list[tuple[int, str]]:
    """Each SERVICE keyword of a query: its offset and the token naming its endpoint (``<IRI>``, ``?var``...)."""
    words = list(_SERVICE.finditer(text))
    if not words or _parses(_blanked(text, words), prefixes=prefixes):
        return []
    if not _parses(_as_graph(text, words), prefixes=prefixes):
        # Invalid SPARQL whatever SERVICE is, or a SERVICE written in a form this reading does not know: kgtool
        # cannot tell which without letting the query run, so it refuses rather than guess.
        raise UsageError(
            "the query is not valid SPARQL, or writes SERVICE in a form kgtool cannot check; it is refused "
            "(kgtool makes no request to other servers unless told: --allow-service HOST)"
        )
    keywords = [word for word in words if not _parses(_as_graph(text, words, blank=word), prefixes=prefixes)]
    targets = []
    for word in keywords:
        following = _AFTER_SERVICE.match(text, word.start() + len("service"))
        targets.append((word.start(), following.group(1) if following else ""))
    return targets


def _check_target(target: str, where: int, policy: Policy) -> None:
    advice = "name the hosts a federated query may call with --allow-service HOST"
    if not policy.allowed_hosts:
        raise UsageError(f"SERVICE {target} is refused: kgtool makes no request to other servers unless told; {advice}")
    host = urllib.parse.urlsplit(target[1:-1]).hostname if target.startswith("<") else None
    scheme = urllib.parse.urlsplit(target[1:-1]).scheme if host else ""
    if not host or scheme not in ("http", "https"):
        raise UsageError(f"SERVICE {target} is refused: write the endpoint as a full <http://…> IRI of an allowed host")
    if host.lower() not in policy.allowed_hosts:
        allowed = ", ".join(sorted(policy.allowed_hosts))
        raise UsageError(f"SERVICE {target} is refused: {host} is not among the hosts allowed ({allowed})")


def _check_nesting(text: str, source: str) -> None:
    check_depth(source, text.encode("utf-8", "replace"), max_depth(), _SPARQL_TOKENS, b"[({<", iri_may_be_code=True)


def _blanked(text: str, words: list[re.Match[str]]) -> str:
    """``text`` with every matched word replaced by as many letters, which no grammar rule accepts there."""
    return _replace(text, {word.start(): (word.end(), "z" * (word.end() - word.start())) for word in words})


def without_service(text: str) -> str:
    """``text`` with every SERVICE read as GRAPH: for parsing a query without calling anything."""
    return _as_graph(text, list(_SERVICE.finditer(text)))


def _as_graph(text: str, words: list[re.Match[str]], blank: re.Match[str] | None = None) -> str:
    """``text`` with every SERVICE (and its SILENT) read as GRAPH, the same grammar; ``blank`` as letters."""
    edits = {}
    for word in words:
        width = word.end() - word.start()
        edits[word.start()] = (word.end(), ("z" * width) if word is blank else "GRAPH".ljust(width))
    return _replace(text, edits)


def _replace(text: str, edits: dict[int, tuple[int, str]]) -> str:
    parts, position = [], 0
    for start in sorted(edits):
        end, replacement = edits[start]
        parts += [text[position:start], replacement]
        position = end
    return "".join([*parts, text[position:]])


def _parses(text: str, update: bool = False, prefixes: Mapping[str, str] | None = None) -> bool:
    """Whether pyoxigraph parses ``text``: evaluated on an empty in-memory store (callers remove every
    SERVICE and LOAD keyword first, so nothing is called)."""
    try:
        if update:
            ox.Store().update(text)
        else:
            ox.Store().query(text, prefixes=dict(prefixes or {}))
    except SyntaxError:
        return False
    except (OSError, RuntimeError, ValueError):
        return True  # it parsed; evaluating on nothing failed
    return True
