"""The promotion gate and side-by-side tables, on a model fitted to seeded data."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from models.compare import PRIMARY_METRIC, evaluate_versions, is_worse, label_changes, metric_table
from models.cutoffs import CutoffGoals
from models.train import fit_bundle
from tests.models.conftest import FEATURES, make_data

GOALS = CutoffGoals(0.9, 0.05, False, 45.0, 60.0, 1.0)


@pytest.mark.parametrize(
    ("candidate", "incumbent", "worse"),
    [
        (0.80, 0.90, True),
        (0.90, 0.80, False),
        (0.85, 0.85, False),  # a tie does not block promotion
        (math.nan, 0.9, True),  # a candidate that cannot be measured is never better
        (0.5, math.nan, False),
    ],
)
def test_is_worse(candidate: float, incumbent: float, worse: bool) -> None:
    assert is_worse(candidate, incumbent) is worse


def test_tolerance_lets_a_slightly_lower_candidate_through() -> None:
    assert is_worse(0.899, 0.9)
    assert not is_worse(0.899, 0.9, tolerance=0.01)


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
    assert is_worse(weak, good) and not is_worse(good, weak)
    table = metric_table(evals, "test")
    assert table.columns == ["metric", "better", "v1", "v2"]
    row = table.filter(pl.col("metric") == PRIMARY_METRIC).row(0, named=True)
    assert row["v1"] == pytest.approx(good) and row["v2"] == pytest.approx(weak)
    changes = label_changes(evals["v1"], evals["v2"])
    assert 0 < changes["test"] <= sets["test"].height
    assert label_changes(evals["v1"], evals["v1"]) == {"test": 0}
    np.testing.assert_array_equal(evals["v1"]["test"].scores, evals["v1"]["test"].scores)
