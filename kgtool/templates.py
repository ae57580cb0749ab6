"""The one way kgtool renders HTML: Jinja2 templates with autoescaping, beside the code that fills them.

Every value a template prints is text and is escaped (``&``, ``<``, ``>`` and both quotes, so it may stand in an
attribute); only what is marked safe (``markupsafe.Markup``: a macro's output, the page's own stylesheet) goes in
as markup. Values are escaped the way ``html.escape`` does (``&quot;``, ``&#x27;``), so pages keep the bytes they
had when they were written with f-strings: the report's bytes are tested not to change.

Templates meant as one long line of markup (the report, the documentation site) are *joined*: their source is
written one element a line, for people, and each line break with the indentation after it is dropped when the
template is read; ``{{ nl }}`` writes a line break where the page wants one. Spaces inside a line are kept.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

_LINE_BREAK = re.compile(r"\n[ \t]*")


def escaped(value: Any) -> Any:
    """A value as the page shows it: markup as it is, anything else as escaped text."""
    from markupsafe import Markup

    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value), quote=True))


def join_text(items: Any, separator: str) -> str:
    """Items joined as one text, escaped as a whole when printed (Jinja's ``join`` escapes its own way)."""
    return separator.join(str(item) for item in items)


def markup(text: str) -> Any:
    """``text`` marked as markup that a template prints as it is (the page's own CSS, script, policy)."""
    from markupsafe import Markup

    return Markup(text)


@functools.cache
def environment(folder: Path, joined: bool = False) -> jinja2.Environment:
    """The template environment of one ``assets/`` folder; ``joined`` drops the line breaks of the source."""
    import jinja2

    class _Loader(jinja2.FileSystemLoader):
        def get_source(self, env: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
            source, filename, uptodate = super().get_source(env, template)
            return (_LINE_BREAK.sub("", source) if joined else source), filename, uptodate

    env = jinja2.Environment(
        loader=_Loader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=escaped,
    )
    env.globals["nl"] = markup("\n")
    env.filters["join_text"] = join_text
    return env


def render(folder: Path, name: str, joined: bool = False, **context: Any) -> str:
    """The template ``name`` of ``folder`` filled with ``context``."""
    return environment(folder, joined).get_template(name).render(**context)
