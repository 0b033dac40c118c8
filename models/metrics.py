"""Held-out metrics an ML engineer and an SEO can both read.

Everything here is a pure function of truth, scores and labels, so the same numbers come out in
``evaluate``, in ``models compare`` and in tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from models.cutoffs import LABELS, TOXIC, WHITELIST


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Weighted mean gap between predicted and observed toxic rate over equal-width bins."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    if len(y) == 0:
        return float("nan")
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1], right=False), 0, bins - 1)
    counts = np.bincount(which, minlength=bins)
    sum_p = np.bincount(which, weights=p, minlength=bins)
    sum_y = np.bincount(which, weights=y, minlength=bins)
    nonempty = counts > 0
    gaps = np.abs(sum_p[nonempty] - sum_y[nonempty]) / counts[nonempty]
    return float(np.sum(gaps * counts[nonempty]) / len(y))


def calibration_curve(y: np.ndarray, p: np.ndarray, bins: int = 10) -> pl.DataFrame:
    """Mean predicted vs observed toxic rate per bin, for the calibration plot."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    frame = pl.DataFrame({"bin": which, "p": p, "y": np.asarray(y, dtype=float)})
    return (
        frame.group_by("bin")
        .agg(
            pl.col("p").mean().alias("predicted"),
            pl.col("y").mean().alias("observed"),
            pl.len().alias("links"),
        )
        .sort("bin")
        .drop("bin")
    )


def _safe(fn: Any, *args: Any) -> float:
    try:
        return float(fn(*args))
    except ValueError:  # one class only: the metric is undefined
        return float("nan")


def band_metrics(y: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Precision and recall of the toxic band, and the safety numbers of the whitelist band."""
    y = np.asarray(y).astype(bool)
    toxic = labels == TOXIC
    flagged = labels != WHITELIST
    n_pos = max(int(y.sum()), 1)
    out = {
        "toxic_precision": float(y[toxic].mean()) if toxic.any() else float("nan"),
        "toxic_recall": float(toxic[y].sum() / n_pos),
        "flagged_precision": float(y[flagged].mean()) if flagged.any() else float("nan"),
        "flagged_recall": float(flagged[y].sum() / n_pos),
        "toxic_whitelisted_share": float((labels[y] == WHITELIST).sum() / n_pos),
        "whitelist_precision": float((~y[labels == WHITELIST]).mean())
        if (labels == WHITELIST).any()
        else float("nan"),
    }
    for name in LABELS:
        out[f"share_{name}"] = float((labels == name).mean()) if len(labels) else float("nan")
    return out


def confusion(y: np.ndarray, labels: np.ndarray) -> dict[str, dict[str, int]]:
    """Links per (truth, label) pair: rows are truth, columns the three labels."""
    y = np.asarray(y).astype(bool)
    return {
        truth: {name: int(((labels == name) & mask).sum()) for name in LABELS}
        for truth, mask in (("toxic", y), ("not_toxic", ~y))
    }


def per_group_recall(groups: np.ndarray, y: np.ndarray, labels: np.ndarray) -> pl.DataFrame:
    """Per tactic: links, truly toxic links, and how many of them were labeled toxic or flagged.

    For legitimate populations the useful number is the false-positive rate, so it is given too.
    """
    frame = pl.DataFrame(
        {"group": groups, "y": np.asarray(y).astype(bool), "label": labels.astype(str)}
    )
    return (
        frame.group_by("group")
        .agg(
            pl.len().alias("links"),
            pl.col("y").sum().alias("toxic_links"),
            ((pl.col("label") == TOXIC) & pl.col("y")).sum().alias("caught_toxic"),
            ((pl.col("label") != WHITELIST) & pl.col("y")).sum().alias("caught_flagged"),
            ((pl.col("label") == TOXIC) & ~pl.col("y")).sum().alias("false_toxic"),
            ((pl.col("label") != WHITELIST) & ~pl.col("y")).sum().alias("false_flagged"),
        )
        .with_columns(
            (pl.col("caught_toxic") / pl.col("toxic_links")).alias("recall_toxic"),
            (pl.col("caught_flagged") / pl.col("toxic_links")).alias("recall_flagged"),
            (pl.col("false_toxic") / (pl.col("links") - pl.col("toxic_links"))).alias(
                "fp_rate_toxic"
            ),
        )
        .sort("group")
    )


def profile_toxicity(sites: np.ndarray, y: np.ndarray, labels: np.ndarray) -> pl.DataFrame:
    """Per target site: the share of links labeled toxic next to the true toxic share."""
    frame = pl.DataFrame(
        {"site": sites, "y": np.asarray(y).astype(float), "label": labels.astype(str)}
    )
    return (
        frame.group_by("site")
        .agg(
            pl.len().alias("links"),
            (pl.col("y").mean() * 100).round(2).alias("true_toxic_pct"),
            ((pl.col("label") == TOXIC).mean() * 100).round(2).alias("predicted_toxic_pct"),
            ((pl.col("label") != WHITELIST).mean() * 100).round(2).alias("flagged_pct"),
        )
        .sort("site")
    )


def summary_metrics(
    y: np.ndarray, p: np.ndarray, labels: np.ndarray, bins: int = 10
) -> dict[str, float]:
    """The headline numbers: ranking, calibration and the label bands."""
    y = np.asarray(y).astype(int)
    out = {
        "links": float(len(y)),
        "toxic_rate": float(y.mean()) if len(y) else float("nan"),
        "roc_auc": _safe(roc_auc_score, y, p),
        "pr_auc": _safe(average_precision_score, y, p),
        "brier": _safe(brier_score_loss, y, p),
        "ece": expected_calibration_error(y, p, bins),
    }
    out.update(band_metrics(y, labels))
    return out


def pr_points(y: np.ndarray, p: np.ndarray, max_points: int = 400) -> pl.DataFrame:
    """Precision-recall curve thinned to at most ``max_points`` rows for DVC plots."""
    precision, recall, _ = precision_recall_curve(y, p)
    frame = pl.DataFrame({"recall": recall, "precision": precision})
    return _thin(frame, max_points)


def roc_points(y: np.ndarray, p: np.ndarray, max_points: int = 400) -> pl.DataFrame:
    """ROC curve thinned to at most ``max_points`` rows for DVC plots."""
    fpr, tpr, _ = roc_curve(y, p)
    return _thin(pl.DataFrame({"fpr": fpr, "tpr": tpr}), max_points)


def _thin(frame: pl.DataFrame, max_points: int) -> pl.DataFrame:
    if frame.height <= max_points:
        return frame
    keep = np.unique(np.linspace(0, frame.height - 1, max_points).round().astype(int))
    return frame[keep]
