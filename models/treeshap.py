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
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

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


@dataclass(frozen=True)
class _Splits:
    """One tree's splits as its model text gives them, one entry per internal node."""

    feature: list[int]
    threshold: list[float]
    zero: list[bool]  # missing type "Zero": LightGBM's zero range takes the default branch
    categorical: list[bool]  # an "==" split on a set of categories
    linear: bool  # a linear tree (its leaves are linear models)

    def triples(self) -> Iterator[tuple[int, float, bool]]:
        return zip(self.feature, self.threshold, self.zero, strict=True)


# decision_type of LightGBM's model text (tree.h): bit 0 kCategoricalMask, then the missing type
# in bits 2-3 (0 None, 1 Zero, 2 NaN).
_CATEGORICAL_MASK = 1
_MISSING_ZERO = 1


def _tree_splits(model_text: str) -> list[_Splits]:
    """Every tree's splits, read from LightGBM's text model (what ``Booster.model_to_string``
    writes, and what the booster was loaded from): the numbers of its JSON dump, without building
    and parsing the dump (a few tenths of a second for a few hundred trees). The one difference
    is an infinite threshold, which the dump writes as 1e300; the text keeps ``inf``, as the
    loaded model does."""
    start = model_text.find("\nTree=")
    if start < 0:
        return []
    stop = model_text.find("\nend of trees", start)
    trees: list[_Splits] = []
    for block in model_text[start + 1 : stop if stop > 0 else None].split("\nTree="):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                fields[key] = value
        # A tree that is a single leaf has no split lines.
        decision = [int(v) for v in fields.get("decision_type", "").split()]
        trees.append(
            _Splits(
                feature=[int(v) for v in fields.get("split_feature", "").split()],
                threshold=[float(v) for v in fields.get("threshold", "").split()],
                zero=[(d >> 2) & 3 == _MISSING_ZERO for d in decision],
                categorical=[d & _CATEGORICAL_MASK != 0 for d in decision],
                linear=fields.get("is_linear", "0") != "0",
            )
        )
    return trees


def _breaks(splits: Iterable[tuple[int, float, bool]]) -> dict[int, np.ndarray]:
    """Per split feature, sorted cut points such that every split's decision is constant between
    two of them: a value ``x`` goes left at a split with threshold ``t`` when ``x <= t``; a "Zero"
    missing type adds the bounds of LightGBM's zero range.

    Args:
        splits: (feature, threshold, missing type is "Zero") of each split.
    """
    points: dict[int, set[float]] = {}
    for feature, threshold, zero in splits:
        found = points.setdefault(feature, set())
        found.add(threshold)
        if zero:
            found.update(_ZERO_BREAKS)
    return {f: np.array(sorted(points[f]), dtype=np.float64) for f in sorted(points)}


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
        per_tree = _tree_splits(booster.model_text)
        self.grouped = (
            booster.trees_per_iteration == 1
            and len(per_tree) == booster.num_iterations
            and not any(t.linear or any(t.categorical) for t in per_tree)
        )
        self._breaks: dict[int, np.ndarray] = {}
        self._trees: list[_Tree] = []
        if self.grouped:
            self._breaks = _breaks(chain.from_iterable(t.triples() for t in per_tree))
            self._trees = [self._tree(t) for t in per_tree]
        self._spare: list[NativeBooster] = []  # one handle per worker thread, kept

    def _tree(self, splits: _Splits) -> _Tree:
        codes, radices = [], []
        own_breaks = _breaks(splits.triples())
        for f, own in own_breaks.items():
            model_wide = self._breaks[f]
            # Model-wide interval i is (model_wide[i-1], model_wide[i]]; this tree's cut points
            # are among the model's, so its code there is how many of them are <= model_wide[i-1].
            lut = np.empty(len(model_wide) + 2, dtype=np.int64)
            lut[0] = 0
            lut[1 : len(model_wide) + 1] = np.searchsorted(own, model_wide, side="right")
            lut[len(model_wide) + 1] = len(own) + 1
            codes.append(lut)
            radices.append(len(own) + 2)
        return _Tree(tuple(own_breaks), tuple(codes), tuple(radices))

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

        def explain_tree(t: int) -> tuple[np.ndarray, np.ndarray, float]:
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
            phi = phi.reshape(count, width + 1)
            # The tree's columns, one contiguous row each: gathering a group's value for every
            # link from a contiguous row costs a third of gathering it from a strided column.
            return group, np.ascontiguousarray(phi[:, list(tree.features)].T), phi[0, width]

        # One row per output column while accumulating: each tree touches a few columns.
        out = np.zeros((width + 1, rows), dtype=np.float64)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # map keeps tree order, so the sums are the same whatever the threads do.
            for tree, (group, columns, bias) in zip(
                self._trees, pool.map(explain_tree, range(len(self._trees))), strict=True
            ):
                for f, column in zip(tree.features, columns, strict=True):
                    out[f] += column[group]
                out[width] += bias
        return out.T
