"""Evaluate a bundle on labelled, featurized sets: the numbers behind metrics.json and compare."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from features.schema import LABEL, SITE, TACTIC
from models.bundle import Bundle
from models.cutoffs import label_array, to_score
from models.metrics import (
    calibration_curve,
    confusion,
    per_group_recall,
    pr_points,
    profile_toxicity,
    roc_points,
    summary_metrics,
)
from models.score import feature_matrix


@dataclass
class SetEvaluation:
    """Everything measured on one held-out set."""

    name: str
    metrics: dict[str, float]
    confusion: dict[str, dict[str, int]]
    per_tactic: pl.DataFrame
    profiles: pl.DataFrame
    curves: dict[str, pl.DataFrame] = field(default_factory=dict)
    scores: np.ndarray = field(default_factory=lambda: np.empty(0))
    labels: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))


def evaluate_set(
    name: str,
    frame: pl.DataFrame,
    bundle: Bundle,
    bins: int = 10,
    clean_truth: np.ndarray | None = None,
) -> SetEvaluation:
    """Score ``frame`` (features + truth) with ``bundle`` and measure it.

    Args:
        clean_truth: optional noise-free truth (in the synthetic world: whether the link's
            tactic is a toxic one, before reviewer disagreement flipped some labels); its
            headline numbers are added with a ``clean_`` prefix.
    """
    y = frame.get_column(LABEL).to_numpy().astype(int)
    p = bundle.predict_proba(feature_matrix(frame, bundle.feature_names))
    scores = to_score(p)
    labels = label_array(scores, bundle.cutoffs)
    tactic = (
        frame.get_column(TACTIC).fill_null("unknown").to_numpy()
        if TACTIC in frame.columns
        else np.full(len(y), "unknown")
    )
    site = (
        frame.get_column(SITE).fill_null("unknown").to_numpy()
        if SITE in frame.columns
        else np.full(len(y), "unknown")
    )
    curves: dict[str, pl.DataFrame] = {}
    if 0 < y.sum() < len(y):
        curves = {
            "precision_recall": pr_points(y, p),
            "roc": roc_points(y, p),
            "calibration": calibration_curve(y, p, bins),
        }
    metrics = summary_metrics(y, scores / 100.0, labels, bins)
    if clean_truth is not None:
        clean = summary_metrics(np.asarray(clean_truth).astype(int), scores / 100.0, labels, bins)
        keep = ("pr_auc", "roc_auc", "toxic_precision", "toxic_recall", "toxic_whitelisted_share")
        metrics.update({f"clean_{key}": clean[key] for key in keep})
    return SetEvaluation(
        name=name,
        metrics=metrics,
        confusion=confusion(y, labels),
        per_tactic=per_group_recall(tactic, y, labels),
        profiles=profile_toxicity(site, y, labels),
        curves=curves,
        scores=scores,
        labels=labels,
    )
