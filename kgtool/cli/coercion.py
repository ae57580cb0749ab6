"""Typer's conversion of kgtool's text and path options, without pydantic.

Why: typer 0.2x converts every option a command receives (its defaults too) through a pydantic ``TypeAdapter``
built at first use, and importing pydantic for it costs more than 0.1 s: more than a whole ``kgtool ingest`` of
a hundred records (issue 19: ≤ 100 ms beyond process start). kgtool's options are texts and paths (and lists of
them), which need no pydantic: a text given on the command line is that text, and a path is ``Path(text)``, then
typer's own path checks (``coerce_cli_path``, which uses pydantic only for a value that is not yet a path). Any
other value or type (numbers, choices, bytes) goes to typer's converter, as before, so the values and the
errors are typer's. With a typer that has no such converter (before 0.2x), nothing is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

try:  # typer's private coercion layer (0.2x): without it there is nothing to replace
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # pragma: no cover  (typer < 0.2x converts through click, without pydantic)
    RuntimeParam = None

#: The leaf types converted here (a flag only when it is already True or False); any other goes to typer.
PLAIN = (str, Path, bool)


def install(command: Any) -> int:
    """Give every text or path parameter of ``command`` and its subcommands the plain converter; how many."""
    if RuntimeParam is None:
        return 0
    count = 0
    for param in [*getattr(command, "params", ()), _help_option(command)]:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None and plain(descriptor):
            param._runtime_param = _Plain(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            count += 1
    for sub in getattr(command, "commands", {}).values():
        count += install(sub)
    return count


def _help_option(command: Any) -> Any:
    """The command's ``--help`` option: typer makes it on first use and keeps it, a flag converted as the others."""
    try:
        from typer._click.core import Context

        return command.get_help_option(Context(command))
    except (ImportError, AttributeError, TypeError):  # pragma: no cover  (another typer: left as it is)
        return None


def plain(descriptor: Any) -> bool:
    """Whether a parameter is a text, a path or a list of one of them, with no parser or file of its own."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or info.path_type is not None:
        return False
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    return annotation in PLAIN


#: The values converted here, by type: a text given as text, a path as text or path, a flag already a flag.
_ACCEPTED = {str: str, Path: (str, Path), bool: bool}

if RuntimeParam is not None:

    class _Plain(RuntimeParam):
        """A text as itself, a path as ``Path`` then typer's path checks; anything else through typer's own."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            listed = get_origin(self.annotation) is list
            leaf = get_args(self.annotation)[0] if listed else self.annotation
            items = (value if isinstance(value, (list, tuple)) else [value]) if listed else [value]
            if not all(isinstance(item, _ACCEPTED[leaf]) for item in items):
                return build_runtime_param(param.type_descriptor)._coerce_value(value, param, ctx)
            if leaf is Path:
                parsed = [
                    coerce_cli_path(Path(item), self.parameter_info, path_type=Path, param=param, ctx=ctx)
                    for item in items
                ]
            else:
                parsed = list(items)
            return parsed if listed else parsed[0]
