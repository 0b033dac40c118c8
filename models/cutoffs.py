"""Label cut-offs chosen from stated goals on validation data, not guessed.

The goals are the ones an SEO team can argue about: "when we say toxic, be right 95% of the time"
(toxic precision) and "let at most 2% of the truly toxic links slip into the whitelist". Scores are
0–100 (calibrated probability x 100, one decimal), and the bands are
``whitelist < review <= score < toxic <= score``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl

log = logging.getLogger(__name__)

WHITELIST = "whitelist"
REVIEW = "review"
TOXIC = "toxic"
LABELS: tuple[str, ...] = (WHITELIST, REVIEW, TOXIC)
MIN_TOXIC_SUPPORT = 20  # a precision measured on fewer links above the cut-off is noise
SCORE_STEP = 0.1  # scores carry one decimal


@dataclass(frozen=True)
class Cutoffs:
    """Score cut-offs: ``review`` starts the review band, ``toxic`` starts the toxic band."""

    review: float
    toxic: float
    method: str = "default_bands"

    def to_dict(self) -> dict[str, float | str]:
        return asdict(self)


@dataclass(frozen=True)
class CutoffGoals:
    """What the cut-offs must achieve on validation data (``train.cutoffs`` in params.yaml).

    Attributes:
        toxic_precision: Share of links labeled toxic that must be toxic.
        max_toxic_whitelisted: Largest share of toxic links allowed in the whitelist.
        use_default_bands: Skip the goals and use ``default_review`` / ``default_toxic``.
        default_review: Review band start when the goals cannot be met (or are skipped).
        default_toxic: Toxic band start, likewise.
        max_review_share: Largest share of links the review band may hold: the pile a team has
            to work through. When the two goals above would need a wider band, the review
            cut-off rises until the band holds this share (and the whitelist goal yields).
    """

    toxic_precision: float
    max_toxic_whitelisted: float
    use_default_bands: bool
    default_review: float
    default_toxic: float
    max_review_share: float


def to_score(p: np.ndarray) -> np.ndarray:
    """Probability -> 0–100 toxicity score with one decimal, as users see it."""
    return np.round(np.clip(p, 0.0, 1.0) * 100.0, 1)


def label_expr(score: pl.Expr, cutoffs: Cutoffs) -> pl.Expr:
    """Polars expression mapping a score column to its label."""
    return (
        pl.when(score >= cutoffs.toxic)
        .then(pl.lit(TOXIC))
        .when(score >= cutoffs.review)
        .then(pl.lit(REVIEW))
        .otherwise(pl.lit(WHITELIST))
    )


def label_array(scores: np.ndarray, cutoffs: Cutoffs) -> np.ndarray:
    """Numpy twin of :func:`label_expr` for metrics."""
    out = np.full(scores.shape, WHITELIST, dtype=object)
    out[scores >= cutoffs.review] = REVIEW
    out[scores >= cutoffs.toxic] = TOXIC
    return out


def choose_cutoffs(
    scores: np.ndarray,
    y: np.ndarray,
    *,
    toxic_precision: float,
    max_toxic_whitelisted: float,
    default_review: float = 45.0,
    default_toxic: float = 60.0,
    max_review_share: float = 1.0,
) -> Cutoffs:
    """Pick the cut-offs that meet the goals on labelled (validation) scores.

    The toxic cut-off is the lowest score whose "score >= cut-off" set reaches ``toxic_precision``
    (so recall is as high as the precision goal allows). The review cut-off is the highest score
    that still leaves at most ``max_toxic_whitelisted`` of the toxic links below it (so the review
    pile is as small as the safety goal allows). Where a goal cannot be met, that cut-off falls back
    to its default band and the fallback is named in ``method``. Last, the review band is narrowed
    from below until it holds at most ``max_review_share`` of the links (``review_share`` in
    ``method`` when that bound decided the review cut-off).
    """
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(y).astype(bool)
    order = np.argsort(-scores, kind="stable")
    s_sorted, y_sorted = scores[order], y[order]
    tp = np.cumsum(y_sorted)
    n_above = np.arange(1, len(s_sorted) + 1)
    # Evaluate only at the last occurrence of each distinct score (ties go together).
    last_of_run = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    thresholds = s_sorted[last_of_run]
    precision = tp[last_of_run] / n_above[last_of_run]
    support = tp[last_of_run]
    ok = (precision >= toxic_precision) & (support >= MIN_TOXIC_SUPPORT)
    method = []
    if ok.any():
        # Thresholds descend with the index: the last one meeting the goal is the lowest.
        toxic = float(thresholds[np.flatnonzero(ok).max()])
        method.append("toxic_precision")
    else:
        toxic = default_toxic
        method.append("toxic_default")
        log.warning("toxic precision %.2f not reachable on validation data", toxic_precision)

    n_pos = int(y.sum())
    if n_pos:
        pos_scores = np.sort(scores[y])
        # Largest cut-off c with (#pos with score < c) / n_pos <= goal.
        allowed = int(np.floor(max_toxic_whitelisted * n_pos))
        review = float(pos_scores[allowed]) if allowed < n_pos else float(pos_scores[-1])
        method.append("max_toxic_whitelisted")
    else:
        review = default_review
        method.append("review_default")
    review = min(review, toxic)
    below = np.sort(scores[scores < toxic])[::-1]  # scores under the toxic band, highest first
    allowed = int(np.floor(max_review_share * len(scores)))
    in_band = int(((scores >= review) & (scores < toxic)).sum())
    if in_band > allowed and len(below) > allowed:
        # Scores have one decimal: half a point above the first excluded score drops it and its
        # ties from the band.
        review = min(toxic, float(below[allowed]) + SCORE_STEP / 2)
        method.append("review_share")
        log.info("review band capped at %.0f%% of links: review from %.2f", 100 * max_review_share,
                 review)  # fmt: skip
    return Cutoffs(review=review, toxic=toxic, method="+".join(method))


def default_cutoffs(review: float = 45.0, toxic: float = 60.0) -> Cutoffs:
    """Semrush's familiar bands, used only when asked for."""
    return Cutoffs(review=review, toxic=toxic, method="default_bands")
