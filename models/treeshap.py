"""Exact TreeSHAP contributions, tree by tree, once per distinct decision pattern of each tree.

LightGBM's TreeSHAP (``pred_contrib``) costs about 0.66 ms a link for the default 70-tree model:
the bulk of scoring. Links rarely share a whole feature row, but a single tree splits on only a
dozen features at a few thresholds each, and a tree's TreeSHAP values for a link depend on the
link only through which way it goes at each split of that tree. So, per tree, links are grouped
by the interval each of the tree's features falls in (between the tree's own thresholds; a
missing value is its own interval), LightGBM computes that one tree's contributions for one link
of each group, and every link of the group gets them. On the 84,033 flagged links of a
200,000-link export, a tree sees about 2,900 groups, so LightGBM explains 0.2 million link-trees
instead of 5.9 million.

The numbers are LightGBM's own: each tree's contributions are computed by LightGBM for a link
that takes exactly the same branches, then summed over the trees in model order. Only that
summation order differs from LightGBM's single pass (which adds each tree's pieces as it goes),
so the sums agree to about 1e-15 (``tests/models/test_treeshap.py``), and each link's values
depend on that link alone, never on the batch it came in.
"""

from __future__ import annotations

import os
import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.booster import CONTRIB, NativeBooster

# LightGBM's kZeroThreshold (a C++ float, 1e-35f, compared as a double): with missing type
# "Zero", values in [-K, K] take the default branch.
_ZERO = float(np.float32(1e-35))
_ZERO_BREAKS = (float(np.nextafter(-_ZERO, -np.inf)), _ZERO)


@dataclass(frozen=True)
class _Tree:
    """One tree's split features and, per feature, the map from the model-wide interval code of
    a value to its interval code in this tree."""

    features: tuple[int, ...]
    codes: tuple[np.ndarray, ...]  # per feature: model-wide code -> this tree's code
    radices: tuple[int, ...]  # per feature: how many codes this tree distinguishes


def _splits(node: dict[str, Any], out: list[dict[str, Any]]) -> None:
    if "split_index" in node:
        out.append(node)
        _splits(node["left_child"], out)
        _splits(node["right_child"], out)


def _breaks(splits: list[dict[str, Any]]) -> np.ndarray:
    """Sorted cut points such that every split's decision is constant between two of them:
    a value ``x`` goes left at a split with threshold ``t`` when ``x <= t``; a "Zero" missing
    type adds the bounds of LightGBM's zero range."""
    points = {float(s["threshold"]) for s in splits}
    if any(s["missing_type"] == "Zero" for s in splits):
        points.update(_ZERO_BREAKS)
    return np.array(sorted(points), dtype=np.float64)


