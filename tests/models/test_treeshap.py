"""TreeSHAP by leaf, on distinct decision patterns, equals LightGBM's own pass."""

from __future__ import annotations

import dataclasses

import lightgbm as lgb
import numpy as np
import polars as pl
import pytest

from models import treeshap
from models.booster import CONTRIB, NativeBooster
from models.explain import explain, top_contributions
from models.treeshap import TreeExplainer, _leaf_paths, _tree_splits
from tests.models.conftest import FEATURES, make_data
from tests.models.test_explain import REGISTRY


def _data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, y, _ = make_data(3000, seed=seed)
    X = np.round(X, 1)  # few distinct values, as counts and flags have
    X[::9, 0] = np.nan
    X[::4, 3] = 0.0
    X[1::6, 3] = 1e-36  # inside LightGBM's zero range, not zero
    return X, y


def _model(lgbm_params: dict, **extra: object) -> tuple[NativeBooster, np.ndarray]:
    X, y = _data(5)
    params = {**lgbm_params, "num_iterations": 30, **extra}
    booster = lgb.train(params, lgb.Dataset(X, label=y))
    return NativeBooster(booster.model_to_string()), _data(6)[0]


@pytest.mark.parametrize(
    "missing",
    [{}, {"zero_as_missing": True}, {"use_missing": False}],
    ids=["nan-missing", "zero-missing", "no-missing"],
)
def test_contributions_equal_lightgbm(lgbm_params, missing):
    # Only the order of the sum over trees differs from LightGBM's pass (see _agrees).
    _agrees(*_model(lgbm_params, **missing))


def test_a_row_gets_the_same_numbers_in_any_batch(lgbm_params):
    native, X = _model(lgbm_params)
    explainer = TreeExplainer(native)
    whole = explainer.contributions(X)
    assert np.array_equal(explainer.contributions(X[7:9]), whole[7:9])
    assert np.array_equal(explainer.contributions(X[::-3]), whole[::-3])


@pytest.mark.parametrize("few", [0, None, 10**9], ids=["leaf-by-leaf", "default", "one-gather"])
@pytest.mark.parametrize("one_thread", [0, 10**9], ids=["threads", "one-thread"])
def test_small_batches_get_the_numbers_of_large_ones(lgbm_params, monkeypatch, few, one_thread):
    # A batch of a few hundred rows is explained the flat way, a large one per feature: a row
    # must get the same numbers either way, whatever batch it came in.
    native, X = _model(lgbm_params)
    explainer = TreeExplainer(native)
    whole = _by_way(explainer, X, small=False)
    if few is not None:
        monkeypatch.setattr(treeshap, "_FEW", few)
    monkeypatch.setattr(treeshap, "_ONE_THREAD", one_thread)
    assert np.array_equal(_by_way(explainer, X[7:9], small=True), whole[7:9])
    assert np.array_equal(_by_way(explainer, X[100:400], small=True), whole[100:400])
    assert np.array_equal(_by_way(explainer, X[::-7], small=True), whole[::-7])
    assert np.array_equal(_by_way(explainer, X[:1], small=True), whole[:1])


def test_patterns_too_many_for_an_int64_number_are_grouped_feature_by_feature(lgbm_params):
    native, X = _model(lgbm_params)
    explainer = TreeExplainer(native)
    whole = _by_way(explainer, X, small=False)
    explainer._trees = [dataclasses.replace(t, strides=None) for t in explainer._trees]
    assert np.array_equal(_by_way(explainer, X[:500], small=True), whole[:500])


def test_an_explainer_from_its_saved_arrays_gives_the_same_numbers(lgbm_params):
    native, X = _model(lgbm_params)
    explainer = TreeExplainer(native)
    arrays = explainer.arrays()
    assert all(a.dtype != object for a in arrays.values())  # saved without pickling
    restored = TreeExplainer(native, arrays)
    assert restored.grouped
    for rows in (X[:300], X):
        assert np.array_equal(restored.contributions(rows), explainer.contributions(rows))
    assert np.array_equal(_by_way(restored, X, small=False), _by_way(explainer, X, small=False))


