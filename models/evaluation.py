"""Evaluate a bundle on labelled, featurized sets: the numbers behind metrics.json and compare.

Which held-out sets exist and which one promotion is judged on is policy, and lives here:
``test`` (links from referring domains the model never saw), ``unseen_site`` (a whole target
site held out), ``holdout_world`` (a world drawn with another seed) and, once there are enough
reviewed links, ``reviewed_test``.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from features.schema import FULL_VIEW, LABEL, SITE, TACTIC, URL_ONLY_VIEW, VIEW
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
from models.split import REVIEWED, REVIEWED_TEST, TEST, UNSEEN_SITE, WORLD, pick

HOLDOUT_WORLD = "holdout_world"
URL_ONLY = "url_only_holdout_world"
# The set promotion is judged on: the first of these that exists.
PRIMARY_SETS = (REVIEWED_TEST, UNSEEN_SITE, TEST)
MIN_SET_LINKS = 30  # a set smaller than this is too small to measure
HISTOGRAM_BIN = 5  # score points per bar of the score histogram


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


def held_out_sets(
    world: pl.DataFrame, holdout: pl.DataFrame, reviewed: pl.DataFrame, split: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The labelled held-out frames, by name (sets too small to measure are left out)."""

    def full(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col(VIEW) == FULL_VIEW) if VIEW in frame.columns else frame

    sets = {
        TEST: full(pick(world, split, WORLD, TEST)),
        UNSEEN_SITE: full(pick(world, split, WORLD, UNSEEN_SITE)),
        HOLDOUT_WORLD: full(holdout),
        REVIEWED_TEST: pick(reviewed, split, REVIEWED, REVIEWED_TEST),
    }
    if VIEW in holdout.columns:
        # The held-out world's links as a URL-only export gives them (Search Console).
        sets[URL_ONLY] = holdout.filter(pl.col(VIEW) == URL_ONLY_VIEW)
    return {name: frame for name, frame in sets.items() if frame.height >= MIN_SET_LINKS}


def clean_truth(frame: pl.DataFrame, toxic_tactics: Collection[str]) -> np.ndarray | None:
    """Noise-free truth for world links (their tactic is a toxic one); None for reviewed ones."""
    tactics = frame.get_column(TACTIC)
    toxic = tactics.is_in(list(toxic_tactics))
    if not toxic.any():
        return None
    return toxic.to_numpy()


def primary_set(sets: Collection[str]) -> str:
    """The set promotion is judged on: reviewed real links when there are enough, else the
    unseen site, else the test set."""
    return next(name for name in PRIMARY_SETS if name in sets)


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def metrics_document(evals: dict[str, SetEvaluation], bundle: Bundle) -> dict[str, Any]:
    """The ``metrics.json`` content: headline numbers per set plus cut-offs and confusion."""
    doc: dict[str, Any] = {
        "primary_set": primary_set(evals),
        "cutoffs": {"review": bundle.cutoffs.review, "toxic": bundle.cutoffs.toxic},
    }
    for name, ev in evals.items():
        doc[name] = {**ev.metrics, "confusion": ev.confusion}
    return _clean(doc)


def flat_metrics(doc: dict[str, Any]) -> dict[str, float]:
    """``metrics.json`` as MLflow metric names: ``<set>_<metric>`` and ``cutoff_<band>``."""
    flat = {
        f"{name}_{key}": value
        for name, block in doc.items()
        if isinstance(block, dict) and name != "cutoffs"
        for key, value in block.items()
        if isinstance(value, int | float) and value is not None
    }
    flat.update({f"cutoff_{k}": v for k, v in doc["cutoffs"].items()})
    return flat


def importance_table(bundle: Bundle) -> pl.DataFrame:
    """Each feature's share of the model's total gain, largest first."""
    gain = bundle.booster.feature_importance(importance_type="gain")
    total = float(gain.sum()) or 1.0
    return (
        pl.DataFrame({"feature": list(bundle.feature_names), "gain": gain / total})
        .with_columns(pl.col("gain").round(6))
        .sort(["gain", "feature"], descending=[True, False])
    )


def score_histogram(ev: SetEvaluation, truth: np.ndarray) -> pl.DataFrame:
    """Toxic and legitimate links per score bin of HISTOGRAM_BIN points."""
    last = 100 // HISTOGRAM_BIN - 1
    bins = np.minimum((ev.scores // HISTOGRAM_BIN).astype(int), last) * HISTOGRAM_BIN
    frame = pl.DataFrame({"score_bin": bins, "toxic": truth.astype(bool)})
    return (
        frame.group_by("score_bin")
        .agg(
            pl.col("toxic").sum().alias("toxic_links"),
            (~pl.col("toxic")).sum().alias("legit_links"),
        )
        .sort("score_bin")
    )
