"""Side-by-side comparison of model versions on the same held-out data, here and now."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from models.bundle import Bundle
from models.cutoffs import WHITELIST
from models.evaluation import SetEvaluation, evaluate_set
from models.explain import REASON_SEPARATOR, HasReason, explain, reason_pattern

PRIMARY_METRIC = "pr_auc"
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


def is_worse(candidate: float, incumbent: float, tolerance: float = 0.0) -> bool:
    """True when the candidate's primary metric (higher is better) falls below the incumbent's."""
    if np.isnan(candidate):
        return True
    if np.isnan(incumbent):
        return False
    return candidate < incumbent - tolerance