def test_saved_arrays_of_another_model_are_refused(lgbm_params):
    native, _ = _model(lgbm_params)
    other, _ = _model(lgbm_params, num_leaves=7)
    with pytest.raises(ValueError, match="another model"):
        TreeExplainer(native, TreeExplainer(other).arrays())


def test_a_model_it_cannot_group_is_explained_by_lightgbm(lgbm_params):
    X, y = _data(5)
    rng = np.random.default_rng(0)
    X[:, 1] = np.where(y == 1, rng.choice([2.0, 5.0], len(y)), rng.choice([0.0, 1.0, 3.0], len(y)))
    booster = lgb.train(
        {**lgbm_params, "num_iterations": 10},
        lgb.Dataset(X, label=y, categorical_feature=[1]),
    )
    native = NativeBooster(booster.model_to_string())
    explainer = TreeExplainer(native)
    assert not explainer.grouped  # categorical splits ("==") are not intervals
    assert np.array_equal(explainer.contributions(X[:50]), native.predict(X[:50], CONTRIB))


def test_reasons_from_grouped_contributions_equal_lightgbms(lgbm_params):
    native, X = _model(lgbm_params)
    frame = pl.DataFrame(X, schema=list(FEATURES), orient="row")
    fast = explain(frame, TreeExplainer(native).contributions, FEATURES, REGISTRY, k=3)
    full = explain(frame, lambda M: native.predict(M, CONTRIB), FEATURES, REGISTRY, k=3)
    assert fast.to_list() == full.to_list()


def _nodes(node: dict, out: list[dict]) -> list[dict]:
    if "split_index" in node:
        out.append(node)
        _nodes(node["left_child"], out)
        _nodes(node["right_child"], out)
    return out


@pytest.mark.parametrize(
    "missing",
    [{}, {"zero_as_missing": True}, {"use_missing": False}],
    ids=["nan-missing", "zero-missing", "no-missing"],
)
def test_splits_read_from_the_model_text_are_lightgbms_own(lgbm_params, missing):
    """The explainer reads each tree's splits from the model text, not from LightGBM's JSON
    dump (a few tenths of a second for a large model): the same features, thresholds and missing
    types, node by node; only an infinite threshold, which the dump writes as 1e300, stays
    infinite, as the loaded model has it."""
    X, y = _data(5)
    # Missing mostly on toxic rows: LightGBM splits "missing or not" at a threshold of +inf.
    X[(y == 1) & (np.random.default_rng(1).random(len(y)) < 0.5), 2] = np.nan
    booster = lgb.train({**lgbm_params, "num_iterations": 30, **missing}, lgb.Dataset(X, label=y))
    native = NativeBooster(booster.model_to_string())
    read = _tree_splits(native.model_text)
    dumped = native.dump()["tree_info"]
    assert len(read) == len(dumped) == native.num_iterations
    for splits, tree in zip(read, dumped, strict=True):
        nodes = sorted(_nodes(tree["tree_structure"], []), key=lambda n: n["split_index"])
        assert splits.feature == [n["split_feature"] for n in nodes]
        finite = [1e300 if t == np.inf else -1e300 if t == -np.inf else t for t in splits.threshold]
        assert finite == [float(n["threshold"]) for n in nodes]
        assert splits.zero == [n["missing_type"] == "Zero" for n in nodes]
        assert not any(splits.categorical) and not splits.linear
    if not missing:
        assert any(np.isinf(splits.threshold).any() for splits in read)
    fast = TreeExplainer(native).contributions(X)
    np.testing.assert_allclose(fast, native.predict(X, CONTRIB), rtol=0, atol=1e-12)


def test_categorical_splits_are_read_as_such(lgbm_params):
    X, y = _data(5)
    X[:, 1] = np.where(y == 1, 2.0, 0.0)
    booster = lgb.train(
        {**lgbm_params, "num_iterations": 5},
        lgb.Dataset(X, label=y, categorical_feature=[1]),
    )
    read = _tree_splits(booster.model_to_string())
    dumped = booster.dump_model()["tree_info"]
    for splits, tree in zip(read, dumped, strict=True):
        nodes = sorted(_nodes(tree["tree_structure"], []), key=lambda n: n["split_index"])
        assert splits.categorical == [n["decision_type"] == "==" for n in nodes]
    assert any(any(s.categorical) for s in read)


