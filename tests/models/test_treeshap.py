"""TreeSHAP tree by tree on distinct decision patterns equals LightGBM's own pass."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import polars as pl
import pytest

from models.booster import CONTRIB, NativeBooster
from models.explain import explain, top_contributions
from models.treeshap import TreeExplainer
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
    native, X = _model(lgbm_params, **missing)
    explainer = TreeExplainer(native)
    assert explainer.grouped
    fast = explainer.contributions(X)
    full = native.predict(X, CONTRIB)
    # Only the order of the sum over trees differs from LightGBM's pass.
    np.testing.assert_allclose(fast, full, rtol=0, atol=1e-12)
    assert np.array_equal(top_contributions(fast, 4)[0], top_contributions(full, 4)[0])


def test_a_row_gets_the_same_numbers_in_any_batch(lgbm_params):
    native, X = _model(lgbm_params)
    explainer = TreeExplainer(native)
    whole = explainer.contributions(X)
    assert np.array_equal(explainer.contributions(X[7:9]), whole[7:9])
    assert np.array_equal(explainer.contributions(X[::-3]), whole[::-3])


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
