"""Exact TreeSHAP contributions, leaf by leaf, once per distinct decision pattern of each tree.

LightGBM's TreeSHAP (``pred_contrib``) is the bulk of scoring: it walks every tree for every
link, at a cost of O(leaves x depth^2) per tree. Two things make it cheaper here, and exact.

Patterns: a tree's values for a link depend on the link only through which way it goes at each
split of that tree. So, per tree, links are grouped by the interval each of the tree's features
falls in (between the tree's own thresholds; a missing value is its own interval), and one
pattern stands for every link of its group.

Leaves: path-dependent TreeSHAP of a tree is a sum over its leaves. For a leaf with output
``v`` and distinct path features ``P``, feature ``i`` of ``P`` gets
``v (o_i - z_i) sum_{T in P-i} |T|!(|P|-|T|-1)!/|P|! prod_T o_j prod_{P-i-T} z_j``, where
``o_j`` is 1 when the link meets all of ``j``'s conditions on the path and ``z_j`` is the product
of child cover over parent cover at those splits (LightGBM's ``internal_count``/``leaf_count``;
it merges a repeated feature the same way). The expected value is the cover-weighted mean leaf
output. So a leaf's values depend only on the bitmask of its path features that a pattern
meets: per tree, each pattern's mask of every leaf is a sum of per-feature lookup tables, each
distinct (leaf, mask) is computed once (the Shapley-weighted sum is an integral of a polynomial,
done exactly by Gauss-Legendre quadrature, :func:`_leaf_shap`), and a pattern's values are the
sum of its leaves' table rows: O(leaves) lookups of contiguous rows per pattern and tree.

Only the rounding differs from LightGBM (the order of sums, the quadrature instead of
LightGBM's unwinding of path weights): the values agree to about 1e-14 on the 421-tree bundle
(``tests/models/test_treeshap.py`` checks 1e-12 on edge cases: thresholds, the zero range,
missing types, default directions, repeated features, single-leaf and deep trees). Each link's
values depend on that link alone, never on the batch it came in.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any

import numpy as np

from models.booster import CONTRIB, NativeBooster

# LightGBM's kZeroThreshold (a C++ float, 1e-35f, compared as a double): with missing type
# "Zero", values in [-K, K] take the default branch.
_ZERO = float(np.float32(1e-35))
_ZERO_BREAKS = (float(np.nextafter(-_ZERO, -np.inf)), _ZERO)


@dataclass(frozen=True)
class _Splits:
    """One tree as its model text gives it: one entry per internal node, then per leaf."""

    feature: list[int]
    threshold: list[float]
    missing: list[int]  # missing type: _MISSING_NONE, _MISSING_ZERO or _MISSING_NAN
    default_left: list[bool]  # where a missing value (or LightGBM's zero range) goes
    categorical: list[bool]  # an "==" split on a set of categories
    left: list[int]  # child of each node: a node index, or ~leaf for a leaf
    right: list[int]
    internal_count: list[int]  # training rows through each node: TreeSHAP's cover
    leaf_value: list[float]
    leaf_count: list[int]
    linear: bool  # a linear tree (its leaves are linear models)

    @property
    def zero(self) -> list[bool]:
        """Per node, whether LightGBM's zero range takes the default branch."""
        return [m == _MISSING_ZERO for m in self.missing]

    def triples(self) -> Iterator[tuple[int, float, bool]]:
        return zip(self.feature, self.threshold, self.zero, strict=True)


# decision_type of LightGBM's model text (tree.h): bit 0 kCategoricalMask, bit 1
# kDefaultLeftMask, then the missing type in bits 2-3 (0 None, 1 Zero, 2 NaN).
_CATEGORICAL_MASK = 1
_DEFAULT_LEFT_MASK = 2
_MISSING_NONE, _MISSING_ZERO, _MISSING_NAN = 0, 1, 2


def _ints(fields: dict[str, str], key: str) -> list[int]:
    return [int(v) for v in fields.get(key, "").split()]


