"""`linktox --help` and every command's start stay quick: importing the CLI, which registers every
command, loads none of the heavy libraries; each command imports what it needs when it runs.

A property of the import graph, checked in a fresh interpreter, not a timing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("module", ["pipeline.cli"])
def test_importing_the_cli_loads_no_heavy_library(module):
    assert sorted(set(HEAVY) & _loaded(module)) == []


def test_the_probe_sees_a_heavy_import():
    # The check above can fail: a heavy library imported along the way is seen.
    assert {"lightgbm", "sklearn"} <= _loaded("models.train")
