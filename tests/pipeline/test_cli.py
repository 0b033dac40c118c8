"""The CLI starts light: importing it, which registers every command, loads none of the heavy
libraries (a property of the import graph, checked in a fresh interpreter, not a timing); each
command is imported when it runs, and the help listed for it is its own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from pipeline.cli import LazyCommand, app

HEAVY = ("mlflow", "lightgbm", "sklearn", "matplotlib", "jinja2", "pandas", "scipy", "dvc")

_PROBE = """
import json, sys
import {module}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def _loaded(module: str) -> set[str]:
    """Top-level packages present in ``sys.modules`` after importing ``module`` afresh."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(proc.stdout))


@pytest.mark.parametrize("module", ["pipeline.cli", "pipeline.entry"])
def test_importing_the_cli_loads_no_heavy_library(module):
    assert sorted(set(HEAVY) & _loaded(module)) == []


def test_the_models_commands_load_mlflow_and_sklearn_only_when_they_run():
    # `linktox models list --help` imports this module: it took 2.3 s when it imported MLflow.
    assert sorted({"mlflow", "sklearn", "pandas"} & _loaded("pipeline.commands.models")) == []


def test_the_probe_sees_a_heavy_import():
    # The check above can fail: a heavy library imported along the way is seen.
    assert {"lightgbm", "sklearn"} <= _loaded("models.train")


def _lazy_commands() -> list[tuple[str, LazyCommand]]:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    found = []
    for group_name, group in [("", root), *root.commands.items()]:
        if isinstance(group, TyperGroup):
            for name, cmd in group.commands.items():
                if isinstance(cmd, LazyCommand):
                    found.append((f"{group_name} {name}".strip(), cmd))
    return found


def test_every_command_is_registered_lazily():
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    groups = [root, *(g for g in root.commands.values() if isinstance(g, TyperGroup))]
    eager = [
        name
        for group in groups
        for name, cmd in group.commands.items()
        if not isinstance(cmd, (LazyCommand, TyperGroup))
    ]
    assert eager == []
    names = {name for name, _ in _lazy_commands()}
    assert {"score", "review-queue", "labels import", "models promote", "pipeline train"} <= names


@pytest.mark.parametrize("name", [name for name, _ in _lazy_commands()])
def test_the_listed_help_is_the_commands_own_docstring(name):
    # `linktox --help` shows the help given in cli.py without importing the command: it must
    # stay the first paragraph of the command's docstring, which `linktox NAME --help` shows.
    cmd = dict(_lazy_commands())[name]
    loaded = cmd.load()
    first = (loaded.help or "").split("\n\n")[0]
    assert " ".join(cmd.help.split()) == " ".join(first.split())


def test_a_lazy_command_runs_through_the_loaded_command():
    result = CliRunner().invoke(app, ["labels", "stats", "--help"])
    assert result.exit_code == 0
    assert "--store" in result.output


def _required_args(command) -> list[str]:
    """Placeholder values for a loaded command's required arguments and options."""
    out: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        value = f"nosuch-{param.name}.csv"
        out += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return out


def _with_params() -> list[tuple[str, object]]:
    found = []
    for name, cmd in _lazy_commands():
        loaded = cmd.load()
        if any(param.name == "params" for param in loaded.params):
            found.append((name, loaded))
    return found


WITH_PARAMS = _with_params()


def test_the_commands_that_take_params_are_found() -> None:
    # The walk must see every command with --params, or the test below checks nothing.
    names = {name for name, _ in WITH_PARAMS}
    assert {"score", "review-queue", "models compare", "models promote", "pipeline train"} <= names


@pytest.mark.parametrize(("name", "command"), WITH_PARAMS, ids=[n for n, _ in WITH_PARAMS])
def test_a_missing_params_file_is_refused_never_ignored(name, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = ["--seed", "3"] if name in ("review-queue", "world generate") else []
    result = CliRunner().invoke(
        app, [*name.split(), *_required_args(command), *extra, "--params", "nosuch.yaml"]
    )
    assert result.exit_code == 2, result.output
    assert "nosuch.yaml: parameters file not found" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written
