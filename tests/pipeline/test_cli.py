"""Rules every ``linktox`` command keeps, checked on each command the app registers."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
import typer
from typer.models import ArgumentInfo, OptionInfo
from typer.testing import CliRunner

from pipeline.cli import app


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple, object]]:
    for command in group.registered_commands:
        yield (*prefix, command.name), command.callback
    for sub in group.registered_groups:
        yield from _commands(sub.typer_instance, (*prefix, sub.name))


def _required_args(callback: object) -> list[str]:
    """Placeholder values for the command's required arguments and options."""
    target = inspect.unwrap(callback)
    hints = get_type_hints(target, include_extras=True)
    out: list[str] = []
    for name, param in inspect.signature(target).parameters.items():
        if param.default is not inspect.Parameter.empty:
            continue
        info = next(m for m in get_args(hints[name]) if isinstance(m, ArgumentInfo | OptionInfo))
        value = f"nosuch-{name}.csv"
        out += [value] if isinstance(info, ArgumentInfo) else [f"--{name.replace('_', '-')}", value]
    return out


WITH_PARAMS = [
    (path, callback)
    for path, callback in _commands(app)
    if "params" in inspect.signature(inspect.unwrap(callback)).parameters
]


def test_the_commands_that_take_params_are_found() -> None:
    # The walk must see every command with --params, or the test below checks nothing.
    names = {" ".join(path) for path, _ in WITH_PARAMS}
    assert {"score", "review-queue", "models compare", "models promote", "pipeline train"} <= names


@pytest.mark.parametrize(
    ("path", "callback"), WITH_PARAMS, ids=[" ".join(p) for p, _ in WITH_PARAMS]
)
def test_a_missing_params_file_is_refused_never_ignored(
    path: tuple[str, ...], callback: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    extra = ["--seed", "3"] if path in (("review-queue",), ("world", "generate")) else []
    result = CliRunner().invoke(
        app, [*path, *_required_args(callback), *extra, "--params", "nosuch.yaml"]
    )
    assert result.exit_code == 2, result.output
    assert "nosuch.yaml: parameters file not found" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written