# The per-leaf decomposition, case by case: each model below is explained exactly.


def _agrees(native: NativeBooster, X: np.ndarray) -> TreeExplainer:
    """The leaf-by-leaf contributions equal LightGBM's to 1e-12, and so do the top reasons, in
    both ways of computing them (per feature for large batches, flat for small ones), which
    give the same numbers bit for bit."""
    explainer = TreeExplainer(native)
    assert explainer.grouped
    fast = explainer.contributions(X)
    full = native.predict(X, CONTRIB)
    np.testing.assert_allclose(fast, full, rtol=0, atol=1e-12)
    assert np.array_equal(top_contributions(fast, 4)[0], top_contributions(full, 4)[0])
    assert np.array_equal(_by_way(explainer, X, small=False), fast)
    assert np.array_equal(_by_way(explainer, X, small=True), fast)
    return explainer


def _by_way(explainer: TreeExplainer, X: np.ndarray, *, small: bool) -> np.ndarray:
    saved = treeshap._SMALL
    treeshap._SMALL = len(X) if small else 0
    try:
        return explainer.contributions(X)
    finally:
        treeshap._SMALL = saved


def _edge_rows(native: NativeBooster, width: int, rows: int, seed: int) -> np.ndarray:
    """Rows made of each feature's thresholds, the floats next to them, zero, values inside and
    at the bounds of LightGBM's zero range, and NaN."""
    zero = float(np.float32(1e-35))
    per_feature: dict[int, set[float]] = {f: set() for f in range(width)}
    for splits in _tree_splits(native.model_text):
        for f, t in zip(splits.feature, splits.threshold, strict=True):
            per_feature[f].update([t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf)])
    rng = np.random.default_rng(seed)
    X = np.empty((rows, width))
    for f, found in per_feature.items():
        values = [*found, 0.0, -0.0, 1e-36, -1e-36, zero, -zero, np.nextafter(zero, 1.0)]
        values += [np.nextafter(-zero, -1.0), np.nan]
        X[:, f] = rng.choice(np.array([v for v in values if np.isfinite(v) or np.isnan(v)]), rows)
    return X


def _missing_types(native: NativeBooster) -> set[int]:
    return {m for s in _tree_splits(native.model_text) for m in s.missing}


@pytest.mark.parametrize(
    ("missing", "kind"),
    [({}, 2), ({"zero_as_missing": True}, 1), ({"use_missing": False}, 0)],
    ids=["nan-missing", "zero-missing", "no-missing"],
)
def test_rows_on_thresholds_and_in_the_zero_range(lgbm_params, missing, kind):
    native, _ = _model(lgbm_params, **missing)
    assert kind in _missing_types(native)
    _agrees(native, _edge_rows(native, len(FEATURES), 4000, seed=1))


def test_default_left_both_ways(lgbm_params):
    """The same trees with every default direction flipped (decision_type bit 1): missing
    values and the zero range go the other way, and the values follow."""
    native, X = _model(lgbm_params, zero_as_missing=True)
    X = np.vstack([X, _edge_rows(native, len(FEATURES), 2000, seed=2)])
    defaults = {d for s in _tree_splits(native.model_text) for d in s.default_left}
    assert defaults == {True, False}
    lines = []
    for line in native.model_text.split("\n"):
        if line.startswith("decision_type="):
            flipped = [str(int(d) ^ 2) for d in line.partition("=")[2].split()]
            line = "decision_type=" + " ".join(flipped)
        lines.append(line)
    flipped = NativeBooster("\n".join(lines))
    assert not np.allclose(flipped.predict(X, CONTRIB), native.predict(X, CONTRIB))
    _agrees(native, X)
    _agrees(flipped, X)


