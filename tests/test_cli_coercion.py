"""kgtool's texts and paths converted without pydantic (``kgtool.cli.coercion``) give what typer's own converter
gives: the same values, the same errors, for every option of every command that gets the plain converter."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import get_origin

import pytest
import typer

from kgtool.cli import coercion

typer_coercion = pytest.importorskip("typer._coercion", reason="typer < 0.2x converts without pydantic")


def _commands():
    command = typer.main.get_command(importlib.import_module("kgtool.cli.main").app)
    installed = coercion.install(command)
    return command, installed


def _params(command):
    from typer._click.core import Context

    context = Context(command)
    for param in [*command.params, command.get_help_option(context)]:
        if param is not None and isinstance(param._runtime_param, coercion._Plain):
            yield context, param
    for sub in getattr(command, "commands", {}).values():
        yield from _params(sub)


def _outcome(convert, value, param, context):
    try:
        return "value", convert(value, param=param, ctx=context)
    except Exception as error:  # typer's BadParameter, or anything else: compared by kind and text
        return type(error).__name__, str(error)


def test_every_text_and_path_option_is_converted_as_typer_converts_it(tmp_path: Path):
    command, installed = _commands()
    assert installed > 40  # every command's --store, --lang, --help ... (a typer that stops calling it fails here)
    readable = tmp_path / "file.ttl"
    readable.write_text("")
    unreadable = tmp_path / "locked.ttl"
    unreadable.write_text("")
    unreadable.chmod(0)
    samples = ["x", "", "-", "a b", "ñandú/ü.ttl", str(tmp_path), str(readable), str(unreadable), "~/missing"]
    compared = 0
    for context, param in _params(command):
        typer_own = typer_coercion.build_runtime_param(param.type_descriptor)
        values = [True, False] if param.type_descriptor.annotation is bool else samples
        if get_origin(param.type_descriptor.annotation) is list:
            values = [tuple(values), tuple(values[:2]), ("x",)]
        for value in values:
            plain = _outcome(param._runtime_param.coerce, value, param, context)
            assert plain == _outcome(typer_own.coerce, value, param, context), (param.name, value)
            compared += 1
    assert compared > 300


def test_other_values_go_to_typers_converter():
    """A value that is not a text (an option given a number by a caller) is typer's to convert."""
    command, _ = _commands()
    context, param = next((c, p) for c, p in _params(command) if p.type_descriptor.annotation is str)
    typer_own = typer_coercion.build_runtime_param(param.type_descriptor)
    assert param._runtime_param.coerce(3, param=param, ctx=context) == typer_own.coerce(3, param=param, ctx=context)
