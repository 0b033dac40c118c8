"""The layout's rules, checked on the source: stages never import each other, and each DVC stage
lists every first-party module it runs, so changing one reruns exactly the stages it must."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
FIRST_PARTY = ("features", "models", "pipeline")
STAGES = sorted(p.stem for p in (ROOT / "pipeline" / "stages").glob("*.py") if p.stem != "__init__")


def _file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _imports(module: str) -> set[str]:
    """First-party modules ``module`` imports anywhere (top level or inside functions)."""
    path = _file(module)
    assert path is not None, module
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name.split(".")[0] in FIRST_PARTY and _file(name) is not None:
                found.add(name)
    return found


@cache
def _closure(module: str) -> frozenset[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        parts = current.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)) if _file(".".join(parts[:i])))
        todo.extend(_imports(current))
    return frozenset(seen)


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_never_imports_another_stage(stage: str) -> None:
    others = {f"pipeline.stages.{name}" for name in STAGES} - {f"pipeline.stages.{stage}"}
    assert not (_closure(f"pipeline.stages.{stage}") & others)


def test_the_walk_sees_imports_inside_functions() -> None:
    # cli.py imports the stages inside _register(): the walk must find them (it can fail).
    assert {f"pipeline.stages.{name}" for name in STAGES} <= _closure("pipeline.cli")


@pytest.mark.parametrize("stage", STAGES)
def test_dvc_yaml_lists_every_module_a_stage_runs(stage: str) -> None:
    spec = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"][stage]
    deps = [Path(dep) for dep in spec["deps"]]

    def covered(path: Path) -> bool:
        rel = path.relative_to(ROOT)
        return any(rel == dep or dep in rel.parents for dep in deps)

    files = {_file(m) for m in _closure(f"pipeline.stages.{stage}")}
    missing = sorted(str(p.relative_to(ROOT)) for p in files if p is not None and not covered(p))
    assert not missing, f"dvc.yaml stage {stage!r} does not list {missing}"
