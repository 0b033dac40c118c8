"""LightGBM's C library called directly gives what the lightgbm package gives, bit for bit."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from models.booster import CONTRIB, LEAF_INDEX, RAW_SCORE, BoosterError, NativeBooster
from tests.models.conftest import make_data


@pytest.fixture(scope="module")
def trained(lgbm_params) -> tuple[lgb.Booster, np.ndarray]:
    X, y, _ = make_data(3000, seed=11)
    X[::7, 2] = np.nan  # missing values take the default branch
    X[::5, 1] = 0.0
    params = {**lgbm_params, "num_iterations": 25}
    booster = lgb.train(params, lgb.Dataset(X, label=y))
    return booster, X[:500]


def test_predictions_equal_the_lightgbm_package(trained):
    booster, X = trained
    native = NativeBooster(booster.model_to_string())
    assert native.num_features == X.shape[1]
    assert native.num_iterations == 25
    assert np.array_equal(native.predict(X, params="num_threads=0"), booster.predict(X))
    assert np.array_equal(native.predict(X, RAW_SCORE), booster.predict(X, raw_score=True))
    leaves = native.predict(X, LEAF_INDEX)
    assert leaves.dtype == np.int32
    assert np.array_equal(leaves, booster.predict(X, pred_leaf=True))
    assert np.array_equal(native.predict(X, CONTRIB), booster.predict(X, pred_contrib=True))
    one_tree = booster.predict(X, pred_contrib=True, start_iteration=4, num_iteration=1)
    assert np.array_equal(native.predict(X, CONTRIB, 4, 1), one_tree)
    assert native.dump()["tree_info"] == booster.dump_model()["tree_info"]


def test_a_column_major_matrix_gives_the_same_numbers(trained):
    booster, X = trained
    native = NativeBooster(booster.model_to_string())
    columns = np.asfortranarray(X)
    assert np.array_equal(native.predict(columns), native.predict(np.ascontiguousarray(X)))
    assert np.array_equal(native.predict(columns, CONTRIB), booster.predict(X, pred_contrib=True))


def test_a_single_row_keeps_its_shape(trained):
    booster, X = trained
    native = NativeBooster(booster.model_to_string())
    assert native.predict(X[:1]).shape == (1,)
    assert native.predict(X[:1], CONTRIB).shape == (1, X.shape[1] + 1)


def test_a_wrong_feature_count_is_a_clear_error(trained):
    booster, X = trained
    native = NativeBooster(booster.model_to_string())
    with pytest.raises(BoosterError, match=r"LightGBM: .*number of features"):
        native.predict(X[:, :2])


def test_a_malformed_model_is_a_clear_error():
    with pytest.raises(BoosterError, match="LightGBM: "):
        NativeBooster("not a model")