def test_repeated_features_on_a_path(lgbm_params):
    """One informative feature: paths split on it again and again (LightGBM merges the repeats
    into one path element, multiplying their fractions)."""
    rng = np.random.default_rng(3)
    X = np.round(rng.normal(size=(4000, 3)), 2)
    y = (np.sin(3 * X[:, 0]) + 0.3 * X[:, 1] > 0.2).astype(int)
    booster = lgb.train(
        {**lgbm_params, "num_iterations": 20, "num_leaves": 31}, lgb.Dataset(X, label=y)
    )
    native = NativeBooster(booster.model_to_string())
    repeats = 0
    for splits in _tree_splits(native.model_text):
        for path in _leaf_paths(splits):
            features = [splits.feature[node] for node, _ in path]
            repeats += len(features) - len(set(features))
    assert repeats > 100
    _agrees(native, np.vstack([X[:2000], _edge_rows(native, 3, 2000, seed=4)]))


def test_a_deep_tree_on_many_features(lgbm_params):
    rng = np.random.default_rng(5)
    X = np.round(rng.normal(size=(6000, 9)), 1)
    X[rng.random(X.shape) < 0.05] = np.nan
    y = (X[:, :6].sum(axis=1) + rng.normal(size=6000) > 0).astype(int)
    params = {**lgbm_params, "num_iterations": 10, "num_leaves": 63, "min_data_in_leaf": 5}
    native = NativeBooster(lgb.train(params, lgb.Dataset(X, label=y)).model_to_string())
    deepest = max(
        len({s.feature[node] for node, _ in path})
        for s in _tree_splits(native.model_text)
        for path in _leaf_paths(s)
    )
    assert deepest >= 7
    _agrees(native, np.vstack([X[:3000], _edge_rows(native, 9, 1000, seed=6)]))


def test_a_feature_split_more_often_in_one_tree_than_an_int64_has_bits(lgbm_params):
    """A tree that splits one feature at more than 61 thresholds (its codes do not fit the
    bits of an int64) is explained exactly too, bit by bit."""
    rng = np.random.default_rng(8)
    X = np.round(rng.normal(size=(8000, 2)), 3)
    X[rng.random(X.shape) < 0.03] = np.nan
    y = (np.sin(4 * np.nan_to_num(X[:, 0])) + 0.3 * rng.normal(size=8000) > 0).astype(int)
    params = {**lgbm_params, "num_iterations": 3, "num_leaves": 255, "min_data_in_leaf": 5}
    native = NativeBooster(lgb.train(params, lgb.Dataset(X, label=y)).model_to_string())
    widest = max(s.feature.count(0) for s in _tree_splits(native.model_text))
    assert widest >= 62
    _agrees(native, np.vstack([X[:3000], _edge_rows(native, 2, 1000, seed=9)]))


def test_single_leaf_trees(lgbm_params):
    """A tree that is one leaf (no split met the requirements; LightGBM keeps it as the first
    tree) adds only its value to the expected value."""
    X, y = _data(5)
    first = lgb.train(
        {**lgbm_params, "num_iterations": 3, "min_data_in_leaf": 5000}, lgb.Dataset(X, label=y)
    )
    booster = lgb.train(
        {**lgbm_params, "num_iterations": 5}, lgb.Dataset(X, label=y), init_model=first
    )
    native = NativeBooster(booster.model_to_string())
    assert any(not s.feature for s in _tree_splits(native.model_text))
    _agrees(native, _data(6)[0])


def test_masks_numbered_by_sorting_when_a_tree_has_too_many(lgbm_params, monkeypatch):
    monkeypatch.setattr(treeshap, "_MAX_SPAN", 0)
    native, X = _model(lgbm_params)
    _agrees(native, X)


def test_a_path_too_long_for_a_mask_is_explained_by_lightgbm(lgbm_params, monkeypatch):
    monkeypatch.setattr(treeshap, "_MAX_PATH", 1)
    native, X = _model(lgbm_params)
    explainer = TreeExplainer(native)
    assert not explainer.grouped
    assert np.array_equal(explainer.contributions(X[:50]), native.predict(X[:50], CONTRIB))
