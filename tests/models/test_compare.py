"""The promotion gate and side-by-side tables, on a model fitted to seeded data."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import average_precision_score

from models.compare import (
    PRIMARY_METRIC,
    evaluate_versions,
    judge,
    label_changes,
    metric_table,
    weighted_average_precision,
)
from models.cutoffs import CutoffGoals
from models.train import fit_bundle
from tests.models.conftest import FEATURES, make_data

GOALS = CutoffGoals(0.9, 0.05, False, 45.0, 60.0, 1.0)


def test_weighted_average_precision_is_sklearns_with_sample_weights() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(500) < 0.3).astype(int)
    scores = np.round(rng.random(500) * 100 + y * 20, 0)  # rounded: many ties, as real scores
    weights = rng.integers(0, 4, size=(3, 500)).astype(float)
    got = weighted_average_precision(y, scores, weights)
    for row, w in zip(got, weights, strict=True):
        assert row == pytest.approx(average_precision_score(y, scores, sample_weight=w))
    none_toxic = weighted_average_precision(y, scores, np.where(y == 1, 0.0, 1.0)[None, :])
    assert math.isnan(none_toxic[0])


def _judged(a: np.ndarray, b: np.ndarray, y: np.ndarray, domains: np.ndarray, seed: int = 1):
    return judge("test", y, domains, {"v2": a, "v1": b}, candidate="v2", incumbent="v1",
                 resamples=400, confidence=0.95, seed=seed)  # fmt: skip


def test_the_gate_refuses_only_a_version_worse_beyond_chance() -> None:
    rng = np.random.default_rng(5)
    n = 3000
    y = (rng.random(n) < 0.3).astype(int)
    domains = rng.integers(0, 600, n).astype(str)
    good = y * 40 + rng.random(n) * 60
    noisy = y * 10 + rng.random(n) * 90
    worse = _judged(noisy, good, y, domains)
    assert worse.verdict == "worse" and worse.refused
    assert worse.high < 0 and worse.difference < 0
    better = _judged(good, noisy, y, domains)
    assert better.verdict == "better" and not better.refused
    # The same scores, tie for tie: the interval straddles zero and promotion is allowed.
    same = _judged(good, good + 0.0, y, domains)
    assert same.verdict == "no significant difference" and not same.refused
    assert same.low <= 0 <= same.high
    assert "no significant difference" in same.line() and "3,000 links" in same.line()


def _noisier_copy(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``n`` links, one per domain: an incumbent's scores and a candidate's, the same plus noise
    (so slightly worse), with their labels and domains."""
    rng = np.random.default_rng(3)
    y = (rng.random(n) < 0.4).astype(int)
    incumbent = y * 30 + rng.random(n) * 70
    return incumbent + rng.normal(0, 8, n), incumbent, y, np.arange(n).astype(str)


def test_a_small_set_cannot_refuse_on_a_small_difference() -> None:
    # 57 links, like the reviewed_test set that once outvoted 78k held-out world links: a
    # slightly lower PR-AUC there is within chance, so the gate does not refuse on it.
    small = _judged(*_noisier_copy(57))
    assert small.difference < 0
    assert small.verdict == "no significant difference" and not small.refused
    # The same kind of loss on 100 times the links is beyond chance: the gate refuses it.
    large = _judged(*_noisier_copy(5700))
    assert large.difference < 0 and large.high < 0
    assert large.verdict == "worse" and large.refused


def test_the_bootstrap_is_seeded() -> None:
    rng = np.random.default_rng(8)
    y = (rng.random(800) < 0.3).astype(int)
    domains = rng.integers(0, 200, 800).astype(str)
    a, b = y * 20 + rng.random(800) * 80, y * 25 + rng.random(800) * 75
    first, again, other = (
        _judged(a, b, y, domains),
        _judged(a, b, y, domains),
        _judged(a, b, y, domains, seed=2),
    )
    assert (first.low, first.high) == (again.low, again.high)
    assert (first.low, first.high) != (other.low, other.high)


@pytest.fixture(scope="module")
def two_versions(lgbm_params):
    X, y, _ = make_data(6000, seed=11)
    half = len(y) // 2
    common = dict(
        feature_names=FEATURES,
        early_stopping_rounds=10,
        calibration_method="isotonic",
        goals=GOALS,
    )
    good, _ = fit_bundle(X[:half], y[:half], X[half:], y[half:], params=lgbm_params, **common)
    # A model that sees only the noise column is worse on any held-out data.
    noise = X.copy()
    noise[:, [0, 1, 3]] = 0.0
    weak, _ = fit_bundle(
        noise[:half], y[:half], noise[half:], y[half:], params=lgbm_params, **common
    )
    Xt, yt, _ = make_data(3000, seed=12)
    frame = pl.DataFrame({name: Xt[:, i] for i, name in enumerate(FEATURES)}).with_columns(
        pl.Series("label", yt)
    )
    return {"v1": good, "v2": weak}, {"test": frame}


def test_evaluate_versions_and_the_gate_prefer_the_better_model(two_versions) -> None:
    bundles, sets = two_versions
    evals = evaluate_versions(bundles, sets)
    good = evals["v1"]["test"].metrics[PRIMARY_METRIC]
    weak = evals["v2"]["test"].metrics[PRIMARY_METRIC]
    assert good > weak
    table = metric_table(evals, "test")
    assert table.columns == ["metric", "better", "v1", "v2"]
    row = table.filter(pl.col("metric") == PRIMARY_METRIC).row(0, named=True)
    assert row["v1"] == pytest.approx(good) and row["v2"] == pytest.approx(weak)
    changes = label_changes(evals["v1"], evals["v2"])
    assert 0 < changes["test"] <= sets["test"].height
    assert label_changes(evals["v1"], evals["v1"]) == {"test": 0}
    np.testing.assert_array_equal(evals["v1"]["test"].scores, evals["v1"]["test"].scores)
