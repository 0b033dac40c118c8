"""Evaluate a bundle on labelled, featurized sets: the numbers behind metrics.json and compare.

Which held-out sets exist and which one promotion is judged on is policy, and lives here:
``test`` (links from referring domains the model never saw), ``unseen_site`` (a whole target
site held out), ``holdout_world`` (a world drawn with another seed) and, once there are enough
reviewed links, ``reviewed_test``.

Versions are compared on **frozen** rows: every version stores which links it held out and which
reviewed links it trained on (:func:`row_keys`), and a comparison uses only rows that no compared
version trained on (:func:`shared_held_out_sets`), however later splits assign them.
``reviewed_test`` becomes the primary set only once it is big enough (:class:`PrimaryRule`): a
few dozen reviewed links must not outvote tens of thousands of held-out world links.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import polars as pl

from features.schema import FULL_VIEW, LABEL, SITE, TACTIC, URL_ONLY_VIEW, VIEW
from models.bundle import Bundle
from models.cutoffs import Cutoffs, label_array, to_score
from models.metrics import (
    band_metrics,
    calibration_curve,
    confusion,
    per_group_recall,
    pr_points,
    profile_toxicity,
    roc_points,
    summary_metrics,
)
from models.score import feature_matrix, policy_proba
from models.split import (
    LINK_KEY,
    REVIEWED,
    REVIEWED_TEST,
    ROW,
    SOURCE,
    SPLIT,
    TEST,
    UNSEEN_SITE,
    WORLD,
    pick,
)

HOLDOUT_WORLD = "holdout_world"
URL_ONLY = "url_only_holdout_world"
# The set promotion is judged on: the first of these that exists (and, for reviewed_test, is
# big enough under the PrimaryRule).
PRIMARY_SETS = (REVIEWED_TEST, UNSEEN_SITE, TEST)
MIN_SET_LINKS = 30  # a set smaller than this is too small to measure
# World sets drawn by the split, whose row keys each version stores.
WORLD_SETS = (TEST, UNSEEN_SITE)


@dataclass(frozen=True)
class PrimaryRule:
    """When ``reviewed_test`` may become the primary set (``evaluate.primary``)."""

    min_reviewed_links: int
    min_reviewed_per_class: int

    def allows(self, frame: pl.DataFrame) -> bool:
        toxic = int(frame.get_column(LABEL).sum())
        return (
            frame.height >= self.min_reviewed_links
            and min(toxic, frame.height - toxic) >= self.min_reviewed_per_class
        )


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
    # Scores as users see them: after the policy of models.score (relevance never alone).
    p = policy_proba(feature_matrix(frame, bundle.feature_names), bundle)
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


def toxic_cutoff_table(
    scores: np.ndarray,
    truth: np.ndarray,
    cutoffs: Cutoffs,
    others: Sequence[float],
    clean_truth: np.ndarray | None = None,
) -> pl.DataFrame:
    """What the toxic band would hold if its cut-off were each of ``others`` (and the bundle's).

    Why: the toxic cut-off is a trade (precision on a new site against real toxic links sent
    to review), and users and reviewers should see it rather than take one point of it. Only
    the toxic cut-off moves: the scores users see depend on the review cut-off (the never-alone
    policy of :mod:`models.score`) but not on the toxic one, so the labels at another toxic
    cut-off are exact. Cut-offs at or under the review cut-off are left out.

    Returns:
        One row per cut-off, ascending: ``toxic_cutoff``, ``bundle`` (the bundle's own),
        ``share_review``, ``share_toxic``, ``toxic_precision``, ``toxic_recall`` and, with
        ``clean_truth``, their noise-free ``clean_`` twins.
    """
    scores = np.asarray(scores, dtype=float)
    chosen = sorted({float(cutoffs.toxic), *(float(c) for c in others if c > cutoffs.review)})
    rows = []
    for toxic in chosen:
        labels = label_array(scores, replace(cutoffs, toxic=toxic))
        bands = band_metrics(truth, labels)
        row: dict[str, Any] = {
            "toxic_cutoff": toxic,
            "bundle": toxic == cutoffs.toxic,
            "share_review": bands["share_review"],
            "share_toxic": bands["share_toxic"],
            "toxic_precision": bands["toxic_precision"],
            "toxic_recall": bands["toxic_recall"],
        }
        if clean_truth is not None:
            clean = band_metrics(clean_truth, labels)
            row["clean_toxic_precision"] = clean["toxic_precision"]
            row["clean_toxic_recall"] = clean["toxic_recall"]
        rows.append(row)
    return pl.DataFrame(rows)


def held_out_sets(
    world: pl.DataFrame, holdout: pl.DataFrame, reviewed: pl.DataFrame, split: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The labelled held-out frames, by name (sets too small to measure are left out)."""
    return _named_sets(
        pick(world, split, WORLD, TEST),
        pick(world, split, WORLD, UNSEEN_SITE),
        holdout,
        pick(reviewed, split, REVIEWED, REVIEWED_TEST),
    )


def _full(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col(VIEW) == FULL_VIEW) if VIEW in frame.columns else frame


def _named_sets(
    test: pl.DataFrame, unseen: pl.DataFrame, holdout: pl.DataFrame, reviewed: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """The sets by name, world links in their full view, the held-out world's URL-only view as
    a set of its own, and sets too small to measure left out."""
    sets = {
        TEST: _full(test),
        UNSEEN_SITE: _full(unseen),
        HOLDOUT_WORLD: _full(holdout),
        REVIEWED_TEST: reviewed,
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


def primary_set(sets: Mapping[str, pl.DataFrame], rule: PrimaryRule) -> str:
    """The set promotion is judged on: reviewed real links when there are enough of them (and
    of each class), else the unseen site, else the test set."""
    for name in PRIMARY_SETS:
        if name in sets and (name != REVIEWED_TEST or rule.allows(sets[name])):
            return name
    raise ValueError(f"no held-out set to judge on among {sorted(sets)}")


def primary_reason(sets: Mapping[str, pl.DataFrame], rule: PrimaryRule, primary: str) -> str:
    """Why ``reviewed_test`` is not the primary set, when it exists but is too small."""
    if primary == REVIEWED_TEST or REVIEWED_TEST not in sets:
        return ""
    frame = sets[REVIEWED_TEST]
    toxic = int(frame.get_column(LABEL).sum())
    return (
        f"{REVIEWED_TEST} ({frame.height:,} links, {toxic:,} toxic) is below the minimum to be "
        f"primary ({rule.min_reviewed_links:,} links and {rule.min_reviewed_per_class:,} of each "
        "class, evaluate.primary in params.yaml)"
    )


def row_keys(world: pl.DataFrame, reviewed: pl.DataFrame, split: pl.DataFrame) -> pl.DataFrame:
    """Which links a version held out or learnt from, stored with it so that later comparisons
    use only rows it never saw: the keys (``source``, ``split``, ``source_url``, ``target_url``)
    of its held-out world rows (``test``, ``unseen_site``) and of every reviewed row it had
    (held out as ``reviewed_test``, or trained and validated on). World rows it trained on are
    not listed: the world is fixed by its seed, so they are every row not held out."""
    world_rows = [
        _full(pick(world, split, WORLD, name)).select(*LINK_KEY).unique(maintain_order=True)
        for name in WORLD_SETS
    ]
    parts = [
        frame.select(pl.lit(WORLD).alias(SOURCE), pl.lit(name).alias(SPLIT), *LINK_KEY)
        for name, frame in zip(WORLD_SETS, world_rows, strict=True)
    ]
    sides = split.filter(pl.col(SOURCE) == REVIEWED).select(ROW, SPLIT)
    parts.append(
        reviewed.with_row_index(ROW)
        .join(sides, on=ROW, how="inner")
        .select(pl.lit(REVIEWED).alias(SOURCE), SPLIT, *LINK_KEY)
    )
    return pl.concat([part.with_columns(pl.col(list(LINK_KEY)).cast(pl.String)) for part in parts])


def shared_held_out_sets(
    world: pl.DataFrame,
    holdout: pl.DataFrame,
    reviewed: pl.DataFrame,
    keys: Sequence[pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    """The held-out frames no version in ``keys`` (one :func:`row_keys` table each) trained on.

    - ``test`` and ``unseen_site``: current world rows that every version held out as that set;
    - ``reviewed_test``: current reviewed rows some version held out and none trained on (a
      version trained before a link was reviewed never saw it; links reviewed after the newest
      version are left out, so the rows stay the same as more labels arrive);
    - ``holdout_world`` (and its URL-only view): drawn with another seed, it trains no
      version, so it is taken whole.
    """
    if not keys:
        raise ValueError("no stored row keys to compare on")
    sets: dict[str, pl.DataFrame] = {}
    for name in WORLD_SETS:
        frame = world
        for version_keys in keys:
            chosen = version_keys.filter(
                (pl.col(SOURCE) == WORLD) & (pl.col(SPLIT) == name)
            ).select(LINK_KEY)
            frame = frame.join(chosen.unique(), on=list(LINK_KEY), how="semi", nulls_equal=True)
        sets[name] = frame
    seen = pl.concat([k.filter(pl.col(SOURCE) == REVIEWED) for k in keys])
    held = seen.filter(pl.col(SPLIT) == REVIEWED_TEST).select(LINK_KEY).unique()
    trained = seen.filter(pl.col(SPLIT) != REVIEWED_TEST).select(LINK_KEY).unique()
    unseen = held.join(trained, on=list(LINK_KEY), how="anti", nulls_equal=True)
    return _named_sets(
        sets[TEST],
        sets[UNSEEN_SITE],
        holdout,
        reviewed.join(unseen, on=list(LINK_KEY), how="semi", nulls_equal=True),
    )


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def metrics_document(
    evals: dict[str, SetEvaluation], bundle: Bundle, primary: str
) -> dict[str, Any]:
    """The ``metrics.json`` content: headline numbers per set plus cut-offs and confusion."""
    doc: dict[str, Any] = {
        "primary_set": primary,
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
