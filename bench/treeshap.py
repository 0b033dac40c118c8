"""Benchmark: TreeSHAP alone, this checkout's ``TreeExplainer`` against another version of
``models/treeshap.py`` (``--baseline``, by default 46a73a1, the last version before the
leaf-by-leaf rewrite), in one process, in turns, on distinct feature rows.

CPU time is the process's user + sys while a call ran (the explainers use threads), so it is
the number to compare on a shared machine; wall time is reported next to it. Both explainers'
results are checked against LightGBM's own ``pred_contrib`` on a sample of the rows.

    PYTHONPATH=. .venv/bin/python bench/treeshap.py --rows 80000 --turns 3

``--matrix`` takes a saved matrix instead of the world's features, e.g. the rows that scoring
a large export explains (capture them by wrapping ``TreeExplainer.contributions``).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import polars as pl

from models.booster import CONTRIB
from models.bundle import Bundle
from models.explain import top_contributions
from models.score import feature_matrix

ROOT = Path(__file__).resolve().parents[1]


def _module_at(revision: str) -> ModuleType:
    """``models/treeshap.py`` as it is at a git revision, imported under another name."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:models/treeshap.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "treeshap_baseline.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("treeshap_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _timed(call, X: np.ndarray) -> tuple[np.ndarray, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = call(X)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "data/models/bundle")
    parser.add_argument("--features", type=Path, default=ROOT / "data/features/world.parquet")
    parser.add_argument(
        "--matrix", type=Path, default=None, help="a saved .npy feature matrix instead"
    )
    parser.add_argument("--rows", type=int, default=80_000, help="distinct feature rows")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--baseline", default="46a73a1", help="git revision to compare with")
    parser.add_argument("--check", type=int, default=3000, help="rows compared with LightGBM")
    args = parser.parse_args()

    from models.treeshap import TreeExplainer

    bundle = Bundle.load(args.model)
    if args.matrix is not None:
        X = np.unique(np.load(args.matrix), axis=0)
    else:
        X = np.unique(feature_matrix(pl.read_parquet(args.features), bundle.feature_names), axis=0)
    X = X[np.random.default_rng(0).permutation(len(X))[: args.rows]]
    print(f"{len(X):,} distinct rows, {bundle.native.num_iterations} trees")
    started = time.process_time()
    new = TreeExplainer(bundle.native)
    print(f"new explainer built in {time.process_time() - started:.2f} s CPU")
    old = _module_at(args.baseline).TreeExplainer(bundle.native)

    full = bundle.native.predict(X[: args.check], CONTRIB)
    for name, explainer in (("baseline", old), ("new", new)):
        part = explainer.contributions(X[: args.check])
        same = (top_contributions(part, 3)[0] == top_contributions(full, 3)[0]).all(axis=1)
        print(
            f"{name}: max |diff| vs LightGBM {np.abs(part - full).max():.3g} on {args.check:,}"
            f" rows; top-3 reasons equal on {same.mean():.2%}"
        )

    for turn in range(args.turns):
        a, wall_a, cpu_a = _timed(old.contributions, X)
        b, wall_b, cpu_b = _timed(new.contributions, X)
        print(
            f"turn {turn + 1}: baseline {wall_a:.2f} s wall / {cpu_a:.2f} s CPU;"
            f" new {wall_b:.2f} s wall / {cpu_b:.2f} s CPU;"
            f" max |new - baseline| {np.abs(a - b).max():.3g}"
        )


if __name__ == "__main__":
    main()