def _code(values: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Interval code of each value: how many cut points lie below it; missing values get
    ``len(breaks) + 1``."""
    code = np.searchsorted(breaks, values, side="left")
    code[np.isnan(values)] = len(breaks) + 1
    return code


def _dense(key: np.ndarray, span: int) -> tuple[np.ndarray, int]:
    """Renumber keys in ``[0, span)`` as ``0..groups-1`` (a lookup table, no sort)."""
    seen = np.zeros(span, dtype=bool)
    seen[key] = True
    number = np.cumsum(seen, dtype=np.int64) - 1
    return number[key], int(number[-1]) + 1


def _groups(codes: list[np.ndarray], radices: tuple[int, ...], rows: int) -> tuple[np.ndarray, int]:
    """One group id per row for the combination of its codes (mixed radix, renumbered densely
    whenever the key range would outgrow the rows, so no table is much larger than the batch)."""
    limit = max(4 * rows, 1 << 16)
    key = np.zeros(rows, dtype=np.int64)
    span = 1
    for code, radix in zip(codes, radices, strict=True):
        if span * radix > limit:
            key, span = _dense(key, span)
        key = key * radix + code
        span *= radix
    return _dense(key, span)


class TreeExplainer:
    """TreeSHAP contributions of a LightGBM model, as ``pred_contrib`` gives them.

    Models this grouping cannot serve exactly (categorical splits, linear trees, several trees
    per iteration) are explained by LightGBM's full pass instead.
    """

    def __init__(self, booster: NativeBooster) -> None:
        self.booster = booster
        dump = booster.dump()
        trees = [tree["tree_structure"] for tree in dump["tree_info"]]
        per_tree: list[list[dict[str, Any]]] = []
        for root in trees:
            found: list[dict[str, Any]] = []
            _splits(root, found)
            per_tree.append(found)
        everything = [s for found in per_tree for s in found]
        self.grouped = (
            booster.trees_per_iteration == 1
            and not dump.get("linear_tree", False)
            and all(s["decision_type"] == "<=" for s in everything)
        )
        self._breaks: dict[int, np.ndarray] = {}
        self._trees: list[_Tree] = []
        if self.grouped:
            by_feature: dict[int, list[dict[str, Any]]] = {}
            for split in everything:
                by_feature.setdefault(int(split["split_feature"]), []).append(split)
            self._breaks = {f: _breaks(by_feature[f]) for f in sorted(by_feature)}
            self._trees = [self._tree(found) for found in per_tree]
        self._spare: list[NativeBooster] = []  # one handle per worker thread, kept

    def _tree(self, splits: list[dict[str, Any]]) -> _Tree:
        features = tuple(sorted({int(s["split_feature"]) for s in splits}))
        codes, radices = [], []
        for f in features:
            model_wide = self._breaks[f]
            own = _breaks([s for s in splits if s["split_feature"] == f])
            # Model-wide interval i is (model_wide[i-1], model_wide[i]]; this tree's cut points
            # are among the model's, so its code there is how many of them are <= model_wide[i-1].
            lut = np.empty(len(model_wide) + 2, dtype=np.int64)
            lut[0] = 0
            lut[1 : len(model_wide) + 1] = np.searchsorted(own, model_wide, side="right")
            lut[len(model_wide) + 1] = len(own) + 1
            codes.append(lut)
            radices.append(len(own) + 2)
        return _Tree(features, tuple(codes), tuple(radices))

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-feature TreeSHAP contributions in log-odds, the expected value last."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        rows, width = X.shape
        if not self.grouped or rows == 0:
            return self.booster.predict(X, CONTRIB).reshape(rows, width + 1)
        model_wide = {f: _code(X[:, f], breaks) for f, breaks in self._breaks.items()}
        workers = max(1, min(4, os.cpu_count() or 1))
        while len(self._spare) < workers:
            self._spare.append(self.booster.copy())
        handles: queue.SimpleQueue[NativeBooster] = queue.SimpleQueue()
        for handle in self._spare[:workers]:
            handles.put(handle)

        def explain_tree(t: int) -> tuple[np.ndarray, np.ndarray]:
            tree = self._trees[t]
            codes = [lut[model_wide[f]] for f, lut in zip(tree.features, tree.codes, strict=True)]
            group, count = _groups(codes, tree.radices, rows)
            first = np.empty(count, dtype=np.int64)
            first[group] = np.arange(rows)  # any row of a group stands for all of it
            # One LightGBM thread per call (a multi-threaded call costs ~10 ms to start, more
            # than a small group's work); trees run side by side in Python threads instead,
            # since the C call releases the GIL, each call on a handle no other call is using
            # (a handle remembers which trees it last predicted with).
            handle = handles.get()
            try:
                phi = handle.predict(X[first], CONTRIB, t, 1, params="num_threads=1")
            finally:
                handles.put(handle)
            return group, phi.reshape(count, width + 1)

        # One row per output column while accumulating: each tree touches a few columns.
        out = np.zeros((width + 1, rows), dtype=np.float64)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # map keeps tree order, so the sums are the same whatever the threads do.
            for tree, (group, phi) in zip(
                self._trees, pool.map(explain_tree, range(len(self._trees))), strict=True
            ):
                for f in tree.features:
                    out[f] += phi[:, f][group]
                out[width] += phi[0, width]
        return out.T
