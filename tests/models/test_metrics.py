from __future__ import annotations

import numpy as np

from models.metrics import (
    band_metrics,
    confusion,
    expected_calibration_error,
    per_group_recall,
    summary_metrics,
)


def test_ece_is_zero_for_perfect_calibration_and_large_for_overconfidence():
    p = np.repeat([0.1, 0.5, 0.9], 1000)
    y = np.concatenate(
        [
            np.r_[np.ones(100), np.zeros(900)],
            np.r_[np.ones(500), np.zeros(500)],
            np.r_[np.ones(900), np.zeros(100)],
        ]
    )
    assert expected_calibration_error(y, p) < 1e-9
    assert expected_calibration_error(y, np.where(p > 0.5, 1.0, 0.0)) > 0.1


def test_band_metrics_count_toxic_links_slipping_into_the_whitelist():
    y = np.array([1, 1, 1, 1, 0, 0])
    labels = np.array(["toxic", "toxic", "review", "whitelist", "whitelist", "toxic"])
    m = band_metrics(y, labels)
    assert m["toxic_precision"] == 2 / 3
    assert m["toxic_recall"] == 0.5
    assert m["toxic_whitelisted_share"] == 0.25
    assert confusion(y, labels)["toxic"] == {"whitelist": 1, "review": 1, "toxic": 2}


def test_per_group_recall_separates_tactics():
    groups = np.array(["pbn", "pbn", "news", "news"])
    y = np.array([1, 1, 0, 0])
    labels = np.array(["toxic", "whitelist", "toxic", "whitelist"])
    table = per_group_recall(groups, y, labels).to_dicts()
    by = {row["group"]: row for row in table}
    assert by["pbn"]["recall_toxic"] == 0.5
    assert by["news"]["fp_rate_toxic"] == 0.5


def test_summary_metrics_rank_a_perfect_model_perfectly():
    y = np.array([0, 0, 1, 1])
    m = summary_metrics(
        y, np.array([0.1, 0.2, 0.8, 0.9]), np.array(["whitelist"] * 2 + ["toxic"] * 2)
    )
    assert m["roc_auc"] == 1.0 and m["pr_auc"] == 1.0
