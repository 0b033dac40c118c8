from __future__ import annotations

import numpy as np
import pytest

from models.calibrate import Calibrator
from models.cutoffs import LABELS, choose_cutoffs, default_cutoffs, label_array, to_score
from models.metrics import expected_calibration_error
from models.train import ToxicityClassifier
from tests.models.conftest import FEATURES, make_data


@pytest.mark.parametrize("method", ["isotonic", "sigmoid"])
def test_calibration_on_held_out_data_has_small_ece(method, lgbm_params):
    # Bound: with ~4,000 held-out links and 10 bins, sampling noise alone gives an ECE of about
    # 0.01-0.02; an uncalibrated or broken calibrator on this problem is above 0.05.
    X, y, _ = make_data(12000, seed=11)
    clf = ToxicityClassifier({**lgbm_params, "num_iterations": 150}, FEATURES).fit(
        X[:4000], y[:4000]
    )
    cal = Calibrator(method).fit(clf.toxic_proba(X[4000:8000]), y[4000:8000])
    p_test = cal.predict(clf.toxic_proba(X[8000:]))
    assert expected_calibration_error(y[8000:], p_test) < 0.04


def test_calibration_fixes_a_distorted_model():
    rng = np.random.default_rng(0)
    true_p = rng.uniform(0, 1, 20000)
    y = (rng.random(20000) < true_p).astype(int)
    distorted = true_p**3  # systematically under-confident scores
    assert expected_calibration_error(y, distorted) > 0.1
    cal = Calibrator("isotonic").fit(distorted[:10000], y[:10000])
    assert expected_calibration_error(y[10000:], cal.predict(distorted[10000:])) < 0.03


@pytest.mark.parametrize("method", ["isotonic", "sigmoid"])
def test_calibrator_round_trips_through_json_numbers(method):
    rng = np.random.default_rng(1)
    p = rng.uniform(size=500)
    y = (rng.random(500) < p).astype(int)
    cal = Calibrator(method).fit(p, y)
    again = Calibrator.from_dict(cal.to_dict())
    np.testing.assert_allclose(again.predict(p), cal.predict(p))


def test_cutoffs_meet_their_goals_on_the_data_they_were_chosen_on():
    rng = np.random.default_rng(2)
    y = (rng.random(5000) < 0.3).astype(int)
    scores = to_score(np.clip(rng.normal(0.25 + 0.5 * y, 0.15), 0, 1))
    cut = choose_cutoffs(scores, y, toxic_precision=0.95, max_toxic_whitelisted=0.02)
    labels = label_array(scores, cut)
    assert cut.review <= cut.toxic
    assert y[labels == "toxic"].mean() >= 0.95
    assert (labels[y == 1] == "whitelist").mean() <= 0.02
    assert cut.method == "toxic_precision+max_toxic_whitelisted"


def test_unreachable_precision_falls_back_to_the_default_band():
    rng = np.random.default_rng(3)
    y = (rng.random(2000) < 0.5).astype(int)
    scores = to_score(rng.uniform(size=2000))  # no signal at all
    cut = choose_cutoffs(scores, y, toxic_precision=0.99, max_toxic_whitelisted=0.02)
    assert cut.toxic == 60.0
    assert "toxic_default" in cut.method


def test_labels_follow_the_bands():
    cut = default_cutoffs(45, 60)
    labels = label_array(np.array([0.0, 44.9, 45.0, 59.9, 60.0, 100.0]), cut)
    assert labels.tolist() == ["whitelist", "whitelist", "review", "review", "toxic", "toxic"]
    assert set(labels) <= set(LABELS)


def test_centered_isotonic_is_monotone_calibrated_and_has_no_plateaus():
    rng = np.random.default_rng(4)
    p = rng.uniform(size=20_000)
    y = (rng.uniform(size=p.size) < p**2).astype(int)  # raw scores over-confident at the top
    step = Calibrator("isotonic").fit(p, y)
    centered = Calibrator("centered_isotonic").fit(p, y)
    test = np.sort(rng.uniform(0.05, 0.95, size=5_000))
    a, b = step.predict(test), centered.predict(test)
    assert (np.diff(b) >= 0).all()  # monotone
    assert len(np.unique(np.round(b, 3))) > 5 * len(np.unique(np.round(a, 3)))  # no plateaus
    truth = test**2
    assert np.abs(b - truth).mean() < np.abs(a - truth).mean() + 0.01  # as calibrated
    again = Calibrator.from_dict(centered.to_dict())
    np.testing.assert_allclose(again.predict(test), b)


def test_review_band_is_capped_at_its_share_of_links():
    rng = np.random.default_rng(9)
    y = rng.uniform(size=10_000) < 0.3
    scores = np.round(np.clip(np.where(y, rng.normal(70, 20, y.size), rng.normal(30, 20, y.size)),
                              0, 100), 1)  # fmt: skip
    wide = choose_cutoffs(scores, y, toxic_precision=0.97, max_toxic_whitelisted=0.01)
    share = ((scores >= wide.review) & (scores < wide.toxic)).mean()
    assert share > 0.15  # the goals alone want a wide band on overlapping classes
    capped = choose_cutoffs(
        scores, y, toxic_precision=0.97, max_toxic_whitelisted=0.01, max_review_share=0.15
    )
    assert capped.toxic == wide.toxic and capped.review > wide.review
    assert ((scores >= capped.review) & (scores < capped.toxic)).mean() <= 0.15
    assert "review_share" in capped.method
