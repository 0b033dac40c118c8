"""The README's commands as the code has them: every ``linktox`` command line in its shell blocks
parses (command names, options, values), and the experiment section names parameters and metrics
that exist."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.core import TyperGroup
from typer.exceptions import TyperException
from typer.main import get_command

from pipeline import paths
from pipeline.cli import LazyCommand, app

README = paths.at_root(Path("README.md")).read_text(encoding="utf-8")
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)


def _command_lines() -> list[str]:
    """``linktox ...`` lines of the shell blocks, continuations joined, comments dropped."""
    lines = []
    for block in SHELL_BLOCKS:
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split(" #", 1)[0].strip()
            if line.startswith(("linktox ", ".venv/bin/linktox ")):
                lines.append(line.removeprefix(".venv/bin/"))
    return lines


COMMANDS = _command_lines()


def _resolve(args: list[str]) -> tuple[Any, list[str], str]:
    group: Any = get_command(app)
    ctx = typer.Context(group, info_name="linktox")
    name = "linktox"
    while isinstance(group, TyperGroup):
        sub, cmd, args = group.resolve_command(ctx, args)
        assert cmd is not None, f"no command {sub!r} in {name}"
        name = f"{name} {sub}"
        group = cmd.load() if isinstance(cmd, LazyCommand) else cmd
        ctx = typer.Context(group, info_name=sub, parent=ctx)
    return group, args, name


def test_the_readme_has_the_walk_through_commands() -> None:
    # The parse below must see the review loop, or it checks nothing.
    names = {_resolve(shlex.split(line)[1:])[2] for line in COMMANDS}
    walk = ("score", "review-queue", "labels import", "labels stats", "models list",
            "models compare", "models promote")  # fmt: skip
    assert {f"linktox {name}" for name in walk} <= names


def test_a_mistyped_option_does_not_parse() -> None:
    command, args, name = _resolve(["review-queue", "scored.csv", "--sise", "200"])
    with pytest.raises(TyperException, match="No such option: --sise"):
        command.make_context(name, args)


@pytest.mark.parametrize("line", COMMANDS)
def test_every_readme_command_parses(line: str) -> None:
    command, args, name = _resolve(shlex.split(line)[1:])
    # Parsing checks names, options and their values without running anything.
    command.make_context(name, args)


def _experiment_block() -> str:
    section = README.split("## Experiments", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL).group(1)


def _has_path(tree: Any, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(tree, dict) or part not in tree:
            return False
        tree = tree[part]
    return True


def test_the_experiment_section_names_real_parameters_and_metrics() -> None:
    block = _experiment_block()
    params = yaml.safe_load(paths.at_root(paths.PARAMS).read_text(encoding="utf-8"))
    metrics = json.loads((paths.at_root(paths.EVAL) / paths.METRICS_FILE).read_text())
    set_params = re.findall(r"--set-param (\S+?)=", block)
    assert set_params
    assert all(_has_path(params, key) for key in set_params), set_params
    keep = re.search(r"--keep '([^']+)'", block).group(1).split("|")
    assert "Experiment" in keep
    columns = [name for name in keep if name != "Experiment"]
    assert columns
    for name in columns:
        assert _has_path(params, name) or _has_path(metrics, name), name
    assert "dvc metrics diff" in block and "dvc plots show" in block


def test_dvc_plots_output_is_ignored_by_git() -> None:
    ignored = paths.at_root(Path(".gitignore")).read_text(encoding="utf-8").splitlines()
    assert "/dvc_plots/" in ignored
    assert "dvc_plots/" in README