def _floats(fields: dict[str, str], key: str) -> list[float]:
    return [float(v) for v in fields.get(key, "").split()]


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
        decision = _ints(fields, "decision_type")
        trees.append(
            _Splits(
                feature=_ints(fields, "split_feature"),
                threshold=_floats(fields, "threshold"),
                missing=[(d >> 2) & 3 for d in decision],
                default_left=[d & _DEFAULT_LEFT_MASK != 0 for d in decision],
                categorical=[d & _CATEGORICAL_MASK != 0 for d in decision],
                left=_ints(fields, "left_child"),
                right=_ints(fields, "right_child"),
                internal_count=_ints(fields, "internal_count"),
                leaf_value=_floats(fields, "leaf_value"),
                leaf_count=_ints(fields, "leaf_count"),
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


def _as_read(values: np.ndarray) -> np.ndarray:
    """The values as LightGBM predicts with them: it reads a dense row as a sparse one, keeping
    only ``|x| > kZeroThreshold`` and NaN (``RowFunctionFromDenseMatric``), so anything in the
    zero range is 0, which matters when a threshold lies in that range (LightGBM puts bin bounds
    at plus and minus kZeroThreshold)."""
    return np.where(np.abs(values) <= _ZERO, 0.0, values)


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


def _numbered(key: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (sorted) of ``key`` (values in ``[0, span)``), and each key's place
    among them: with a lookup table when the range allows, else by sorting."""
    if span > _MAX_SPAN:
        unique, inverse = np.unique(key, return_inverse=True)
        return unique, inverse.reshape(key.shape)
    seen = np.zeros(span, dtype=bool)
    seen[key] = True
    unique = np.flatnonzero(seen)
    rank = np.zeros(span, dtype=np.intp)
    rank[unique] = np.arange(len(unique))
    return unique, rank[key]


# What TreeExplainer.arrays saves of each tree, with the dtype it is saved in (cast back on
# reading where the tree's own dtype differs); bump the format when a field changes.
_SAVED_FORMAT = "linktox-treeshap-1"
_SAVED_ARRAYS: dict[str, type] = {
    "index": np.int64,
    "radices": np.int64,
    "offsets": np.int64,
    "zero": np.float64,
    "pad": np.int64,
    "value": np.float64,
    "column": np.int64,
    "nodes": np.float64,
    "weights": np.float64,
    "lut": np.int64,
    "lut_at": np.int64,
    "key_table": np.int64,
    "key_at": np.int64,
    "strides": np.int64,
}


def _digest(model_text: str) -> str:
    return hashlib.sha256(model_text.encode("utf-8")).hexdigest()


def _flat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([p.ravel() for p in parts]) if parts else np.zeros(0)


def _split(data: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    return np.split(data, np.cumsum(sizes)[:-1]) if len(sizes) else []


def _starts(sizes: Iterable[int]) -> np.ndarray:
    """Where each of consecutive blocks of these sizes starts."""
    return np.concatenate([[0], np.cumsum(list(sizes), dtype=np.int64)])[:-1].astype(np.intp)


@cache
def _quadrature(points: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (the same few degrees serve every tree, and
    each costs an eigenvalue problem); callers never write to them."""
    x, w = np.polynomial.legendre.leggauss(points)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


_CODES = np.arange(63, dtype=np.int64)[:, None]


def _left_bits(values: list[float], threshold: float, missing: int, default_left: bool) -> int:
    """LightGBM's numerical decision (``Tree::NumericalDecision``) for each value (a few per
    node), as the bits of one int: bit ``c`` is set when ``values[c]`` goes left. A missing
    value is 0 unless the missing type is NaN; the zero range (type Zero) or NaN (type NaN)
    takes the default branch; anything else goes left when ``x <= threshold``. Plain floats:
    numpy calls on arrays of a few values would cost more than the comparisons."""
    bits = 0
    for c, x in enumerate(values):
        if x != x and missing != _MISSING_NAN:  # NaN is read as 0 unless missing is NaN
            x = 0.0
        if missing == _MISSING_ZERO:
            default = -_ZERO <= x <= _ZERO
        elif missing == _MISSING_NAN:
            default = x != x
        else:
            default = False
        if default_left if default else x <= threshold:
            bits |= 1 << c
    return bits


def _representatives(breaks: np.ndarray) -> np.ndarray:
    """A value of each interval code of :func:`_code`: code ``c < len(breaks)`` holds
    ``(breaks[c-1], breaks[c]]``, so ``breaks[c]`` itself; the last finite code holds what lies
    above every cut point; the missing code holds NaN."""
    above = np.nextafter(breaks[-1], np.inf) if len(breaks) else 0.0
    return np.concatenate([breaks, [above, np.nan]])


def _leaf_paths(splits: _Splits) -> list[list[tuple[int, bool]]]:
    """Per leaf, the (node, goes left) steps from the root to it."""
    paths: list[list[tuple[int, bool]]] = [[] for _ in splits.leaf_value]
    stack: list[tuple[int, list[tuple[int, bool]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        for child, left in ((splits.left[node], True), (splits.right[node], False)):
            step = [*path, (node, left)]
            if child < 0:
                paths[~child] = step
            else:
                stack.append((child, step))
    return paths


@dataclass(frozen=True)
class _Tree:
    """One tree, ready to explain by leaf: its split features, the map from model-wide interval
    codes to this tree's, and per leaf what its TreeSHAP values depend on.

    A leaf's values depend on a row only through which of its path features the row satisfies
    (all of that feature's conditions on the path): a bitmask over the path. The mask of leaf
    ``l`` is stored as the key ``offsets[l] + mask``, so all leaves' masks share one key range.
    """

    features: tuple[int, ...]
    codes: tuple[np.ndarray, ...]  # per feature: model-wide code -> this tree's code
    radices: tuple[int, ...]  # per feature: how many codes this tree distinguishes
    keys: tuple[np.ndarray, ...]  # per feature: (this tree's code, leaf) -> its bits of the key
    offsets: np.ndarray  # per leaf: first key of its masks
    span: int  # keys are in [0, span)
    zero: np.ndarray  # (leaf, path feature): fraction of the cover down that feature's branches
    pad: np.ndarray  # per leaf: mask bits of the padding past its path features
    value: np.ndarray  # per leaf: its output
    column: np.ndarray  # (leaf, path feature): index in ``features``; padding -> len(features)
    nodes: np.ndarray  # Gauss-Legendre points on [0, 1]
    weights: np.ndarray
    bias: float  # LightGBM's ExpectedValue: the cover-weighted mean leaf output
    # The same maps, flat, for small batches (a few gathers per tree instead of a few per
    # feature): ``lut[model-wide code + lut_at[i]]`` is feature i's code, ``key_table[code +
    # key_at[i]]`` its bits of the key, and ``code @ strides`` a row's mixed-radix pattern
    # number (None where it would not fit an int64).
    index: np.ndarray  # ``features`` as an array
    lut: np.ndarray
    lut_at: np.ndarray
    key_table: np.ndarray
    key_at: np.ndarray
    strides: np.ndarray | None

    @classmethod
    def of(cls, **fields: Any) -> _Tree:
        """A tree from its flat maps, with ``features``, ``codes`` and ``keys`` as views of them
        (the per-feature form large batches use; the same numbers, not a copy)."""
        lut, lut_at, radices = fields["lut"], fields["lut_at"].tolist(), fields["radices"]
        ends = [*lut_at[1:], len(lut)][: len(lut_at)]
        return cls(
            features=tuple(fields["index"].tolist()),
            codes=tuple(lut[a:b] for a, b in zip(lut_at, ends, strict=True)),
            keys=tuple(
                fields["key_table"][a : a + r]
                for a, r in zip(fields["key_at"].tolist(), radices, strict=True)
            ),
            **fields,
        )


# A leaf whose path has more distinct features than this would need a mask wider than a key;
# LightGBM's full pass explains such a model.
_MAX_PATH = 40
# Above this many keys a tree's masks are numbered by sorting rather than with a lookup table.
_MAX_SPAN = 1 << 22
# Batches of at most this many rows are explained by TreeExplainer._small.
_SMALL = 4096
# Up to this many values (patterns x leaves x columns, 2 MiB) a tree's leaves are summed in one
# gather; more would move more memory than the calls it saves.
_FEW = 1 << 18
# Up to this many rows a small batch is explained in one thread (the calls cost more than
# the work threads could share).
_ONE_THREAD = 128


def _path_features(
    splits: _Splits, path: list[tuple[int, bool]]
) -> dict[int, tuple[list[tuple[int, bool]], float]]:
    """Per distinct feature of a leaf's path, its steps and ``z``: the product of child cover
    over parent cover at each of them, multiplied in LightGBM's order (a repeated feature is
    unwound and extended again with the product of its fractions)."""
    found: dict[int, tuple[list[tuple[int, bool]], float]] = {}
    for node, left in path:
        child = splits.left[node] if left else splits.right[node]
        cover = splits.internal_count[child] if child >= 0 else splits.leaf_count[~child]
        fraction = cover / splits.internal_count[node]
        feature = splits.feature[node]
        steps, zero = found.get(feature, ([], 1.0))
        found[feature] = ([*steps, (node, left)], fraction * zero)
    return found


def _bias(splits: _Splits) -> float:
    """``Tree::ExpectedValue``: leaf outputs weighted by leaf count over the root's count."""
    if len(splits.leaf_value) == 1:
        return splits.leaf_value[0]
    total = splits.internal_count[0]
    expected = 0.0
    for count, value in zip(splits.leaf_count, splits.leaf_value, strict=True):
        expected += (count / total) * value
    return expected


def _leaf_shap(tree: _Tree, key: np.ndarray) -> np.ndarray:
    """TreeSHAP values of one leaf for one mask, for each key: one row per key over the tree's
    features (and a last column for the padding).

    For a leaf with output ``v`` and distinct path features ``P`` (``n`` of them), where a row
    satisfies feature ``j``'s conditions (``o_j`` 1) or not (0) and ``z_j`` is that feature's
    cover fraction, path-dependent TreeSHAP gives feature ``i``
    ``v (o_i - z_i) sum_{T in P-i} |T|! (n-|T|-1)!/n! prod_T o_j prod_{P-i-T} z_j``. That
    Shapley-weighted sum is ``integral_0^1 prod_{j != i} (z_j + (o_j - z_j) t) dt`` (the weights
    are Beta integrals): a polynomial of degree ``n - 1``, which Gauss-Legendre quadrature with
    ``ceil(n/2)`` points integrates exactly. Every factor is positive, so nothing cancels.
    """
    leaf = np.searchsorted(tree.offsets, key, side="right") - 1
    mask = (key - tree.offsets[leaf]) | tree.pad[leaf]
    width = tree.zero.shape[1]
    one = ((mask[:, None] >> np.arange(width, dtype=np.int64)) & 1).astype(np.float64)
    zero = tree.zero[leaf]
    gap = one - zero
    # (key, point, path feature); padding has zero = one = 1, a factor of exactly 1.
    factor = zero[:, None, :] + gap[:, None, :] * tree.nodes[None, :, None]
    before = np.ones_like(factor)
    np.cumprod(factor[:, :, :-1], axis=2, out=before[:, :, 1:])
    after = np.ones_like(factor)
    after[:, :, :-1] = np.cumprod(factor[:, :, :0:-1], axis=2)[:, :, ::-1]
    # Points summed one at a time, in order: the same rounding whatever the batch (a matrix
    # product could pick another summation order for another shape).
    others = before * after
    weight = others[:, 0, :] * tree.weights[0]
    for q in range(1, len(tree.weights)):
        weight += others[:, q, :] * tree.weights[q]
    phi = tree.value[leaf][:, None] * gap * weight
    table = np.zeros((len(key), len(tree.features) + 1), dtype=np.float64)
    table[np.arange(len(key))[:, None], tree.column[leaf]] = phi
    return table


class TreeExplainer:
    """TreeSHAP contributions of a LightGBM model, as ``pred_contrib`` gives them.

    Models this decomposition cannot serve exactly (categorical splits, linear trees, several
    trees per iteration, a leaf with more than ``_MAX_PATH`` distinct features on its path) are
    explained by LightGBM's full pass instead.
    """

    def __init__(
        self, booster: NativeBooster, saved: Mapping[str, np.ndarray] | None = None
    ) -> None:
        """Read the booster's trees; with ``saved`` (:meth:`arrays` of an explainer of the same
        model), take them from there instead: the same numbers, without the half second of
        reading a few hundred trees. ``saved`` of another model or format is refused."""
        self.booster = booster
        if saved is not None:
            self._restore(saved)
            return
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
            paths = [_leaf_paths(t) if t.feature else [] for t in per_tree]
            if any(
                len({t.feature[n] for n, _ in p}) > _MAX_PATH
                for t, ps in zip(per_tree, paths, strict=True)
                for p in ps
            ):
                self.grouped = False
            else:
                self._trees = [self._tree(t, p) for t, p in zip(per_tree, paths, strict=True)]

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything this explainer read from the model, as plain arrays (``numpy.savez``
        writes them without pickling), for :class:`TreeExplainer` ``(booster, saved)``."""
        out: dict[str, np.ndarray] = {
            "format": np.array(_SAVED_FORMAT),
            "model": np.array(_digest(self.booster.model_text)),
            "grouped": np.array(self.grouped),
            "break_features": np.array(list(self._breaks), dtype=np.int64),
            "break_sizes": np.array([len(b) for b in self._breaks.values()], dtype=np.int64),
            "breaks": _flat([np.asarray(b, dtype=np.float64) for b in self._breaks.values()]),
            "span": np.array([t.span for t in self._trees], dtype=np.int64),
            "bias": np.array([t.bias for t in self._trees], dtype=np.float64),
            "key32": np.array([t.key_table.dtype == np.int32 for t in self._trees]),
            "strided": np.array([t.strides is not None for t in self._trees]),
        }
        for name, dtype in _SAVED_ARRAYS.items():
            values = [getattr(t, name) for t in self._trees]
            parts: list[np.ndarray] = [
                np.zeros(0, dtype) if v is None else np.asarray(v, dtype=dtype) for v in values
            ]
            out[f"{name}.data"] = _flat(parts)
            out[f"{name}.size"] = np.array([p.size for p in parts], dtype=np.int64)
            out[f"{name}.cols"] = np.array(
                [p.shape[1] if p.ndim == 2 else 0 for p in parts], dtype=np.int64
            )
        return out

    def _restore(self, saved: Mapping[str, np.ndarray]) -> None:
        if str(saved["format"]) != _SAVED_FORMAT or str(saved["model"]) != _digest(
            self.booster.model_text
        ):
            raise ValueError("saved TreeSHAP arrays of another model or format")
        self.grouped = bool(saved["grouped"])
        breaks = _split(saved["breaks"], saved["break_sizes"])
        self._breaks = {int(f): b for f, b in zip(saved["break_features"], breaks, strict=True)}
        columns: dict[str, list[np.ndarray]] = {}
        for name in _SAVED_ARRAYS:
            parts = _split(saved[f"{name}.data"], saved[f"{name}.size"])
            columns[name] = [
                p.reshape(-1, cols) if cols else p
                for p, cols in zip(parts, saved[f"{name}.cols"].tolist(), strict=True)
            ]
        self._trees = []
        for i, (span, bias, key32, strided) in enumerate(
            zip(saved["span"].tolist(), saved["bias"].tolist(), saved["key32"].tolist(),
                saved["strided"].tolist(), strict=True)
        ):  # fmt: skip
            index = columns["index"][i].astype(np.intp)
            radices = tuple(columns["radices"][i].tolist())
            lut, lut_at = columns["lut"][i], columns["lut_at"][i].astype(np.intp)
            key_table = columns["key_table"][i].astype(np.int32 if key32 else np.int64)
            key_at = columns["key_at"][i].astype(np.intp)
            self._trees.append(
                _Tree.of(
                    radices=radices,
                    offsets=columns["offsets"][i],
                    span=span,
                    zero=columns["zero"][i],
                    pad=columns["pad"][i],
                    value=columns["value"][i],
                    column=columns["column"][i],
                    nodes=columns["nodes"][i],
                    weights=columns["weights"][i],
                    bias=bias,
                    index=index,
                    lut=lut,
                    lut_at=lut_at,
                    key_table=key_table,
                    key_at=key_at,
                    strides=columns["strides"][i] if strided else None,
                )
            )

    def _tree(self, splits: _Splits, paths: list[list[tuple[int, bool]]]) -> _Tree:
        codes, radices, reps = [], [], []
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
            reps.append(_representatives(own).tolist())
        features = tuple(own_breaks)
        index = {f: i for i, f in enumerate(features)}
        leaves = len(splits.leaf_value)
        on_path = [_path_features(splits, p) for p in paths]
        width = max((len(p) for p in on_path), default=0)
        keys = [np.zeros((r, leaves), dtype=np.int64) for r in radices]
        zero = np.ones((leaves, width), dtype=np.float64)
        column = np.full((leaves, width), len(features), dtype=np.int64)
        sizes = np.zeros(leaves, dtype=np.int64)
        # Per node, which of this tree's codes of its feature go left, as the bits of an int
        # (bit c for code c): a leaf's conditions on a feature are then a few integer ANDs, not
        # small array operations (a tree has tens of nodes; a model, hundreds of trees).
        goes = [
            _left_bits(reps[index[f]], t, m, d)
            for f, t, m, d in zip(
                splits.feature, splits.threshold, splits.missing, splits.default_left, strict=True
            )
        ]
        everything = [(1 << r) - 1 for r in radices]
        # Per feature, (leaf, bit, codes that meet all of the leaf's conditions on it).
        entries: list[list[tuple[int, int, int]]] = [[] for _ in features]
        for leaf, found in enumerate(on_path):
            sizes[leaf] = len(found)
            for bit, (feature, (steps, z)) in enumerate(found.items()):
                i = index[feature]
                ok = everything[i]
                for node, left in steps:
                    ok &= goes[node] if left else ~goes[node]
                entries[i].append((leaf, bit, ok))
                zero[leaf, bit] = z
                column[leaf, bit] = i
        for i, found_on in enumerate(entries):
            if found_on:
                leaf_of, bit_of, ok_of = zip(*found_on, strict=True)
                # (code, entry): whether the code meets the entry's conditions.
                if radices[i] < 63:
                    meets = (np.array(ok_of, dtype=np.int64)[None, :] >> _CODES[: radices[i]]) & 1
                else:  # wider than an int64: bit by bit
                    meets = np.array([[(ok >> c) & 1 for ok in ok_of] for c in range(radices[i])])
                # Each (leaf, feature) pair occurs once, so the bits are set, not summed.
                keys[i][:, list(leaf_of)] = meets.astype(np.int64) << np.array(bit_of)[None, :]
        offsets = np.concatenate([[0], np.cumsum(np.int64(1) << sizes)[:-1]]).astype(np.int64)
        span = int(offsets[-1] + (1 << int(sizes[-1]))) if leaves else 0
        if keys:
            keys[0] += offsets  # so the sum of the features' bits is the key
        dtype = np.int32 if span < 1 << 31 else np.int64  # half the bytes to move
        pad = ((np.int64(1) << width) - 1) ^ ((np.int64(1) << sizes) - 1)
        x, w = _quadrature(max(1, (width + 1) // 2))
        stride, strides = 1, []
        for radix in reversed(radices):  # the first feature is the most significant digit
            strides.append(stride)
            stride *= radix
        return _Tree.of(
            radices=tuple(radices),
            offsets=offsets,
            span=span,
            zero=zero,
            pad=pad,
            value=np.array(splits.leaf_value, dtype=np.float64),
            column=column,
            nodes=(x + 1) / 2,
            weights=w / 2,
            bias=_bias(splits),
            index=np.array(features, dtype=np.intp),
            lut=np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64),
            lut_at=_starts([len(c) for c in codes]),
            key_table=np.concatenate(keys).astype(dtype) if keys else np.zeros((0, leaves), dtype),
            key_at=_starts(radices),
            strides=np.array(strides[::-1], dtype=np.int64) if stride < 1 << 62 else None,
        )

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-feature TreeSHAP contributions in log-odds, the expected value last."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        rows, width = X.shape
        if not self.grouped or rows == 0:
            return self.booster.predict(X, CONTRIB).reshape(rows, width + 1)
        model_wide = {f: _code(_as_read(X[:, f]), b) for f, b in self._breaks.items()}
        if rows <= _SMALL:
            return self._small(model_wide, rows, width)

        def explain_tree(tree: _Tree) -> tuple[np.ndarray, np.ndarray]:
            if not tree.features:  # a single leaf: only the expected value
                return np.zeros(rows, dtype=np.int64), np.zeros((0, 1))
            codes = [lut[model_wide[f]] for f, lut in zip(tree.features, tree.codes, strict=True)]
            group, count = _groups(codes, tree.radices, rows)
            first = np.empty(count, dtype=np.int64)
            first[group] = np.arange(rows)  # any row of a group stands for all of it
            # (pattern, leaf): the key of the leaf's mask for the pattern.
            # Row gathers of contiguous tables: a tenth of the cost of gathering columns.
            key = np.take(tree.keys[0], codes[0][first], axis=0)
            for lut, code in zip(tree.keys[1:], codes[1:], strict=True):
                key += np.take(lut, code[first], axis=0)
            unique, dense = _numbered(key.T, tree.span)
            table = _leaf_shap(tree, unique)
            # Sum over leaves, a leaf at a time (one contiguous gather each: a fifth of the
            # cost of one three-dimensional gather and a sum over its middle axis); then one
            # contiguous row per feature (gathering a pattern's value for every link from a
            # contiguous row costs a third of a strided column).
            phi = np.take(table, dense[0], axis=0)
            for leaf in dense[1:]:
                phi += np.take(table, leaf, axis=0)
            return group, np.ascontiguousarray(phi[:, : len(tree.features)].T)

        # One row per output column while accumulating: each tree touches a few columns.
        out = np.zeros((width + 1, rows), dtype=np.float64)
        workers = max(1, min(4, os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # map keeps tree order, so the sums are the same whatever the threads do.
            for tree, (group, columns) in zip(
                self._trees, pool.map(explain_tree, self._trees), strict=True
            ):
                for f, column in zip(tree.features, columns, strict=True):
                    out[f] += column[group]
                out[width] += tree.bias
        return out.T

    def _small(self, model_wide: dict[int, np.ndarray], rows: int, width: int) -> np.ndarray:
        """:meth:`contributions` of a small batch, with the same numbers: a dozen array
        operations per tree (its flat maps, :class:`_Tree`) rather than a few per feature, since
        on small arrays each operation costs about its call."""
        codes = np.zeros((rows, width), dtype=np.int64)
        for f, code in model_wide.items():
            codes[:, f] = code

        def explain_tree(tree: _Tree) -> tuple[np.ndarray, np.ndarray]:
            if not tree.features:
                return np.zeros(rows, dtype=np.int64), np.zeros((0, 1))
            own = tree.lut[codes[:, tree.index] + tree.lut_at]  # (row, feature): this tree's code
            if tree.strides is not None:
                # A pattern's number is its mixed-radix value, as _groups numbers it.
                _, first, group = np.unique(own @ tree.strides, True, True)
            else:
                group, count = _groups(list(own.T), tree.radices, rows)
                first = np.empty(count, dtype=np.int64)
                first[group] = np.arange(rows)
            # (pattern, leaf): the key of the leaf's mask; integer sums, exact in any order.
            picked = tree.key_table[own[first] + tree.key_at]
            unique, dense = _numbered(picked.sum(axis=1, dtype=picked.dtype).T, tree.span)
            table = _leaf_shap(tree, unique)
            if len(first) * len(dense) * table.shape[1] <= _FEW:
                # (leaf, pattern, feature), summed over leaves in leaf order, as below.
                phi = table[dense].sum(axis=0)
            else:
                phi = np.take(table, dense[0], axis=0)
                for leaf in dense[1:]:
                    phi += np.take(table, leaf, axis=0)
            return group, phi[:, : len(tree.features)].T

        out = np.zeros((width + 1, rows), dtype=np.float64)
        workers = 1 if rows <= _ONE_THREAD else max(1, min(4, os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = (
                pool.map(explain_tree, self._trees)
                if workers > 1
                else map(explain_tree, self._trees)
            )
            for tree, (group, columns) in zip(self._trees, results, strict=True):
                if tree.features:
                    out[tree.index] += columns[:, group]
                out[width] += tree.bias
        return out.T
