"""Side-by-side comparison of model versions on the same held-out data, and the promotion gate.

The gate is statistical: on the primary held-out set, the PR-AUC difference between two versions
gets a confidence interval from a paired bootstrap that resamples referring domains (a domain's
links share most features, so they are not independent draws). A version is refused only when
the whole interval lies below zero: it is worse beyond what chance explains. How big a set must
be before it can be primary at all is :mod:`models.evaluation`'s policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from models.bundle import Bundle
from models.cutoffs import WHITELIST
from models.evaluation import SetEvaluation, evaluate_set
from models.explain import REASON_SEPARATOR, HasReason, explain, reason_pattern

PRIMARY_METRIC = "pr_auc"
BOOTSTRAP_BLOCK = 8  # resamples computed at once: small arrays stay in the CPU cache
# Metrics shown side by side; the arrow says which way is better.
TABLE_METRICS: tuple[tuple[str, str], ...] = (
    ("pr_auc", "higher"),
    ("roc_auc", "higher"),
    ("brier", "lower"),
    ("ece", "lower"),
    ("toxic_precision", "higher"),
    ("toxic_recall", "higher"),
    ("toxic_whitelisted_share", "lower"),
    ("share_review", "lower"),
)


def evaluate_versions(
    bundles: Mapping[str, Bundle], sets: Mapping[str, pl.DataFrame], bins: int = 10
) -> dict[str, dict[str, SetEvaluation]]:
    """version -> set name -> evaluation, for every version on every set."""
    return {
        version: {name: evaluate_set(name, frame, bundle, bins) for name, frame in sets.items()}
        for version, bundle in bundles.items()
    }


def metric_table(evals: Mapping[str, Mapping[str, SetEvaluation]], set_name: str) -> pl.DataFrame:
    """One row per metric, one column per version, for one held-out set."""
    versions = list(evals)
    rows: dict[str, list[str] | list[float]] = {
        "metric": [m for m, _ in TABLE_METRICS],
        "better": [b for _, b in TABLE_METRICS],
    }
    for version in versions:
        rows[version] = [
            evals[version][set_name].metrics.get(m, float("nan")) for m, _ in TABLE_METRICS
        ]
    return pl.DataFrame(rows)


def label_changes(a: Mapping[str, SetEvaluation], b: Mapping[str, SetEvaluation]) -> dict[str, int]:
    """Per set, how many links would get another label under version b than under a."""
    return {name: int((a[name].labels != b[name].labels).sum()) for name in a if name in b}


def reason_counts(
    frame: pl.DataFrame,
    bundle: Bundle,
    labels: np.ndarray,
    registry: Mapping[str, HasReason],
    k: int = 3,
    max_rows: int = 5000,
    seed: int = 0,
) -> pl.DataFrame:
    """How often each reason, as users see it, is given for the links this version flags.

    Reasons are grouped with their numbers masked ("7 other referring domains share…" and "12
    other…" count as one). At most ``max_rows`` flagged links (a seeded sample) are explained,
    since TreeSHAP is the costly part.
    """
    flagged = np.flatnonzero(labels != WHITELIST)
    if len(flagged) > max_rows:
        flagged = np.sort(np.random.default_rng(seed).choice(flagged, max_rows, replace=False))
    if len(flagged) == 0:
        return pl.DataFrame(schema={"reason": pl.String, "links": pl.UInt32, "share": pl.Float64})
    rows = frame.select(pl.all().gather(flagged))
    texts = explain(rows, bundle.contributions, bundle.feature_names, registry, k)
    return (
        pl.DataFrame({"reason": texts.str.split(REASON_SEPARATOR)})
        .explode("reason")
        .filter(pl.col("reason").str.len_chars() > 0)
        .with_columns(reason_pattern(pl.col("reason")))
        .group_by("reason")
        .agg(pl.len().alias("links"))
        .with_columns((pl.col("links") / len(flagged)).alias("share"))
    )


def reason_shift(before: pl.DataFrame, after: pl.DataFrame, top: int = 8) -> pl.DataFrame:
    """Reasons whose share among flagged links moved most between two versions."""
    joined = before.join(after, on="reason", how="full", coalesce=True, suffix="_after")
    return (
        joined.with_columns(pl.col("share", "share_after").fill_null(0.0))
        .with_columns((pl.col("share_after") - pl.col("share")).alias("change"))
        .sort(pl.col("change").abs(), "reason", descending=[True, False])
        .head(top)
        .select("reason", pl.col("share").alias("share_before"), "share_after", "change")
    )


class _Ranking:
    """One version's links in descending score order, with the ends of its runs of equal
    scores (precision is read only there, as scikit-learn does), computed once per version."""

    def __init__(self, y: np.ndarray, scores: np.ndarray) -> None:
        scores = np.asarray(scores, dtype=float)
        self.order = np.argsort(-scores, kind="stable")
        ranked = scores[self.order]
        self.truth = np.asarray(y, dtype=float)[self.order]
        self.ends = np.flatnonzero(np.r_[ranked[1:] != ranked[:-1], True])

    def average_precision(self, ranked_weights: np.ndarray) -> np.ndarray:
        """One value per row of weights already in this ranking's order; NaN where a row gives
        no weight to any toxic link."""
        tp = np.cumsum(ranked_weights * self.truth, axis=1)[:, self.ends]
        seen = np.cumsum(ranked_weights, axis=1)[:, self.ends]
        precision = np.divide(tp, seen, out=np.zeros_like(tp), where=seen > 0)
        gain = np.diff(tp, axis=1, prepend=0.0)
        total = tp[:, -1]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (gain * precision).sum(axis=1) / total, np.nan)


def weighted_average_precision(
    y: np.ndarray, scores: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Average precision (PR-AUC as scikit-learn computes it, ties grouped) under each row of
    ``weights`` (shape ``(resamples, links)``), in one vectorised pass."""
    ranking = _Ranking(y, scores)
    return ranking.average_precision(np.asarray(weights, dtype=float)[:, ranking.order])


@dataclass(frozen=True)
class Judgement:
    """The promotion verdict: the candidate's PR-AUC against the incumbent's on one set."""

    set_name: str
    candidate: str
    incumbent: str
    links: int
    domains: int
    candidate_value: float
    incumbent_value: float
    low: float  # confidence interval of candidate - incumbent
    high: float
    confidence: float
    resamples: int

    @property
    def difference(self) -> float:
        return self.candidate_value - self.incumbent_value

    @property
    def verdict(self) -> str:
        if np.isnan(self.candidate_value) or np.isnan(self.low):
            return "cannot be measured"
        if self.high < 0:
            return "worse"
        if self.low > 0:
            return "better"
        return "no significant difference"

    @property
    def refused(self) -> bool:
        """The gate: refuse a candidate that is worse beyond chance (or cannot be measured)."""
        return self.verdict in ("worse", "cannot be measured")

    def line(self) -> str:
        """One sentence a reviewer can act on."""
        level = f"{self.confidence:.0%}"
        outcome = {
            "better": f"{self.candidate} is better than {self.incumbent}",
            "worse": f"{self.candidate} is worse than {self.incumbent}",
            "no significant difference": "no significant difference",
        }.get(self.verdict, f"{self.candidate}'s PR-AUC cannot be measured")
        return (
            f"{self.candidate} vs {self.incumbent} on {self.set_name} ({self.links:,} links, "
            f"{self.domains:,} referring domains): PR-AUC {self.candidate_value:.4f} vs "
            f"{self.incumbent_value:.4f}, difference {self.difference:+.4f} ({level} interval "
            f"{self.low:+.4f} to {self.high:+.4f}, paired bootstrap over referring domains, "
            f"{self.resamples:,} resamples): {outcome}"
        )


def judge(
    set_name: str,
    y: np.ndarray,
    domains: np.ndarray,
    scores: Mapping[str, np.ndarray],
    *,
    candidate: str,
    incumbent: str,
    resamples: int,
    confidence: float,
    seed: int,
) -> Judgement:
    """Paired, domain-clustered bootstrap of the PR-AUC difference (candidate - incumbent).

    Every resample draws referring domains with replacement (a multinomial count per domain,
    seeded), weights each link by its domain's count, and measures both versions on the same
    draw, so the interval is about their difference, not their separate noise.
    """
    y = np.asarray(y).astype(int)
    _, codes = np.unique(np.asarray(domains).astype(str), return_inverse=True)
    n_domains = int(codes.max()) + 1 if len(codes) else 0
    a = _Ranking(y, scores[candidate])
    b = _Ranking(y, scores[incumbent])
    ones = np.ones((1, len(y)))
    value_a = float(a.average_precision(ones)[0]) if len(y) else float("nan")
    value_b = float(b.average_precision(ones)[0]) if len(y) else float("nan")
    # Each version's links in its own order, mapped to their domain: a resample's counts per
    # domain are gathered straight into each ranking.
    codes_a, codes_b = codes[a.order], codes[b.order]
    rng = np.random.default_rng(seed)
    deltas: list[np.ndarray] = []
    done = 0
    while n_domains and done < resamples:
        block = min(BOOTSTRAP_BLOCK, resamples - done)
        # n_domains draws with replacement per resample, counted per domain (a multinomial).
        drawn = rng.integers(0, n_domains, size=(block, n_domains))
        flat = (np.arange(block)[:, None] * n_domains + drawn).ravel()
        counts = np.bincount(flat, minlength=block * n_domains).reshape(block, n_domains)
        counts = counts.astype(float)
        deltas.append(
            a.average_precision(counts[:, codes_a]) - b.average_precision(counts[:, codes_b])
        )
        done += block
    diffs = np.concatenate(deltas) if deltas else np.empty(0)
    diffs = diffs[~np.isnan(diffs)]
    tail = (1.0 - confidence) / 2.0
    low, high = (
        (float(np.quantile(diffs, tail)), float(np.quantile(diffs, 1.0 - tail)))
        if len(diffs)
        else (float("nan"), float("nan"))
    )
    return Judgement(
        set_name=set_name,
        candidate=candidate,
        incumbent=incumbent,
        links=len(y),
        domains=n_domains,
        candidate_value=value_a,
        incumbent_value=value_b,
        low=low,
        high=high,
        confidence=confidence,
        resamples=resamples,
    )
